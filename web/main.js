// The page: owns the DOM, keeps the latest data from the worker and redraws on
// requestAnimationFrame (never per message, never by polling). It trains nothing itself: the
// worker (worker.js) owns the WASM module and every message is one of protocol.js.
// @ts-check
import { ToWorker, FromWorker, MNIST_FILES } from './protocol.js';
import { parseHash, formatHash, matchPreset, sameConfig, trainable, isImageDataset, imageDataset, dataFolder,
  classNames, runLabel, DEFAULT_DATA_URL } from './config.js';
import { AccuracyChart, CostChart } from './views/charts.js';
import { SettingsForm, PresetList } from './views/controls.js';
import { DownloadBars } from './views/downloads.js';
import { DrawPad } from './views/draw.js';
import { RunKeys } from './views/keyboard.js';
import { OutputBars } from './views/outputs.js';
import { renderStatus, bestEpoch, accuracy } from './views/status.js';
import { drawTiles, LayerHeatmaps } from './views/weights.js';
import { setText, setHidden } from './views/dom.js';
import { loadUPlot } from './views/uplot.js';
import * as inspector from './views/inspector/index.js';
import * as smallNetworks from './views/small/index.js';
import * as saturation from './views/saturation/index.js';
import * as files from './views/files/index.js';
import * as session from './views/session/index.js';
import * as history from './views/history/index.js';
import * as sweep from './views/sweep/index.js';
import * as gallery from './views/gallery/index.js';
import { registerOffline } from './offline.js';
import { takeWorker } from './boot.js';

const $ = id => document.getElementById(id);
const PREDICT_EVERY_MS = 250;   // live re-prediction while training, at most this often
// A point of the cost chart is the mean of at least this many mini-batches: one mini-batch's
// cost (a Step) is noisy enough to dwarf the curve on a log scale.
const MIN_BATCHES_PER_POINT = 10;

const fromHash = parseHash(location.hash);
const state = {
  config: fromHash.config, dataUrl: fromHash.dataUrl, autostart: fromHash.autostart,
  dataOwner: fromHash.config.dataset,   // the dataset the link's data= is for
  urlSweep: fromHash.sweep,   // sweep=: the sweep the page was opened with (views/sweep/)
  workerReady: false, data: null, files: new Map(), error: null, loadRequested: false,
  loadingUrl: null,     // the folder of the LOAD under way (or last sent)
  run: null,            // { id, config, layout, batchesPerEpoch, preset } of the network the worker
                        //   holds; id: the run history's (a resumed autosave keeps its own)
  configuring: 0,       // CONFIGUREs on their way: ignore the old network's late messages
  autostarted: false, running: false, done: false, diverged: null,
  pausing: false,       // Pause clicked, the worker's STATE not yet here
  startWhenReady: false,   // START once the network is built (Start pressed early, a preset mid-run)
  startSent: false,     // a CONFIGURE on its way says start: one that replaces it says so too
  params: null, epochs: [], costX: [], cost: [], progress: null, outputs: null,
  trainedBatches: 0, costBucket: { batches: 0, sum: 0 },   // cost not yet plotted
  paramsVersion: 0,     // +1 whenever the network's parameters may have changed (views compare it)
  predicting: false, predictAgain: false, lastPredict: 0,
  evaluation: null,     // EVALUATION of a loaded network, before it trains
  confusion: null,      // the 100 counts of the last EPOCH or EVALUATION (row = true class)
  mistakes: null, mistakesVersion: 0,   // its misclassified test images (protocol.js Mistakes) + count
  crash: null,          // { message, at } once a worker died (a new one is started at once)
  pendingResume: null,  // an autosave record to resume once the worker and data are ready
  resumeRecord: null, startModel: null, loadingModel: null,   // what the CONFIGURE on its way carries
};

// The worker is replaced when it dies (a trap, an abort, a bug): messages of an old one are ignored.
let worker = null;
/** @type {import('./protocol.js').Send} */
const send = (type, payload, transfer = []) => worker.postMessage({ type, ...payload }, transfer);

// --- views -------------------------------------------------------------------------------------
// While a network trains, the parts that only summarise it are redrawn at most every PACE ms (a
// [784,30,10] epoch can end three times a second, a cost point come every 50 ms): on a slow
// laptop every redraw of a chart, the matrix or the gallery is a frame's work. The parts a person
// acts on (status and buttons, outputs, inspector) are never paced. When the run stops, a paced
// part waiting for its turn is drawn at once.
// (The gallery paces its own refills: it paints a page 10 images a frame.) For a moment after a
// click or a key nothing is paced or held back by the budget: what the person asked for (a cell
// of the matrix, the next page, a question to answer) is drawn in the next frame.
const PACE = { cost: 250, accuracy: 250, weights: 200, heatmaps: 200, confusion: 1000, history: 1000,
  saturation: 1000, sweep: 500 };
const PROMPT_MS = 500;
let promptUntil = -Infinity;
for (const type of ['pointerdown', 'keydown', 'click', 'input', 'change']) {
  document.addEventListener(type, () => { promptUntil = performance.now() + PROMPT_MS; }, true);
}
// While a network trains, a part whose panels are all off screen is not drawn either: it stays
// owed and is drawn when one of them scrolls into view, or when the run stops (then one such part
// a frame: see render).
const PANELS = { weights: ['.weights-panel'], heatmaps: ['.heatmaps-panel'], accuracy: ['.accuracy-panel'],
  cost: ['.cost-panel'], confusion: ['.confusion-panel', '#gallery-panel'], gallery: ['#gallery-panel'],
  history: ['#history-panel'] };
const panelsOf = new Map(Object.entries(PANELS).map(([part, selectors]) =>
  [part, selectors.map(selector => document.querySelector(selector)).filter(Boolean)]));   // found once
const onScreen = new Set();   // the panels of PANELS in the viewport now
const owed = new Set();       // parts skipped while their panels were off screen
const shown = part => !panelsOf.has(part) || panelsOf.get(part).some(panel => onScreen.has(panel));
const panels = new IntersectionObserver(entries => {
  for (const e of entries) {
    if (e.isIntersecting) onScreen.add(e.target);
    else onScreen.delete(e.target);
  }
  const back = [...owed].filter(shown);
  for (const p of back) owed.delete(p);
  if (back.length) invalidate(...back);
});
for (const panel of new Set([...panelsOf.values()].flat())) panels.observe(panel);
// A frame draws the paced parts while they fit in FRAME_BUDGET ms, each expected to take what it
// took last time; the rest wait for the next frame, so a task stays short even when many parts
// are dirty at once (an epoch's end). The first paced part of a frame is always drawn: none waits
// for ever behind the unpaced ones on a slow machine.
const FRAME_BUDGET = 8;
const dirty = new Set();
const lastDrawn = new Map(), waiting = new Map();   // part -> time drawn; part -> its timer
const lastCost = new Map();   // part -> ms its last drawing took
let frame = 0;
function invalidate(...parts) {
  for (const p of parts) {
    const paced = state.running && PACE[p] && performance.now() >= promptUntil;
    const wait = paced ? (lastDrawn.get(p) ?? -Infinity) + PACE[p] - performance.now() : 0;
    if (wait <= 0) dirty.add(p);
    else if (!waiting.has(p)) {
      waiting.set(p, setTimeout(() => {
        waiting.delete(p);
        invalidate(p);
      }, wait));
    }
  }
  if (dirty.size && !frame) frame = requestAnimationFrame(render);
}
// The paced parts waiting for their turn and those owed off screen, drawn now (the run stopped:
// nothing to pace).
function flushPaced() {
  for (const [p, timer] of waiting) {
    clearTimeout(timer);
    dirty.add(p);
  }
  waiting.clear();
  for (const p of owed) dirty.add(p);
  owed.clear();
  if (dirty.size && !frame) frame = requestAnimationFrame(render);
}

// The views that mount themselves (views/inspector/, small/, saturation/) get this bridge:
// they read `state` (writing only their own field, state[name]), listen to the worker's messages
// after main.js has applied them, and redraw in render() when a part they drew on is dirty.
const listeners = new Map(), renderers = new Map();
const addTo = (map, key, fn) => map.set(key, [...(map.get(key) || []), fn]);
const app = {
  state, send, invalidate,
  /** @type {import('./protocol.js').On} */
  on: (type, fn) => addTo(listeners, type, fn),
  onRender: (part, fn) => addTo(renderers, part, fn),
  // The run buttons' actions, for views that pause or resume the run (the inspector).
  pause: () => send(ToWorker.PAUSE),   // also when a START is on its way (the worker ignores a spare one)
  drawnPixels: () => (pad.pixels ? pad.pixels.slice() : null),   // the pad's 784 values, or null
  applyConfig: (config, options) => { settings.fill(config); applyConfig(config, options); },
  // What the ten outputs stand for (digits, or Fashion-MNIST's classes): the run's dataset's.
  classNames: dataset => classNames(dataset || (state.run || state).config.dataset),
  // The folder of an image dataset's files, as an absolute URL (a sweep's workers load it).
  dataUrlFor: dataset => new URL(dataFolder(dataset, state.dataUrl), location.href).href,
  inspect: () => {},   // views/inspector/ sets it: open the inspector on an ExampleRef
  setUrlSweep: kind => {
    state.urlSweep = kind || null;
    writeUrl();
  },
  // A model file the worker has read (MODEL_READ): its network, evaluated, ready to train on.
  useModel: ({ name, model, params }) => {
    const dataset = imageDataset(state.config.dataset);
    const config = { ...state.config, dataset, sizes: model.sizes, activation: model.activation,
      cost: model.cost };
    state.pendingResume = null;   // the file is the later choice
    state.startModel = { name, params, config };
    app.applyConfig(config);
  },
  runRecord,
  // An autosave record back into a network, exactly where it was (training does not start).
  resume: record => {
    state.pendingResume = record;
    state.startModel = null;
    state.autostarted = true;
    state.startWhenReady = false;   // a Start pressed earlier was for another network
    app.applyConfig(record.config);
  },
  // After a crash: a fresh network from the settings (built as soon as the new worker has the data).
  startFresh: () => {
    if (!state.run && state.crash) crashDecided();
  },
};

// The charts' library (uplot.js) is imported once the start-up's work is done: when training is
// under way (the first PROGRESS), or when the first network is built and nothing starts it, or at
// the latest CHARTS_LATE_MS after this script ran (no data, an error). Until then each chart
// shows its line. Once it is in, each chart is built in a task of its own, then all are drawn:
// built in a frame with their first data, the two were one task of 50-90 ms at 4x throttling.
const CHARTS_LATE_MS = 1500;
let chartsAsked = false;
function loadCharts() {
  if (chartsAsked) return;
  chartsAsked = true;
  const redraw = () => invalidate('accuracy', 'cost', 'saturation', 'saturation-curves');
  const build = ([chart, ...rest]) => {
    if (!chart) return redraw();
    chart.built();
    setTimeout(build, 0, rest);
  };
  loadUPlot().then(() => setTimeout(build, 0, [accuracyChart, costChart]), redraw);   // a failure: the charts say so
}
setTimeout(loadCharts, CHARTS_LATE_MS);
const whenIdle = window.requestIdleCallback || (fn => setTimeout(fn, 50));   // (not in every browser)

const accuracyChart = new AccuracyChart($('accuracy-chart'));
const costChart = new CostChart($('cost-chart'));
app.charts = { accuracy: accuracyChart, cost: costChart };   // views/history/ overlays runs on them
const downloads = new DownloadBars($('downloads'), $('downloads-summary'), $('data-panel'));
const heatmaps = new LayerHeatmaps($('heatmaps'));
const outputs = new OutputBars($('outputs'), $('prediction'));
// Settings and presets stay usable while training: a change stops the run and builds a fresh
// network (as Reset does); a preset picked mid-run trains at once (a lecturer switching experiments).
const settings = new SettingsForm($('settings'), config => {
  if (!state.run || !sameConfig(config, state.config)) applyConfig(config);
});
const presets = new PresetList($('presets'), preset => {
  settings.fill(preset.config);
  applyConfig(preset.config, { start: state.running || state.startWhenReady });
});
const keys = new RunKeys(() => state.running,
  () => Boolean(state.done || state.diverged || state.error || !trainable(state.config)));
const pad = new DrawPad($('draw'), $('processed'), pixels => {
  if (!pixels) {
    state.outputs = null;
    invalidate('outputs');
  }
  requestPrediction();
});

// --- talking to the worker ---------------------------------------------------------------------
// A truth table (dataset xor, and, ...) is built by the worker itself: the images (MNIST or
// Fashion-MNIST) are fetched only for a network that needs them, the first time one does.
const needsImages = () => !state.config.dataset || isImageDataset(state.config.dataset);
const wantedData = () => app.dataUrlFor(state.config.dataset);
// The worker holds the images this network needs (another dataset's are fetched anew).
const haveData = () => Boolean(state.data) && state.data.dataUrl === wantedData();

// sent: boot.js has sent this very LOAD already.
function load({ sent = false } = {}) {
  state.loadRequested = true;
  state.loadingUrl = wantedData();
  state.error = null;
  state.data = null;
  state.files = new Map(MNIST_FILES.map(name => [name, { received: 0, total: 0 }]));
  if (!sent) send(ToWorker.LOAD, { dataUrl: wantedData() });
  invalidate('status', 'downloads');
}

function configure() {
  // Fashion after MNIST, or back: the other set's files (a LOAD under way is replaced).
  if (needsImages() && (state.data ? !haveData() : state.loadRequested && state.loadingUrl !== wantedData())) {
    state.data = null;
    state.loadRequested = false;
  }
  if (needsImages() && !state.data) {   // the old network stops; the new one waits for the data
    if (state.running) send(ToWorker.PAUSE);
    dropRun();
    if (state.workerReady && !state.loadRequested) load();
    invalidate('status');
    return;
  }
  if (!state.workerReady) return;
  if (state.running) send(ToWorker.PAUSE);
  // A new config may well fix an error; a failed download does not concern a truth table.
  if (state.error && (!state.error.retry || !needsImages())) state.error = null;
  dropRun();                 // the worker drops its network first, whatever follows
  state.configuring++;
  // What this network starts from: an autosave to resume, a loaded file's weights (evaluated at
  // once), or a preset's hand-set weights (Nielsen's NAND perceptron, also after a Reset). A
  // resume or a file waiting for the data counts only if the settings are still its own.
  const own = pending => (pending && sameConfig(pending.config, state.config) ? pending : null);
  const record = own(state.pendingResume), model = record ? null : own(state.startModel);
  state.pendingResume = state.startModel = null;
  state.resumeRecord = record;
  state.loadingModel = model;
  if (state.crash) {   // the person has moved on from the crash notice
    state.crash = null;
    invalidate('crash');
  }
  const preset = matchPreset(state.config);
  const payload = { config: state.config };
  // A resume at an epoch's end is scored again (the matrix and the gallery are that epoch's);
  // mid-epoch they wait for the epoch's end, as the charts do.
  if (record) Object.assign(payload, { checkpoint: record.checkpoint, evaluate: record.batch === 0 && record.epoch > 0 });
  else if (model) Object.assign(payload, { params: model.params, evaluate: true });
  else if (preset && preset.params) payload.params = preset.params;
  // An autostart (or Start pressed early): the worker trains as soon as the network is built,
  // a round trip sooner than a START sent on CONFIGURED. Not for a sweep link: views/sweep/
  // pauses the main network on CONFIGURED, before it has trained.
  const startNow = (state.autostart && !state.autostarted) || state.startWhenReady || state.startSent;
  if (startNow && !state.urlSweep && trainable(state.config)) {
    Object.assign(state, { autostarted: true, startWhenReady: false, startSent: true });
    payload.start = true;
  }
  send(ToWorker.CONFIGURE, payload);
  invalidate('status');
}

// No network on the page until the next CONFIGURED: nor its test results (the matrix, the gallery).
function dropRun() {
  state.run = null;
  if (state.confusion || state.mistakes) {
    state.confusion = state.mistakes = null;
    state.mistakesVersion++;
    invalidate('confusion');
  }
}

// The autosave record of the run the worker holds, for a CHECKPOINT (storage/autosave.js keeps
// it); null when there is nothing to save. Arrays are copied: the record is stored later.
function runRecord(checkpoint) {
  if (!state.run || state.configuring || !checkpoint || !checkpoint.bytes) return null;
  const c = state.run.config;
  return {
    schema: 1, savedAt: Date.now(), config: c, checkpoint: checkpoint.bytes,
    epoch: checkpoint.epoch, batch: checkpoint.batch, done: checkpoint.done,
    epochs: state.epochs.slice(), costX: state.costX.slice(), cost: state.cost.slice(),
    trainedBatches: state.trainedBatches, costBucket: { ...state.costBucket },
    handEdited: Boolean(state.run.handEdited), loadedFrom: state.run.loadedFrom || null,
    historyId: state.run.id, diverged: state.diverged,
    label: runLabel(c),
  };
}

// After a crash, the person has chosen (start fresh, Start): build a network once the data is in.
function crashDecided() {
  state.crash = null;
  invalidate('crash', 'status');
  configure();
}

// The worker died: say so (views/session/ offers the autosave), keep everything the page shows,
// and start a new worker, which fetches the data again (from the cache) but builds no network
// until the person resumes or starts fresh.
function workerDied(message) {
  worker.terminate();
  Object.assign(state, {
    workerReady: false, data: null, loadRequested: false, files: new Map(), error: null, run: null,
    configuring: 0, running: false, done: false, predicting: false, predictAgain: false,
    startWhenReady: false, startSent: false, pendingResume: null, resumeRecord: null, loadingModel: null,
    pausing: false,
    crash: { message, at: Date.now() },
  });
  flushPaced();   // the run stopped: what waited is drawn
  state.paramsVersion++;
  startWorker();
  invalidate('status', 'crash', 'downloads', 'presets');
}

function requestPrediction() {
  if (!pad.pixels || !state.run || state.configuring) return;
  if (state.predicting) {
    state.predictAgain = true;
    return;
  }
  state.predicting = true;
  state.lastPredict = performance.now();
  const pixels = pad.pixels.slice();
  send(ToWorker.PREDICT, { pixels }, [pixels.buffer]);
}

// The address bar from the state: the config, and an open inspector's inspect=N and a sweep's
// sweep=kind (views/inspector/, views/sweep/).
function writeUrl() {
  window.history.replaceState(null, '', formatHash(state.config, state.dataUrl, state.autostart,
    state.inspector ? state.inspector.urlIndex : null, state.urlSweep));
}

// A config from the form, a preset or the hash: into the URL, and a fresh network from it
// (trained at once if `start`).
function applyConfig(config, { start = false } = {}) {
  // A link's data= is where its own image set is: another set comes from its own folder.
  const owner = state.dataOwner;
  if (isImageDataset(config.dataset) && isImageDataset(owner) && config.dataset !== owner) {
    state.dataUrl = DEFAULT_DATA_URL;
  }
  state.config = config;
  writeUrl();
  if (start) state.startWhenReady = true;
  configure();
  invalidate('status', 'presets');
}

function applyHash() {
  const parsed = parseHash(location.hash);
  const message = $('config-message');
  message.hidden = parsed.problems.length === 0;
  message.textContent = parsed.problems.length
    ? `Some settings in the link were not valid, so their defaults are used: ${parsed.problems.join('; ')}.`
    : '';
  state.autostart = parsed.autostart;
  // The address bar shows what is applied: invalid keys go, the defaults used in their place come.
  state.urlSweep = parsed.sweep;
  const applied = formatHash(parsed.config, parsed.dataUrl, parsed.autostart, parsed.inspect, parsed.sweep);
  if (location.hash !== applied) window.history.replaceState(null, '', applied);
  settings.fill(parsed.config);
  const reload = parsed.dataUrl !== state.dataUrl;
  state.dataUrl = parsed.dataUrl;
  state.dataOwner = parsed.config.dataset;
  if (reload) {   // fetched again when a network needs it
    state.data = null;
    state.loadRequested = false;
  }
  if (!sameConfig(parsed.config, state.config) || !state.run || reload) {
    state.config = parsed.config;
    configure();
  }
  invalidate('status', 'presets');
}

// After a crash no network is built until the person decides (resume or start fresh).
const waitingAfterCrash = () => state.crash && !state.pendingResume;

/**
 * @type {{[K in import('./protocol.js').FromWorkerType]?:
 *   (message: import('./protocol.js').FromWorkerOf<K>) => void}}
 */
const handlers = {
  [FromWorker.READY]({ module }) {
    state.workerReady = true;
    document.documentElement.dataset.module = module;   // which WebAssembly module (wasm_variant.js)
    if (needsImages()) {
      if (!state.loadRequested) load();   // sent with the worker's start (startWorker) as a rule
    } else if (!waitingAfterCrash()) configure();
    invalidate('status');
  },
  [FromWorker.DOWNLOAD]({ file, received, total }) {
    state.files.set(file, { received, total });
    invalidate('downloads', 'status');
  },
  [FromWorker.DATA_READY]({ train, test, dataUrl, stored }) {
    state.data = { train, test, dataUrl, stored };
    invalidate('downloads', 'status');
    if (waitingAfterCrash()) return;
    if (needsImages() || !state.run) configure();
  },
  [FromWorker.DATA_ERROR]({ file, message }) {
    // The first failure stops the other downloads: those not complete were cancelled, not empty.
    for (const [name, f] of state.files) {
      if (name === file) f.failed = true;
      else if (f.total > 0 ? f.received < f.total : f.received === 0) f.cancelled = true;
    }
    state.error = { message, retry: true };   // the message names the file
    state.loadRequested = false;               // a later network that needs MNIST asks again
    invalidate('downloads', 'status');
  },
  [FromWorker.CONFIGURED]({ config, layout, params, batchesPerEpoch, epoch, batch, resumed }) {
    state.configuring = Math.max(0, state.configuring - 1);
    if (state.configuring) return;   // already replaced by a newer CONFIGURE
    let starting = state.startSent;  // this CONFIGURE said start, or a START follows
    state.startSent = false;         // this one's start, if it said so, is under way
    const record = resumed ? state.resumeRecord : null, model = state.loadingModel;
    state.resumeRecord = state.loadingModel = null;
    state.run = { id: (record && record.historyId) || newRunId(), config, layout, batchesPerEpoch,
      preset: matchPreset(config), loadedFrom: model ? model.name : null };
    state.paramsVersion++;
    Object.assign(state, { params, epochs: [], costX: [], cost: [], progress: null, evaluation: null,
      trainedBatches: 0, costBucket: { batches: 0, sum: 0 }, diverged: null, done: false,
      confusion: null, mistakes: null });
    state.mistakesVersion++;
    if (record) {   // the run as it was saved (copies: the record stays as it was stored)
      Object.assign(state, { epochs: record.epochs.slice(), costX: record.costX.slice(), cost: record.cost.slice(),
        trainedBatches: record.trainedBatches, costBucket: { ...record.costBucket }, done: record.done,
        diverged: record.diverged || null });
      Object.assign(state.run, { handEdited: record.handEdited, loadedFrom: record.loadedFrom });
      if (epoch || batch) state.progress = { epoch, batch, cost: null, examplesPerSecond: null };
    }
    heatmaps.setLayout(layout);
    invalidate('status', 'cost', 'accuracy', 'weights', 'heatmaps', 'presets', 'confusion');
    requestPrediction();
    if ((state.autostart && !state.autostarted) || state.startWhenReady) {
      state.autostarted = true;
      state.startWhenReady = false;
      if (trainable(config)) send(ToWorker.START);   // a step network says why it cannot
      starting = starting || trainable(config);
    }
    if (!starting) whenIdle(loadCharts, { timeout: 300 });
  },
  [FromWorker.PROGRESS](p) {
    if (state.configuring || !state.run) return;
    if (!state.progress || p.epoch !== state.progress.epoch || p.batch !== state.progress.batch) {
      state.paramsVersion++;
    }
    state.progress = p;
    loadCharts();   // training is under way (the first PROGRESS: the worker has made Intl's first object)
    if (addCost(p)) invalidate('cost');
    if (p.params) {
      state.params = p.params;
      invalidate('weights', 'heatmaps');
    }
    if (performance.now() - state.lastPredict > PREDICT_EVERY_MS) requestPrediction();
    invalidate('status');
  },
  [FromWorker.EPOCH]({ mistakes, ...e }) {
    if (state.configuring || !state.run) return;   // a dropped network's last chunk (as PROGRESS)
    state.epochs.push(e);   // kept for the charts and the autosave; the mistakes only of the last
    setScored(e.confusion, mistakes);
    invalidate('status', 'accuracy', 'confusion', 'presets');
    requestPrediction();
  },
  [FromWorker.STATE]({ running, done }) {
    Object.assign(state, { running, done, pausing: false });
    invalidate('status', 'presets');
    if (!running) flushPaced();
  },
  [FromWorker.DIVERGED]({ message }) {
    if (state.configuring) return;
    state.diverged = message;
    invalidate('status');
  },
  [FromWorker.PREDICTION]({ outputs: values }) {
    state.predicting = false;
    state.outputs = pad.pixels ? values : null;
    invalidate('outputs');
    if (state.predictAgain) {
      state.predictAgain = false;
      requestPrediction();
    }
  },
  [FromWorker.EVALUATION]({ mistakes, ...e }) {
    if (state.configuring || !state.run) return;
    state.evaluation = e;
    setScored(e.confusion, mistakes);
    invalidate('status', 'confusion');
  },
  [FromWorker.CRASHED]({ message }) {
    workerDied(message);
  },
  [FromWorker.STEP_APPLIED]: changedByHand,
  [FromWorker.PARAM_SET]: changedByHand,
  [FromWorker.ERROR]({ message }) {
    state.configuring = 0;
    state.predicting = false;
    state.error = { message, retry: false };
    invalidate('status');
  },
};

// The test set as the network last classified it: the confusion matrix and every mistake.
function setScored(confusion, mistakes) {
  state.confusion = confusion;
  state.mistakes = mistakes ? { ...mistakes, count: mistakes.index.length } : null;
  state.mistakesVersion++;
}

let runCount = 0;
const newRunId = () => `run-${Date.now().toString(36)}-${(++runCount).toString(36)}-${
  Math.floor(Math.random() * 36 ** 4).toString(36)}`;

// The network changed by hand (the inspector's step applied, a weight typed in the diagram):
// the run is now off its seed's path. A refused change (an error) carries no params.
/** @param {{params?: Float32Array}} message  STEP_APPLIED or PARAM_SET (no params: an error) */
function changedByHand({ params }) {
  if (!params || state.configuring || !state.run) return;
  state.params = params;
  state.run.handEdited = true;
  state.paramsVersion++;
  invalidate('weights', 'heatmaps', 'status');
  requestPrediction();
}

// p.cost is the mean over the mini-batches since the previous PROGRESS: pool them until a point
// stands for enough of them (a diverging run shows its last ones, whatever their number).
// Returns whether the chart got a point.
function addCost(p) {
  const trained = p.epoch * state.run.batchesPerEpoch + p.batch;
  const batches = trained - state.trainedBatches;
  state.trainedBatches = trained;
  if (batches <= 0 || p.cost == null) return false;
  const bucket = state.costBucket;
  bucket.batches += batches;
  bucket.sum += batches * p.cost;
  if (bucket.batches < MIN_BATCHES_PER_POINT && !state.diverged) return false;
  state.costX.push(trained / state.run.batchesPerEpoch);
  state.cost.push(bucket.sum / bucket.batches);
  state.costBucket = { batches: 0, sum: 0 };
  return true;
}

function startWorker() {
  const booted = takeWorker();   // the first worker was started by boot.js, with its LOAD
  const me = booted ? booted.worker : new Worker('worker.js');
  worker = me;
  const onMessage = e => {
    if (me !== worker) return;   // a dead worker's last words
    const type = e.data && e.data.type;
    if (handlers[type]) handlers[type](e.data);
    for (const fn of listeners.get(type) || []) fn(e.data);
  };
  me.addEventListener('message', onMessage);
  // An exception nothing in the worker caught: before READY the site is broken; after it, the
  // worker is replaced.
  const onError = e => {
    if (me !== worker) return;
    e.preventDefault();
    if (state.workerReady) return workerDied(e.message || 'an uncaught error');
    state.error = { message: `The training worker failed to start (${e.message || 'worker.js'}). ` +
      'Reload the page; if it persists, the site is incomplete.', retry: false };
    invalidate('status');
  };
  me.addEventListener('error', onError);
  // The images are asked for at once: the worker downloads them while its module compiles.
  if (booted && booted.loaded && needsImages() && booted.loaded === wantedData()) load({ sent: true });
  else if (needsImages()) load();
  // What boot.js's worker said before now is handled once the views listen (the end of this
  // file); no event of the worker can come in between, main.js runs in one go.
  if (booted) replayHeld = () => booted.held.forEach(e => (e.type === 'error' ? onError(e) : onMessage(e)));
}
let replayHeld = () => {};
startWorker();

// --- buttons -----------------------------------------------------------------------------------
$('start').addEventListener('click', () => {
  if (!state.run && state.crash) {   // after a crash: a fresh network, trained
    state.startWhenReady = true;
    crashDecided();
  } else if (state.run && !state.configuring) send(ToWorker.START);
  else state.startWhenReady = true;   // a lecturer need not wait for the download
  invalidate('status');
});
// Pause shows at once that it was heard: the worker stops within its chunk and says so (STATE),
// but on a slow laptop the page's next frame can be far behind the click.
$('pause').addEventListener('click', () => {
  state.pausing = true;
  // Through keys.track: the focus, on Pause when a key pressed it, moves on (to Resume) once
  // there is somewhere to go.
  keys.track(() => { /** @type {HTMLButtonElement} */ ($('pause')).disabled = true; });
  send(ToWorker.PAUSE);
});
$('step').addEventListener('click', () => send(ToWorker.STEP));
$('reset').addEventListener('click', () => configure());
$('retry').addEventListener('click', () => load());
$('clear').addEventListener('click', () => pad.clear());
window.addEventListener('hashchange', applyHash);

// --- drawing a frame from the latest data ------------------------------------------------------
// main.js's own parts, in the order a frame draws them (what a person acts on first); the views'
// parts (registered with app.onRender) follow.
/** @type {[string, () => void][]} */
const PARTS = [
  ['status', () => {
    keys.track(() => renderStatus(state));   // also moves the focus on
    // The draw pad is for digits (MNIST's preprocessing): none for Fashion-MNIST's clothes.
    const fashion = state.config.dataset === 'fashion';
    setHidden($('draw-panel'), fashion);
    setText($('data-heading'), fashion ? 'Fashion-MNIST data' : 'MNIST data');
    outputs.setNames(app.classNames());
    if (fashion && pad.pixels) pad.clear();
  }],
  ['outputs', () => {
    if (state.outputs) outputs.draw(state.outputs);
    else outputs.clear();
  }],
  ['downloads', () => downloads.draw(state.files, Boolean(state.data), state.data ? state.data.stored : 0)],
  ['presets', () => presets.draw(state.run && state.run.preset, bestEpoch(state.epochs))],
  ['accuracy', () => {
    const e = state.epochs, preset = state.run && state.run.preset;
    accuracyChart.setData(e.map((_, i) => i + 1), e.map(accuracy),
      e.map(x => (x.validationTotal ? x.validationCorrect / x.validationTotal : null)),
      preset ? preset.bookAccuracy : null);
  }],
  ['cost', () => costChart.setData(state.costX, state.cost)],
  ['weights', () => {
    if (!state.params || !state.run || !needsImages()) return;   // the images' panels
    drawTiles($('weights'), state.params, state.run.layout[0]);
  }],
  ['heatmaps', () => {
    if (state.params && state.run && needsImages()) heatmaps.draw(state.params);
  }],
];
const own = new Map(PARTS);

function render() {
  frame = 0;
  const start = performance.now();
  const order = [...PARTS.map(([part]) => part).filter(part => dirty.has(part)),
    ...[...dirty].filter(part => !own.has(part))];
  let drawn = false, spent = false;   // a part was drawn this frame; one that could wait
  for (const part of order) {
    if (!dirty.has(part)) continue;   // drawn already: a renderer may invalidate again
    // Past the budget only the summaries wait; what a person reads or acts on is drawn now (a
    // status that lasts a frame, such as a file's "Loaded" line, is still seen). Once the run
    // stopped, a part off screen waits for a frame of its own: a run's end redraws the matrix and
    // the gallery below the fold, and with what is on screen that made one task of 50-60 ms at 4x
    // throttling.
    const prompt = performance.now() < promptUntil;
    const paced = !prompt && Boolean(PACE[part]);
    const below = !prompt && !state.running && !shown(part);
    const over = performance.now() - start + (lastCost.get(part) || 0) > FRAME_BUDGET;
    if ((below && drawn) || (paced && spent && over)) continue;
    dirty.delete(part);
    if (state.running && !shown(part)) {
      owed.add(part);
      continue;
    }
    const before = performance.now();
    if (own.has(part)) own.get(part)();
    for (const fn of renderers.get(part) || []) fn(state);
    const after = performance.now();
    lastDrawn.set(part, after);
    lastCost.set(part, after - before);
    drawn = true;
    if (paced || below) spent = true;
  }
  if (dirty.size && !frame) frame = requestAnimationFrame(render);
}

for (const view of [inspector, smallNetworks, saturation, files, session, history, sweep, gallery]) {
  view.mount(app);
}

applyHash();
invalidate('status', 'downloads', 'cost', 'accuracy', 'presets');
registerOffline(app);
replayHeld();
