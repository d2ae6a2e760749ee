// A slow laptop, as Chromium's CPU throttling at 4x makes one (CDP Emulation.setCPUThrottlingRate):
// while [784,30,10] trains, a click on Pause changes the button within 100 ms (median of 5).
//
// Not here: the bound of 50 ms on every main-thread task at 4x. A task's time at 4x scales with
// the machine's own speed, so a fixed bound passes on one machine and fails on a slower CI
// runner (the most here: 30-43 ms of CPU); a calibration against a fixed piece of work in the
// page was not stable (5 to 108 ms of CPU for the same work). The bench measures it on a quiet
// machine: `node tests/web/bench.mjs tasks` (./build.sh bench).
import test from 'node:test';
import assert from 'node:assert/strict';
import { siteAndBrowser, openPage, checkNoErrors, byTestId, waitForValue, waitForState } from './browser.mjs';

const LONG = 120_000;
const THROTTLE = 4;
const env = siteAndBrowser();

async function throttled(hash) {
  const opened = await openPage(env.browser);
  const cdp = await opened.context.newCDPSession(opened.page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE });
  await opened.page.goto(env.site.url + hash);
  await waitForState(opened.page, 'ready', LONG);
  return opened;
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

// When a run stops, the parts below the fold are drawn after it, each in a frame of its own (the
// matrix and the gallery together with the status and the charts made one task of 50-60 ms at 4x):
// the frame of each change is told by document.timeline's time, the same for all of one frame's
// work. At this window's size the matrix and the gallery are below the fold.
test('once a run stops, the matrix and the gallery off screen are drawn each in a frame of its own, after the status',
  { timeout: 2 * LONG }, async () => {
    const { context, page, errors } = await openPage(env.browser);
    await page.addInitScript(() => {
      const log = window.framesOf = [];
      document.addEventListener('DOMContentLoaded', () => {
        const status = document.querySelector('[data-testid="status"]');
        const watch = (what, node, options) => new MutationObserver(() => {
          log.push({ what, frame: document.timeline.currentTime, state: status.dataset.state });
        }).observe(node, { subtree: true, childList: true, characterData: true, attributes: true, ...options });
        watch('status', status, { attributeFilter: ['data-state'] });
        watch('matrix', document.querySelector('.confusion-panel'));
        watch('gallery', document.getElementById('gallery-panel'));
      });
    });
    await page.goto(env.site.url + '#sizes=784,30,10&epochs=2&autostart=1');   // autostarted: no click
    await waitForState(page, 'done', LONG);
    await page.waitForFunction(() => document.getElementById('gallery-items').dataset.state === 'complete',
      null, { timeout: LONG });
    const below = await page.evaluate(() => ['.confusion-panel', '#gallery-panel']
      .every(s => document.querySelector(s).getBoundingClientRect().top > innerHeight));
    assert.ok(below, 'the matrix and the gallery are below the fold');
    const log = await page.evaluate(() => window.framesOf);
    const done = log.find(e => e.what === 'status' && e.state === 'done');
    assert.ok(done, 'the status changed to done');
    const first = what => log.find(e => e.what === what && e.frame >= done.frame);
    const matrix = first('matrix'), gallery = first('gallery');
    assert.ok(matrix && gallery, 'the matrix and the gallery were drawn after the run');
    assert.ok(matrix.frame > done.frame, 'the matrix waits for a frame after the status');
    assert.ok(gallery.frame > done.frame, 'the gallery waits for a frame after the status');
    assert.notEqual(matrix.frame, gallery.frame, 'the matrix and the gallery in frames of their own');
    checkNoErrors(errors);
    await context.close();
  });
