// The run config <-> the URL hash (#sizes=784,30,10&eta=3&...), with the checks a shared link
// needs, and the book's presets. Pure functions (no DOM), so Node can test them.
// Not the core's validation: the worker still rejects configs that do not fit in memory.
import { DEFAULT_CONFIG } from './protocol.js';

export const DEFAULT_DATA_URL = 'data/mnist/';
const ACTIVATIONS = ['sigmoid', 'tanh', 'relu'];
const COSTS = ['quadratic', 'cross-entropy', 'log-likelihood'];
const INITS = ['gaussian', 'scaled'];
const INPUTS = 784, CLASSES = 10, MAX_HIDDEN = 4096;

// The book's experiments (Nielsen, "Neural Networks and Deep Learning", chapters 1 and 3).
// `book` is the figure the book reports, shown beside ours; `note` (optional) is one more line
// under it, for what a lecturer should know before pressing it.
export const PRESETS = [
  { id: 'nielsen-30', name: '[784,30,10], η = 3', book: 'book: 95.42%', bookAccuracy: 0.9542,
    config: { sizes: [784, 30, 10], eta: 3 } },
  // N(0,1) weights saturate many of the 100 sigmoid neurons: the seed decides whether this run
  // reaches the book's figure or stalls (the book notes readers' runs vary; ch. 3's init fixes it).
  { id: 'nielsen-100', name: '[784,100,10], η = 3', book: 'book: 96.59%', bookAccuracy: 0.9659,
    note: 'seed 6: with N(0,1) weights most seeds stall at 76–88% (saturated sigmoids); try init: scaled',
    config: { sizes: [784, 100, 10], eta: 3, seed: 6 } },
  { id: 'slow', name: 'η = 0.001', book: 'book: creeps from about 11% to about 21% in 30 epochs',
    bookAccuracy: null, config: { sizes: [784, 100, 10], eta: 0.001 } },
  { id: 'too-fast', name: 'η = 100', book: 'book: fails to learn (~10%)', bookAccuracy: 0.1,
    config: { sizes: [784, 30, 10], eta: 100 } },
  { id: 'softmax', name: 'softmax + log-likelihood, η = 0.5',
    book: 'book: 95.49% (cross-entropy, ch. 3)', bookAccuracy: 0.9549,
    config: { sizes: [784, 30, 10], cost: 'log-likelihood', eta: 0.5 } },
].map(p => ({ ...p, config: { ...DEFAULT_CONFIG, ...p.config } }));

// Two configs train the same run if every setting of the hash (FIELD_PARSERS' keys) agrees.
export function sameConfig(a, b) {
  return configParams(a).toString() === configParams(b).toString();
}

export function matchPreset(config) {
  return PRESETS.find(p => sameConfig(p.config, config)) || null;
}

// Each parser returns the value or throws a message that says what is accepted.
function parseNumber(text, { integer = false, min = -Infinity, max = Infinity, above } = {}) {
  const s = String(text).trim();
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s)) throw 'is not a number';
  const v = Number(s);
  if (!Number.isFinite(v)) throw 'is not a finite number';
  if (integer && !Number.isInteger(v)) throw 'must be a whole number';
  if (above !== undefined && !(v > above)) throw `must be greater than ${above}`;
  if (v < min || v > max) throw `must be between ${min} and ${max}`;
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

// The whole network around the hidden layers: 784 inputs in, 10 digits out.
export function sizesFromHidden(text) {
  return [INPUTS, ...parseHidden(text), CLASSES];
}

function parseSizes(text) {
  const parts = String(text).split(',').map(t => t.trim());
  if (parts.length < 2) throw 'needs at least input and output sizes, e.g. 784,30,10';
  if (parts[0] !== String(INPUTS)) throw `must start with ${INPUTS} (28x28 input pixels)`;
  if (parts[parts.length - 1] !== String(CLASSES)) throw `must end with ${CLASSES} (the digits)`;
  return sizesFromHidden(parts.slice(1, -1).join(','));
}

function oneOf(list) {
  return text => {
    if (!list.includes(text)) throw `must be one of ${list.join(', ')}`;
    return text;
  };
}

// key -> parser of its text; the same parsers check the form's fields.
export const FIELD_PARSERS = {
  sizes: parseSizes,
  activation: oneOf(ACTIVATIONS),
  cost: oneOf(COSTS),
  init: oneOf(INITS),
  eta: t => parseNumber(t, { above: 0, max: 1e4 }),
  batch: t => parseNumber(t, { integer: true, min: 1, max: 50000 }),
  epochs: t => parseNumber(t, { integer: true, min: 1, max: 1000 }),
  lambda: t => parseNumber(t, { min: 0, max: 1e4 }),
  seed: t => parseNumber(t, { integer: true, min: 0, max: 4294967295 }),
};

// Every setting of config as hash parameters, in FIELD_PARSERS' order (sizes as 784,30,10).
function configParams(config) {
  const params = new URLSearchParams();
  for (const key of Object.keys(FIELD_PARSERS)) params.set(key, String(config[key]));
  return params;
}

// Only relative paths or http(s) URLs: the worker fetches from here.
function parseDataUrl(text) {
  const s = String(text).trim();
  if (s === '' || (/^[a-z][a-z0-9+.-]*:/i.test(s) && !/^https?:\/\//i.test(s))) {
    throw 'must be a relative path or an http(s) URL';
  }
  return s.endsWith('/') ? s : s + '/';
}

// "#sizes=784,30,10&eta=3" -> { config, dataUrl, autostart, problems }. Invalid or unknown keys
// become readable problems; their defaults are used.
export function parseHash(hash) {
  const config = { ...DEFAULT_CONFIG, sizes: [...DEFAULT_CONFIG.sizes] };
  let dataUrl = DEFAULT_DATA_URL, autostart = false;
  const problems = [];
  const params = new URLSearchParams(String(hash).replace(/^#/, ''));
  for (const [key, value] of params) {
    try {
      if (key in FIELD_PARSERS) config[key] = FIELD_PARSERS[key](value);
      else if (key === 'data') dataUrl = parseDataUrl(value);
      else if (key === 'autostart') autostart = value === '1' || value === 'true';
      else throw 'is not a known setting';
    } catch (why) {
      if (typeof why !== 'string') throw why;
      problems.push(`${key}=${value} ${why}`);
    }
  }
  return { config, dataUrl, autostart, problems };
}

// The inverse: every key written out, so a copied link reproduces the run exactly.
export function formatHash(config, dataUrl = DEFAULT_DATA_URL, autostart = false) {
  const params = configParams(config);
  if (dataUrl !== DEFAULT_DATA_URL) params.set('data', dataUrl);
  if (autostart) params.set('autostart', '1');
  return '#' + params.toString().replace(/%2C/g, ',');
}
