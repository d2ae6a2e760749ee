// What the save and load panel says and what it names files: pure functions of plain values (no
// DOM), so Node can test them. Not the file formats: the core writes and reads them.
import { count, percent } from '../status.js';

/** The two formats the panel saves, by ToWorker.SAVE_MODEL's format. */
export const FORMATS = {
  bplm: { extension: 'bplm', type: 'application/octet-stream', name: 'model file' },
  json: { extension: 'json', type: 'application/json', name: 'network2.py JSON' },
};

const OUTPUTS = {
  quadratic: 'sigmoid + quadratic',
  'cross-entropy': 'sigmoid + cross-entropy',
  'log-likelihood': 'softmax + log-likelihood',
};

/**
 * The download's name: "backprop-lab-784-30-10-epoch-3.bplm" (a truth table's network is named
 * after it: "backprop-lab-xor-2-2-1-epoch-109.json"; mid-epoch: "...-epoch-3-batch-1200...").
 * @param {{dataset?: string, sizes: number[]}} config  @param {number} epoch  epochs trained
 * @param {number} batch  mini-batches into the next epoch  @param {'bplm'|'json'} format
 * @returns {string}
 */
export function modelFileName(config, epoch, batch, format) {
  const dataset = config.dataset && config.dataset !== 'mnist' ? `${config.dataset}-` : '';
  const into = batch > 0 ? `-batch-${batch}` : '';
  return `backprop-lab-${dataset}${config.sizes.join('-')}-epoch-${epoch}${into}.${FORMATS[format].extension}`;
}

/**
 * A network in a few words: "[784,30,10] sigmoid + quadratic" (sigmoid everywhere), or
 * "[784,30,10] tanh hidden, softmax + log-likelihood".
 * @param {{sizes: number[], activation: string, cost: string}} model
 * @returns {string}
 */
export function describeModel({ sizes, activation, cost }) {
  const output = OUTPUTS[cost] || cost;
  const hidden = sizes.length <= 2 || (activation === 'sigmoid' && output.startsWith('sigmoid'))
    ? '' : `${activation} hidden, `;
  return `[${sizes.join(',')}] ${hidden}${output}`;
}

/**
 * Bytes as the page writes them: 95,512 -> "93.3 KB", 3,200,000 -> "3.1 MB".
 * @param {number} bytes  @returns {string}
 */
export function fileSize(bytes) {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

const ms = t => `${t < 10 ? t.toFixed(1) : Math.round(t)} ms`;

/** "Saved NAME (93.3 KB, written in 4.2 ms)." */
export function savedText(fileName, bytes, writeMs) {
  return `Saved ${fileName} (${fileSize(bytes)}, written in ${ms(writeMs)}).`;
}

/**
 * After MODEL_READ: "Loaded NAME: [784,30,10] sigmoid + quadratic, 23,860 parameters;
 * evaluating on the test set…", and the file's size and reading time for its second line.
 * `network` is the description alone, kept for the line that replaces this one.
 * @param {{name: string, model: Object, params: Float32Array, ms: number}} read
 * @param {number} bytes  the file's size
 * @returns {{text: string, detail: string, network: string}}
 */
export function loadedText(read, bytes) {
  const network = `${describeModel(read.model)}, ${count(read.params.length)} parameters`;
  return {
    text: `Loaded ${read.name}: ${network}; evaluating on the test set…`,
    detail: `${fileSize(bytes)}, read in ${ms(read.ms)}.`,
    network,
  };
}

/**
 * After EVALUATION: "NAME: [784,30,10] sigmoid + quadratic, 23,860 parameters; 95.12% on the test
 * set before any training; Start trains on from it." It says again what was loaded: an evaluation
 * that comes within a frame replaces the "Loaded" line before it is drawn.
 */
export function evaluatedText(name, network, { testCorrect, testTotal }) {
  return `${name}: ${network}; ${percent(testCorrect / testTotal)} on the test set before any ` +
    'training; Start trains on from it.';
}

/** A file the core refused: the worker's sentence, with the file's name if it lacks it. */
export function refusedText(name, error) {
  const message = String(error || 'the file could not be read').trim();
  return message.includes(name) ? message : `${name}: ${message}`;
}

/** Several files dropped at once: only the first is read. */
export function onlyFirstText(files) {
  return `${files.length} files were dropped: only the first, ${files[0].name}, is read.`;
}
