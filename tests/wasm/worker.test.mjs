// The worker (web/worker.js) driven message by message in headless Chromium, without the page:
// broken downloads (404, truncated, cut off, corrupt, stalled), retry, training chunks, pause, step,
// predict, config errors and divergence; the inspector's messages (TRACE, APPLY_STEP matched to
// its trace, EXPORT_TRACE), the pause's CHECKPOINT, and a truth table (no download, SURFACE, SET_PARAM, a step network). Not the page (tests/web/ drive that); skips if the
// WASM build, the gzipped MNIST of build.sh or Chromium ($BPL_CHROMIUM, else /usr/bin/chromium)
// is missing.
/* global log, worker -- the harness page's own (HARNESS_JS), read by functions run in the page */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { MNIST_FILES } from '../../web/protocol.js';
import { moduleBuilt } from './load_module.mjs';
import { CHROMIUM, launchBrowser } from '../web/browser.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dataDir = path.join(root, 'data/mnist');
const skip = !moduleBuilt() || !moduleBuilt('relaxed') ? 'build/wasm or build/wasm-relaxed is not built (./build.sh wasm)'
  : !MNIST_FILES.every((f) => existsSync(path.join(dataDir, `${f}.gz`))) ? 'no data/mnist/*.gz'
  : !existsSync(CHROMIUM) ? `no ${CHROMIUM}` : false;

// The harness page: a worker, every message it posts kept in window.log (weights summarised).
const HARNESS_HTML = '<!doctype html><meta charset="utf-8"><script type="module" src="harness.js"></script>';
const HARNESS_JS = `
window.log = [];
window.worker = new Worker('worker.js');
worker.onmessage = (e) => {
  const m = { ...e.data, t: performance.now() };
  if (m.params) m.params = { length: m.params.length, finite: m.params.every(Number.isFinite) };
  if (m.bytes) m.bytes = { length: m.bytes.length };   // a CHECKPOINT's or a model file's
  if (m.confusion) m.confusion = Array.from(m.confusion);
  log.push(m);
};
worker.onerror = (e) => log.push({ type: 'worker-error', message: e.message });
worker.postMessage({ type: 'load', dataUrl: 'broken-404/' });   // before READY: must be queued
`;

const TYPES = { '.js': 'text/javascript', '.html': 'text/html', '.wasm': 'application/wasm' };
const VICTIM_NAME = 't10k-labels-idx1-ubyte';   // the file each broken data URL damages
const VICTIM = `${VICTIM_NAME}.gz`;
const SLOW_MODULE_MS = 3000;

// Serves the worker, the WASM build and the data; /broken-<how>/ damages VICTIM.
// Under /no-relaxed/ the same site lacks the relaxed-SIMD module (a partial copy of the site).
// Under /slow-module/ the .wasm files come 3 s late (a slow machine compiling, a slow link).
function serve(req, res) {
  const full = new URL(req.url, 'http://localhost').pathname;
  if (full.startsWith('/slow-module/')) {
    req.url = full.slice('/slow-module'.length);
    return setTimeout(() => serve(req, res), req.url.endsWith('.wasm') ? SLOW_MODULE_MS : 0);
  }
  const partial = full.startsWith('/no-relaxed/');
  const url = partial ? full.slice('/no-relaxed'.length) : full;
  const send = (status, body, headers = {}) => {
    res.writeHead(status, { 'Content-Length': body.length, ...headers });
    res.end(body);
  };
  if (partial && url.startsWith('/wasm/relaxed/')) return send(404, Buffer.from('not found'));
  if (url === '/harness.html') return send(200, Buffer.from(HARNESS_HTML), { 'Content-Type': 'text/html' });
  if (url === '/harness.js') return send(200, Buffer.from(HARNESS_JS), { 'Content-Type': 'text/javascript' });
  if (['/worker.js', '/download.js', '/protocol.js', '/config.js', '/wasm_variant.js', '/views/inspector/export.js'].includes(url))
    return send(200, readFileSync(path.join(root, 'web', url)), { 'Content-Type': TYPES['.js'] });
  const wasm = url.match(/^\/wasm\/(relaxed\/)?(backprop_lab\.(js|wasm))$/);
  if (wasm) return send(200, readFileSync(path.join(root, wasm[1] ? 'build/wasm-relaxed' : 'build/wasm', wasm[2])),
    { 'Content-Type': TYPES[path.extname(wasm[2])] });
  const data = url.match(/^\/(data\/mnist|broken-(\w+))\/([\w-]+\.gz)$/);
  if (!data) return send(404, Buffer.from('not found'));
  const [, , how, file] = data;
  let body = readFileSync(path.join(dataDir, file));
  if (how && file === VICTIM) {
    if (how === '404') return send(404, Buffer.from('not found'));
    if (how === 'truncated') body = body.subarray(0, body.length >> 1);
    if (how === 'corrupt') body = Buffer.from(body).fill(0x55, 100, 200);
    if (how === 'html') body = Buffer.from('<!doctype html><title>Not the file</title>');
    if (how === 'cut') {   // announces the whole file, sends half, drops the connection
      res.writeHead(200, { 'Content-Length': body.length });
      res.write(body.subarray(0, body.length >> 1));
      return setTimeout(() => res.destroy(), 50);
    }
    if (how === 'stall') {   // announces the whole file, sends three quarters, then nothing
      held.add(res);
      res.writeHead(200, { 'Content-Length': body.length });
      const quarter = (i) => () => res.write(body.subarray(i * (body.length >> 2), (i + 1) * (body.length >> 2)));
      quarter(0)();
      setTimeout(quarter(1), 1200);   // reported: long after the first (and the other files)
      return setTimeout(quarter(2), 1230);   // within the 100 ms throttle of the second
    }
    if (how === 'silent') return held.add(res);   // never answers
  }
  send(200, body, { 'Content-Type': 'application/octet-stream' });
}

let server, browser, page;
const held = new Set();   // responses the stalling server keeps open

before(async () => {
  if (skip) return;
  server = http.createServer(serve);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  browser = await launchBrowser();
  page = await (await browser.newContext()).newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/harness.html`);
});

after(async () => {
  if (browser) await browser.close();
  for (const res of held) res.destroy();
  if (server) {
    server.close();
    server.closeAllConnections();
  }
});

const count = () => page.evaluate(() => log.length);
const since = (n) => page.evaluate((from) => log.slice(from), n);
const send = (message) => page.evaluate((m) => worker.postMessage(m), message);
// The first message of one of types posted at or after index from.
const next = (types, from, timeout = 60000) => page.waitForFunction(
  ([ts, f]) => log.slice(f).find((m) => ts.includes(m.type)), [[].concat(types), from],
  { timeout, polling: 20 }).then((h) => h.jsonValue());

async function load(dataUrl) {
  const n = await count();
  await send({ type: 'load', dataUrl });
  return next(['data-error', 'data-ready'], n);
}

test('a LOAD sent before READY is queued and its 404 reported', { skip }, async () => {
  const ready = await next('ready', 0);
  // Chromium validates relaxed SIMD by default (web/wasm_variant.js): the worker picks that module.
  assert.equal(ready.module, 'relaxed');
  const e = await next(['data-error', 'data-ready'], 0);
  assert.equal(e.type, 'data-error');
  assert.equal(e.message, `${VICTIM}: download failed (HTTP 404)`);
});

test('without the relaxed module on the site the worker falls back to the plain one', { skip }, async () => {
  const other = await page.context().newPage();
  try {
    await other.goto(`http://127.0.0.1:${server.address().port}/no-relaxed/harness.html`);
    const ready = await other.waitForFunction(() => log.find(m => m.type === 'ready' || m.type === 'error'), null,
      { timeout: 60000 }).then(h => h.jsonValue());
    assert.equal(ready.type, 'ready', JSON.stringify(ready));
    assert.equal(ready.module, 'plain');
  } finally {
    await other.close();
  }
});

test('broken downloads give DATA_ERROR naming the file and the damage; retry works', { skip }, async () => {
  const expect = {
    'broken-truncated/': /^t10k-labels-idx1-ubyte\.gz: the download was cut off \(truncated/,
    'broken-cut/': /^t10k-labels-idx1-ubyte\.gz: the download was cut off/,
    'broken-corrupt/': /^t10k-labels-idx1-ubyte\.gz: the file is not valid gzip data \(corrupt/,
    'broken-html/': /^t10k-labels-idx1-ubyte: wrong magic number/,
  };
  for (const [dataUrl, pattern] of Object.entries(expect)) {
    const e = await load(dataUrl);
    assert.equal(e.type, 'data-error', dataUrl);
    assert.equal(e.file, VICTIM_NAME);
    assert.match(e.message, pattern);
  }
  const n = await count();
  const ready = await load('data/mnist/');
  assert.deepEqual([ready.type, ready.train, ready.test], ['data-ready', 60000, 10000]);
  const downloads = (await since(n)).filter((m) => m.type === 'download');
  for (const name of MNIST_FILES) {
    const last = downloads.filter((m) => m.file === name).at(-1);
    assert.ok(last && last.total > 0 && last.received === last.total, name);
  }
});

test('a stalled download gives DATA_ERROR with the bytes it got; retry works', { skip }, async () => {
  const full = readFileSync(path.join(dataDir, VICTIM)).length;
  const sent = 3 * (full >> 2);
  const expect = {
    'broken-stall/': `${VICTIM}: the download stalled (no data for 2 s after ${sent} of ${full} bytes); ` +
      'check the connection and retry',
    'broken-silent/': `${VICTIM}: the download stalled (no response for 2 s); check the connection and retry`,
  };
  for (const [dataUrl, message] of Object.entries(expect)) {
    const n = await count();
    await send({ type: 'load', dataUrl, stallSeconds: 2 });
    const e = await next(['data-error', 'data-ready'], n, 12000);   // the default would take 15 s
    assert.deepEqual([e.type, e.file, e.message], ['data-error', VICTIM_NAME, message], dataUrl);
    // Every file's last DOWNLOAD comes before the error, and says where it stopped: the third
    // quarter came within the 100 ms throttle of the second, so only the final report carries it.
    const log = await since(n);
    const error = log.findIndex((m) => m.type === 'data-error');
    assert.ok(log.slice(error).every((m) => m.type !== 'download'), dataUrl);
    const victim = log.filter((m) => m.type === 'download' && m.file === VICTIM_NAME);
    if (dataUrl === 'broken-stall/') {
      assert.deepEqual([victim.at(-1).received, victim.at(-1).total], [sent, full]);
    } else {
      assert.equal(victim.length, 0, 'no response, so no bytes to report');
    }
  }
  const ready = await load('data/mnist/');
  assert.deepEqual([ready.type, ready.train, ready.test], ['data-ready', 60000, 10000]);
});

test('the downloads wait for a module that comes late without calling it a stall', { skip }, async () => {
  // A second harness whose worker gets its module 3 s late; its LOAD, sent at once, allows 1 s of
  // silence. The bytes wait for the module meanwhile: that is no stall of the network.
  const slow = await page.context().newPage();
  try {
    await slow.goto(`http://127.0.0.1:${server.address().port}/slow-module/harness.html`);
    await slow.evaluate(() => worker.postMessage({ type: 'load', dataUrl: 'data/mnist/', stallSeconds: 1 }));
    const ready = await slow.waitForFunction(() => log.find((m) => m.type === 'ready'), null,
      { timeout: 60000, polling: 20 }).then((h) => h.jsonValue());
    // The harness's own LOAD of a missing folder may have failed first (its 404): not this one's.
    const end = await slow.waitForFunction(() => log.find((m) => m.type === 'data-ready' ||
      (m.type === 'data-error' && !/HTTP 404/.test(m.message))), null,
      { timeout: 60000, polling: 20 }).then((h) => h.jsonValue());
    assert.ok(ready.t >= SLOW_MODULE_MS - 100, `the module came at ${Math.round(ready.t)} ms, not late`);
    assert.deepEqual([end.type, end.message, end.train, end.test], ['data-ready', undefined, 60000, 10000]);
  } finally {
    await slow.close();
  }
});

test('training runs in chunks; pause, step and predict are handled between them', { skip }, async (t) => {
  let n = await count();
  await send({ type: 'configure', config: { sizes: [784, 30, 10], eta: 3, batch: 10, epochs: 1, seed: 1 } });
  const configured = await next('configured', n);
  assert.equal(configured.params.length, 784 * 30 + 30 + 30 * 10 + 10);
  assert.deepEqual(configured.layout.map((l) => [l.rows, l.cols]), [[30, 784], [10, 30]]);
  assert.equal(configured.batchesPerEpoch, 5000);

  n = await count();
  await send({ type: 'start' });
  await page.waitForFunction((f) => log.slice(f).filter((m) => m.type === 'progress').length >= 2,
    n, { polling: 10 });
  await send({ type: 'pause' });
  const paused = await page.waitForFunction((f) => log.slice(f).find((m) => m.type === 'state' &&
    !m.running), n, { polling: 10 }).then((h) => h.jsonValue());
  let log = await since(n);
  const lastProgress = log.filter((m) => m.type === 'progress').at(-1);
  if (!paused.done) {   // a fast machine may finish the epoch before PAUSE arrives
    assert.ok(lastProgress.params.finite, 'the weights at the pause');
    await new Promise((resolve) => setTimeout(resolve, 200));
    // After the STATE: only the pause's CHECKPOINT (for the autosave), no more training.
    const after = await since(n + log.length);
    assert.deepEqual(after.filter((m) => m.type !== 'checkpoint'), [], 'nothing is trained after PAUSE');
    const checkpoint = [...log, ...after].find((m) => m.type === 'checkpoint');
    assert.equal(checkpoint && checkpoint.why, 'pause');
    assert.equal(checkpoint.batch, lastProgress.batch, 'the checkpoint is where the pause stopped');

    n = await count();
    await send({ type: 'step' });
    await next('state', n);
    const stepped = (await since(n)).find((m) => m.type === 'progress');
    assert.equal(stepped.batch, lastProgress.batch + 1);
    t.diagnostic(`paused at mini-batch ${lastProgress.batch}`);
  } else {
    t.diagnostic('the epoch ended before PAUSE arrived: pause and step not checked');
  }

  n = await count();
  await send({ type: 'predict', pixels: new Float32Array(784).fill(0.2) });
  const prediction = await next('prediction', n);
  assert.equal(prediction.outputs.length, 10);

  await send({ type: 'start' });
  const done = await page.waitForFunction((f) => log.slice(f).find((m) => m.type === 'state' &&
    m.done), 0, { timeout: 120000, polling: 50 }).then((h) => h.jsonValue());
  assert.deepEqual([done.running, done.done], [false, true]);
  log = await since(0);
  const epoch = log.filter((m) => m.type === 'epoch');
  assert.equal(epoch.length, 1);
  assert.ok(epoch[0].testCorrect / epoch[0].testTotal >= 0.9, `${epoch[0].testCorrect}`);
  assert.equal(epoch[0].confusion.reduce((s, c) => s + c, 0), 10000);
  const progress = log.filter((m) => m.type === 'progress');
  assert.ok(progress.every((p) => p.cost > 0 && p.examplesPerSecond > 0));
  assert.equal(log.filter((m) => m.type === 'worker-error' || m.type === 'error').length, 0);
});

test('CONFIGURE with start trains at once: CONFIGURED, then STATE running, with no START', { skip }, async () => {
  const n = await count();
  await send({ type: 'configure', start: true, config: { sizes: [784, 30, 10], eta: 3, batch: 10, epochs: 1, seed: 2 } });
  await page.waitForFunction((f) => log.slice(f).filter((m) => m.type === 'progress').length >= 2,
    n, { polling: 10 });
  await send({ type: 'pause' });
  await page.waitForFunction((f) => {   // the pause's STATE, after the running one
    const states = log.slice(f).filter((m) => m.type === 'state');
    const running = states.findIndex((m) => m.running);
    return running >= 0 && states.slice(running).some((m) => !m.running);
  }, n, { polling: 10 });
  const log = await since(n);
  const configured = log.findIndex((m) => m.type === 'configured');
  const running = log.findIndex((m) => m.type === 'state' && m.running);
  assert.ok(configured >= 0 && running > configured, `CONFIGURED at ${configured}, running at ${running}`);
  assert.ok(log.findIndex((m) => m.type === 'progress') > running, 'progress before the STATE running');
  // Without start, CONFIGURE builds the network and trains nothing.
  const m = await count();
  await send({ type: 'configure', config: { sizes: [784, 30, 10], eta: 3, batch: 10, epochs: 1, seed: 2 } });
  await next('configured', m);
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.deepEqual((await since(m)).filter((x) => x.type === 'progress' || (x.type === 'state' && x.running)), []);
});

test('config errors come back as ERROR; divergence as DIVERGED, then stopped', { skip }, async () => {
  let n = await count();
  await send({ type: 'configure', config: { sizes: [784, 0, 10] } });
  assert.match((await next('error', n)).message, /layer 2 has 0 neurons/);

  n = await count();
  await send({ type: 'configure', config: { sizes: [784, 100, 100, 10], activation: 'relu',
    cost: 'log-likelihood', eta: 1e6, epochs: 1, seed: 1 } });
  await next('configured', n);
  await send({ type: 'start' });
  assert.match((await next('diverged', n)).message, /diverged/);
  await page.waitForFunction((f) => log.slice(f).filter((m) => m.type === 'state').at(-1)?.running
    === false && log.slice(f).some((m) => m.type === 'diverged'), n, { polling: 20 });
});

test('the inspector: TRACE ids, APPLY_STEP only on the network its trace saw, EXPORT_TRACE', { skip }, async () => {
  let n = await count();
  await send({ type: 'configure', config: { sizes: [784, 30, 10], eta: 3, batch: 10, epochs: 1, seed: 1 } });
  await next('configured', n);
  await send({ type: 'step' });
  n = await count();
  await send({ type: 'trace', id: 'a', example: { set: 'train', index: 7 } });
  const a = await next('trace', n);
  assert.equal(a.id, 'a');
  assert.equal(a.trace.example.index, 7);
  assert.equal(a.trace.layers.length, 2);
  assert.ok(a.trace.step.costAfter < a.trace.step.costBefore);
  n = await count();
  await send({ type: 'trace', id: 'bad', example: { set: 'train', index: 50000 } });
  assert.match((await next('trace', n)).error, /no training example 50000/);

  // Another view's TRACE in between: the step applied is still trace a's.
  n = await count();
  await send({ type: 'trace', id: 'other', example: { set: 'train', index: 0 } });
  await next('trace', n);
  n = await count();
  await send({ type: 'apply-step', id: 'a' });
  const applied = await next('step-applied', n);
  assert.equal(applied.error, undefined);
  n = await count();
  await send({ type: 'trace', id: 'again', example: { set: 'train', index: 7 } });
  const again = await next('trace', n);
  assert.ok(Math.abs(again.trace.costValue - a.trace.step.costAfter) < 1e-6 * (1 + a.trace.step.costAfter),
    `cost after the step ${again.trace.costValue}, predicted ${a.trace.step.costAfter}`);

  // Trained since the trace: refused, nothing changed.
  await send({ type: 'step' });
  n = await count();
  await send({ type: 'apply-step', id: 'again' });
  assert.match((await next('step-applied', n)).error, /changed since this trace/);

  n = await count();
  await send({ type: 'trace', id: 'x', example: { set: 'test', index: 3 } });
  await next('trace', n);
  n = await count();
  await send({ type: 'export-trace', id: 'x', dataset: 'mnist' });
  const json = JSON.parse((await next('trace-json', n)).text);
  assert.deepEqual(json.example, { set: 'test', index: 3, label: json.example.label });
  assert.equal(json.weights.length, 2);
  assert.equal(json.weights[0].length, 30);
  assert.equal(json.weights[0][0].length, 784);
  n = await count();
  await send({ type: 'export-trace', id: 'a', dataset: 'mnist' });   // an older trace is kept
  assert.equal(JSON.parse((await next('trace-json', n)).text).example.index, 7);
  n = await count();
  await send({ type: 'export-trace', id: 'never-traced', dataset: 'mnist' });
  assert.match((await next('trace-json', n)).error, /trace the example again/);
});

test('a truth table needs no data: SURFACE, SET_PARAM, and a step network that will not train', { skip }, async () => {
  let n = await count();
  await send({ type: 'configure', config: { dataset: 'nand', sizes: [2, 1], activation: 'step', batch: 4, epochs: 1 },
    params: [-2, -2, 3] });
  await next('configured', n);
  const surface = await next('surface', n);
  assert.deepEqual(Array.from(surface.outputs), [1, 1, 1, 0]);
  n = await count();
  await send({ type: 'set-param', index: 2, text: '1e40' });
  assert.match((await next('param-set', n)).error, /too large/);
  n = await count();
  await send({ type: 'set-param', index: 2, text: '1' });
  const set = await next('param-set', n);
  assert.equal(set.value, 1);
  assert.deepEqual(Array.from((await next('surface', n)).outputs), [1, 0, 0, 0]);
  n = await count();
  await send({ type: 'start' });
  assert.match((await next('error', n)).message, /cannot be trained by gradient descent/);
});
