// Browser end-to-end tests of the autosave and the resume offer (storage/autosave.js,
// views/session/): 3 epochs with a reload after epoch 1 (and with one mid-epoch) then Resume give
// the same per-epoch test counts and the same saved model file as 3 uninterrupted epochs; Start
// fresh discards the saved run; a new run's first epoch replaces it; a storage failure (no
// IndexedDB, a full quota) is said once while training goes on; and autosave.js's own contract
// (coalesced writes, clear, its messages). Not saving and loading files (files.test.mjs).
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import {
  siteAndBrowser, openPage, openReady, checkNoErrors, byTestId, waitForState, waitForValue, numberValue, screenshot,
} from './browser.mjs';
import { ago, offerText, crashText } from '../../web/views/session/words.js';

const LONG = 90_000;
const env = siteAndBrowser();
// Nielsen's network with m = 10, three epochs: a few seconds in the page.
// [784,100,10]: an epoch of 0.4-0.5 s, the room the mid-epoch pause below needs on a busy machine.
const RUN = '#sizes=784,100,10&eta=3&batch=10&epochs=3&seed=1';

test('the offer and the crash notice say what was saved', () => {
  const now = Date.UTC(2025, 0, 1, 12);
  assert.equal(ago(now - 20_000, now), 'just now');
  assert.equal(ago(now - 5 * 60_000 - 10_000, now), '5 minutes ago');
  assert.equal(ago(now - 3600_000, now), '1 hour ago');
  assert.equal(ago(now - 3 * 86400_000, now), '3 days ago');
  const record = { label: '[784,30,10] eta 3 seed 1', config: { epochs: 30 }, epoch: 12, batch: 0,
    done: false, savedAt: now - 5 * 60_000 };
  assert.equal(offerText(record, now),
    'Your last run was saved: [784,30,10] eta 3 seed 1, epoch 12 of 30, saved 5 minutes ago.');
  assert.equal(offerText({ ...record, batch: 1200, loadedFrom: 'a.json' }, now),
    'Your last run was saved: [784,30,10] eta 3 seed 1 (started from a.json), epoch 12 of 30 + 1,200 ' +
    'mini-batches, saved 5 minutes ago.');
  assert.equal(crashText('Aborted(OOM).', record), 'The training worker stopped (Aborted(OOM)). A new one ' +
    'has started; your drawing, settings and charts are kept. Resume from the autosave of epoch 12?');
});

// --- helpers ------------------------------------------------------------------------------------
const open = (hash, setup) => openReady(env, hash, LONG, setup);

// The saved run as the page's own autosave module reads it (a summary), or null.
function savedRun(page) {
  return page.evaluate(async () => {
    const { loadRun } = await import(new URL('storage/autosave.js', location.href).href);
    const r = await loadRun();
    return r && { epoch: r.epoch, batch: r.batch, done: r.done, label: r.label, savedAt: r.savedAt,
      counts: r.epochs.map(e => e.testCorrect), bytes: r.checkpoint.length };
  });
}

// Resolves once the autosave holds a record of at least `epoch` epochs (and, if given, a batch).
function waitForAutosave(page, epoch, { batch = false } = {}) {
  return page.waitForFunction(([epoch, batch]) => {
    const el = document.querySelector('[data-testid="autosave"]');
    return Number(el.dataset.value) >= epoch && (!batch || Number(el.dataset.batch) > 0);
  }, [epoch, batch], { timeout: LONG, polling: 'raf' });
}

// Resolves once the autosave holds where the paused run stands (`perEpoch` mini-batches an epoch).
function waitForPausedSaved(page, perEpoch) {
  return page.waitForFunction(perEpoch => {
    const a = document.querySelector('[data-testid="autosave"]').dataset;
    const trained = Number(document.querySelector('[data-testid="batch"]').dataset.value);
    return document.querySelector('[data-testid="status"]').dataset.state === 'paused' &&
      Number(a.value) * perEpoch + Number(a.batch) === trained;
  }, perEpoch, { timeout: LONG, polling: 'raf' });
}

// Start, an epoch or more of a batch=100 run (500 mini-batches an epoch) autosaved, then Pause,
// and the paused run autosaved too.
async function trainAnEpochAndPause(page) {
  await byTestId(page, 'start').click();
  // Paused as soon as the page shows the first epoch (an epoch here is a fraction of a second: the
  // autosave of epoch 1 may land after the next one), then the pause's own autosave is awaited.
  await waitForValue(page, 'epoch', 1, LONG);
  await byTestId(page, 'pause').click();
  await waitForPausedSaved(page, 500);
}

async function saveBplm(page) {
  await byTestId(page, 'save-model').click();
  const [download] = await Promise.all([page.waitForEvent('download'), byTestId(page, 'save-bplm').click()]);
  return fs.readFileSync(await download.path());
}

// Trains to the end, then: the per-epoch test counts of the saved run and the model file.
async function finish(page) {
  await byTestId(page, 'start').click();
  await waitForState(page, 'done', LONG);
  await waitForAutosave(page, 3);
  const saved = await savedRun(page);
  assert.equal(saved.done, true);
  return { counts: saved.counts, bplm: await saveBplm(page) };
}

const offer = page => byTestId(page, 'session');
const offerWords = page => byTestId(page, 'session-text').textContent();

// --- exact resume -------------------------------------------------------------------------------
test('3 epochs with a reload and Resume give the very run of 3 uninterrupted epochs', { timeout: 6 * LONG }, async (t) => {
  const straight = await open(RUN);
  const whole = await finish(straight.page);
  checkNoErrors(straight.errors);
  await straight.context.close();
  console.log(`exact resume, uninterrupted: test counts per epoch ${whole.counts.join(', ')}`);
  t.diagnostic(`uninterrupted: ${whole.counts.join(', ')}`);
  assert.equal(whole.counts.length, 3);

  // Once reloaded right after epoch 1 was saved, once paused in epoch 2 (mid-epoch) and reloaded.
  for (const midEpoch of [false, true]) {
    const { context, page, errors } = await open(RUN);
    let reloaded = null;
    if (!midEpoch) {
      // Reloaded by the page itself in the frame that shows epoch 1 saved: a round trip to the
      // test first can let the last epochs end (a done run, saved at epoch 3). The old page lives
      // on until the new one commits, and its worker trains meanwhile (CI once saw epochs 2 and 3
      // saved in that time), so from that moment it writes nothing more, as a tab gone then would.
      reloaded = page.waitForEvent('load', { timeout: LONG });
      await page.evaluate(() => {
        const autosave = document.querySelector('[data-testid="autosave"]');
        new MutationObserver((_, observer) => {
          if (!(Number(autosave.dataset.value) >= 1)) return;
          observer.disconnect();
          IDBDatabase.prototype.transaction = () => {
            throw new DOMException('this tab is being reloaded', 'InvalidStateError');
          };
          location.reload();
        }).observe(autosave, { attributes: true, attributeFilter: ['data-value'] });
      });
    }
    await byTestId(page, 'start').click();
    if (midEpoch) {
      // Paused early in epoch 2: the page itself clicks Pause in the frame that shows its 100th
      // mini-batch or a later one, before a round trip to the test lets the epoch end first (CI
      // once saw a main thread busy long enough for the 4,500 mini-batches of [784,30,10] after
      // the 500th to pass: a paused run saved at batch 0).
      await page.evaluate(() => new Promise(resolve => {
        const watch = () => {
          const trained = Number(document.querySelector('[data-testid="batch"]').dataset.value);
          if (trained >= 5100) {
            document.querySelector('[data-testid="pause"]').click();
            resolve();
          } else requestAnimationFrame(watch);
        };
        requestAnimationFrame(watch);
      }));
      await waitForPausedSaved(page, 5000);
      await page.reload();
    } else {
      await reloaded;
    }
    await offer(page).waitFor({ state: 'visible', timeout: LONG });
    const saved = await savedRun(page);
    const words = await offerWords(page);
    t.diagnostic(`${midEpoch ? 'paused and reloaded' : 'reloaded'}: "${words}"`);
    assert.ok(saved.epoch >= 1 && saved.epoch < 3, `saved at epoch ${saved.epoch}`);
    assert.equal(saved.batch > 0, midEpoch, `saved at batch ${saved.batch}`);
    assert.match(words, new RegExp(`^Your last run was saved: \\[784,100,10\\].*, epoch ${saved.epoch} of 3` +
      `${midEpoch ? ' \\+ [\\d,]+ mini-batches' : ''}, saved just now\\.$`));
    assert.deepEqual(saved.counts, whole.counts.slice(0, saved.epoch));
    if (midEpoch) await screenshot(page, 'resume-offer.png', { fullPage: false });

    await byTestId(page, 'resume').click();
    await offer(page).locator('[data-testid="resume"]').waitFor({ state: 'hidden' });
    // The resumed network: its epochs back on the page, Start (now "Resume") trains on.
    await page.waitForFunction(epoch => {
      const start = document.querySelector('[data-testid="start"]');
      return Number(document.querySelector('[data-testid="epoch"]').dataset.value) === epoch && !start.disabled;
    }, saved.epoch, { timeout: LONG });
    assert.equal(await byTestId(page, 'start').textContent(), 'Resume');
    assert.match(page.url(), /sizes=784,100,10&.*eta=3&.*batch=10&.*epochs=3&.*seed=1/);
    const resumed = await finish(page);
    console.log(`exact resume, ${midEpoch ? `paused in epoch ${saved.epoch + 1}` : `reloaded after epoch ` +
      `${saved.epoch}`}: test counts per epoch ${resumed.counts.join(', ')}`);
    t.diagnostic(`interrupted (${midEpoch ? 'mid-epoch' : 'after an epoch'}): ${resumed.counts.join(', ')}`);
    assert.deepEqual(resumed.counts, whole.counts);
    assert.ok(resumed.bplm.equals(whole.bplm), 'the resumed network differs from the uninterrupted one');
    assert.equal(await numberValue(page, 'epoch'), 3);
    checkNoErrors(errors);
    await context.close();
  }
});

test('Start fresh discards the saved run; a new run\'s first epoch replaces it', { timeout: 4 * LONG }, async () => {
  const hash = '#sizes=784,30,10&batch=100&epochs=30&seed=5';
  const { context, page, errors } = await open(hash);
  await trainAnEpochAndPause(page);
  await page.reload();
  await offer(page).waitFor({ state: 'visible', timeout: LONG });
  assert.equal(await byTestId(page, 'autosave').getAttribute('data-state'), 'waiting');
  await screenshot(page, 'resume-offer-start-fresh.png', { fullPage: false });
  await byTestId(page, 'start-fresh').click();
  // The banner goes in the next frame the page draws, which a busy machine can delay.
  await offer(page).waitFor({ state: 'hidden', timeout: LONG });
  assert.equal(await savedRun(page), null, 'the saved run is still there');
  await page.reload();
  await waitForState(page, 'ready', LONG);
  await page.waitForFunction(() => document.querySelector('[data-testid="autosave"]').dataset.state !== 'reading');
  assert.equal(await offer(page).isHidden(), true, 'offered again after Start fresh');

  // A saved run on offer, and the student trains a new one instead: after its first epoch it is
  // the saved run, the offer closes and says so.
  await trainAnEpochAndPause(page);
  await page.reload();
  await offer(page).waitFor({ state: 'visible', timeout: LONG });
  const before = await savedRun(page);
  // While the offer is open, a mini-batch trained by Step is not saved over the saved run.
  await byTestId(page, 'step').click();
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="batch"]').dataset.value) === 1);
  await byTestId(page, 'step').click();
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="batch"]').dataset.value) === 2);
  assert.deepEqual(await savedRun(page), before, 'saved while the offer was open');
  assert.equal(await byTestId(page, 'resume').isVisible(), true);
  await byTestId(page, 'start').click();   // the fresh network, not the saved one
  await page.waitForFunction(() => /^Your new run has trained an epoch/.test(
    document.querySelector('[data-testid="session-text"]').textContent), null, { timeout: LONG });
  assert.equal(await byTestId(page, 'resume').isHidden(), true);
  await waitForAutosave(page, 1);
  const after = await savedRun(page);
  assert.ok(after.savedAt > before.savedAt, 'the saved run was not replaced');
  // An epoch's autosave (the run trains on: by now it may be a later epoch's).
  assert.ok(after.epoch >= 1 && after.batch === 0, `saved at epoch ${after.epoch} + ${after.batch}`);
  assert.ok(before.epoch > 1 || before.batch > 0, `saved before: epoch ${before.epoch} + ${before.batch}`);
  checkNoErrors(errors);
  await context.close();
});

// --- a crashed worker ---------------------------------------------------------------------------
test('a crashed worker: the notice offers the last autosave, and Resume brings the run back', { timeout: 2 * LONG }, async (t) => {
  const { context, page, errors } = await open('#sizes=784,30,10&batch=100&epochs=30&seed=7');
  await trainAnEpochAndPause(page);
  const saved = await savedRun(page);
  // The module trapping, as far as the page can tell: an exception nothing in the worker catches.
  const worker = page.workers().find(w => w.url().endsWith('/worker.js'));
  await worker.evaluate(() => setTimeout(() => { throw new WebAssembly.RuntimeError('unreachable (a test)'); }));
  await page.waitForFunction(() => document.querySelector('[data-testid="session"]').dataset.kind === 'crash',
    null, { timeout: LONG });
  const words = await offerWords(page);
  t.diagnostic(words);
  assert.match(words, new RegExp('^The training worker stopped \\(.*unreachable \\(a test\\)\\)\\. A new one has ' +
    'started; your drawing, settings and charts are kept\\. Resume from the autosave of epoch ' +
    `${saved.epoch}( \\+ [\\d,]+ mini-batches)?\\?$`));
  await screenshot(page, 'crash-notice.png', { fullPage: false });
  await byTestId(page, 'resume').click();
  await page.waitForFunction(epoch => {
    const start = document.querySelector('[data-testid="start"]');
    return Number(document.querySelector('[data-testid="epoch"]').dataset.value) === epoch && !start.disabled;
  }, saved.epoch, { timeout: LONG });
  assert.match(await offerWords(page), new RegExp(`^Resumed \\[784,30,10\\] eta 3 seed 7 at epoch ${saved.epoch} of 30`));
  await byTestId(page, 'start').click();
  await waitForState(page, 'done', LONG);
  assert.equal(await numberValue(page, 'epoch'), 30);
  assert.equal(await offer(page).isHidden(), true, 'the notice stays while training');
  checkNoErrors(errors);
  await context.close();
});

// --- storage failures ---------------------------------------------------------------------------
// Each counts the page's attempts in window.storageTries.
const FAILURES = [
  ['no IndexedDB (a private window)', context => context.addInitScript(() => {
    window.storageTries = 0;
    Object.defineProperty(window, 'indexedDB', { get: () => { window.storageTries++; return undefined; }, configurable: true });
  }), /no storage \(IndexedDB is off, as in a private window\)/],
  ['a full quota', context => context.addInitScript(() => {
    window.storageTries = 0;
    IDBObjectStore.prototype.put = function put() {
      window.storageTries++;
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
  }), /^Your run could not be saved: the browser's storage for this site is full\. Training goes on/],
];
const frames = (page, n) => page.evaluate(n => new Promise(resolve => {
  const next = k => (k ? requestAnimationFrame(() => next(k - 1)) : resolve());
  next(n);
}), n);
for (const [what, setup, message] of FAILURES) {
  test(`${what}: said once in storage-status, and training goes on`, { timeout: 2 * LONG }, async () => {
    const { context, page, errors } = await open('#sizes=784,30,10&batch=100&epochs=2&seed=6', setup);
    const status = byTestId(page, 'storage-status'), text = page.locator('#storage-status-text');
    await byTestId(page, 'start').click();
    await status.waitFor({ state: 'visible', timeout: LONG });
    const first = await text.textContent();
    assert.match(first, message);
    await waitForState(page, 'done', LONG);
    assert.equal(await numberValue(page, 'epoch'), 2, 'training stopped');
    assert.equal(await text.textContent(), first, 'the message changed with later failures');
    assert.equal(await byTestId(page, 'autosave').getAttribute('data-state'), 'failed');
    await screenshot(page, `storage-${what.startsWith('no') ? 'none' : 'quota'}.png`, { fullPage: false });
    // Dismissed, it stays away however often saving fails again (a new run's epochs).
    await page.locator('#storage-dismiss').click();
    const tries = await page.evaluate(() => window.storageTries);
    await byTestId(page, 'reset').click();
    await waitForState(page, 'ready', LONG);
    await byTestId(page, 'start').click();
    await waitForState(page, 'done', LONG);
    await page.waitForFunction(n => window.storageTries >= n + 2, tries, { timeout: LONG });
    await frames(page, 3);
    assert.equal(await status.isHidden(), true, 'shown again');
    checkNoErrors(errors);
    await context.close();
  });
}

// --- autosave.js itself, on a page of the site that is not the lab ---------------------------------
test('autosave.js: one slot, coalesced writes, clear, and readable errors', { timeout: LONG }, async () => {
  const { context, page, errors } = await openPage(env.browser);
  await page.route('**/favicon.ico', route => route.fulfill({ status: 204 }));   // a page without one
  await page.goto(env.site.url + 'protocol.js');
  const result = await page.evaluate(async () => {
    const m = await import(new URL('storage/autosave.js', location.href).href);
    const record = i => ({ schema: 1, savedAt: i, checkpoint: new Uint8Array([i]), epoch: i, batch: 0 });
    const put = IDBObjectStore.prototype.put;
    let puts = 0, started = null;
    IDBObjectStore.prototype.put = function counted(...args) {
      puts++;
      if (started) started();
      return put.apply(this, args);
    };
    const out = {};
    out.empty = await m.loadRun();
    // Saves made together: one write, of the last.
    out.together = (await Promise.all([1, 2, 3, 4, 5].map(i => m.saveRun(record(i))))).map(r => r.epoch);
    out.puts = puts;
    // Saves made while one is being written: that one, then one write of the newest.
    const writing = new Promise(resolve => { started = resolve; });
    const first = m.saveRun(record(6));
    await writing;
    started = null;
    const later = [m.saveRun(record(7)), m.saveRun(record(8))];
    out.inFlight = (await Promise.all([first, ...later])).map(r => r.epoch);
    out.putsAfter = puts;
    out.stored = (await m.loadRun()).epoch;
    // A clear drops a save still waiting.
    const dropped = m.saveRun(record(9));
    await m.clearRun();
    out.dropped = await dropped;
    out.cleared = await m.loadRun();
    out.otherSchema = await m.saveRun({ ...record(10), schema: 2 }).then(() => m.loadRun());
    // A full quota, and a newer version of the database (another tab, a newer lab).
    IDBObjectStore.prototype.put = () => { throw new DOMException('quota', 'QuotaExceededError'); };
    out.quota = await m.saveRun(record(11)).catch(e => `${e.name}: ${e.message}`);
    IDBObjectStore.prototype.put = put;
    await new Promise((resolve, reject) => {
      const r = indexedDB.open('backprop-lab', 99);
      r.onsuccess = () => { r.result.close(); resolve(); };
      r.onerror = () => reject(r.error);
    });
    out.version = await m.saveRun(record(12)).catch(e => `${e.name}: ${e.message}`);
    await new Promise(resolve => { indexedDB.deleteDatabase('backprop-lab').onsuccess = resolve; });
    out.again = (await m.saveRun(record(13))).epoch;   // a fresh database: saving works again
    return out;
  });
  assert.deepEqual(result, {
    empty: null, together: [5, 5, 5, 5, 5], puts: 1, inFlight: [6, 8, 8], putsAfter: 3, stored: 8,
    dropped: null, cleared: null, otherSchema: null,
    quota: 'StorageError: Your run could not be saved: the browser\'s storage for this site is full.',
    version: 'StorageError: Your run could not be saved: the saved data is from a newer version of the ' +
      'lab (open in another tab?).',
    again: 13,
  });
  checkNoErrors(errors);
  await context.close();
});
