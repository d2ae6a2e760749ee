// A slow laptop, as Chromium's CPU throttling at 4x makes one (CDP Emulation.setCPUThrottlingRate):
// while [784,30,10] and [784,100,10] train, no main-thread task takes 50 ms, and a click on Pause
// changes the button within 100 ms.
//
// What is asserted is each task's thread (CPU) time under the throttling, from Chromium's trace
// (browser.mjs mainThreadTasks): the throttled thread's time grows with the rate (seen: the most
// of a task 14-16 ms at 1x, 27-33 ms at 4x). Its wall-clock duration on this 2-core machine also
// holds the time the scheduler gave to the worker and to other processes, and the trace's own
// cost: the bench (tests/web/bench.mjs, ./build.sh bench) reports the wall-clock long tasks on a
// quiet machine; here they are logged.
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  siteAndBrowser, openPage, checkNoErrors, byTestId, waitForValue, waitForState, mainThreadTasks,
} from './browser.mjs';

const LONG = 120_000;
const THROTTLE = 4;
const TASK_MS = 50;   // on the throttled laptop
const env = siteAndBrowser();

// The long tasks (wall clock) and long animation frames seen during ms, for the log.
const watchLongTasks = (page, ms) => page.evaluate(ms => new Promise(resolve => {
  const tasks = [];
  const observer = new PerformanceObserver(list => {
    for (const e of list.getEntries()) tasks.push(Math.round(e.duration));
  });
  observer.observe({ type: 'longtask' });
  setTimeout(() => {
    observer.disconnect();
    resolve(tasks);
  }, ms);
}), ms);

async function throttled(hash) {
  const opened = await openPage(env.browser);
  const cdp = await opened.context.newCDPSession(opened.page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE });
  await opened.page.goto(env.site.url + hash);
  await waitForState(opened.page, 'ready', LONG);
  return opened;
}

for (const sizes of ['784,30,10', '784,100,10']) {
  test(`[${sizes}] at ${THROTTLE}x CPU throttling: no main-thread task of ${TASK_MS} ms CPU while training`,
    { timeout: 2 * LONG }, async () => {
      const { context, page, errors } = await throttled(`#sizes=${sizes}&epochs=100`);
      await byTestId(page, 'start').click();
      await waitForValue(page, 'batch', 200, LONG);
      // Windows of 5 s: several epoch ends of [784,30,10] (an epoch is about 0.4 s), weight copies and
      // cost points, so a long task the page makes shows in every window. One clean window of
      // three passes: the most of 1,000 tasks is the figure a stray interruption moves (the page
      // before this test's changes had 10-30 such tasks in every window).
      const traced = list => list.length > 50 && list.some(t => t.wall > 0);   // the page's thread is in it
      const windows = [];
      for (let w = 0; w < 3; w++) {
        let tasks = [], wall = [];
        for (let attempt = 0; attempt < 3 && !traced(tasks); attempt++) {
          tasks = await mainThreadTasks(env.browser, page, async () => { wall = await watchLongTasks(page, 5000); });
        }
        assert.ok(traced(tasks), `the page's main thread is not in the trace: ${JSON.stringify(tasks.slice(0, 20))}`);
        const most = tasks.reduce((m, t) => (t.cpu > m.cpu ? t : m), { cpu: 0, wall: 0 });
        const heavy = tasks.filter(t => t.cpu >= TASK_MS);
        windows.push(`${tasks.length} tasks, the most CPU ${most.cpu} ms (${most.wall} ms wall), ${heavy.length} of ` +
          `${TASK_MS} ms CPU or more; wall-clock long tasks: [${wall}]`);
        console.log(`[${sizes}] at ${THROTTLE}x, window ${w + 1}: ${windows.at(-1)}`);
        if (heavy.length === 0) break;
      }
      assert.equal(await byTestId(page, 'status').getAttribute('data-state'), 'running');
      assert.ok(windows.some(w => / 0 of /.test(w)), `main-thread tasks of ${TASK_MS} ms CPU or more in every ` +
        `window:\n${windows.join('\n')}`);
      checkNoErrors(errors);
      await context.close();
    });
}

test(`at ${THROTTLE}x CPU throttling a click on Pause changes the button at once, and the run pauses`,
  { timeout: 2 * LONG }, async () => {
    const { context, page, errors } = await throttled('#sizes=784,30,10&epochs=100');
    const took = [];
    for (let i = 0; i < 5; i++) {
      await byTestId(page, 'start').click();
      await waitForValue(page, 'batch', 100 * (i + 1), LONG);   // training, with its redraws, under way
      // The time from the click (its event's timestamp) to the button's change.
      const changed = page.evaluate(() => new Promise(resolve => {
        const button = document.querySelector('[data-testid="pause"]');
        let clicked = null;
        button.addEventListener('click', e => { clicked = e.timeStamp; }, { capture: true, once: true });
        new MutationObserver((_, observer) => {
          if (!button.disabled) return;
          observer.disconnect();
          resolve({ clicked, changed: performance.now() });
        }).observe(button, { attributes: true, attributeFilter: ['disabled'] });
      }));
      await byTestId(page, 'pause').click();
      const { clicked, changed: at } = await changed;
      assert.ok(clicked !== null, 'the click was not seen');
      took.push(at - clicked);
      await waitForState(page, 'paused', LONG);   // the worker stopped too
    }
    const sorted = [...took].sort((a, b) => a - b);
    console.log(`Pause at ${THROTTLE}x: click to change ${sorted.map(Math.round).join(', ')} ms`);
    // The median of 5: one click that waited behind another process's time slice does not decide.
    assert.ok(sorted[2] < 100, `median ${Math.round(sorted[2])} ms from click to change`);
    checkNoErrors(errors);
    await context.close();
  });
