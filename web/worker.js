// The Web Worker that owns the WebAssembly module: has MNIST streamed into it (download.js), trains
// in chunks of mini-batches and posts progress between them (messages: protocol.js).
// Not the page: it never touches the DOM, and the page never touches the module.
// @ts-check
'use strict';

const CHUNK_SECONDS = 0.04;        // compute per chunk: short enough for PAUSE to feel instant
const PROGRESS_INTERVAL = 50;      // ms between PROGRESS messages (points of the cost chart)
const PARAMS_INTERVAL = 200;       // ms between weight snapshots (each is a copy of every weight)
const RATE_WINDOW = 500;           // ms of training behind each examples-per-second figure
const SURFACE_SIZE = 41;           // points a side of a truth table's decision surface
// A truth table trains at a pace a class can watch: an epoch (one full-batch step) takes tens of
// microseconds, so 1,000 would be over before the first frame. At most this many epochs a chunk
// and one chunk per frame: 1,000 epochs in about 2 s, the surface redrawn as it goes.
const SMALL_EPOCHS_PER_CHUNK = 8;
const SMALL_CHUNK_MS = 16;
// The compact copy of the MNIST images (download.js storeCompact) is written this long after the
// data is ready: copying 17 MB out of the core would delay the first mini-batch.
const COMPACT_DELAY_MS = 2000;
// The saturation view's histogram: z of N(0,1) first layers spreads to +-30 and beyond.
const SATURATION = { bins: 240, lo: -30, hi: 30, samples: 1000 };

/** @type {typeof import('./protocol.js')} */
let P = null;          // protocol.js
let D = null;          // download.js
let C = null;          // config.js (which datasets are images)
let module = null;     // the instantiated WASM module
let starting = null;   // the module's promise, while it compiles
let ready = false;     // READY posted: until then what the downloads report waits in `early`
const early = [];
/** @type {import('./wasm_variant.js').ModuleKind} */
let moduleKind = 'plain';   // which of the two modules (wasm_variant.js)
let data = null;       // MnistData, once the four files are in
let lab = null;        // Lab: the network and its trainer
let version = 0;       // counts every change of lab's parameters (training, a step, a weight typed)
// TRACE id -> { example, version, trace }: what APPLY_STEP applies and EXPORT_TRACE writes. The
// last few of each view: a view's ids are its own prefix and a counter (protocol.js), and the
// diagram's traces, one per training chunk, must not push out the inspector's.
const traced = new Map();
const TRACES_KEPT = 4;   // per view
const viewOf = id => String(id).replace(/\d+$/, '');
let lastTraced = null;      // the id of the trace whose step the core holds
let exportModule = null;    // views/inspector/export.js, imported on the first export
let config = null;     // the config lab was built from
let quiet = false;     // a sweep's worker: no weight copies, no saturation (nobody draws them)
let running = false;
let loading = null;    // the AbortController of the LOAD under way
const queue = [];      // messages that arrived before the module was ready

// ---- messages ---------------------------------------------------------------------------------

self.onmessage = (event) => {
  if (module) handle(event.data);
  else if (starting && event.data?.type === P.ToWorker.LOAD) handle(event.data);   // see below
  else queue.push(event.data);
};
// A trap inside a callback that has no try (a promise's, a timer's) still ends this worker cleanly.
self.addEventListener('unhandledrejection', (event) => {
  if (module && isCrash(event.reason)) {
    event.preventDefault();
    crash(event.reason);
  }
});

(async () => {
  try {
    let variant;
    [P, D, C, variant] = await Promise.all([
      import('./protocol.js'), import('./download.js'), import('./config.js'), import('./wasm_variant.js'),
    ]);
    // The Emscripten glue is a classic script; its createBackpropLab fetches and compiles the .wasm.
    const instantiate = (kind) => {
      const base = new URL(variant.wasmFolder(kind), self.location.href);
      importScripts(new URL('backprop_lab.js', base).href);
      return createBackpropLab({ locateFile: (path) => new URL(path, base).href });
    };
    // The page sends its LOAD with the worker's creation: its downloads start first, before the
    // glue and the .wasm are fetched, and stream in while the module compiles (download.js holds
    // the bytes until it is there). Only LOAD: everything else needs the module. What it reports
    // waits for READY (post below). Should the relaxed module fail (missing from a partial copy of
    // the site, or refused for a feature the probe does not test), the plain one is loaded instead.
    moduleKind = variant.moduleKind();
    // From a microtask: the queued LOAD below has sent its requests by then.
    starting = Promise.resolve().then(async () => {
      if (moduleKind !== 'relaxed') return instantiate('plain');
      try {
        return await instantiate('relaxed');
      } catch {
        moduleKind = 'plain';
        return instantiate('plain');
      }
    });
    for (const message of queue.filter(m => m?.type === P.ToWorker.LOAD)) handle(message);
    queue.splice(0, queue.length, ...queue.filter(m => m?.type !== P.ToWorker.LOAD));
    module = await starting;
  } catch (e) {
    // No module: the early LOAD's downloads end unreported and later messages wait unanswered;
    // the page shows this one error.
    starting = null;
    if (loading) {
      const downloads = loading;
      loading = null;
      downloads.abort();
    }
    ready = true;
    post(P ? P.FromWorker.ERROR : 'error', { message: `Could not start the WebAssembly module: ${messageOf(e)}` });
    return;
  }
  ready = true;
  post(P.FromWorker.READY, { module: moduleKind });
  for (const [message, transfer] of early.splice(0)) self.postMessage(message, transfer);
  while (queue.length) handle(queue.shift());
})();

/** @type {import('./protocol.js').Post} */
function post(type, payload, transfer = []) {
  if (ready) self.postMessage({ type, ...payload }, transfer);
  else early.push([{ type, ...payload }, transfer]);   // the page hears READY first
}

// download.js has its own: this one must work when importing download.js is what failed.
function messageOf(e) {
  return (e && e.message) || String(e);
}

function perSecond({ examples, ms }) {
  return (1000 * examples) / ms;
}

/** @param {import('./protocol.js').ToWorkerMessage} message */
function handle(message) {
  const T = P.ToWorker;
  try {
    switch (message?.type) {
      case T.LOAD: load(message.dataUrl, message.stallSeconds).catch(failed); break;
      case T.CONFIGURE: configure(message); break;
      case T.START: start(); break;
      case T.PAUSE: pause(); break;
      case T.STEP: step(); break;
      case T.PREDICT: predict(message.pixels); break;
      case T.TRACE: trace(message.id, message.example); break;
      case T.APPLY_STEP: applyStep(message.id); break;
      case T.GRAD_CHECK: gradCheck(message.id, message.example, message.perLayer); break;
      case T.SET_PARAM: setParam(message.index, message.text); break;
      case T.SATURATION: postSaturation(message); break;
      case T.CURVES: curves(message); break;
      case T.SAVE_MODEL: saveModel(message.format); break;
      case T.READ_MODEL: readModel(message.file, message.name).catch(failed); break;
      case T.CHECKPOINT: postCheckpoint('request'); break;
      case T.TEST_IMAGES: testImages(message.id, message.indices); break;
      case T.EXPORT_TRACE:
        exportTrace(message.id, message.dataset)
          .catch(e => post(P.FromWorker.TRACE_JSON, { id: message.id, error: messageOf(e) }));
        break;
      default: {   // every kind of protocol.js is handled above: this is a message from elsewhere
        const unknown = /** @type {{type?: unknown}} */ (message);
        throw new Error(`Unknown message type: ${unknown && unknown.type}`);
      }
    }
  } catch (e) {
    failed(e);
  }
}

// A trap (out of bounds, unreachable, out of memory) or an Emscripten abort leaves the module in
// no state to go on: say so and end this worker; the page starts a new one (and can resume from
// the last CHECKPOINT). Anything else is an error of one request, and the worker goes on.
function isCrash(e) {
  return e instanceof WebAssembly.RuntimeError || /^Aborted\(/.test(messageOf(e));
}

function crash(e) {
  running = false;
  module = null;   // nothing more is handled: messages that still arrive are dropped
  self.onmessage = null;
  post(P.FromWorker.CRASHED, { message: messageOf(e) });
  self.close();
}

// Divergence stops training and keeps the weights; anything else is reported as an error.
function failed(e) {
  if (isCrash(e)) return crash(e);
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
  let fresh, stored, from;
  try {
    ({ data: fresh, stored, from } = await D.loadMnist(module || starting, dataUrl, {
      signal: controller.signal,
      stallSeconds,
      onProgress: (file, received, total) => post(P.FromWorker.DOWNLOAD, { file, received, total }),
    }));
  } catch (e) {
    if (loading !== controller) return;   // superseded: the newer LOAD reports
    loading = null;
    post(P.FromWorker.DATA_ERROR, { file: e.file || '', message: messageOf(e) });
    return;
  }
  if (loading !== controller) return fresh.delete();   // replaced as it finished
  loading = null;
  // A network keeps the data it was built on alive; the page configures a new one. A truth
  // table's network needs no MNIST: it stays.
  if (!small()) stopAndDropLab();
  if (data) data.delete();
  data = fresh;
  post(P.FromWorker.DATA_READY, { train: data.trainCount(), test: data.testCount(), dataUrl, stored });
  // The images this browser kept inflated are kept in the core's form too, for the next visits
  // (also after a damaged compact copy was read again from the inflated one): once training is
  // under way, so the first mini-batch does not wait for the 17 MB copy.
  if (from.includes('inflated')) {
    setTimeout(() => {
      if (data === fresh) D.storeCompact(fresh, dataUrl, from).catch(() => {});
    }, COMPACT_DELAY_MS);
  }
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

// A truth table (a dataset that is not images) is built by the core itself: no download.
const isTable = dataset => dataset !== undefined && !C.isImageDataset(dataset);
function small() {
  return Boolean(config) && isTable(config.dataset);
}

// A fresh network from config, starting from `params` (a preset's, a loaded file's) or resuming a
// CHECKPOINT's bytes exactly; `evaluate`: score it before any training (a loaded network).
/** @param {import('./protocol.js').PayloadOf<'configure', import('./protocol.js').ToWorkerMessage>} message */
function configure({ config: newConfig, params: startParams, checkpoint, evaluate, quiet: q, start: startNow }) {
  stopAndDropLab();
  const table = isTable(newConfig.dataset);
  if (!table && !data) throw new Error('The images are not loaded yet: wait for them (or retry the download).');
  quiet = Boolean(q);
  lab = table ? module.Lab.createSmall(newConfig) : new module.Lab(newConfig, data);
  version++;
  chunkBatches = 1;   // adapted again to this network
  traced.clear();
  config = newConfig;
  if (startParams) lab.setParams(Float32Array.from(startParams));
  let resumed = false, resumeError;
  if (checkpoint) {
    try {
      lab.restore(checkpoint);
      resumed = true;
    } catch (e) {
      if (isCrash(e)) throw e;
      resumeError = messageOf(e);   // said with CONFIGURED: this CONFIGURE did not fail
    }
  }
  pending = { examples: 0, costSum: 0 };
  last = { cost: null, examplesPerSecond: null };
  const params = paramsCopy();
  post(P.FromWorker.CONFIGURED, {
    config, layout: lab.layout(), params, batchesPerEpoch: lab.batchesPerEpoch(),
    epoch: lab.epoch(), batch: lab.batchInEpoch(), resumed, resumeError,
  }, [params.buffer]);
  if (evaluate) {
    const e = lab.evaluate();
    post(P.FromWorker.EVALUATION, e, buffersOf(e));
  }
  postState();
  postSaturation();
  postSurface();
  if ((startParams || resumed) && !table) postCheckpoint('configure');
  if (startNow) start();
}

// ---- model files and checkpoints -----------------------------------------------------------------

function saveModel(format) {
  try {
    requireLab();
    const t0 = performance.now();
    const bytes = format === 'json' ? lab.saveModelJson() : lab.saveModel();
    post(P.FromWorker.MODEL_FILE, { format, bytes, ms: performance.now() - t0 }, [bytes.buffer]);
  } catch (e) {
    if (isCrash(e)) throw e;
    post(P.FromWorker.MODEL_FILE, { format, error: messageOf(e) });
  }
}

// The file is read here, off the page's thread, and only if it is small enough to be a model.
async function readModel(file, name) {
  const reply = payload => post(P.FromWorker.MODEL_READ, { name, ...payload }, buffersOf(payload));
  if (!file || typeof file.arrayBuffer !== 'function') return reply({ error: `${name}: not a file` });
  let bytes;
  try {
    module.Lab.checkModelFileSize(file.size, name);   // the core's limit and message, nothing read
  } catch (e) {
    if (isCrash(e)) throw e;
    return reply({ error: messageOf(e) });
  }
  try {
    bytes = new Uint8Array(await file.arrayBuffer());
  } catch (e) {
    return reply({ error: `${name}: the file could not be read (${messageOf(e)})` });
  }
  const t0 = performance.now();
  try {
    const m = module.Lab.readModel(bytes, name, 784, 10);   // the lab's MNIST networks
    reply({ ...m, bytes: bytes.length, ms: performance.now() - t0 });
  } catch (e) {
    if (isCrash(e)) throw e;
    reply({ error: messageOf(e) });
  }
}

// Everything exact resume needs, for the page's autosave (a truth table's is its own business:
// an epoch there is a single step, so only pauses and ends are saved).
let checkpointVersion = -1;   // the `version` of the last CHECKPOINT posted
function postCheckpoint(why) {
  if (!lab || (quiet && why !== 'epoch' && why !== 'request')) return;
  if (why !== 'request' && version === checkpointVersion) return;   // nothing changed since
  const bytes = lab.checkpoint();
  checkpointVersion = version;
  post(P.FromWorker.CHECKPOINT, {
    bytes, epoch: lab.epoch(), batch: lab.batchInEpoch(), done: done(), why,
  }, [bytes.buffer]);
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
  if (small()) setTimeout(() => tick.port2.postMessage(null), SMALL_CHUNK_MS);
  else tick.port2.postMessage(null);
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
  postCheckpoint('pause');
}

function step() {
  requireLab();
  if (running) return pause();     // a step while running means: stop here
  if (done()) return postState();
  train(1);
  postProgress(true);
  endEpochIfDone();
  postState();
  postCheckpoint('step');
}

function runChunk() {
  if (!running || !lab) return;
  try {
    // A truth table's chunk is a few whole epochs (SMALL_EPOCHS_PER_CHUNK), MNIST's a number of
    // mini-batches sized to CHUNK_SECONDS.
    let examples = 0, batches = 0, seconds = 0, epochEnded = false, finished = false;
    for (let epochs = 0; ; epochs++) {
      const p = train(chunkBatches);
      examples += p.examples;
      batches += p.batches;
      seconds += p.seconds;
      epochEnded = lab.epochDone();
      if (!small()) break;
      if (epochEnded) finished = endEpochIfDone() && done();
      if (finished || epochs + 1 >= SMALL_EPOCHS_PER_CHUNK) break;
    }
    const now = performance.now();
    rate.examples += examples;
    rate.ms += now - rate.since;
    rate.since = now;
    if (rate.ms >= RATE_WINDOW) {
      last.examplesPerSecond = perSecond(rate);
      rate.examples = rate.ms = 0;
    }
    if (batches > 0 && seconds > 0 && !small()) {
      const target = Math.round(CHUNK_SECONDS / (seconds / batches));
      chunkBatches = Math.max(1, Math.min(target, chunkBatches * 2, 100000));
    }
    if (small()) postProgress(finished);
    else {
      postProgress(epochEnded);
      finished = endEpochIfDone() && done();
    }
    loadIntl();
    if (finished) {
      running = false;
      postState();
      postCheckpoint('pause');
      return;
    }
    scheduleChunk();
  } catch (e) {
    failed(e);
  }
}

// The first Intl object in the page's process loads ICU's data, ~15 ms on the thread that makes
// it; later ones, on any thread, are cheap. The page makes its first when it loads its charts
// (uPlot), at its first PROGRESS: made here first, after the first chunk has been reported, it is
// the worker's 15 ms once instead of a main-thread task of ~60 ms at 4x CPU throttling.
let intlLoaded = false;
function loadIntl() {
  if (intlLoaded) return;
  intlLoaded = true;
  new Intl.NumberFormat('en').format(1);
  new Intl.DateTimeFormat().resolvedOptions();
}

function train(n) {
  version++;
  const p = lab.trainBatches(n);
  pending.examples += p.examples;
  pending.costSum += p.cost * p.examples;
  return p;
}

function endEpochIfDone() {
  if (!lab.epochDone()) return false;
  const r = lab.finishEpoch();
  post(P.FromWorker.EPOCH, r, buffersOf(r));
  if (!small()) {
    postSaturation();   // a truth table's (an epoch a step) goes with PROGRESS
    postCheckpoint('epoch');
  }
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
  if (!quiet && (force || small() || now - lastParams >= PARAMS_INTERVAL)) {   // a truth table's: 9 numbers
    payload.params = paramsCopy();
    transfer.push(payload.params.buffer);
    lastParams = now;
  }
  lastProgress = now;
  pending = { examples: 0, costSum: 0 };
  post(P.FromWorker.PROGRESS, payload, transfer);
  if (payload.params && small()) {
    postSurface();
    if (force || lab.epoch() !== lastSaturationEpoch) postSaturation();
  }
}

// The view points into WASM memory, which moves when memory grows: copy it at once.
function paramsCopy() {
  return lab.params().slice();
}

// ---- the views' data: saturation, the decision surface, the activation curves ------------------

// Typed arrays anywhere in a payload, for the transfer list (the core's copies are ours to give).
function buffersOf(value, found = []) {
  if (ArrayBuffer.isView(value)) found.push(value.buffer);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) buffersOf(v, found);
  return found;
}

let lastSaturationEpoch = -1;
function postSaturation(request = {}) {
  if (!lab || quiet) return;
  const { bins, lo, hi, samples } = { ...SATURATION, ...pick(request, ['bins', 'lo', 'hi']) };
  const saturation = lab.saturation(bins, lo, hi, samples);
  lastSaturationEpoch = lab.epoch();
  post(P.FromWorker.SATURATION, { saturation }, buffersOf(saturation));
}

function pick(object, keys) {
  return Object.fromEntries(keys.filter(k => object[k] !== undefined).map(k => [k, object[k]]));
}

function postSurface() {
  if (!lab || !small()) return;
  const s = lab.surface(SURFACE_SIZE);
  post(P.FromWorker.SURFACE, s, buffersOf(s));
}

function curves({ lo = -6, hi = 6, n = 241 } = {}) {
  const c = module.Lab.curves(lo, hi, n);
  post(P.FromWorker.CURVES, c, buffersOf(c));
}

// ---- the inspector: TRACE, APPLY_STEP, GRAD_CHECK; and weights set by hand (SET_PARAM) ---------

// The core's errors about the example (an index out of range, ...) go back to the view that asked.
function answer(type, id, compute) {
  let result;
  try {
    requireLab();
    result = compute();
  } catch (e) {
    post(type, { id, error: messageOf(e) });
    return;
  }
  post(type, { id, ...result }, buffersOf(result));
}

function trace(id, example) {
  answer(P.FromWorker.TRACE, id, () => {
    const t = lab.trace(example);
    lastTraced = id;
    Object.assign(t, {
      sizes: config.sizes, activation: config.activation, cost: config.cost, eta: config.eta,
      params: paramsCopy(), layout: lab.layout(),
    });
    traced.delete(id);
    traced.set(id, { example, version, trace: t });
    const mine = [...traced.keys()].filter(k => viewOf(k) === viewOf(id));
    if (mine.length > TRACES_KEPT) traced.delete(mine[0]);
    return { trace: structuredClone(t) };   // the worker keeps its own for EXPORT_TRACE
  });
}

// The README's JSON of the last TRACE (views/inspector/export.js: pure functions, no DOM).
async function exportTrace(id, dataset) {
  exportModule = exportModule || await import('./views/inspector/export.js');
  const t = traced.get(id);
  if (!t) {
    post(P.FromWorker.TRACE_JSON, { id, error: 'That trace is gone: trace the example again.' });
    return;
  }
  const text = JSON.stringify(exportModule.traceJson(t.trace, dataset));
  post(P.FromWorker.TRACE_JSON, { id, text });
}

// The step of TRACE `id`, on the network that trace saw: another view's TRACE since then is
// traced again (the same parameters give the same step); a network changed since is refused.
function applyStep(id) {
  answer(P.FromWorker.STEP_APPLIED, id, () => {
    const t = traced.get(id);
    if (!t) throw new Error('That trace is gone: trace the example again.');
    if (t.version !== version) {
      throw new Error('The network has changed since this trace (it trained or was edited): ' +
        'trace the example again to see its step now.');
    }
    if (lastTraced !== id) lab.trace(t.example);
    lab.applyStep();
    version++;
    return { params: paramsCopy() };
  });
  postSurface();
  postCheckpoint('edit');
}

function gradCheck(id, example, perLayer = 5) {
  answer(P.FromWorker.GRAD_CHECK, id, () => ({ check: lab.gradCheck(example, perLayer) }));
}

function setParam(index, text) {
  requireLab();
  let value;
  try {
    value = lab.setParam(index, String(text));
    version++;
  } catch (e) {
    post(P.FromWorker.PARAM_SET, { index, error: messageOf(e) });
    return;
  }
  const params = paramsCopy();
  post(P.FromWorker.PARAM_SET, { index, value, params }, [params.buffer]);
  postSurface();
  postSaturation();
  postCheckpoint('edit');
}

// ---- PREDICT, and test images for the misclassified gallery ------------------------------------

function testImages(id, indices) {
  try {
    if (!data) throw new Error('The images are not loaded yet.');
    const pixels = data.testImages(indices);
    post(P.FromWorker.TEST_IMAGES, { id, indices: Uint32Array.from(indices), pixels }, [pixels.buffer]);
  } catch (e) {
    if (isCrash(e)) throw e;
    post(P.FromWorker.TEST_IMAGES, { id, error: messageOf(e) });
  }
}

function predict(pixels) {
  requireLab();
  post(P.FromWorker.PREDICTION, { outputs: lab.predict(pixels) });
}

// ---- stats: what a long session must not pile up (tests/web/soak.test.mjs) --------------------

// protocol.js Stats. The soak test calls this in the page's own worker through DevTools: no message
// for it, which the page would have to pass on.
/** @returns {import('./protocol.js').Stats} */
// eslint-disable-next-line no-unused-vars
function stats() {
  return {
    wasmBytes: module.HEAP8.buffer.byteLength,
    heapInUse: module.heapInUse(),
    emvalHandles: module.count_emval_handles(),
    liveObjects: module.liveObjects(),
  };
}
