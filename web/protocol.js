// Every message between the page (main.js) and the worker (worker.js): names and payloads.
// Imported by both sides; nothing else defines a message. Not the transport (postMessage).
// @ts-check

// The four MNIST files, in the order the core's MnistData expects them.
export const MNIST_FILES = [
  'train-images-idx3-ubyte',
  'train-labels-idx1-ubyte',
  't10k-images-idx3-ubyte',
  't10k-labels-idx1-ubyte',
];

// The run config, as it lives in the URL hash (keys and defaults: Nielsen's chapter 1 network).
export const DEFAULT_CONFIG = Object.freeze({
  dataset: 'mnist',          // mnist | xor | and | or | nand (the four points of a truth table)
  sizes: [784, 30, 10],
  activation: 'sigmoid',     // hidden layers: sigmoid | tanh | relu | step (every layer; not trainable)
  cost: 'quadratic',         // quadratic | cross-entropy (sigmoid output) | log-likelihood (softmax)
  init: 'gaussian',          // gaussian N(0,1) | scaled N(0,1/n_in)
  eta: 3.0,
  batch: 10,
  epochs: 30,
  lambda: 0,
  seed: 1,
});

// page -> worker
export const ToWorker = Object.freeze({
  LOAD: 'load',             // { dataUrl, stallSeconds? }  fetch (or re-fetch) the four files;
                            //   stallSeconds: no bytes for that long fails the file (tests; 15)
  CONFIGURE: 'configure',   // { config, params?, checkpoint?, evaluate?, quiet?, start? }  a network from
                            //   config (also: reset); params: starting weights in the layout's
                            //   order (a preset's, a loaded file's); checkpoint: a CHECKPOINT's
                            //   bytes to resume exactly where they were taken (wins over params);
                            //   evaluate: post EVALUATION of the new network before any training;
                            //   quiet: a sweep's worker (PROGRESS without params, no SATURATION,
                            //   a CHECKPOINT only after an epoch or on request); start: train at
                            //   once, as START right after it would (an autostart: a round trip
                            //   sooner)
  START: 'start',           // {}                     train until the last epoch or a pause
  PAUSE: 'pause',           // {}                     stop after the current chunk
  STEP: 'step',             // {}                     train exactly one mini-batch
  PREDICT: 'predict',       // { pixels }             Float32Array(784) in [0,1], row by row
  TRACE: 'trace',           // { id, example: ExampleRef }   one example through forward and
                            //   backward on the current network (it pauses nothing itself);
                            //   id: the view's own prefix and a counter ('small-3', 12)
  APPLY_STEP: 'apply-step', // { id }                 apply TRACE id's one-example SGD step
  GRAD_CHECK: 'grad-check', // { id, example: ExampleRef, perLayer }  finite differences
  SET_PARAM: 'set-param',   // { index, text }        one weight or bias typed by hand
  SATURATION: 'saturation', // { bins, lo, hi }       histogram of every layer's z (see below)
  CURVES: 'curves',         // { lo, hi, n }          the activation functions and derivatives
  EXPORT_TRACE: 'export-trace',  // { id, dataset }    TRACE id as the README's JSON text (built in
                                 //   the worker: 50,000 numbers are too many for a page frame)
  SAVE_MODEL: 'save-model',      // { format: 'bplm'|'json' }  the current network as a file
  READ_MODEL: 'read-model',      // { file: File|Blob, name }  decode a model file (either format,
                                 //   told apart by content); the current network is not touched
  CHECKPOINT: 'checkpoint',      // {}                 post a CHECKPOINT now
  TEST_IMAGES: 'test-images',    // { id, indices: number[] }  test images' pixels (the gallery)
});

// The largest model file the page reads: bigger ones are refused before a byte is read. The
// worker asks the core (Lab.checkModelFileSize); this copy is for the page's text.
export const MAX_MODEL_FILE_MB = 64;

/**
 * Which example a TRACE or GRAD_CHECK is about.
 * @typedef {Object} ExampleRef
 * @property {'train'|'test'|'drawn'|'points'} set  train: Nielsen's 50,000 training images;
 *   test: the 10,000 test images; drawn: pixels from the pad; points: a truth table's 4 points
 * @property {number} [index]        train/test/points: 0-based
 * @property {Float32Array} [pixels] drawn: 784 values in [0,1]
 * @property {number} [label]        drawn: the target the student picked (0..9)
 */

// worker -> page
export const FromWorker = Object.freeze({
  READY: 'ready',                 // { module }                           instantiated: 'relaxed' or 'plain'
  DOWNLOAD: 'download',           // { file, received, total }            bytes of compressed data
  DATA_READY: 'data-ready',       // { train, test, dataUrl, stored }     image counts; the LOAD's folder
                                  //   stored: how many of the four were this browser's copy
  DATA_ERROR: 'data-error',       // { file, message }                    failed, truncated or corrupt
                                  //   file: a name of MNIST_FILES (no .gz; '' for the whole data)
  CONFIGURED: 'configured',       // { config, layout, params, batchesPerEpoch, epoch, batch, resumed }
                                  //   epoch, batch: where it stands (not 0 after a checkpoint);
                                  //   resumed: CONFIGURE's checkpoint was restored; resumeError:
                                  //   why it was not (this network is then a fresh one)
  PROGRESS: 'progress',           // { epoch, batch, cost, examplesPerSecond, params }  batch: in
                                  //   the epoch (of CONFIGURED's batchesPerEpoch); params:
                                  //   Float32Array copy, at most a few per second
  EPOCH: 'epoch',                 // { epoch, testCorrect, testTotal, testCost, validationCorrect,
                                  //   validationTotal, validationCost, trainCost, seconds,
                                  //   evalSeconds, confusion, mistakes }  seconds, evalSeconds:
                                  //   the core's time training the epoch and evaluating it;
                                  //   confusion: 100 counts, row = true class; mistakes: see
                                  //   Mistakes below
  STATE: 'state',                 // { running, done }                    after every change
  DIVERGED: 'diverged',           // { message }                          training stopped, weights kept
  PREDICTION: 'prediction',       // { outputs }                          10 activations
  ERROR: 'error',                 // { message }                          anything else that failed
  TRACE: 'trace',                 // { id, trace } | { id, error }        see Trace below
  STEP_APPLIED: 'step-applied',   // { id, params }                       network changed by hand
  GRAD_CHECK: 'grad-check',       // { id, check } | { id, error }        see GradCheck below
  PARAM_SET: 'param-set',         // { index, value, params } | { index, error }
  SATURATION: 'saturation',       // { saturation }  after CONFIGURED, every EPOCH, on request
  SURFACE: 'surface',             // { n, values, outputs, correct }  truth tables only: the output over an
                                  //   n x n grid of the input square (row 0 at x2 = 1, column 0
                                  //   at x1 = 0) and on the 4 points, and how many of them the core
                                  //   counts right; after CONFIGURED, PARAM_SET,
                                  //   STEP_APPLIED and a few times a second while training
  CURVES: 'curves',               // { z, curves: { sigmoid|tanh|relu|step: { a, fp } } }
  TRACE_JSON: 'trace-json',       // { id, text } | { id, error }         for EXPORT_TRACE
  MODEL_FILE: 'model-file',       // { format, bytes: Uint8Array, ms } | { format, error }  SAVE_MODEL's
                                  //   file (json: UTF-8 text); ms: the core's time to write it
  MODEL_READ: 'model-read',       // { name, format: 'bplm'|'json', model: { sizes, activation, cost },
                                  //   params: Float32Array, bytes, ms } | { name, error }  READ_MODEL's
                                  //   answer; error: one sentence naming what is wrong with the file
  EVALUATION: 'evaluation',       // { testCorrect, testTotal, testCost, validationCorrect,
                                  //   validationTotal, validationCost, confusion, mistakes }  the network as
                                  //   configured, before training (CONFIGURE's evaluate)
  CHECKPOINT: 'checkpoint',       // { bytes: Uint8Array, epoch, batch, done, why }  everything exact
                                  //   resume needs (weights, epoch and mini-batch reached, the
                                  //   shuffle and its RNG): after every EPOCH of an MNIST run, on
                                  //   pause, after a Step, a hand edit, CONFIGURE and on request;
                                  //   why: 'epoch' | 'pause' | 'step' | 'edit' | 'configure' | 'request'
  CRASHED: 'crashed',             // { message }  the module trapped or aborted: this worker is done;
                                  //   the page starts a new one
  TEST_IMAGES: 'test-images',     // { id, indices: Uint32Array, pixels: Uint8Array } | { id, error }
                                  //   pixels: 784 bytes an image, row by row, 0..255 as in the t10k file
});

/**
 * What worker.js's stats() reports (the soak test, tests/web/soak.test.mjs, calls it in the worker
 * through DevTools): the figures a long session must keep flat.
 * @typedef {Object} Stats
 * @property {number} wasmBytes     the WebAssembly memory (it only ever grows)
 * @property {number} heapInUse     bytes the C++ allocator has handed out and not had back
 * @property {number} emvalHandles  JS values C++ holds through embind handles
 * @property {{IdxReader: number, MnistData: number, Lab: number}} liveObjects  bound C++ objects
 *   constructed and not yet deleted
 */

/**
 * The test images a network gets wrong (EPOCH, EVALUATION), from the core: one entry each,
 * the most confident first (then by index).
 * @typedef {Object} Mistakes
 * @property {Uint32Array} index       in the t10k files
 * @property {Uint8Array} label        the true class
 * @property {Uint8Array} predicted    the network's answer (the largest output)
 * @property {Float32Array} confidence the output activation of that answer
 */

/**
 * The trace of one example (TRACE): everything backpropagation computes for it, from the core.
 * Per weight layer l = 0 .. L-1 (layer l+1 of the book, whose input is a^l, a^0 = x):
 * @typedef {Object} Trace
 * @property {{set: string, index: number|null, label: number}} example
 * @property {number[]} sizes
 * @property {string} activation  @property {string} cost  @property {number} eta
 * @property {Float32Array} x     (sizes[0])
 * @property {Float32Array} y     (sizes[L]) the target (one-hot; one value for a single output)
 * @property {Float32Array} params  the network's parameters before the step (layout below)
 * @property {Array} layout       as CONFIGURED's
 * @property {Array<{z: Float32Array, a: Float32Array, fprime: Float32Array, delta: Float32Array,
 *   gradB: Float32Array, gradW: Float32Array}>} layers  z, a, f'(z), delta, dC/db: (rows);
 *   gradW = dC/dw: (rows x cols) column-major like w in params. The output layer's fprime is
 *   sigma'(z) for a sigmoid output (with cross-entropy it cancels in BP1) and, for a softmax,
 *   the diagonal a (1 - a) of its Jacobian (with log-likelihood the whole Jacobian cancels).
 * @property {Float32Array} costGrad  grad_a C at the output (sizes[L])
 * @property {number} costValue   the example's data cost C_x (no L2 term)
 * @property {{costBefore: number, costAfter: number, paramsAfter: Float32Array}} step  one SGD
 *   step on this example alone, w <- w - eta dC/dw, b <- b - eta dC/db (no L2), computed by the
 *   core but not applied: paramsAfter in the layout of params
 */

/**
 * A gradient check (GRAD_CHECK): backprop's gradient against central finite differences of an
 * independent double-precision forward pass, for perLayer parameters per weight layer (the
 * largest |dC/dw| and random ones, and biases).
 * @typedef {Object} GradCheck
 * @property {Array<{layer: number, kind: 'w'|'b', row: number, col: number, index: number,
 *   why: 'largest'|'random', backprop: number, numeric: number, relError: number}>} entries
 *   index: into params; col is -1 for a bias
 * @property {number} maxRelError   @property {number} h  the finite-difference step
 * @property {number} tolerance     what the core's tests accept for float32
 */

/**
 * The saturation view's data (SATURATION), for each layer (the output last), over a fixed sample of
 * training images (the first `samples` of the 50,000):
 * @typedef {Object} Saturation
 * @property {string} activation  @property {number} samples
 * @property {number} lo  @property {number} hi  bins of equal width over [lo, hi]; values outside
 *   are counted in the first and last bin
 * @property {Array<{layer: number, output: boolean, activation: string, counts: Float64Array,
 *   saturated: number, mean: number, std: number}>} layers  every weight layer, the output layer
 *   last (output: true); activation: the function the layer applies (sigmoid, tanh, relu, step,
 *   or softmax for a log-likelihood output); saturated: the share of (unit, image) pairs with
 *   f'(z) < 0.01 (a softmax output: a (1 - a))
 */

// layout (CONFIGURED): one entry per weight layer l, offsets into params (floats):
//   { rows: sizes[l+1], cols: sizes[l], wOffset, bOffset }
//   w[l] is column-major: weight from input j to neuron i is params[wOffset + j * rows + i],
//   so hidden neuron i's 28x28 tile is params[wOffset + (r*28 + c) * rows + i].

// ---- the messages as types ---------------------------------------------------------------------
// The comments above say what each message means; these unions say exactly what it carries, and
// `tsc` (tsconfig.json) holds the code that posts and handles messages to them: a misspelt field
// or a payload of the wrong type fails `./build.sh test`. A message is { type, ...payload }.

/** @typedef {import('./config.js').Config} Config */
/** @typedef {{rows: number, cols: number, wOffset: number, bOffset: number}} LayerLayout */
/** @typedef {string|number} TraceId  a view's own prefix and a counter ('small-3'), or a number */

/**
 * What EPOCH and EVALUATION say about a network on the test and validation images.
 * @typedef {{testCorrect: number, testTotal: number, testCost: number, validationCorrect: number,
 *   validationTotal: number, validationCost: number, confusion: Uint32Array, mistakes: Mistakes}}
 *   Evaluation
 */

/**
 * Every message the page posts to the worker.
 * @typedef {{type: typeof ToWorker.LOAD, dataUrl: string, stallSeconds?: number}
 *   | {type: typeof ToWorker.CONFIGURE, config: Config, params?: ArrayLike<number>,
 *       checkpoint?: Uint8Array, evaluate?: boolean, quiet?: boolean, start?: boolean}
 *   | {type: typeof ToWorker.START} | {type: typeof ToWorker.PAUSE} | {type: typeof ToWorker.STEP}
 *   | {type: typeof ToWorker.CHECKPOINT}
 *   | {type: typeof ToWorker.PREDICT, pixels: Float32Array}
 *   | {type: typeof ToWorker.TRACE, id: TraceId, example: ExampleRef}
 *   | {type: typeof ToWorker.APPLY_STEP, id: TraceId}
 *   | {type: typeof ToWorker.GRAD_CHECK, id: TraceId, example: ExampleRef, perLayer: number}
 *   | {type: typeof ToWorker.SET_PARAM, index: number, text: string}
 *   | {type: typeof ToWorker.SATURATION, bins?: number, lo?: number, hi?: number}
 *   | {type: typeof ToWorker.CURVES, lo: number, hi: number, n: number}
 *   | {type: typeof ToWorker.EXPORT_TRACE, id: TraceId, dataset: string}
 *   | {type: typeof ToWorker.SAVE_MODEL, format: string}
 *   | {type: typeof ToWorker.READ_MODEL, file: Blob, name: string}
 *   | {type: typeof ToWorker.TEST_IMAGES, id: TraceId, indices: number[]}} ToWorkerMessage
 */

/**
 * Every message the worker posts to the page. An answer that can fail is two members, the result
 * or `error` (each says the other is absent, so a handler may read both).
 * @typedef {{type: typeof FromWorker.READY, module: import('./wasm_variant.js').ModuleKind}
 *   | {type: typeof FromWorker.DOWNLOAD, file: string, received: number, total: number}
 *   | {type: typeof FromWorker.DATA_READY, train: number, test: number, dataUrl: string, stored: number}
 *   | {type: typeof FromWorker.DATA_ERROR, file: string, message: string}
 *   | {type: typeof FromWorker.CONFIGURED, config: Config, layout: LayerLayout[], params: Float32Array,
 *       batchesPerEpoch: number, epoch: number, batch: number, resumed: boolean, resumeError?: string}
 *   | {type: typeof FromWorker.PROGRESS, epoch: number, batch: number, cost: number|null,
 *       examplesPerSecond: number|null, params?: Float32Array}
 *   | ({type: typeof FromWorker.EPOCH, epoch: number, trainCost: number, seconds: number, evalSeconds: number} & Evaluation)
 *   | {type: typeof FromWorker.STATE, running: boolean, done: boolean}
 *   | {type: typeof FromWorker.DIVERGED, message: string}
 *   | {type: typeof FromWorker.PREDICTION, outputs: number[]}
 *   | {type: typeof FromWorker.ERROR, message: string}
 *   | {type: typeof FromWorker.TRACE, id: TraceId, trace: Trace, error?: undefined}
 *   | {type: typeof FromWorker.TRACE, id: TraceId, error: string, trace?: undefined}
 *   | {type: typeof FromWorker.STEP_APPLIED, id: TraceId, params: Float32Array, error?: undefined}
 *   | {type: typeof FromWorker.STEP_APPLIED, id: TraceId, error: string, params?: undefined}
 *   | {type: typeof FromWorker.GRAD_CHECK, id: TraceId, check: GradCheck, error?: undefined}
 *   | {type: typeof FromWorker.GRAD_CHECK, id: TraceId, error: string, check?: undefined}
 *   | {type: typeof FromWorker.PARAM_SET, index: number, value: number, params: Float32Array,
 *       error?: undefined}
 *   | {type: typeof FromWorker.PARAM_SET, index: number, error: string, value?: undefined,
 *       params?: undefined}
 *   | {type: typeof FromWorker.SATURATION, saturation: Saturation}
 *   | {type: typeof FromWorker.SURFACE, n: number, values: Float32Array, outputs: Float32Array,
 *       correct: number}
 *   | {type: typeof FromWorker.CURVES, z: Float32Array,
 *       curves: Object<string, {a: Float32Array, fp: Float32Array}>}
 *   | {type: typeof FromWorker.TRACE_JSON, id: TraceId, text: string, error?: undefined}
 *   | {type: typeof FromWorker.TRACE_JSON, id: TraceId, error: string, text?: undefined}
 *   | {type: typeof FromWorker.MODEL_FILE, format: 'bplm'|'json', bytes: Uint8Array, ms: number,
 *       error?: undefined}
 *   | {type: typeof FromWorker.MODEL_FILE, format: 'bplm'|'json', error: string, bytes?: undefined,
 *       ms?: undefined}
 *   | {type: typeof FromWorker.MODEL_READ, name: string, format: 'bplm'|'json',
 *       model: {sizes: number[], activation: Config['activation'], cost: Config['cost']},
 *       params: Float32Array, bytes: number, ms: number, error?: undefined}
 *   | {type: typeof FromWorker.MODEL_READ, name: string, error: string, format?: undefined,
 *       model?: undefined, params?: undefined, bytes?: undefined, ms?: undefined}
 *   | ({type: typeof FromWorker.EVALUATION} & Evaluation)
 *   | {type: typeof FromWorker.CHECKPOINT, bytes: Uint8Array, epoch: number, batch: number,
 *       done: boolean, why: 'epoch'|'pause'|'step'|'edit'|'configure'|'request'}
 *   | {type: typeof FromWorker.CRASHED, message: string}
 *   | {type: typeof FromWorker.TEST_IMAGES, id: TraceId, indices: Uint32Array, pixels: Uint8Array,
 *       error?: undefined}
 *   | {type: typeof FromWorker.TEST_IMAGES, id: TraceId, error: string, indices?: undefined,
 *       pixels?: undefined}} FromWorkerMessage
 */

/** @typedef {ToWorkerMessage['type']} ToWorkerType */
/** @typedef {FromWorkerMessage['type']} FromWorkerType */
/**
 * The payload of a message of kind K: the message without its type (each member of a union
 * separately, so a result-or-error answer stays either).
 * @template {string} K
 * @template M
 * @typedef {M extends {type: K} ? Omit<M, 'type'> : never} PayloadOf
 */
/**
 * @template {FromWorkerType} K
 * @typedef {Extract<FromWorkerMessage, {type: K}>} FromWorkerOf  the message of kind K, as handled
 */
/**
 * The arguments after the kind: the payload may be left out only where none of its fields is
 * required (START, PAUSE...), so `send(ToWorker.CONFIGURE)` without a config fails the check.
 * @template P
 * @typedef {{} extends P ? [payload?: P, transfer?: Transferable[]] : [payload: P, transfer?: Transferable[]]} PayloadArgs
 */
/**
 * Posts a message of kind `type` to the worker (main.js's send, app.send).
 * @typedef {<K extends ToWorkerType>(type: K, ...rest: PayloadArgs<PayloadOf<K, ToWorkerMessage>>) => void} Send
 */
/**
 * Posts a message of kind `type` to the page (worker.js's post).
 * @typedef {<K extends FromWorkerType>(type: K, payload: PayloadOf<K, FromWorkerMessage>,
 *   transfer?: Transferable[]) => void} Post
 */
/**
 * Calls `fn` with every message of kind `type` the worker posts (app.on).
 * @typedef {<K extends FromWorkerType>(type: K, fn: (message: FromWorkerOf<K>) => void) => void} On
 */
/**
 * main.js's bridge for the views (its `app`): its messages are typed here, the rest is main.js's.
 * @typedef {{send: Send, on: On, [part: string]: any}} App
 */
