// The Web Worker that owns the WebAssembly module: has MNIST streamed into it (download.js), trains
// in chunks of mini-batches and posts progress between them (messages: protocol.js).
// Not the page: it never touches the DOM, and the page never touches the module.
'use strict';

importScripts('wasm/backprop_lab.js');   // the Emscripten glue is a classic script

const CHUNK_SECONDS = 0.04;        // compute per chunk: short enough for PAUSE to feel instant
const PROGRESS_INTERVAL = 50;      // ms between PROGRESS messages (points of the cost chart)
const PARAMS_INTERVAL = 200;       // ms between weight snapshots (each is a copy of every weight)
const RATE_WINDOW = 500;           // ms of training behind each examples-per-second figure

let P = null;          // protocol.js
let D = null;          // download.js
let module = null;     // the instantiated WASM module
let data = null;       // MnistData, once the four files are in
let lab = null;        // Lab: the network and its trainer
let config = null;     // the config lab was built from
let running = false;
let loading = null;    // the AbortController of the LOAD under way
const queue = [];      // messages that arrived before the module was ready

// ---- messages ---------------------------------------------------------------------------------

self.onmessage = (event) => {
  if (module) handle(event.data);
  else queue.push(event.data);
};

(async () => {
  try {
    [P, D] = await Promise.all([import('./protocol.js'), import('./download.js')]);
    const base = new URL('wasm/', self.location.href);
    module = await createBackpropLab({ locateFile: (path) => new URL(path, base).href });
  } catch (e) {
    post(P ? P.FromWorker.ERROR : 'error', { message: `Could not start the WebAssembly module: ${messageOf(e)}` });
    return;
  }
  post(P.FromWorker.READY, {});
  while (queue.length) handle(queue.shift());
})();

function post(type, payload, transfer = []) {
  self.postMessage({ type, ...payload }, transfer);
}

// download.js has its own: this one must work when importing download.js is what failed.
function messageOf(e) {
  return (e && e.message) || String(e);
}

function perSecond({ examples, ms }) {
  return (1000 * examples) / ms;
}

function handle(message) {
  const T = P.ToWorker;
  try {
    switch (message && message.type) {
      case T.LOAD: load(message.dataUrl, message.stallSeconds).catch(failed); break;
      case T.CONFIGURE: configure(message.config); break;
      case T.START: start(); break;
      case T.PAUSE: pause(); break;
      case T.STEP: step(); break;
      case T.PREDICT: predict(message.pixels); break;
      default: throw new Error(`Unknown message type: ${message && message.type}`);
    }
  } catch (e) {
    failed(e);
  }
}

// Divergence stops training and keeps the weights; anything else is reported as an error.
function failed(e) {
  const wasRunning = running;
  running = false;
  if (e && e.name === 'DivergedError') {
    post(P.FromWorker.DIVERGED, { message: e.message });
    postProgress(true);
    postState();
  } else {
    post(P.FromWorker.ERROR, { message: messageOf(e) });
    if (wasRunning) postState();
  }
}

// ---- LOAD: the four files, streamed into the C++ readers by download.js ----------------------

async function load(dataUrl, stallSeconds) {
  if (loading) loading.abort();   // a new LOAD replaces the one under way
  const controller = new AbortController();
  loading = controller;
  let fresh;
  try {
    fresh = await D.loadMnist(module, dataUrl, {
      signal: controller.signal,
      stallSeconds,
      onProgress: (file, received, total) => post(P.FromWorker.DOWNLOAD, { file, received, total }),
    });
  } catch (e) {
    if (loading !== controller) return;   // superseded: the newer LOAD reports
    loading = null;
    post(P.FromWorker.DATA_ERROR, { file: e.file || '', message: messageOf(e) });
    return;
  }
  if (loading !== controller) return fresh.delete();   // replaced as it finished
  loading = null;
  // A network keeps the data it was built on alive; the page configures a new one.
  stopAndDropLab();
  if (data) data.delete();
  data = fresh;
  post(P.FromWorker.DATA_READY, { train: data.trainCount(), test: data.testCount() });
}

// ---- CONFIGURE: a fresh network ---------------------------------------------------------------

function stopAndDropLab() {
  if (running) {
    running = false;
    postState();
  }
  if (lab) lab.delete();
  lab = null;
}

function configure(newConfig) {
  stopAndDropLab();
  if (!data) throw new Error('The MNIST data is not loaded yet: wait for it (or retry the download).');
  lab = new module.Lab(newConfig, data);
  config = newConfig;
  pending = { examples: 0, costSum: 0 };
  last = { cost: null, examplesPerSecond: null };
  const params = paramsCopy();
  post(P.FromWorker.CONFIGURED, {
    config, layout: lab.layout(), params, batchesPerEpoch: lab.batchesPerEpoch(),
  }, [params.buffer]);
  postState();
}

// ---- training: chunks of mini-batches, messages handled between them ---------------------------

let chunkBatches = 1;          // adapted so a chunk takes about CHUNK_SECONDS
let lastProgress = 0, lastParams = 0;
let pending = { examples: 0, costSum: 0 };           // since the last PROGRESS
let last = { cost: null, examplesPerSecond: null };   // repeated when nothing new was trained
// Examples per second on the wall clock (what the page really gets), over windows of RATE_WINDOW.
let rate = { examples: 0, ms: 0, since: 0 };

// A macrotask without setTimeout's 4 ms clamp: lets queued messages (PAUSE, ...) run first.
// At most one chunk is ever scheduled, however quickly PAUSE and START alternate.
const tick = new MessageChannel();
let chunkScheduled = false;
tick.port1.onmessage = () => {
  chunkScheduled = false;
  runChunk();
};
function scheduleChunk() {
  if (chunkScheduled) return;
  chunkScheduled = true;
  tick.port2.postMessage(null);
}

function done() {
  return lab.epoch() >= config.epochs;
}

function postState() {
  post(P.FromWorker.STATE, { running, done: Boolean(lab && done()) });
}

function requireLab() {
  if (!lab) throw new Error('No network yet: configure one first.');
}

function start() {
  requireLab();
  if (running) return;
  if (!done()) {
    running = true;
    rate = { examples: 0, ms: 0, since: performance.now() };
    scheduleChunk();
  }
  postState();
}

function pause() {
  if (!running) return postState();
  running = false;
  postProgress(true);
  postState();
}

function step() {
  requireLab();
  if (running) return pause();     // a step while running means: stop here
  if (done()) return postState();
  train(1);
  postProgress(true);
  endEpochIfDone();
  postState();
}

function runChunk() {
  if (!running || !lab) return;
  try {
    const p = train(chunkBatches);
    const now = performance.now();
    rate.examples += p.examples;
    rate.ms += now - rate.since;
    rate.since = now;
    if (rate.ms >= RATE_WINDOW) {
      last.examplesPerSecond = perSecond(rate);
      rate.examples = rate.ms = 0;
    }
    if (p.batches > 0 && p.seconds > 0) {
      const perBatch = p.seconds / p.batches;
      const target = Math.round(CHUNK_SECONDS / perBatch);
      chunkBatches = Math.max(1, Math.min(target, chunkBatches * 2, 100000));
    }
    const epochEnded = lab.epochDone();
    postProgress(epochEnded);
    if (endEpochIfDone() && done()) {
      running = false;
      postState();
      return;
    }
    scheduleChunk();
  } catch (e) {
    failed(e);
  }
}

function train(n) {
  const p = lab.trainBatches(n);
  pending.examples += p.examples;
  pending.costSum += p.cost * p.examples;
  return p;
}

function endEpochIfDone() {
  if (!lab.epochDone()) return false;
  const r = lab.finishEpoch();
  post(P.FromWorker.EPOCH, r, [r.confusion.buffer]);
  return true;
}

// Throttled: at most one PROGRESS per PROGRESS_INTERVAL and one weight copy per PARAMS_INTERVAL,
// unless forced (pause, step, epoch end: the page must see the weights it stopped at).
function postProgress(force) {
  const now = performance.now();
  if (!force && now - lastProgress < PROGRESS_INTERVAL) return;
  if (!lab) return;
  if (pending.examples) last.cost = pending.costSum / pending.examples;
  const payload = {
    epoch: lab.epoch(),
    batch: lab.batchInEpoch(),
    cost: last.cost,
    examplesPerSecond: last.examplesPerSecond ??
      (rate.ms > 0 ? perSecond(rate) : null),   // a first estimate
  };
  const transfer = [];
  if (force || now - lastParams >= PARAMS_INTERVAL) {
    payload.params = paramsCopy();
    transfer.push(payload.params.buffer);
    lastParams = now;
  }
  lastProgress = now;
  pending = { examples: 0, costSum: 0 };
  post(P.FromWorker.PROGRESS, payload, transfer);
}

// The view points into WASM memory, which moves when memory grows: copy it at once.
function paramsCopy() {
  return lab.params().slice();
}

// ---- PREDICT ----------------------------------------------------------------------------------

function predict(pixels) {
  requireLab();
  post(P.FromWorker.PREDICTION, { outputs: lab.predict(pixels) });
}
