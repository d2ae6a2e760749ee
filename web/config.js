// The run config <-> the URL hash (#sizes=784,30,10&eta=3&...), with the checks a shared link
// needs, the datasets (MNIST and the lecture's truth tables) and the presets. Pure functions (no
// DOM), so Node can test them. Not the core's validation: the worker still rejects configs that
// do not fit in memory.
// @ts-check
import { DEFAULT_CONFIG } from './protocol.js';

/**
 * A run's config: every key of the URL hash but data= (protocol.js DEFAULT_CONFIG has the
 * defaults); what CONFIGURE carries to the worker.
 * @typedef {Object} Config
 * @property {string} dataset     one of DATASETS
 * @property {number[]} sizes     neurons per layer, input first
 * @property {string} activation  every hidden layer's: sigmoid | tanh | relu | step
 * @property {string} cost        quadratic | cross-entropy | log-likelihood
 * @property {string} init        gaussian | scaled
 * @property {number} eta  @property {number} batch  @property {number} epochs
 * @property {number} lambda  @property {number} seed
 */

// data= in a link overrides where the images come from; without it each image dataset has its
// folder on the site (DEFAULT_DATA_URL, MNIST's, stands for "no override").
export const DEFAULT_DATA_URL = 'data/mnist/';
const DATA_FOLDERS = { mnist: 'data/mnist/', fashion: 'data/fashion/' };
export const DATASETS = ['mnist', 'fashion', 'xor', 'and', 'or', 'nand'];
export const SWEEPS = ['eta', 'hidden', 'init'];   // sweep=: views/sweep/plan.js defines them
const ACTIVATIONS = ['sigmoid', 'tanh', 'relu', 'step'];
const COSTS = ['quadratic', 'cross-entropy', 'log-likelihood'];
const INITS = ['gaussian', 'scaled'];
const MAX_HIDDEN = 4096, MAX_EPOCHS = 1000, MAX_TRUTH_EPOCHS = 100000;
const TRAINING_IMAGES = 50000;   // inspect=N: Nielsen's training set (the first 50,000 of MNIST)

// A truth table's four points, in the order the worker holds them (x1, x2), and each table's
// targets in that order.
/** @type {[number, number][]} */
export const POINTS = [[0, 0], [0, 1], [1, 0], [1, 1]];
export const TRUTH_TABLES = {
  xor: [0, 1, 1, 0], and: [0, 0, 0, 1], or: [0, 1, 1, 1], nand: [1, 1, 1, 0],
};
export const isTruthTable = dataset => Object.hasOwn(TRUTH_TABLES, String(dataset));
// MNIST and Fashion-MNIST: 28x28 images in ten classes, the same four IDX files.
export const isImageDataset = dataset => Object.hasOwn(DATA_FOLDERS, String(dataset));
// The dataset itself if it is one of images, else MNIST (what a sweep or a loaded model trains on).
export const imageDataset = dataset => (isImageDataset(dataset) ? dataset : 'mnist');

// The folder of an image dataset's four .gz files: the link's data= if it has one.
export function dataFolder(dataset, dataUrl = DEFAULT_DATA_URL) {
  return dataUrl !== DEFAULT_DATA_URL ? dataUrl : DATA_FOLDERS[dataset] || DEFAULT_DATA_URL;
}

// What the ten outputs stand for: MNIST's digits, or Fashion-MNIST's classes (the labels 0-9 of
// its README, in order).
const FASHION_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt',
  'Sneaker', 'Bag', 'Ankle boot'];
export function classNames(dataset) {
  return dataset === 'fashion' ? [...FASHION_CLASSES] : Array.from({ length: 10 }, (_, d) => String(d));
}

// What each dataset fixes about the network: the input and output sizes, said in a message.
export function shape(dataset) {
  return isTruthTable(dataset)
    ? { inputs: 2, outputs: 1, inWhy: 'the two inputs x1, x2', outWhy: 'one output',
      examples: POINTS.length, name: dataset.toUpperCase() }
    : { inputs: 784, outputs: 10, inWhy: '28x28 input pixels',
      outWhy: dataset === 'fashion' ? 'the ten classes' : 'the digits',
      examples: TRAINING_IMAGES, name: dataset === 'fashion' ? 'Fashion-MNIST' : 'MNIST' };
}

// A step unit (Nielsen's perceptron) has f'(z) = 0 wherever it is defined: nothing to train.
export const trainable = config => config.activation !== 'step';

// The lecture's two-layer XOR network: the truth tables' defaults (full-batch gradient descent:
// one epoch is one step on the 4 points). With seed 1 it has all four points right after about
// 110 epochs, natively and in WebAssembly (tests/test_truth_table.cpp, tests/wasm/); 14 of
// seeds 1-20 get there within 1,000 epochs, the others stall in a local minimum.
const TRUTH_TABLE_CONFIG = Object.freeze({
  ...DEFAULT_CONFIG, dataset: 'xor', sizes: [2, 2, 1], cost: 'cross-entropy', eta: 2, batch: 4,
  epochs: 1000, seed: 1,
});

// The config a dataset starts from: Nielsen's ch. 1 network for the images (MNIST, Fashion), the
// XOR network for a truth table (with that table's points).
/** @param {string} [dataset]  @returns {Config} */
export function defaultConfig(dataset = 'mnist') {
  const base = isTruthTable(dataset) ? { ...TRUTH_TABLE_CONFIG, dataset }
    : { ...DEFAULT_CONFIG, dataset: isImageDataset(dataset) ? dataset : 'mnist' };
  return { ...base, sizes: [...base.sizes] };
}

// The book's experiments (Nielsen, "Neural Networks and Deep Learning", chapters 1 and 3) and
// the lecture's small networks (which need no MNIST). `book` is the figure the book or the
// lecture reports, shown beside ours; `note` (optional) is one more line under it, for what a
// lecturer should know before pressing it; `params` (optional) are the network's starting
// weights in the layout's order, handed to CONFIGURE.
export const PRESETS = [
  { id: 'nielsen-30', name: '[784,30,10], η = 3', book: 'book: 95.42%', bookAccuracy: 0.9542,
    config: { sizes: [784, 30, 10], eta: 3 } },
  // N(0,1) weights saturate many of the 100 sigmoid neurons: the seed decides whether this run
  // reaches the book's figure or stalls (the book notes readers' runs vary; ch. 3's init fixes it).
  { id: 'nielsen-100', name: '[784,100,10], η = 3', book: 'book: 96.59%', bookAccuracy: 0.9659,
    note: 'seed 6: with N(0,1) weights most seeds stall at 76–88% (saturated sigmoids: see ' +
      '"Activations and saturation" for seed 1 against init N(0,1/n_in)); try init: scaled',
    config: { sizes: [784, 100, 10], eta: 3, seed: 6 } },
  { id: 'slow', name: 'η = 0.001', book: 'book: creeps from about 11% to about 21% in 30 epochs',
    bookAccuracy: null, config: { sizes: [784, 100, 10], eta: 0.001 } },
  { id: 'too-fast', name: 'η = 100', book: 'book: fails to learn (~10%)', bookAccuracy: 0.1,
    config: { sizes: [784, 30, 10], eta: 100 } },
  { id: 'softmax', name: 'softmax + log-likelihood, η = 0.5',
    book: 'book: 95.49% (cross-entropy, ch. 3)', bookAccuracy: 0.9549,
    config: { sizes: [784, 30, 10], cost: 'log-likelihood', eta: 0.5 } },
  // Fashion-MNIST (Xiao, Rasul and Vollgraf 2017): the same networks on clothes. The README of
  // Debian's dataset-fashion-mnist lists submitted benchmarks, among them an MLP with hidden
  // layers 256-128-100 at 0.8833 test accuracy; ours are the core's, seed 1, 30 epochs (the CLI:
  // backprop --dataset fashion with the preset's settings).
  { id: 'fashion-30', name: 'Fashion: [784,30,10], η = 3',
    book: 'published MLP 256-128-100: 88.33% (Fashion-MNIST README)', bookAccuracy: 0.8833,
    note: 'measured here, seed 1: best 85.76% (epoch 22); the same network gets 95% on digits',
    config: { dataset: 'fashion', sizes: [784, 30, 10], eta: 3 } },
  { id: 'fashion-mlp', name: 'Fashion: [784,256,128,100,10] ReLU + softmax, η = 0.05',
    book: 'published MLP 256-128-100: 88.33% (Fashion-MNIST README)', bookAccuracy: 0.8833,
    note: 'the published MLP\'s layers; measured here, seed 1, init N(0,1/n_in): best 88.63% (epoch 25)',
    config: { dataset: 'fashion', sizes: [784, 256, 128, 100, 10], activation: 'relu',
      cost: 'log-likelihood', init: 'scaled', eta: 0.05 } },
  { id: 'xor', name: 'XOR: the lecture\'s [2,2,1] network',
    book: 'lecture: all four points right (4 points, no download)', bookAccuracy: 1,
    config: TRUTH_TABLE_CONFIG },
  // Nielsen ch. 1: "a perceptron with two inputs, each with weight -2, and an overall bias of 3"
  // computes NAND. Its weights are set, never trained.
  { id: 'nand-perceptron', name: 'NAND perceptron: w = −2, −2, b = 3',
    book: 'Nielsen ch. 1: a step unit set by hand computes NAND', bookAccuracy: null,
    note: 'a step unit cannot be trained by gradient descent: edit its weights in the diagram',
    config: { ...TRUTH_TABLE_CONFIG, dataset: 'nand', sizes: [2, 1], activation: 'step',
      cost: 'quadratic', eta: 1, epochs: 1 },
    params: [-2, -2, 3] },
].map(p => ({ ...p, config: { ...DEFAULT_CONFIG, ...p.config } }));

// A run's short label for the history, the sweeps and the autosave: "[784,30,10] eta 3 seed 1",
// then what differs from Nielsen's ch. 1 network (", relu, log-likelihood, init scaled, λ 5").
/** @param {Config} config  @returns {string} */
export function runLabel(config) {
  const extra = [
    config.activation && config.activation !== 'sigmoid' ? config.activation : '',
    config.cost && config.cost !== 'quadratic' ? config.cost : '',
    config.init && config.init !== 'gaussian' ? `init ${config.init}` : '',
    config.lambda ? `λ ${config.lambda}` : '',
  ].filter(Boolean);
  const base = `[${config.sizes.join(',')}] eta ${config.eta} seed ${config.seed}`;
  return `${config.dataset === 'fashion' ? 'Fashion ' : ''}${base}${extra.length ? `, ${extra.join(', ')}` : ''}`;
}

// Two configs train the same run if every setting of the hash (FIELD_PARSERS' keys) agrees.
/** @param {Config} a  @param {Config} b  @returns {boolean} */
export function sameConfig(a, b) {
  return configParams(a).toString() === configParams(b).toString();
}

export function matchPreset(config) {
  return PRESETS.find(p => sameConfig(p.config, config)) || null;
}

// Each parser returns the value or throws a message that says what is accepted.
/**
 * @param {string} text
 * @param {{integer?: boolean, min?: number, max?: number, above?: number}} [bounds]  above: the
 *   value must be greater than this
 * @returns {number}
 */
function parseNumber(text, { integer = false, min = -Infinity, max = Infinity, above } = {}) {
  const s = String(text).trim();
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s)) throw 'is not a number';
  const v = Number(s);
  if (!Number.isFinite(v)) throw 'is not a finite number';
  if (integer && !Number.isInteger(v)) throw 'must be a whole number';
  if (above !== undefined && !(v > above)) throw `must be greater than ${above}`;
  // The bound crossed, in words: one side when only one is finite (eta has no lower bound to say).
  if (v < min) throw max === Infinity ? `must be at least ${min}` : `must be between ${min} and ${max}`;
  if (v > max) throw min === -Infinity ? `must be at most ${max}` : `must be between ${min} and ${max}`;
  return v;
}

// Hidden layers as typed in the form: "30", "100,30", "" (no hidden layer).
export function parseHidden(text) {
  const s = String(text).trim();
  if (s === '') return [];
  return s.split(/[\s,]+/).filter(Boolean).map(part => {
    try {
      return parseNumber(part, { integer: true, min: 1, max: MAX_HIDDEN });
    } catch (why) {
      throw `hidden layer "${part}" ${why}`;
    }
  });
}

// The whole network around the hidden layers: for MNIST 784 inputs in, 10 digits out; for a
// truth table 2 in, 1 out.
export function sizesFromHidden(text, dataset = 'mnist') {
  const { inputs, outputs } = shape(dataset);
  return [inputs, ...parseHidden(text), outputs];
}

// Any sizes here; whether they fit the dataset is checkConfig's (the dataset may come later in
// the hash).
function parseSizes(text) {
  const parts = String(text).split(',').map(t => t.trim());
  if (parts.length < 2) throw 'needs at least input and output sizes, e.g. 784,30,10 or 2,2,1';
  return parts.map(part => {
    try {
      return parseNumber(part, { integer: true, min: 1, max: MAX_HIDDEN });
    } catch (why) {
      throw `layer "${part}" ${why}`;
    }
  });
}

function oneOf(list) {
  return text => {
    if (!list.includes(text)) throw `must be one of ${list.join(', ')}`;
    return text;
  };
}

// key -> parser of its text; the same parsers check the form's fields. Each value alone:
// checkConfig then checks the keys against each other.
export const FIELD_PARSERS = {
  sizes: parseSizes,
  activation: oneOf(ACTIVATIONS),
  cost: oneOf(COSTS),
  init: oneOf(INITS),
  eta: t => parseNumber(t, { above: 0, max: 1e4 }),
  batch: t => parseNumber(t, { integer: true, min: 1, max: 50000 }),
  epochs: t => parseNumber(t, { integer: true, min: 1, max: MAX_TRUTH_EPOCHS }),
  lambda: t => parseNumber(t, { min: 0, max: 1e4 }),
  seed: t => parseNumber(t, { integer: true, min: 0, max: 4294967295 }),
  dataset: oneOf(DATASETS),
};

// What the dataset asks of the other keys: [key, message] for each key that does not fit it
// (the key named is the one to change; the dataset is taken as meant).
/** @param {Config} config  @returns {[string, string][]}  [key, message] */
export function checkConfig(config) {
  const { dataset, sizes } = config;
  const { inputs, outputs, inWhy, outWhy, name } = shape(dataset);
  const truth = isTruthTable(dataset);
  const problems = [];
  if (sizes[0] !== inputs) problems.push(['sizes', `must start with ${inputs} (${inWhy}) for ${name}`]);
  else if (sizes[sizes.length - 1] !== outputs) {
    problems.push(['sizes', `must end with ${outputs} (${outWhy}) for ${name}`]);
  }
  if (truth && config.batch > POINTS.length) {
    problems.push(['batch', `must be at most ${POINTS.length} for ${name} (it has 4 points)`]);
  }
  if (!truth && config.epochs > MAX_EPOCHS) {
    problems.push(['epochs', `must be between 1 and ${MAX_EPOCHS} for ${name}`]);
  }
  if (!truth && config.activation === 'step') {
    problems.push(['activation', 'is for the truth tables only (a step network cannot be trained)']);
  }
  if (truth && config.cost === 'log-likelihood') {
    problems.push(['cost', `needs more than one output (softmax): use a sigmoid output for ${name}`]);
  }
  return problems;
}

// inspect=N: a training example's index (MNIST: of the 50,000; a truth table: of its 4 points).
function checkInspect(index, dataset) {
  const { examples, name } = shape(dataset);
  if (index >= examples) throw `must be below ${examples} (${name} has ${examples.toLocaleString('en')} training examples)`;
  return index;
}

// Every setting of config as hash parameters, in FIELD_PARSERS' order (sizes as 784,30,10).
function configParams(config) {
  const params = new URLSearchParams();
  for (const key of Object.keys(FIELD_PARSERS)) params.set(key, String(config[key]));
  return params;
}

// Only relative paths or http(s) URLs: the worker fetches from here. No control characters: the
// URL parser drops tabs and newlines and leading controls, so "\tjavascript:" would hide a scheme.
function parseDataUrl(text) {
  const s = String(text).trim();
  if (s === '' || /\p{Cc}/u.test(s) || (/^[a-z][a-z0-9+.-]*:/i.test(s) && !/^https?:\/\//i.test(s))) {
    throw 'must be a relative path or an http(s) URL';
  }
  return s.endsWith('/') ? s : s + '/';
}

// "#sizes=784,30,10&eta=3" -> { config, dataUrl, autostart, inspect, sweep, problems }. Keys come in
// any order: the keys not given are the dataset's defaults (defaultConfig), and the keys given
// are checked against the dataset once all are read. Invalid or unknown keys become readable
// problems; their defaults are used. inspect: a training example's index, or null; sweep: one of
// SWEEPS, or null.
/**
 * @param {string} hash
 * @returns {{config: Config, dataUrl: string, autostart: boolean, inspect: number|null,
 *   sweep: string|null, problems: string[]}}
 */
export function parseHash(hash) {
  /** @type {Partial<Config>} */
  const given = {};
  let dataUrl = DEFAULT_DATA_URL, autostart = false, inspect = null, sweep = null;
  const problems = [];
  const params = new URLSearchParams(String(hash).replace(/^#/, ''));
  // A key given twice counts its last value: that is the one a message quotes.
  const problem = (key, why, value = params.getAll(key).at(-1)) => {
    if (typeof why !== 'string') throw why;
    problems.push(`${key}=${value} ${why}`);
  };
  for (const [key, value] of params) {
    try {
      if (Object.hasOwn(FIELD_PARSERS, key)) given[key] = FIELD_PARSERS[key](value);
      else if (key === 'data') dataUrl = parseDataUrl(value);
      else if (key === 'autostart') autostart = value === '1' || value === 'true';
      else if (key === 'inspect') inspect = parseNumber(value, { integer: true, min: 0, max: TRAINING_IMAGES - 1 });
      else if (key === 'sweep') sweep = oneOf(SWEEPS)(value);
      else throw 'is not a known setting';
    } catch (why) {
      problem(key, why, value);
    }
  }
  const defaults = defaultConfig(given.dataset);
  const config = { ...defaults, ...given };
  for (const [key, why] of checkConfig(config)) {
    problem(key, why);
    config[key] = defaults[key];
  }
  if (inspect !== null) {
    try {
      checkInspect(inspect, config.dataset);
    } catch (why) {
      problem('inspect', why);
      inspect = null;
    }
  }
  return { config, dataUrl, autostart, inspect, sweep, problems };
}

// The inverse: every key written out, so a copied link reproduces the run exactly (and opens
// the inspector on example `inspect` if it is a number, and the sweep `sweep` if one is given).
/**
 * @param {Config} config  @param {string} [dataUrl]  @param {boolean} [autostart]
 * @param {number|null} [inspect]  @param {string|null} [sweep]  @returns {string}
 */
export function formatHash(config, dataUrl = DEFAULT_DATA_URL, autostart = false, inspect = null,
  sweep = null) {
  const params = configParams(config);
  if (dataUrl !== DEFAULT_DATA_URL) params.set('data', dataUrl);
  if (autostart) params.set('autostart', '1');
  if (inspect !== null && inspect !== undefined) params.set('inspect', String(inspect));
  if (sweep) params.set('sweep', sweep);
  return '#' + params.toString().replace(/%2C/g, ',');
}
