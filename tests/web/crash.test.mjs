// Browser end-to-end test of a crashed training worker (main.js's workerDied, the worker's crash()):
// an uncaught trap in the worker and a trap the worker catches itself. Each time the page says what
// happened, starts a new worker by itself (no reload), keeps the drawing, the settings and the
// charts, and offers the last autosave, which resumes and trains on; or starts fresh. The crash is
// made from the test through Playwright's handle on the worker: the page has no switch for it.
/* global failed -- worker.js's own function, called by a function run inside the worker */
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  siteAndBrowser, openPage, byTestId, waitForValue, numberValue, waitForState, screenshot, pauseWhen,
} from './browser.mjs';

const LONG = 120_000;
const env = siteAndBrowser();
const RUN = '#sizes=784,30,10&eta=3&batch=10&epochs=3&seed=1';

// A digit on the draw pad, stroke by stroke with the mouse.
async function drawOne(page) {
  const pad = page.locator('#draw');
  await pad.scrollIntoViewIfNeeded();
  const box = await pad.boundingBox();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.8, { steps: 12 });
  await page.mouse.up();
}
const processedInk = page => page.locator('#processed').evaluate(c => {
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let ink = 0;
  for (let i = 0; i < d.length; i += 4) ink += d[i] + d[i + 1] + d[i + 2] < 600 ? 1 : 0;
  return ink;
});
const chartPoints = page => page.evaluate(() => document.querySelectorAll('#accuracy-chart canvas').length);

// Trains an epoch or more, pauses, waits until the autosave holds the paused run, and hands back
// the worker's handle and the epochs saved (1, or 2 if the Pause lands after the next epoch).
// An epoch is a fraction of a second here: the page itself clicks Pause in the frame that shows
// epoch 1, since a round trip to the test can let all 3 epochs end first (the run done, Pause off).
async function trainOneEpoch(page, hash = RUN) {
  await page.goto(env.site.url + hash);
  await waitForState(page, 'ready', LONG);
  await pauseWhen(page, 'epoch', 1);
  await byTestId(page, 'start').click();
  await waitForState(page, 'paused', LONG);
  assert.ok(await numberValue(page, 'epoch') >= 1, 'paused before the first epoch ended');
  await page.waitForFunction(() => {   // the pause's own checkpoint stored: its epoch and mini-batch
    const saved = document.querySelector('[data-testid="autosave"]').dataset;
    const shown = document.querySelector('[data-testid="batch"]').textContent.match(/mini-batch ([\d,]+)/);
    return saved.state === 'saved' && shown && Number(saved.value) ===
      Number(document.querySelector('[data-testid="epoch"]').dataset.value) &&
      Number(saved.batch) === Number(shown[1].replace(/,/g, ''));
  }, null, { timeout: LONG, polling: 100 });
  const workers = page.workers();
  assert.equal(workers.length, 1, 'one worker');
  return { worker: workers[0], saved: await numberValue(page, 'autosave') };
}

test('an uncaught trap: the page says so, a new worker comes, the autosave resumes, nothing is lost', { timeout: 4 * LONG }, async () => {
  const { context, page, errors } = await openPage(env.browser);
  const { worker, saved } = await trainOneEpoch(page);
  const epoch1 = await byTestId(page, 'test-accuracy').getAttribute('data-value');
  await drawOne(page);
  const ink = await processedInk(page);
  assert.ok(ink > 10, 'the pad shows the drawn digit');
  const hash = await page.evaluate(() => location.hash);

  const reborn = page.waitForEvent('worker', { timeout: LONG });
  await worker.evaluate(() => setTimeout(() => {
    throw new WebAssembly.RuntimeError('memory access out of bounds (made by a test)');
  }));
  await reborn;   // a new worker, started by the page itself
  const session = byTestId(page, 'session');
  await session.waitFor({ state: 'visible', timeout: LONG });
  const text = await byTestId(page, 'session-text').textContent();
  assert.match(text, /memory access out of bounds/, text);
  assert.match(text, new RegExp(`epoch ${saved}\\b`), text);
  await waitForState(page, 'crashed', LONG);   // the new worker has the data: waiting for a choice
  await screenshot(page, 'crashed-worker.png', { fullPage: false });
  // Nothing else lost: the drawing, the settings in the address bar, the charts and the epoch count.
  assert.equal(await processedInk(page), ink);
  assert.equal(await page.evaluate(() => location.hash), hash);
  assert.equal(await numberValue(page, 'epoch'), saved);
  assert.equal(await byTestId(page, 'test-accuracy').getAttribute('data-value'), epoch1);
  assert.ok(await chartPoints(page) > 0);

  await byTestId(page, 'resume').click();
  await waitForState(page, 'paused', LONG);   // paused where the autosave stood
  assert.equal(await numberValue(page, 'epoch'), saved);
  assert.equal(await byTestId(page, 'test-accuracy').getAttribute('data-value'), epoch1);
  await byTestId(page, 'resume').waitFor({ state: 'hidden', timeout: LONG });   // the offer is taken
  await byTestId(page, 'start').click();
  await waitForState(page, 'done', 3 * LONG);
  assert.equal(await numberValue(page, 'epoch'), 3);
  // The uncaught error is the worker's own report; nothing on the page failed.
  assert.deepEqual(errors.filter(e => !/made by a test/.test(e)), []);
  await context.close();
});

test('a trap the worker catches ends that worker cleanly; Start fresh builds a new network', { timeout: 3 * LONG }, async () => {
  const { context, page, errors } = await openPage(env.browser);
  // 30 epochs: the run is still training when the test, a round trip later, sees it running.
  const { worker } = await trainOneEpoch(page, RUN.replace('epochs=3', 'epochs=30'));
  await byTestId(page, 'start').click();
  await waitForState(page, 'running', LONG);
  const reborn = page.waitForEvent('worker', { timeout: LONG });
  // What the worker does with a trap from the module in the middle of training.
  await worker.evaluate(() => failed(new WebAssembly.RuntimeError('unreachable (made by a test)')));
  await reborn;
  await byTestId(page, 'session').waitFor({ state: 'visible', timeout: LONG });
  assert.match(await byTestId(page, 'session-text').textContent(), /unreachable \(made by a test\)/);
  await waitForState(page, 'crashed', LONG);
  await byTestId(page, 'start-fresh').click();
  await waitForState(page, 'ready', LONG);
  assert.equal(await numberValue(page, 'epoch'), 0);
  await byTestId(page, 'start').click();
  await waitForValue(page, 'batch', 50, LONG);   // the new worker trains
  assert.deepEqual(errors.filter(e => !/made by a test/.test(e)), []);
  await context.close();
});
