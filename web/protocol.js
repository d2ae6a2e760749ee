// Every message between the page (main.js) and the worker (worker.js): names and payloads.
// Imported by both sides; nothing else defines a message. Not the transport (postMessage).

// The four MNIST files, in the order the core's MnistData expects them.
export const MNIST_FILES = [
  'train-images-idx3-ubyte',
  'train-labels-idx1-ubyte',
  't10k-images-idx3-ubyte',
  't10k-labels-idx1-ubyte',
];

// The run config, as it lives in the URL hash (keys and defaults: Nielsen's chapter 1 network).
export const DEFAULT_CONFIG = Object.freeze({
  sizes: [784, 30, 10],
  activation: 'sigmoid',     // hidden layers: sigmoid | tanh | relu
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
  CONFIGURE: 'configure',   // { config }             a fresh network from config (also: reset)
  START: 'start',           // {}                     train until the last epoch or a pause
  PAUSE: 'pause',           // {}                     stop after the current chunk
  STEP: 'step',             // {}                     train exactly one mini-batch
  PREDICT: 'predict',       // { pixels }             Float32Array(784) in [0,1], row by row
});

// worker -> page
export const FromWorker = Object.freeze({
  READY: 'ready',                 // {}                                   module instantiated
  DOWNLOAD: 'download',           // { file, received, total }            bytes of compressed data
  DATA_READY: 'data-ready',       // { train, test }                      image counts
  DATA_ERROR: 'data-error',       // { file, message }                    failed, truncated or corrupt
                                  //   file: a name of MNIST_FILES (no .gz; '' for the whole data)
  CONFIGURED: 'configured',       // { config, layout, params, batchesPerEpoch }
  PROGRESS: 'progress',           // { epoch, batch, cost, examplesPerSecond, params }  batch: in
                                  //   the epoch (of CONFIGURED's batchesPerEpoch); params:
                                  //   Float32Array copy, at most a few per second
  EPOCH: 'epoch',                 // { epoch, testCorrect, testTotal, testCost, validationCorrect,
                                  //   validationTotal, validationCost, trainCost, seconds,
                                  //   confusion }  confusion: 100 counts, row = true digit
  STATE: 'state',                 // { running, done }                    after every change
  DIVERGED: 'diverged',           // { message }                          training stopped, weights kept
  PREDICTION: 'prediction',       // { outputs }                          10 activations
  ERROR: 'error',                 // { message }                          anything else that failed
});

// layout (CONFIGURED): one entry per weight layer l, offsets into params (floats):
//   { rows: sizes[l+1], cols: sizes[l], wOffset, bOffset }
//   w[l] is column-major: weight from input j to neuron i is params[wOffset + j * rows + i],
//   so hidden neuron i's 28x28 tile is params[wOffset + (r*28 + c) * rows + i].
