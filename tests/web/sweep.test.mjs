// Browser end-to-end tests of the sweeps (views/sweep/): with navigator.hardwareConcurrency forced
// to 3, the eta sweep trains two configs at the same time in two workers (counted by wrapping
// window.Worker) and queues the other three, which the same two workers then take; every row ends
// with its figures from the workers' EPOCHs (η = 100 near 10%), kept in the run history and
// overlaid. Pause ends the sweep's workers and Resume continues a run mid-epoch to the same figure
// as an uninterrupted run; a link with sweep=hidden shows the sweep ready (autostart=1: running);
// the main run's Start and Close leave a sweep. Bad input: data that cannot be fetched, a full
// storage quota. Not plan.js's configs (sweep_plan.test.mjs).
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  siteAndBrowser, openPage, checkNoErrors, byTestId, waitForState, screenshot, numberValue,
} from './browser.mjs';

const LONG = 80_000;
const env = siteAndBrowser();
// One epoch of m = 10: the sweep's own settings (eta, sizes, ...) go over these.
const BASE = '#sizes=784,30,10&eta=3&batch=10&epochs=1&seed=1';

// Before any page script: 3 cores (2 sweep workers at once), a count of live workers (made minus
// terminated) and the most at once, and the longest main-thread task since `longest` was reset.
function instrument(context) {
  return context.addInitScript(() => {
    Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => 3 });
    const count = window.__workers = { made: 0, ended: 0, live: 0, max: 0 };
    const Real = window.Worker;
    window.Worker = class extends Real {
      constructor(...args) {
        super(...args);
        count.made++;
        count.live++;
        count.max = Math.max(count.max, count.live);
      }
      terminate() {
        if (!this.ended) {
          this.ended = true;
          count.ended++;
          count.live--;
        }
        super.terminate();
      }
    };
    window.__longest = 0;
    new PerformanceObserver(list => {
      for (const e of list.getEntries()) window.__longest = Math.max(window.__longest, e.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
}

async function open(hash, { ready = true } = {}) {
  const opened = await openPage(env.browser, instrument);
  await opened.page.goto(env.site.url + hash);
  if (ready) await waitForState(opened.page, 'ready', LONG);
  return opened;
}

// Each row's test hooks, in the table's order.
const rows = page => page.$$eval('[data-testid="sweep-row"]', trs => trs.map(tr => ({
  key: tr.dataset.key, state: tr.dataset.state, epochs: Number(tr.dataset.epochs),
  best: tr.dataset.best === '' ? null : Number(tr.dataset.best), batch: Number(tr.dataset.batch),
  text: tr.textContent,
})));
const workers = page => page.evaluate(() => ({ ...window.__workers }));
const waitFor = (page, fn, arg) => page.waitForFunction(fn, arg, { timeout: LONG, polling: 'raf' });

// Every row in `state`; and the live workers back to `live`.
async function waitAllRows(page, state) {
  try {
    await waitFor(page, state => {
      const trs = [...document.querySelectorAll('[data-testid="sweep-row"]')];
      return trs.length > 0 && trs.every(tr => tr.dataset.state === state);
    }, state);
  } catch (e) {
    const now = await rows(page).catch(() => []);
    throw new Error(`not every row ${state}: ${now.map(r => `${r.key} ${r.state}: ${r.text}`).join('; ')}`,
      { cause: e });
  }
}
async function waitLive(page, live) {
  try {
    await waitFor(page, live => window.__workers.live === live, live);
  } catch (e) {
    throw new Error(`not ${live} live workers: ${JSON.stringify(await workers(page).catch(() => null))}`,
      { cause: e });
  }
}

test('the eta sweep trains two configs at a time in two workers and queues the rest', async () => {
  const { context, page, errors } = await open(BASE);
  assert.equal((await workers(page)).live, 1, 'the main run\'s worker');
  // Every change of the rows' states as it happens, with the live workers then: a one-epoch run
  // can end before the other worker has its data, so a poll could miss the two at once.
  await page.evaluate(() => {
    window.__states = [];
    new MutationObserver(() => {
      const states = [...document.querySelectorAll('[data-testid="sweep-row"]')].map(tr => tr.dataset.state);
      window.__states.push({ states, live: window.__workers.live,
        table: document.querySelector('[data-testid="sweep-table"]').dataset.workers });
    }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-state', 'data-workers'] });
  });
  await byTestId(page, 'sweep').filter({ hasText: 'Learning rate' }).click();
  assert.match(page.url(), /[#&]sweep=eta(&|$)/, 'the link carries the sweep');

  // Two rows under way (starting or training) in two sweep workers (plus the main one), three
  // queued: at one moment.
  const active = s => s === 'starting' || s === 'training';
  const seen = await waitFor(page, () => window.__states.find(({ states, live }) =>
    states.length === 5 && states.filter(s => s === 'starting' || s === 'training').length === 2 &&
    states.filter(s => s === 'queued').length === 3 && live === 3));
  const { states, table } = await seen.jsonValue();
  assert.ok(active(states[0]) && active(states[1]), `the first two configs run first: ${states}`);
  assert.deepEqual(states.slice(2), ['queued', 'queued', 'queued']);
  assert.equal(table, '2');
  const together = await page.evaluate(() => window.__states.some(({ states }) =>
    states.filter(s => s === 'training').length === 2));
  console.log(`sweep: two rows training at the same moment: ${together}`);
  await page.evaluate(() => { window.__longest = 0; });
  await waitFor(page, () => [...document.querySelectorAll('[data-testid="sweep-row"]')]
    .some(tr => Number(tr.dataset.batch) > 2000));
  const longest = await page.evaluate(() => window.__longest);
  console.log(`sweep: longest main-thread task while two sweep workers train: ${longest.toFixed(0)} ms ` +
    '(0: none over 50 ms)');
  await screenshot(page, 'sweep-eta-running.png');

  await waitAllRows(page, 'done');
  await waitLive(page, 1);
  const end = await rows(page);
  const count = await workers(page);
  assert.equal(count.max, 3, 'never more than two sweep workers with the main one');
  assert.equal(count.made, 3, 'the two sweep workers took the three queued configs themselves');
  for (const r of end) {
    assert.equal(r.epochs, 1, r.key);
    assert.ok(r.best > 0 && r.best <= 1, `${r.key}: ${r.best}`);
    assert.match(r.text, /1 of 1/);
  }
  const [slow, , , eta3, eta100] = end;
  assert.ok(eta3.best > 0.85, `η = 3 learns in one epoch: ${eta3.best}`);
  assert.ok(eta100.best > 0.05 && eta100.best < 0.2, `η = 100 fails, near 10%: ${eta100.best}`);
  assert.ok(slow.best < eta3.best, 'η = 0.001 creeps');
  assert.match(eta3.text, /95\.42%/);
  assert.match(eta100.text, /fails to learn/);
  assert.equal(await page.locator('#sweep-table').getAttribute('data-state'), 'done');
  console.log(`sweep: eta sweep, one epoch each: ${end.map(r => `${r.key} ${(100 * r.best).toFixed(2)}%`).join(', ')}; ` +
    `wall: ${await page.locator('#sweep-wall').getAttribute('data-seconds')} s`);

  // Each run kept in the run history, overlaid, with the history's colour beside its row.
  const ids = await page.$$eval('[data-testid="sweep-row"]', trs => trs.map(tr => tr.dataset.runId));
  await waitFor(page, ids => ids.every(id => {
    const item = document.querySelector(`[data-testid="run-item"][data-run-id="${id}"]`);
    const box = item && item.querySelector('[data-testid="overlay"]');
    return box && box.checked;
  }), ids);
  assert.ok(await numberValue(page, 'runs') >= 5);
  const swatches = await page.$$eval('[data-testid="sweep-row"] .sweep-swatch',
    spans => spans.map(s => !s.hidden && s.style.backgroundColor !== ''));
  assert.deepEqual(swatches, [true, true, true, true, true]);
  await screenshot(page, 'sweep-eta-done.png');
  checkNoErrors(errors);
  await context.close();
});

// Mini-batches of 1 and two epochs: long enough (100,000 steps) for the Pause to land inside the
// first run even when the second's worker is slow to load its data (a fresh clone's run saw the
// first finish its single epoch of 50,000 before the second trained).
const SLOW_BASE = BASE.replace('batch=10', 'batch=1').replace('epochs=1', 'epochs=2');

test('pausing a sweep ends its workers; Resume continues each run mid-epoch, exactly', async () => {
  const { context, page, errors } = await open(SLOW_BASE);
  await byTestId(page, 'sweep').filter({ hasText: 'Hidden neurons' }).click();
  // Both runs under way (the second worker may load its data later on a busy machine).
  await waitFor(page, () => {
    const [first, second] = document.querySelectorAll('[data-testid="sweep-row"]');
    return first.dataset.state === 'training' && Number(first.dataset.batch) > 1000 &&
      second.dataset.state === 'training' && Number(second.dataset.batch) > 0;
  });
  await byTestId(page, 'sweep-pause').click();
  await waitLive(page, 1);
  await waitFor(page, () => document.querySelector('#sweep-table').dataset.state === 'paused');
  const paused = await rows(page);
  assert.deepEqual(paused.map(r => r.state), ['paused', 'paused']);
  assert.ok(paused[0].batch > 1000 && paused[0].epochs < 2, JSON.stringify(paused[0]));

  // From Resume on, the fewest epochs done and the smallest mini-batch in the epoch it was paused
  // in that the first run shows: a run started afresh shows 0 and 0.
  await page.evaluate(epochs => {
    window.__minBatch = window.__minEpochs = Infinity;
    const watch = () => {
      const tr = document.querySelector('[data-testid="sweep-row"][data-key="hidden-0"]');
      if (tr.dataset.state === 'training') window.__minEpochs = Math.min(window.__minEpochs, Number(tr.dataset.epochs));
      if (tr.dataset.state === 'training' && Number(tr.dataset.epochs) === epochs) {
        window.__minBatch = Math.min(window.__minBatch, Number(tr.dataset.batch));
      }
      if (tr.dataset.state !== 'done') requestAnimationFrame(watch);
    };
    requestAnimationFrame(watch);
  }, paused[0].epochs);
  await byTestId(page, 'sweep-resume').click();
  await waitAllRows(page, 'done');
  await waitLive(page, 1);
  const { minBatch, minEpochs } = await page.evaluate(() => ({ minBatch: window.__minBatch, minEpochs: window.__minEpochs }));
  assert.ok(minEpochs >= paused[0].epochs && minBatch >= paused[0].batch,
    `resumed at epoch ${minEpochs}, mini-batch ${minBatch}; paused at ${paused[0].epochs}, ${paused[0].batch}`);
  const [thirty, hundred] = await rows(page);
  assert.ok(hundred.best > 0 && hundred.epochs === 2);

  // The first run's config is the page's own (SLOW_BASE): the main run, never paused, is the reference.
  await byTestId(page, 'start').click();
  await waitForState(page, 'done', LONG);
  const reference = Number(await byTestId(page, 'test-accuracy').getAttribute('data-value'));
  assert.equal(thirty.best, reference, 'paused and resumed: the same test accuracy as without a pause');
  console.log(`sweep: paused at mini-batch ${paused[0].batch} and resumed: ${thirty.best}, never paused: ${reference}`);
  checkNoErrors(errors);
  await context.close();
});

test('a link with sweep=hidden shows it ready; the main run\'s Start, then Close, leave it', async () => {
  const { context, page, errors } = await open(`${BASE}&sweep=hidden`);
  assert.equal(await page.locator('#sweep-current').isVisible(), true);
  assert.deepEqual((await rows(page)).map(r => r.state), ['queued', 'queued']);
  assert.equal(await byTestId(page, 'sweep-run').isVisible(), true);
  assert.equal((await workers(page)).live, 1, 'a link alone starts no sweep worker');

  await byTestId(page, 'sweep-run').click();
  await waitLive(page, 3);
  // The main run's epoch can end between two polls: the page pauses it itself once it runs.
  await page.evaluate(() => {
    const status = document.querySelector('[data-testid="status"]');
    new MutationObserver((_, observer) => {
      if (status.dataset.state !== 'running') return;
      observer.disconnect();
      document.querySelector('[data-testid="pause"]').click();
    }).observe(status, { attributes: true, attributeFilter: ['data-state'] });
  });
  await byTestId(page, 'start').click();   // the main run: the sweep is left (paused)
  await waitFor(page, () => document.querySelector('#sweep-table').dataset.state === 'paused');
  await waitLive(page, 1);
  await waitForState(page, 'paused', LONG);

  await byTestId(page, 'sweep-resume').click();
  await waitLive(page, 3);
  await waitForState(page, 'paused', LONG);   // resuming the sweep paused the main run
  await byTestId(page, 'sweep-close').click();
  await waitLive(page, 1);
  assert.equal(await page.locator('#sweep-current').isVisible(), false);
  assert.equal(await page.evaluate(() => new URLSearchParams(location.hash.slice(1)).has('sweep')), false);
  checkNoErrors(errors);
  await context.close();
});

test('a link with sweep=hidden&autostart=1 starts the sweep, not the main run', async () => {
  const { context, page, errors } = await open(`${BASE}&sweep=hidden&autostart=1`, { ready: false });
  await waitLive(page, 3);
  await waitFor(page, () => [...document.querySelectorAll('[data-testid="sweep-row"]')]
    .some(tr => tr.dataset.state === 'training' && Number(tr.dataset.batch) > 500));
  assert.equal(await page.locator('#sweep-table').getAttribute('data-state'), 'running');
  // The main run: not started, or its own autostart paused by the sweep.
  await waitFor(page, () => ['ready', 'paused'].includes(document.querySelector('[data-testid="status"]').dataset.state));
  assert.equal(await page.locator('#sweep-table').getAttribute('data-state'), 'running');
  await byTestId(page, 'sweep-close').click();
  await waitLive(page, 1);
  checkNoErrors(errors);
  await context.close();
});

// --- bad input ------------------------------------------------------------------------------------
test('data that cannot be fetched: the sweep says so and pauses, its runs kept queued', async () => {
  const { context, page, errors } = await open(`${BASE}&data=nowhere/`, { ready: false });
  await byTestId(page, 'sweep').filter({ hasText: 'Hidden neurons' }).click();
  const message = page.locator('#sweep-message');
  await message.waitFor({ state: 'visible', timeout: LONG });
  assert.match(await message.textContent(),
    /^The data could not be loaded: [a-z0-9-]+-ubyte\.gz: download failed \(HTTP 404\)\. The sweep is paused: Resume tries again\.$/);
  await waitFor(page, () => document.querySelector('#sweep-table').dataset.state === 'paused');
  await waitLive(page, 1);
  assert.deepEqual((await rows(page)).map(r => r.state), ['queued', 'queued']);
  assert.equal(await byTestId(page, 'sweep-resume').isVisible(), true, 'Resume tries again');
  // The failed downloads are logged by the browser (404s): nothing else may be.
  checkNoErrors(errors.filter(e => !/404|Failed to load resource/.test(e)));
  await context.close();
});

test('a full storage quota: said once, and the sweep goes on to the end', async () => {
  const { context, page, errors } = await openPage(env.browser, async c => {
    await instrument(c);
    await c.addInitScript(() => {
      IDBObjectStore.prototype.put = function put() {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      };
    });
  });
  await page.goto(env.site.url + BASE);
  await waitForState(page, 'ready', LONG);
  await byTestId(page, 'sweep').filter({ hasText: 'Hidden neurons' }).click();
  const message = page.locator('#sweep-message');
  await message.waitFor({ state: 'visible', timeout: LONG });
  assert.match(await message.textContent(), /^The run history could not keep this sweep's runs .*full.*the sweep goes on\.$/);
  await waitAllRows(page, 'done');
  assert.ok((await rows(page)).every(r => r.best > 0), 'the figures are shown all the same');
  checkNoErrors(errors);
  await context.close();
});
