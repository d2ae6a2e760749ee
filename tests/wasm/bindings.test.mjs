// Node smoke test of the WebAssembly build through its embind edge (cpp/bindings.cpp): the real
// MNIST streamed in random chunks, training, the documented weight layout, and errors as JS Errors.
// Not the page or the worker (tests/web/ drive those in Chromium); skips if the build or data is missing.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';

import { MNIST_FILES } from '../../web/protocol.js';
import { loadModule, loadMnist, mnistFiles, moduleBuilt } from './load_module.mjs';

const files = mnistFiles(MNIST_FILES);
const skip = !moduleBuilt() ? 'build/wasm is not built (./build.sh wasm)'
  : !files ? 'MNIST is not fetched (./build.sh setup)' : false;

let m, data;

// A seeded generator, so a failing chunk split can be reproduced.
function lcg(seed) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

// Streams one file (gunzipped on the fly if .gz) into reader in chunks of random size.
async function streamInto(reader, file, random) {
  let stream = createReadStream(file.path);
  if (file.gzip) stream = stream.pipe(createGunzip());
  for await (const piece of stream) {
    for (let at = 0; at < piece.length;) {
      const n = 1 + Math.floor(random() * 65536);
      reader.feed(piece.subarray(at, at + n));
      at += n;
    }
  }
  reader.finish();
}

function paramCount(sizes) {
  let n = 0;
  for (let l = 0; l + 1 < sizes.length; l++) n += sizes[l + 1] * sizes[l] + sizes[l + 1];
  return n;
}

const idxHeader = (magic, ...dims) => {
  const bytes = new Uint8Array(4 + 4 * dims.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, magic);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  return bytes;
};

before(async () => {
  if (skip) return;
  m = await loadModule();
  const random = lcg(42);
  data = await loadMnist(m, files, async (reader, file) => {
    await streamInto(reader, file, random);
    assert.equal(reader.bytesReceived(), reader.bytesExpected(), file.name);
  });
});

test('MNIST streamed in random chunks gives 60,000 training and 10,000 test images', { skip }, () => {
  assert.equal(data.trainCount(), 60000);
  assert.equal(data.testCount(), 10000);
});

test('params has the documented count and layout: w[l] column-major, then b[l]', { skip }, () => {
  const sizes = [784, 30, 10];
  const lab = new m.Lab({ sizes, seed: 1 }, data);
  assert.equal(lab.params().length, paramCount(sizes));
  let offset = 0;
  lab.layout().forEach((layer, l) => {
    assert.deepEqual(layer, { rows: sizes[l + 1], cols: sizes[l], wOffset: offset,
      bOffset: offset + sizes[l + 1] * sizes[l] });
    offset = layer.bOffset + layer.rows;
  });
  assert.equal(lab.batchesPerEpoch(), 50000 / 10);
  lab.delete();

  // No hidden layer: output = sigmoid(w x + b). One weight and one bias set through the view show
  // which neuron and which input each offset belongs to.
  const single = new m.Lab({ sizes: [784, 10], seed: 1 }, data);
  const [layer] = single.layout();
  const params = single.params();
  params.fill(0);
  const input = 100, neuron = 3;
  params[layer.wOffset + input * layer.rows + neuron] = 5;
  params[layer.bOffset + 7] = -5;
  const x = new Float32Array(784);
  x[input] = 1;
  const a = single.predict(x);
  const sigmoid = (z) => 1 / (1 + Math.exp(-z));
  a.forEach((ai, i) => {
    const expected = i === neuron ? sigmoid(5) : i === 7 ? sigmoid(-5) : 0.5;
    assert.ok(Math.abs(ai - expected) < 1e-6, `output ${i}: ${ai} vs ${expected}`);
  });
  single.delete();
});

test('training [784,30,10] lowers the mean cost; predict gives 10 outputs', { skip }, () => {
  const lab = new m.Lab({ sizes: [784, 30, 10], eta: 3, batch: 10, seed: 1 }, data);
  const first = lab.trainBatches(100);
  assert.deepEqual([first.batches, first.examples], [100, 1000]);
  lab.trainBatches(200);
  const later = lab.trainBatches(100);
  assert.ok(later.cost < 0.7 * first.cost, `cost ${first.cost} -> ${later.cost}`);
  assert.equal(lab.batchInEpoch(), 400);
  assert.equal(lab.epochDone(), false);

  const outputs = lab.predict(new Float32Array(784).fill(0.5));
  assert.equal(outputs.length, 10);
  assert.ok(outputs.every((a) => a >= 0 && a <= 1));
  lab.delete();
});

test('the same seed gives identical weights', { skip }, () => {
  const run = () => {
    const lab = new m.Lab({ sizes: [784, 30, 10], seed: 7 }, data);
    lab.trainBatches(50);
    const params = lab.params().slice();
    lab.delete();
    return params;
  };
  assert.deepEqual(run(), run());
});

test('the images in the core\'s sparse form (sparseParts) read back as the same data: same pixels, same training', { skip }, async () => {
  // The parts as the worker writes them (download.js storeCompact), fed back in random chunks.
  const bytes = (i) => {
    const p = data.sparseParts(i);
    return new Uint8Array(Buffer.concat([p.header, p.bitmaps, p.value, p.checksum].map(
      (a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength))));
  };
  const sparse = [bytes(0), null, bytes(2), null];
  assert.equal(new TextDecoder().decode(sparse[0].subarray(0, 4)), 'BPLS');
  assert.ok(sparse[0].length < 15e6, `train images in the sparse form: ${sparse[0].length} bytes`);
  const random = lcg(9);
  const again = await loadMnist(m, files, async (reader, file) => {
    const i = MNIST_FILES.indexOf(file.name);
    if (!sparse[i]) return streamInto(reader, file, random);
    for (let at = 0; at < sparse[i].length;) {
      const n = 1 + Math.floor(random() * 65536);
      reader.feed(sparse[i].subarray(at, at + n));
      at += n;
    }
    assert.equal(reader.bytesReceived(), reader.bytesExpected());
    reader.finish();
  });
  const some = [0, 1, 4321, 9999];
  assert.deepEqual(again.testImages(some), data.testImages(some));
  const run = (d) => {
    const lab = new m.Lab({ sizes: [784, 30, 10], seed: 3 }, d);
    lab.trainBatches(300);
    const params = lab.params().slice();
    lab.delete();
    return params;
  };
  assert.deepEqual(run(again), run(data));
  // One byte changed in a pixel's value: the checksum refuses the copy.
  const damaged = sparse[2].slice();
  damaged[damaged.length - 20] ^= 1;
  const reader = new m.IdxReader('t10k-images-idx3-ubyte', true);
  reader.feed(damaged);
  assert.throws(() => reader.finish(), /t10k-images-idx3-ubyte: wrong checksum; the copy is damaged/);
  reader.delete();
  again.delete();
});

test('one full epoch of [784,30,10] reaches >= 90% test accuracy', { skip }, () => {
  const lab = new m.Lab({ sizes: [784, 30, 10], eta: 3, batch: 10, seed: 1 }, data);
  while (!lab.epochDone()) lab.trainBatches(1000);
  const r = lab.finishEpoch();
  assert.equal(r.epoch, 0);
  assert.equal(lab.epoch(), 1);
  assert.equal(r.testTotal, 10000);
  assert.equal(r.validationTotal, 10000);
  assert.ok(r.testCorrect / r.testTotal >= 0.9, `test accuracy ${r.testCorrect / r.testTotal}`);
  assert.ok(r.validationCorrect / r.validationTotal >= 0.9);
  assert.equal(r.confusion.length, 100);
  assert.equal(r.confusion.reduce((s, c) => s + c, 0), 10000);
  const diagonal = [...Array(10).keys()].reduce((s, i) => s + r.confusion[i * 11], 0);
  assert.equal(diagonal, r.testCorrect);
  assert.ok(r.trainCost > 0 && r.testCost > 0 && r.seconds > 0);

  const model = lab.saveModel();
  assert.ok(model instanceof Uint8Array);
  assert.equal(new TextDecoder().decode(model.subarray(0, 4)), 'BPLM');
  // magic, version, activation, cost, reserved, L, 3 sizes, P, parameters, CRC
  assert.equal(model.length, 4 + 4 + 1 + 1 + 2 + 4 + 3 * 4 + 8 + 4 * paramCount([784, 30, 10]) + 4);
  lab.delete();
});

test('corrupt IDX bytes come through as Errors naming the file and the damage', { skip }, () => {
  const reject = (isImages, bytes, pattern, finish = false) => {
    const reader = new m.IdxReader('damaged-idx', isImages);
    assert.throws(() => { reader.feed(bytes); if (finish) reader.finish(); },
      (e) => e instanceof Error && /^damaged-idx: /.test(e.message) && pattern.test(e.message));
    reader.delete();
  };
  reject(true, idxHeader(0x801, 2), /magic/);
  reject(true, new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]), /gzip/);
  reject(false, new Uint8Array([...idxHeader(0x801, 2), 3, 12]), /label 12/);
  reject(true, new Uint8Array([...idxHeader(0x803, 2, 28, 28), ...new Uint8Array(100)]),
    /truncated/, true);
  reject(false, new Uint8Array([...idxHeader(0x801, 1), 3, 4]), /unexpected bytes/);

  const labels = new m.IdxReader('labels', false);
  labels.feed(new Uint8Array([...idxHeader(0x801, 1), 3]));
  labels.finish();
  const mnist = new m.MnistData();
  assert.throws(() => mnist.setFile(0, labels), /expected images/);
  mnist.delete();
  labels.delete();
});

test('bad configs come through as Errors with the core\'s message', { skip }, () => {
  const reject = (config, pattern) =>
    assert.throws(() => new m.Lab(config, data), (e) => e instanceof Error && pattern.test(e.message));
  reject({ sizes: [784, 30, 10], eta: 0 }, /eta is 0; eta must be > 0/);
  reject({ sizes: [784, 0, 10] }, /layer 2 has 0 neurons/);
  reject({ sizes: [784, 30, 9] }, /output layer has 9 neurons/);
  reject({ sizes: [784, 30, 10], activation: 'swish' }, /unknown activation 'swish'/);
  reject({ sizes: [784, 30, 10], epochs: 0 }, /epochs is 0/);
  reject({ sizes: '784,30,10' }, /sizes must be an array/);
  reject({ sizes: [784, 30, 10], eta: '3' }, /eta must be a number/);
  reject({ sizes: [784, 30.5, 10] }, /whole number/);
  // The bindings' budget for a browser tab: 256 MB.
  reject({ sizes: [784, 4000, 4000, 4000, 10] }, /more than the 256\.0 MB budget/);
});

test('divergence throws a DivergedError and keeps the last good weights', { skip }, () => {
  // Plain sigmoid with eta = 100 stays finite (the book's "fails to learn"); a deep ReLU
  // network with a huge eta overflows within a few mini-batches.
  const lab = new m.Lab({ sizes: [784, 100, 100, 10], activation: 'relu', cost: 'log-likelihood',
    eta: 1e6, seed: 1 }, data);
  let error = null, before = null, batch = 0;
  for (let i = 0; i < 100 && !error; i++) {
    before = lab.params().slice();
    batch = lab.batchInEpoch();
    try {
      lab.trainBatches(1);
    } catch (e) {
      error = e;
    }
  }
  assert.ok(error instanceof Error, 'expected divergence within 100 mini-batches');
  assert.equal(error.name, 'DivergedError');
  assert.match(error.message, /diverged/);
  assert.equal(lab.diverged(), true);
  assert.equal(lab.batchInEpoch(), batch);
  assert.deepEqual(lab.params().slice(), before);
  lab.delete();
});
