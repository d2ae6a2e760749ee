// Browser end-to-end tests of the run history (views/history/, storage/runs.js): a trained run is
// listed and survives a reload; two runs overlaid draw two more series on each chart (their
// values in the legend); rename survives a reload; delete and clear (with its inline confirm);
// CSV and JSON downloads hold the runs; a corrupt entry in IndexedDB is skipped with a message
// while the page works; a storage failure is said in the panel; runs.js's own contract. Not the
// sweep's runs (sweep.test.mjs) nor the pure parts (runs_store.test.mjs).
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { siteAndBrowser, openPage, openReady, checkNoErrors, byTestId, waitForState, numberValue, SCREENSHOTS } from './browser.mjs';

const LONG = 60_000;
const env = siteAndBrowser();
// A small network: one epoch is a second or two in the page.
const RUN = '#sizes=784,10,10&eta=3&batch=10&epochs=1&seed=1';

const open = (hash, setup) => openReady(env, hash, LONG, setup);

// Resolves once the list has read the stored runs and holds `n` of them.
const waitForRuns = (page, n) => page.waitForFunction(n => {
  const list = document.querySelector('[data-testid="runs"]');
  return Number(list.dataset.value) === n && list.children.length === n;
}, n, { timeout: LONG, polling: 50 });

async function trainOneEpoch(page, runsAfter) {
  await byTestId(page, 'start').click();
  await waitForState(page, 'done', LONG);
  await waitForRuns(page, runsAfter);
}

// The records as the page's own storage module reads them.
const stored = page => page.evaluate(async () => {
  const { listRuns } = await import(new URL('storage/runs.js', location.href).href);
  return listRuns();
});

const item = (page, id) => page.locator(`[data-testid="run-item"][data-run-id="${id}"]`);
const legendRows = (page, chart) => page.locator(`#${chart}-chart .u-legend .u-series`);

async function downloaded(page, button) {
  const [file] = await Promise.all([page.waitForEvent('download'), byTestId(page, button).click()]);
  return { name: file.suggestedFilename(), text: fs.readFileSync(await file.path(), 'utf8') };
}

test('runs are kept across reloads, overlaid, renamed, exported, deleted and cleared', { timeout: 4 * LONG }, async () => {
  const { context, page, errors } = await open(RUN);
  assert.equal(await numberValue(page, 'runs'), 0);
  await trainOneEpoch(page, 1);
  const [first] = (await stored(page)).runs;
  assert.equal(first.label, '[784,10,10] eta 3 seed 1');
  assert.equal(first.epochs.length, 1);
  assert.ok(first.done && first.wallSeconds > 0, `done ${first.done}, ${first.wallSeconds} s`);
  const epochShown = await byTestId(page, 'epoch').getAttribute('data-value');
  assert.equal(epochShown, '1');
  const row = item(page, first.id);
  assert.equal(await row.locator('.run-current').isVisible(), true, 'the current run is not marked');
  const accuracy = `${(100 * first.best.accuracy).toFixed(2)}%`;
  assert.match(await row.textContent(), new RegExp(`\\[784,10,10\\] eta 3 seed 1.*best ${accuracy.replace('.', '\\.')} ` +
    'at epoch 1 · 1 epoch · \\d+ s · done'));

  await page.reload();
  await waitForRuns(page, 1);
  assert.equal(await item(page, first.id).count(), 1, 'the run is gone after a reload');

  // A second run (another seed), trained: two runs, the new one current.
  await page.evaluate(() => { location.hash = location.hash.replace('seed=1', 'seed=2'); });
  await waitForState(page, 'ready', LONG);
  await trainOneEpoch(page, 2);
  const second = (await stored(page)).runs.find(r => r.id !== first.id);
  assert.equal(second.label, '[784,10,10] eta 3 seed 2');
  assert.equal(await item(page, first.id).locator('.run-current').isVisible(), false);
  assert.equal(await item(page, second.id).locator('.run-current').isVisible(), true);

  // Both overlaid: two more series on each chart, in the runs' colours, with their values.
  assert.equal(await legendRows(page, 'accuracy').count(), 4);   // epoch, test, validation, book
  assert.equal(await legendRows(page, 'cost').count(), 2);
  for (const r of [first, second]) await item(page, r.id).locator('[data-testid="overlay"]').check();
  await page.waitForFunction(() => document.querySelectorAll('#accuracy-chart .u-legend .u-series').length === 6);
  assert.equal(await legendRows(page, 'cost').count(), 4);
  const overlayLegend = await page.$$eval('#accuracy-chart .u-legend .u-series', rows => rows.slice(4).map(r => ({
    label: r.querySelector('.u-label').textContent, value: r.querySelector('.u-value').textContent,
    color: r.querySelector('.u-marker').style.borderColor })));
  assert.deepEqual(overlayLegend.map(o => [o.label, o.value]), [first, second].map(r =>
    [r.label, `${(100 * r.epochs[0].testAccuracy).toFixed(2)}%`]));
  assert.notEqual(overlayLegend[0].color, overlayLegend[1].color);
  const swatch = await item(page, first.id).locator('.run-swatch').evaluate(s => s.style.backgroundColor);
  assert.equal(swatch, overlayLegend[0].color, 'the list and the chart colour a run differently');
  const costValues = await page.$$eval('#cost-chart .u-legend .u-series .u-value', v => v.slice(2).map(x => x.textContent));
  assert.deepEqual(costValues, [first, second].map(r => r.epochs[0].trainCost.toPrecision(4)));
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  for (const panel of ['accuracy', 'cost', 'history']) {
    await page.locator(`.${panel}-panel`).screenshot({ path: path.join(SCREENSHOTS, `history-overlay-${panel}.png`) });
  }
  // Unticked: the series go.
  await item(page, second.id).locator('[data-testid="overlay"]').uncheck();
  await page.waitForFunction(() => document.querySelectorAll('#accuracy-chart .u-legend .u-series').length === 5);

  // Renamed by keyboard (Enter), and Escape keeps a name: both as they were after a reload.
  await item(page, first.id).locator('.run-rename').click();
  await page.keyboard.type('baseline, seed 1');
  await page.keyboard.press('Enter');
  await item(page, second.id).locator('.run-rename').focus();
  await page.keyboard.press('Enter');
  await page.keyboard.type('never');
  await page.keyboard.press('Escape');
  assert.equal(await item(page, first.id).locator('.run-name').textContent(), 'baseline, seed 1');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'run-rename', 'the focus is lost');
  await page.waitForFunction(() => [...document.querySelectorAll('#accuracy-chart .u-legend .u-label')]
    .some(l => l.textContent === 'baseline, seed 1'));   // the overlay's legend says the name too
  await page.reload();
  await waitForRuns(page, 2);
  assert.equal(await item(page, first.id).locator('.run-name').textContent(), 'baseline, seed 1');
  assert.equal(await item(page, second.id).locator('.run-name').textContent(), second.label);

  // The exports: every epoch of every run, the names included.
  const csv = await downloaded(page, 'history-export-csv');
  assert.match(csv.name, /^backprop-lab-runs-\d{4}-\d\d-\d\d\.csv$/);
  const lines = csv.text.trimEnd().split('\r\n');
  assert.equal(lines.length, 3);
  assert.match(lines[0], /^id,name,label,source,dataset,sizes,.*,seed,epoch,test_accuracy,validation_accuracy,/);
  assert.ok(lines[1].startsWith(`${first.id},"baseline, seed 1","[784,10,10] eta 3 seed 1",page,mnist,"784,10,10",`), lines[1]);
  assert.ok(lines[2].startsWith(`${second.id},,"[784,10,10] eta 3 seed 2",page,`), lines[2]);
  assert.ok(lines[1].includes(`,1,${first.epochs[0].testAccuracy},`), 'the epoch and its test accuracy');
  const json = JSON.parse((await downloaded(page, 'history-export-json')).text);
  assert.deepEqual(json.runs.map(r => [r.id, r.name]), [[first.id, 'baseline, seed 1'], [second.id, null]]);
  assert.deepEqual(json.runs[1].epochs, second.epochs);

  // Delete one; Clear asks first (No keeps them), then clears.
  await item(page, second.id).locator('.run-delete').click();
  await waitForRuns(page, 1);
  await byTestId(page, 'history-clear').click();
  assert.equal(await page.locator('#history-confirm-text').textContent(), 'Really clear 1 run?');
  await page.locator('#history-clear-no').click();
  assert.equal(await numberValue(page, 'runs'), 1);
  await page.reload();
  await waitForRuns(page, 1);
  await byTestId(page, 'history-clear').click();
  await byTestId(page, 'history-clear-yes').click();
  await waitForRuns(page, 0);
  await page.reload();
  await waitForState(page, 'ready', LONG);
  await page.waitForTimeout(300);
  assert.equal(await numberValue(page, 'runs'), 0);
  assert.deepEqual(await stored(page), { runs: [], skipped: [] });
  checkNoErrors(errors);
  await context.close();
});

// A record as views/history/record.js builds it, in the page (for entries put directly).
const RECORD_IN_PAGE = `async id => {
  const { buildRecord } = await import(new URL('views/history/record.js', location.href).href);
  const config = { dataset: 'mnist', sizes: [784, 30, 10], activation: 'sigmoid', cost: 'quadratic',
    init: 'gaussian', eta: 3, batch: 10, epochs: 30, lambda: 0, seed: 1 };
  const epoch = c => ({ testCorrect: c, testTotal: 10000, testCost: 0.1, validationCorrect: c,
    validationTotal: 10000, validationCost: 0.1, trainCost: 0.1, seconds: 3, confusion: new Array(100).fill(0) });
  return buildRecord({ id, config, epochs: [epoch(9000), epoch(9300)], wallSeconds: 7 }, null, Date.now());
}`;

test('a corrupt entry in IndexedDB is skipped with a message, and the page works on', { timeout: 2 * LONG }, async () => {
  const { context, page, errors } = await open(RUN);
  await waitForRuns(page, 0);
  await page.evaluate(async makeRecord => {
    const record = await (0, eval)(makeRecord)('kept-1');   // eslint-disable-line no-eval
    const { putRun } = await import(new URL('storage/runs.js', location.href).href);
    await putRun(record);
    // Beside it, straight into the store: the same record with its epochs lost.
    const db = await new Promise((resolve, reject) => {
      const r = indexedDB.open('backprop-lab');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    await new Promise((resolve, reject) => {
      const tx = db.transaction('runs', 'readwrite');
      tx.objectStore('runs').put({ ...record, id: 'broken-1', epochs: 'lost' });
      tx.oncomplete = resolve;
      tx.onabort = () => reject(tx.error);
    });
    db.close();
  }, RECORD_IN_PAGE);
  await page.reload();
  await waitForRuns(page, 1);
  const message = page.locator('#history-skipped');
  await message.waitFor({ state: 'visible' });
  assert.equal(await page.locator('#history-skipped-text').textContent(),
    '1 saved run could not be read and was skipped: broken-1 (its epochs are not a list).');
  assert.equal(await item(page, 'kept-1').count(), 1);
  assert.match(await item(page, 'kept-1').textContent(), /best 93\.00% at epoch 2 · 2 epochs · 7 s/);
  // The page works on: a run trains and joins the list; the unreadable entry can be removed.
  await trainOneEpoch(page, 2);
  await page.locator('#history-skipped-remove').click();
  await message.waitFor({ state: 'hidden' });   // once the store has deleted it
  await page.reload();
  await waitForRuns(page, 2);
  assert.equal(await message.isHidden(), true, 'the unreadable entry is still there');
  assert.deepEqual((await stored(page)).skipped, []);
  checkNoErrors(errors);
  await context.close();
});

test('a storage failure is said in the panel, and the run is still listed', { timeout: LONG }, async () => {
  const { context, page, errors } = await open(RUN, c => c.addInitScript(() => {
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function maybeFull(...args) {
      if (this.name === 'runs') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return put.apply(this, args);
    };
  }));
  await trainOneEpoch(page, 1);
  const problem = page.locator('#history-problem');
  await problem.waitFor({ state: 'visible' });
  assert.equal(await problem.textContent(),
    'The run could not be saved to the history: the browser\'s storage for this site is full.');
  assert.equal(await numberValue(page, 'epoch'), 1);
  checkNoErrors(errors);
  await context.close();
});

// --- runs.js itself, on a page of the site that is not the lab ---------------------------------
test('runs.js: the upgrade keeps the autosave, puts coalesce and keep names, errors are readable', { timeout: LONG }, async () => {
  const { context, page, errors } = await openPage(env.browser);
  await page.route('**/favicon.ico', route => route.fulfill({ status: 204 }));
  await page.goto(env.site.url + 'protocol.js');
  const result = await page.evaluate(async makeRecord => {
    const record = (0, eval)(makeRecord);   // eslint-disable-line no-eval
    const out = {};
    // The database of the lab before the history (version 1, the autosave only), with a saved run.
    await new Promise((resolve, reject) => {
      const r = indexedDB.open('backprop-lab', 1);
      r.onupgradeneeded = () => r.result.createObjectStore('autosave');
      r.onsuccess = () => {
        const tx = r.result.transaction('autosave', 'readwrite');
        tx.objectStore('autosave').put({ schema: 1, checkpoint: new Uint8Array([7]), epoch: 4 }, 'current');
        tx.oncomplete = () => { r.result.close(); resolve(); };
      };
      r.onerror = () => reject(r.error);
    });
    const runs = await import(new URL('storage/runs.js', location.href).href);
    const autosave = await import(new URL('storage/autosave.js', location.href).href);
    out.listed = await runs.listRuns();
    out.autosave = (await autosave.loadRun()).epoch;
    const put = IDBObjectStore.prototype.put;
    let puts = 0;
    IDBObjectStore.prototype.put = function counted(...args) {
      puts++;
      return put.apply(this, args);
    };
    const a = await record('a');
    // Puts of one run made together: one write, of the last.
    out.together = (await Promise.all([1, 2, 3].map(t => runs.putRun({ ...a, updatedAt: t })))).map(r => r.updatedAt);
    out.puts = puts;
    // A rename holds against a record built before it (name null).
    await runs.renameRun('a', 'mine');
    await runs.putRun({ ...a, updatedAt: 4 });
    const [stored] = (await runs.listRuns()).runs;
    out.kept = [stored.name, stored.updatedAt];
    out.missing = await runs.renameRun('nope', 'x').catch(e => `${e.name}: ${e.message}`);
    out.invalid = await runs.putRun({ ...a, epochs: null }).catch(e => `${e.name}: ${e.message}`);
    // A delete drops a put still waiting; clear empties the store, the autosave stays.
    const b = await record('b');
    const dropped = runs.putRun(b);
    await runs.deleteRun('b');
    out.dropped = await dropped;
    await runs.putRun(b);
    out.before = (await runs.listRuns()).runs.map(r => r.id);
    await runs.clearRuns();
    out.cleared = (await runs.listRuns()).runs.length;
    out.autosaveAfter = (await autosave.loadRun()).epoch;
    IDBObjectStore.prototype.put = () => { throw new DOMException('quota', 'QuotaExceededError'); };
    out.quota = await runs.putRun(a).catch(e => `${e.name}: ${e.message}`);
    IDBObjectStore.prototype.put = put;
    return out;
  }, RECORD_IN_PAGE);
  assert.deepEqual(result, {
    listed: { runs: [], skipped: [] }, autosave: 4, together: [3, 3, 3], puts: 1, kept: ['mine', 4],
    missing: 'StorageError: The run could not be renamed: it is no longer in the history.',
    invalid: 'StorageError: The run could not be saved: its epochs are not a list.',
    dropped: null, before: ['a', 'b'], cleared: 0, autosaveAfter: 4,
    quota: 'StorageError: The run could not be saved to the history: the browser\'s storage for this site is full.',
  });
  checkNoErrors(errors);
  await context.close();
});
