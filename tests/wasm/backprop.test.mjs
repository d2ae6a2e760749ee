// Node tests of the teaching half of the WebAssembly build (cpp/bindings.cpp): the trace of one
// MNIST example recomputed in float64 JavaScript, the gradient check on real digits, the
// lecture's XOR preset reaching 100% in the module, weights typed by hand, the decision surface,
// the z histograms of saturation and the activation curves. Skips if the build or data is missing.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';

import { MNIST_FILES } from '../../web/protocol.js';
import { PRESETS } from '../../web/config.js';
import { loadModule, loadMnistWhole, mnistFiles, moduleBuilt } from './load_module.mjs';

const files = mnistFiles(MNIST_FILES);
const skip = !moduleBuilt() ? 'build/wasm is not built (./build.sh wasm)'
  : !files ? 'MNIST is not fetched (./build.sh setup)' : false;

let m, data;
before(async () => {
  if (skip) return;
  m = await loadModule();
  data = await loadMnistWhole(m, files);
});

const nielsen = { sizes: [784, 30, 10], activation: 'sigmoid', cost: 'quadratic', init: 'gaussian',
  eta: 3, batch: 10, epochs: 30, lambda: 0, seed: 1 };

// BP1-BP4 for one example in float64, from x, y and the parameters alone (sigmoid + quadratic).
function backpropF64(sizes, params, x, y) {
  const sigma = z => 1 / (1 + Math.exp(-z));
  let a = Array.from(x), offset = 0;
  const layers = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const rows = sizes[l + 1], cols = sizes[l], w = offset, b = offset + rows * cols;
    const z = [];
    for (let j = 0; j < rows; j++) {
      let s = params[b + j];
      for (let k = 0; k < cols; k++) s += params[w + k * rows + j] * a[k];
      z.push(s);
    }
    layers.push({ rows, cols, w, aPrev: a, z });
    a = z.map(sigma);
    offset = b + rows;
  }
  const deltas = [];
  let delta = a.map((v, j) => (v - y[j]) * v * (1 - v));            // BP1
  for (let l = layers.length - 1; l >= 0; l--) {
    deltas[l] = delta;
    if (l === 0) break;
    const { rows, cols, w } = layers[l], zPrev = layers[l - 1].z;
    delta = Array.from({ length: cols }, (_, k) => {                 // BP2
      let s = 0;
      for (let j = 0; j < rows; j++) s += params[w + k * rows + j] * delta[j];
      return s * sigma(zPrev[k]) * (1 - sigma(zPrev[k]));
    });
  }
  return layers.map((L, l) => ({
    z: L.z, delta: deltas[l],
    gradW: Array.from({ length: L.rows * L.cols }, (_, i) => L.aPrev[Math.floor(i / L.rows)] * deltas[l][i % L.rows]),  // BP4
  }));
}

const maxDiff = (a, b) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

test('the trace of training example 7 matches BP1-BP4 recomputed in float64', { skip }, () => {
  const lab = new m.Lab(nielsen, data);
  lab.trainBatches(50);
  const t = lab.trace({ set: 'train', index: 7 });
  assert.equal(t.example.index, 7);
  assert.equal(t.y.length, 10);
  assert.equal(t.y[t.example.label], 1);
  const params = lab.params().slice();
  const ref = backpropF64(nielsen.sizes, params, t.x, t.y);
  let worst = 0;
  ref.forEach((r, l) => {
    worst = Math.max(worst, maxDiff(t.layers[l].z, r.z), maxDiff(t.layers[l].delta, r.delta),
      maxDiff(t.layers[l].gradW, r.gradW), maxDiff(t.layers[l].gradB, r.delta));
  });
  assert.ok(worst < 1e-4, `largest difference ${worst}`);
  assert.ok(t.step.costAfter < t.step.costBefore, 'the one-example step lowers its cost');
  // Tracing changed nothing; applying the step does.
  assert.deepEqual(lab.params().slice(), params);
  lab.applyStep();
  assert.notDeepEqual(lab.params().slice(), params);
  lab.delete();
});

test('bad examples are refused with a message naming the problem', { skip }, () => {
  const lab = new m.Lab(nielsen, data);
  assert.throws(() => lab.trace({ set: 'train', index: 50000 }), /no training example 50000: choose 0 to 49999/);
  assert.throws(() => lab.trace({ set: 'test', index: -1 }), /no test example -1/);
  assert.throws(() => lab.trace({ set: 'train', index: 'abc' }), /not a number/);
  assert.throws(() => lab.trace({ set: 'points', index: 0 }), /does not belong/);
  assert.throws(() => lab.trace({ set: 'drawn', pixels: new Float32Array(784), label: 10 }), /target label must be 0 to 9/);
  assert.throws(() => lab.applyStep(), /trace an example first/);
  const drawn = lab.trace({ set: 'drawn', pixels: new Float32Array(784).fill(0.5), label: 3 });
  assert.equal(drawn.example.index, null);
  assert.equal(drawn.y[3], 1);
  lab.delete();
});

test('the gradient check passes on real digits for sigmoid + quadratic, ReLU + log-likelihood and wide later layers', { skip }, () => {
  // [784,100,10] and [784,256,12,10]: later layers of 100 and 256 inputs, the kernels' in
  // WebAssembly (cpp/config.hpp small_layer) and Eigen's natively.
  const cases = [nielsen, { ...nielsen, sizes: [784, 40, 20, 10], activation: 'relu', cost: 'log-likelihood', init: 'scaled', eta: 0.1 },
    { ...nielsen, sizes: [784, 100, 10] }, { ...nielsen, sizes: [784, 256, 12, 10], cost: 'cross-entropy', init: 'scaled', eta: 0.5 }];
  for (const config of cases) {
    const lab = new m.Lab(config, data);
    lab.trainBatches(100);
    let worst = 0;
    for (const index of [0, 1, 2, 3, 4]) {
      const c = lab.gradCheck({ set: 'train', index }, 5);
      assert.ok(c.entries.length >= 10);
      assert.ok(c.entries.some(e => e.why === 'largest' && e.backprop !== 0));
      worst = Math.max(worst, c.maxRelError);
      assert.ok(c.maxRelError < c.tolerance, `${config.sizes} example ${index}: ${c.maxRelError}`);
    }
    console.log(`# gradient check ${config.sizes} ${config.activation} + ${config.cost}: largest relative error ${worst.toExponential(2)}`);
    lab.delete();
  }
});

test('the lecture\'s XOR preset reaches 100% in the module', { skip }, () => {
  const preset = PRESETS.find(p => p.config.dataset === 'xor');
  assert.ok(preset, 'web/config.js has an XOR preset');
  const lab = m.Lab.createSmall(preset.config);
  let last;
  for (let e = 0; e < preset.config.epochs; e++) {
    lab.trainBatches(1000);
    last = lab.finishEpoch();
  }
  assert.equal(last.testTotal, 4);
  assert.equal(last.testCorrect, 4);
  const s = lab.surface(11);
  assert.deepEqual(Array.from(s.outputs).map(v => v > 0.5), [false, true, true, false]);
  assert.equal(s.values.length, 121);
  // Corners of the grid: row 0 is x2 = 1. (0,1) and (1,0) are XOR's ones.
  assert.ok(s.values[0] > 0.5 && s.values[10] < 0.5 && s.values[110] < 0.5 && s.values[120] > 0.5);
  lab.delete();
});

test('weights typed by hand: stored, and garbage or huge values refused', { skip }, () => {
  const lab = m.Lab.createSmall({ dataset: 'nand', sizes: [2, 1], activation: 'step', batch: 4 });
  lab.setParams(new Float32Array([-2, -2, 3]));
  assert.deepEqual(Array.from(lab.surface(2).outputs), [1, 1, 1, 0]);   // NAND
  assert.throws(() => lab.trainBatches(1), /cannot be trained by gradient descent/);
  assert.throws(() => lab.trace({ set: 'points', index: 0 }), /step/);
  assert.equal(lab.setParam(2, ' 1 '), 1);
  assert.deepEqual(Array.from(lab.surface(2).outputs), [1, 0, 0, 0]);   // now NOR
  for (const bad of ['abc', '', '1e40', 'NaN', 'Infinity', '0x10', '2,5']) {
    assert.throws(() => lab.setParam(0, bad), /not a number|too large/, bad);
  }
  assert.throws(() => lab.setParam(3, '1'), /no parameter 3/);
  assert.deepEqual(Array.from(lab.params()), [-2, -2, 1]);
  assert.throws(() => lab.setParams(new Float32Array([1, 2])), /2 values for the 3 parameters/);
  assert.throws(() => lab.setParams(new Float32Array([1, NaN, 2])), /NaN/);
  lab.delete();
});

test('saturation: [784,100,10] N(0,1) saturates most hidden units, N(0,1/n_in) few', { skip }, () => {
  const share = {};
  for (const init of ['gaussian', 'scaled']) {
    const lab = new m.Lab({ ...nielsen, sizes: [784, 100, 10], init }, data);
    const s = lab.saturation(120, -30, 30, 1000);
    assert.equal(s.layers.length, 2);   // the hidden layer and the output layer
    assert.equal(s.samples, 1000);
    assert.equal(s.layers[0].counts.reduce((a, b) => a + b, 0), 1000 * 100);
    share[init] = s.layers[0].saturated;
    share[init + 'Out'] = s.layers[1].saturated;
    lab.delete();
  }
  console.log(`# saturated share at epoch 0: N(0,1) ${share.gaussian}, N(0,1/n_in) ${share.scaled}; ` +
    `output layer ${share.gaussianOut} and ${share.scaledOut}`);
  assert.ok(share.gaussian > 0.5 && share.scaled < 0.05, JSON.stringify(share));
});

test('the activation curves come from the core: sigmoid, tanh, ReLU, step and their derivatives', { skip }, () => {
  const c = m.Lab.curves(-2, 2, 5);
  assert.deepEqual(Array.from(c.z), [-2, -1, 0, 1, 2]);
  assert.ok(Math.abs(c.curves.sigmoid.a[2] - 0.5) < 1e-7 && Math.abs(c.curves.sigmoid.fp[2] - 0.25) < 1e-7);
  assert.ok(Math.abs(c.curves.tanh.a[3] - Math.tanh(1)) < 1e-6);
  assert.deepEqual(Array.from(c.curves.relu.a), [0, 0, 0, 1, 2]);
  assert.deepEqual(Array.from(c.curves.step.a), [0, 0, 0, 1, 1]);
  assert.deepEqual(Array.from(c.curves.step.fp), [0, 0, 0, 0, 0]);
  assert.throws(() => m.Lab.curves(1, 1, 5), /lo < hi/);
});
