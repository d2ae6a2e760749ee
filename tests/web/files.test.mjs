// Browser end-to-end tests of saving and loading networks (views/files/): a network saved in both
// formats and loaded back into a fresh page tests the same before any training and saves to the
// same bytes; every class of bad model file is refused with one message naming it while the run
// stays as it was; a file dropped onto the page loads; the save choice works from the keyboard.
// The words and names of the panel are checked in Node first. Not the autosave (resume.test.mjs).
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import {
  siteAndBrowser, openReady, trainToTheEnd, checkNoErrors, byTestId, numberValue, screenshot,
} from './browser.mjs';
import { modelFileName, describeModel, fileSize, refusedText, loadedText, evaluatedText } from
  '../../web/views/files/words.js';

const LONG = 90_000;
const env = siteAndBrowser();
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'bpl-files-'));
const HEADER = 16;   // magic, version, activation, cost, reserved, L (cpp/model_file.hpp)

test('the panel names files and networks as it should', () => {
  assert.equal(modelFileName({ dataset: 'mnist', sizes: [784, 30, 10] }, 3, 0, 'bplm'),
    'backprop-lab-784-30-10-epoch-3.bplm');
  assert.equal(modelFileName({ sizes: [784, 100, 10] }, 1, 1200, 'json'),
    'backprop-lab-784-100-10-epoch-1-batch-1200.json');
  assert.equal(modelFileName({ dataset: 'xor', sizes: [2, 2, 1] }, 109, 0, 'json'),
    'backprop-lab-xor-2-2-1-epoch-109.json');
  assert.equal(describeModel({ sizes: [784, 30, 10], activation: 'sigmoid', cost: 'quadratic' }),
    '[784,30,10] sigmoid + quadratic');
  assert.equal(describeModel({ sizes: [784, 30, 10], activation: 'tanh', cost: 'log-likelihood' }),
    '[784,30,10] tanh hidden, softmax + log-likelihood');
  assert.equal(describeModel({ sizes: [784, 30, 10], activation: 'sigmoid', cost: 'log-likelihood' }),
    '[784,30,10] sigmoid hidden, softmax + log-likelihood');
  assert.equal(fileSize(95_460), '93.2 KB');
  assert.equal(refusedText('a.bplm', 'a.bplm: truncated'), 'a.bplm: truncated');
  assert.equal(refusedText('a.bplm', 'truncated'), 'a.bplm: truncated');
  const read = { name: 'a.bplm', model: { sizes: [784, 30, 10], activation: 'sigmoid', cost: 'quadratic' },
    params: new Float32Array(23_860), ms: 1.25 };
  const loaded = loadedText(read, 95_460);
  assert.deepEqual(loaded, {
    text: 'Loaded a.bplm: [784,30,10] sigmoid + quadratic, 23,860 parameters; evaluating on the test set…',
    detail: '93.2 KB, read in 1.3 ms.', network: '[784,30,10] sigmoid + quadratic, 23,860 parameters' });
  // The line after the evaluation says again what was loaded (the "Loaded" one may never be drawn).
  assert.equal(evaluatedText('a.bplm', loaded.network, { testCorrect: 9512, testTotal: 10_000 }),
    'a.bplm: [784,30,10] sigmoid + quadratic, 23,860 parameters; 95.12% on the test set before any ' +
    'training; Start trains on from it.');
});

// --- BPLM by hand (cpp/model_file.hpp), for the bad files ---------------------------------------
function encodeBplm({ sizes, activation = 0, cost = 0, params }) {
  const L = sizes.length, P = params.length;
  const buf = Buffer.alloc(HEADER + 4 * L + 8 + 4 * P + 4);
  buf.write('BPLM', 0, 'latin1');
  buf.writeUInt32LE(1, 4);
  buf.writeUInt8(activation, 8);
  buf.writeUInt8(cost, 9);
  buf.writeUInt32LE(L, 12);
  sizes.forEach((s, i) => buf.writeUInt32LE(s, HEADER + 4 * i));
  let at = HEADER + 4 * L;
  buf.writeBigUInt64LE(BigInt(P), at);
  at += 8;
  params.forEach((v, i) => buf.writeFloatLE(v, at + 4 * i));
  return withCrc(buf);
}
// The CRC-32 of everything before the last 4 bytes, written into them.
function withCrc(buf) {
  buf.writeUInt32LE(zlib.crc32(buf.subarray(0, buf.length - 4)), buf.length - 4);
  return buf;
}
function decodeBplm(buf) {
  assert.equal(buf.toString('latin1', 0, 4), 'BPLM');
  const L = buf.readUInt32LE(12);
  const sizes = Array.from({ length: L }, (_, i) => buf.readUInt32LE(HEADER + 4 * i));
  const at = HEADER + 4 * L, P = Number(buf.readBigUInt64LE(at));
  return { sizes, activation: buf[8], cost: buf[9], paramsAt: at + 8, P };
}
const paramCount = sizes => sizes.slice(1).reduce((n, s, l) => n + s * sizes[l] + s, 0);

// --- the page, as a student uses it -------------------------------------------------------------
const open = (hash = '') => openReady(env, hash, LONG);
const train = page => trainToTheEnd(page, LONG);

// Saves in a format from the save choice: { name, bytes, ms } (ms: click to download, in Node).
async function save(page, format) {
  await byTestId(page, 'save-model').click();
  const t0 = Date.now();
  const [download] = await Promise.all([page.waitForEvent('download'), byTestId(page, `save-${format}`).click()]);
  const bytes = fs.readFileSync(await download.path());
  const name = download.suggestedFilename();
  await page.waitForFunction(n => document.querySelector('[data-testid="model-status"]').textContent
    .startsWith(`Saved ${n} (`), name, { timeout: LONG });
  const written = await statusOf(page).textContent();   // "Saved NAME (93.2 KB, written in 4.1 ms)."
  return { name, bytes, ms: Date.now() - t0, written };
}

// What the run shows: a bad file must change none of it.
async function figures(page) {
  return {
    epoch: await byTestId(page, 'epoch').textContent(),
    accuracy: await byTestId(page, 'test-accuracy').getAttribute('data-value'),
    url: page.url(),
  };
}

const messageOf = page => byTestId(page, 'model-message');
const statusOf = page => byTestId(page, 'model-status');

// Waits until the loaded network `name` has been evaluated; returns the panel's text.
async function waitEvaluated(page, name) {
  await page.waitForFunction(n => {
    const t = document.querySelector('[data-testid="model-status"]').textContent;
    return t.startsWith(`${n}: `) && t.includes('before any training');
  }, name, { timeout: LONG });
  return statusOf(page).textContent();
}

// Loads a file from disk through the picker; resolves once it is evaluated, with the "Loaded" line
// if it was drawn (an evaluation within the same frame replaces it first) and the evaluated one.
async function loadPath(page, file) {
  await page.evaluate(() => {
    const status = document.querySelector('[data-testid="model-status"]');
    window.shown = [];
    new MutationObserver(() => window.shown.push(status.textContent))
      .observe(status, { childList: true, characterData: true, subtree: true });
  });
  const t0 = Date.now();
  await byTestId(page, 'load-model').setInputFiles(file);
  const evaluated = await waitEvaluated(page, path.basename(file));
  const ms = Date.now() - t0;
  const shown = await page.evaluate(() => window.shown);
  const loaded = shown.find(text => text.startsWith(`Loaded ${path.basename(file)}: `));
  return { loaded, detail: await byTestId(page, 'model-detail').textContent(), evaluated, ms };
}

for (const sizes of [[784, 30, 10], [784, 100, 10]]) {
  const epochs = 1;
  const shape = sizes.join(',');
  test(`[${shape}] saved as .bplm and .json loads back into a fresh page: same test accuracy, same bytes`,
    { timeout: 4 * LONG }, async (t) => {
      const first = await open(`#sizes=${shape}&batch=10&epochs=${epochs}&seed=2`);
      await train(first.page);
      const accuracy = await byTestId(first.page, 'test-accuracy').getAttribute('data-value');
      const bplm = await save(first.page, 'bplm'), json = await save(first.page, 'json');
      assert.equal(bplm.name, `backprop-lab-${sizes.join('-')}-epoch-${epochs}.bplm`);
      assert.equal(json.name, `backprop-lab-${sizes.join('-')}-epoch-${epochs}.json`);
      assert.match(await statusOf(first.page).textContent(), new RegExp(`^Saved ${json.name} \\(`));
      assert.equal(bplm.bytes.length, HEADER + 4 * 3 + 8 + 4 * paramCount(sizes) + 4);
      const decoded = decodeBplm(bplm.bytes);
      assert.deepEqual(decoded.sizes, sizes);
      const network = JSON.parse(json.bytes.toString('utf8'));
      assert.deepEqual(network.sizes, sizes);
      assert.equal(network.cost, 'QuadraticCost');
      assert.equal(network.weights[0].length, sizes[1]);
      assert.equal(network.weights[0][0].length, sizes[0]);
      // JSON's floats read back as the very float32 of the model file.
      const w = new Float32Array(bplm.bytes.buffer, bplm.bytes.byteOffset + decoded.paramsAt, decoded.P);
      assert.equal(Math.fround(network.weights[0][3][5]), w[5 * sizes[1] + 3]);
      checkNoErrors(first.errors);
      await first.context.close();
      assert.ok(Number(accuracy) > 0.5, `trained accuracy ${accuracy}`);

      for (const saved of [bplm, json]) {
        const file = path.join(TMP, saved.name);
        fs.writeFileSync(file, saved.bytes);
        const { context, page, errors } = await open();   // a fresh page: the default network
        const loaded = await loadPath(page, file);
        t.diagnostic(`${saved.name}: ${saved.bytes.length} bytes; ${saved.written} Click to download ` +
          `${saved.ms} ms; chosen to evaluated ${loaded.ms} ms (${loaded.detail}) ${loaded.evaluated}`);
        const network = `\\[${shape}\\] sigmoid \\+ quadratic, ${paramCount(sizes).toLocaleString('en')} parameters`;
        if (loaded.loaded) {
          assert.match(loaded.loaded, new RegExp(`^Loaded ${saved.name}: ${network}; evaluating on the test set…$`));
        }
        assert.match(loaded.detail, /^\d+(\.\d)? (KB|MB), read in [\d.]+ ms\.$/);
        assert.match(loaded.evaluated, new RegExp(`^${saved.name}: ${network}; \\d+\\.\\d\\d% on the test set before ` +
          'any training; Start trains on from it\\.$'));
        // The settings and the address follow the file; the accuracy is the saved network's.
        assert.match(page.url(), new RegExp(`sizes=${shape}(&|$)`));
        assert.equal(await page.locator('#hidden').inputValue(), String(sizes[1]));
        assert.equal(await byTestId(page, 'test-accuracy').getAttribute('data-value'), accuracy);
        assert.equal(await numberValue(page, 'epoch'), 0, 'a loaded network starts at epoch 0');
        assert.equal(await messageOf(page).isHidden(), true);
        // Saving again gives the same bytes, in both formats (the weights are bit-identical).
        const again = { bplm: await save(page, 'bplm'), json: await save(page, 'json') };
        assert.ok(again.bplm.bytes.equals(bplm.bytes), `${saved.name}: the .bplm saved again differs`);
        assert.ok(again.json.bytes.equals(json.bytes), `${saved.name}: the .json saved again differs`);
        if (saved === bplm && sizes[1] === 30) await screenshot(page, 'files-loaded.png', { fullPage: false });
        checkNoErrors(errors);
        await context.close();
      }
    });
}

test('every bad model file is refused with one message naming it, and the run is untouched', { timeout: 4 * LONG }, async (t) => {
  const { context, page, errors } = await open('#sizes=784,30,10&batch=100&epochs=1&seed=3');
  await train(page);
  const before = await figures(page);
  const good = await save(page, 'bplm'), goodJson = await save(page, 'json');
  const { sizes, paramsAt, P } = decodeBplm(good.bytes);
  const network = JSON.parse(goodJson.bytes.toString('utf8'));
  const zeros = s => new Array(paramCount(s)).fill(0.25);

  const nanBplm = Buffer.from(good.bytes);
  nanBplm.writeFloatLE(NaN, paramsAt + 4 * 5);
  const wrongShape = structuredClone(network);
  wrongShape.weights[0].pop();   // 29 rows for 30 neurons
  const sentinel = structuredClone(network);
  sentinel.weights[1][2][3] = 12345.5;
  const big = path.join(TMP, 'huge.bplm');
  fs.closeSync(fs.openSync(big, 'w'));
  fs.truncateSync(big, 200 * 1024 * 1024);   // sparse: 200 MB on paper, nothing on disk

  const bad = [
    ['wrong-magic.bplm', Buffer.concat([Buffer.from('BPLX'), good.bytes.subarray(4)]), /not a model file/],
    ['truncated.bplm', good.bytes.subarray(0, Math.floor(good.bytes.length / 2)), /truncated/],
    ['input-100.bplm', encodeBplm({ sizes: [100, 30, 10], params: zeros([100, 30, 10]) }), /100 inputs.*784/],
    ['output-9.bplm', encodeBplm({ sizes: [784, 30, 9], params: zeros([784, 30, 9]) }), /9 outputs.*10 classes/],
    ['nan.bplm', withCrc(nanBplm), /parameter 5 is NaN or infinite/],
    ['checksum.bplm', Buffer.concat([good.bytes.subarray(0, good.bytes.length - 1), Buffer.from([0])]),
      /checksum/],
    ['not-a-network.json', Buffer.from('{"name": "my cat", "legs": 4}'), /not a network/],
    ['wrong-shape.json', Buffer.from(JSON.stringify(wrongShape)), /weights\[0\] has 29 rows/],
    ['nan.json', Buffer.from(JSON.stringify(sentinel).replace('12345.5', 'NaN')), /NaN/],
    ['overflow.json', Buffer.from(JSON.stringify(sentinel).replace('12345.5', '1e39')), /float32/],
    ['notes.txt', Buffer.from('hello'), /not a model file/],
  ];
  assert.equal(P, paramCount(sizes));
  for (const [name, bytes, problem] of [...bad, ['huge.bplm', null, /200 MB.*64 MB/]]) {
    const file = bytes ? path.join(TMP, name) : big;
    if (bytes) fs.writeFileSync(file, bytes);
    await byTestId(page, 'load-model').setInputFiles(file);
    await page.waitForFunction(n => {
      const m = document.querySelector('[data-testid="model-message"]');
      return !m.hidden && m.textContent.includes(n);
    }, name, { timeout: LONG });
    const message = await messageOf(page).textContent();
    t.diagnostic(message);
    assert.match(message, problem, `${name}: ${message}`);
    assert.equal(message.split(name).length - 1, 1, `${name}: the file is named once: ${message}`);
    assert.equal(await statusOf(page).textContent(), '', `${name}: a second message beside the error`);
    assert.equal(await byTestId(page, 'model-detail').textContent(), 'Your network and its run are as they were.');
    assert.deepEqual(await figures(page), before, `${name}: the run changed`);
  }
  await screenshot(page, 'files-refused.png', { fullPage: false });
  // Still the same network: saved again, the same bytes.
  assert.ok((await save(page, 'bplm')).bytes.equals(good.bytes), 'the network changed');
  checkNoErrors(errors);
  await context.close();
});

test('a file dropped onto the page loads (the first of several); other drags are ignored', { timeout: 2 * LONG }, async () => {
  const first = await open('#sizes=784,30,10&batch=100&epochs=1&seed=4');
  await train(first.page);
  const accuracy = await byTestId(first.page, 'test-accuracy').getAttribute('data-value');
  const saved = await save(first.page, 'bplm');
  await first.context.close();

  const { context, page, errors } = await open();
  // Dragging text over the page is not a file: no overlay, nothing read.
  const textDrag = await page.evaluate(() => {
    const dt = new DataTransfer();
    dt.setData('text/plain', 'just words');
    const enter = new DragEvent('dragenter', { dataTransfer: dt, bubbles: true, cancelable: true });
    document.body.dispatchEvent(enter);
    return { overlay: !document.querySelector('[data-testid="drop-overlay"]').hidden, taken: enter.defaultPrevented };
  });
  assert.deepEqual(textDrag, { overlay: false, taken: false });
  // Files: the overlay while they are over the page, then the drop.
  const overlay = await page.evaluate(([bytes, name]) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(bytes)], name));
    dt.items.add(new File(['{}'], 'second.json'));
    window.dropped = dt;
    document.querySelector('#accuracy-chart').dispatchEvent(
      new DragEvent('dragenter', { dataTransfer: dt, bubbles: true, cancelable: true }));
    return !document.querySelector('[data-testid="drop-overlay"]').hidden;
  }, [[...saved.bytes], saved.name]);
  assert.equal(overlay, true, 'no overlay while files are dragged over the page');
  await screenshot(page, 'files-drop.png', { fullPage: false });
  const dropped = await page.evaluate(() => {
    const drop = new DragEvent('drop', { dataTransfer: window.dropped, bubbles: true, cancelable: true });
    document.querySelector('#accuracy-chart').dispatchEvent(drop);
    return { taken: drop.defaultPrevented, overlay: !document.querySelector('[data-testid="drop-overlay"]').hidden };
  });
  assert.deepEqual(dropped, { taken: true, overlay: false });
  await waitEvaluated(page, saved.name);
  assert.match(await byTestId(page, 'model-detail').textContent(),
    new RegExp(`2 files were dropped: only the first, ${saved.name}, is read\\.`));
  assert.equal(await byTestId(page, 'test-accuracy').getAttribute('data-value'), accuracy);
  checkNoErrors(errors);
  await context.close();
});

test('the save choice opens and closes from the keyboard', { timeout: LONG }, async () => {
  const { context, page, errors } = await open();
  const button = byTestId(page, 'save-model'), choices = page.locator('#save-choices');
  const focused = () => page.evaluate(() => document.activeElement.dataset.testid);
  await button.focus();
  await page.keyboard.press('Enter');
  assert.equal(await button.getAttribute('aria-expanded'), 'true');
  assert.equal(await focused(), 'save-bplm');
  await page.keyboard.press('ArrowDown');
  assert.equal(await focused(), 'save-json');
  await page.keyboard.press('ArrowDown');
  assert.equal(await focused(), 'save-bplm', 'the arrows wrap around');
  await page.keyboard.press('Escape');
  assert.equal(await choices.isHidden(), true);
  assert.equal(await button.getAttribute('aria-expanded'), 'false');
  assert.equal(await focused(), 'save-model');
  // Open with the mouse, then a click elsewhere closes it.
  await button.click();
  assert.equal(await choices.isVisible(), true);
  await page.locator('#files-heading').click();
  assert.equal(await choices.isHidden(), true);
  // The picker has a visible label.
  assert.equal(await page.locator('label[for="load-model"]').isVisible(), true);
  checkNoErrors(errors);
  await context.close();
});
