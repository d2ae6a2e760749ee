// Node test of what the misclassified gallery gets from the WebAssembly build (cpp/bindings.cpp:
// finishEpoch's and evaluate's `mistakes`, MnistData.testImages): every wrong test image once, its
// label the t10k file's, the most confident first, and the pixels byte for byte the file's.
// Skips if the build or MNIST is missing.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

import { MNIST_FILES } from '../../web/protocol.js';
import { loadModule, loadMnistWhole, mnistFiles, moduleBuilt } from './load_module.mjs';

const files = mnistFiles(MNIST_FILES);
const skip = !moduleBuilt() ? 'build/wasm is not built (./build.sh wasm)'
  : !files ? 'MNIST is not fetched (./build.sh setup)' : false;

let m, data, testImages, testLabels;
const file = f => (f.gzip ? gunzipSync(readFileSync(f.path)) : readFileSync(f.path));

before(async () => {
  if (skip) return;
  m = await loadModule();
  data = await loadMnistWhole(m, files);
  testImages = file(files[2]).subarray(16);   // after the IDX header
  testLabels = file(files[3]).subarray(8);
});

test('an epoch lists each wrong test image once, with its label, most confident first', { skip }, () => {
  const lab = new m.Lab({ sizes: [784, 10, 10], eta: 3, batch: 10, epochs: 1, seed: 1 }, data);
  try {
    while (!lab.epochDone()) lab.trainBatches(1000);
    const r = lab.finishEpoch();
    const { index, label, predicted, confidence } = r.mistakes;
    assert.ok(index instanceof Uint32Array && label instanceof Uint8Array &&
      predicted instanceof Uint8Array && confidence instanceof Float32Array);
    assert.equal(index.length, r.testTotal - r.testCorrect);
    assert.ok(index.length > 100, `${index.length} mistakes`);
    let offDiagonal = 0;
    for (let t = 0; t < 10; t++) for (let p = 0; p < 10; p++) if (t !== p) offDiagonal += r.confusion[t * 10 + p];
    assert.equal(offDiagonal, index.length);
    assert.equal(new Set(index).size, index.length);
    for (let k = 0; k < index.length; k++) {
      assert.equal(label[k], testLabels[index[k]], `mistake ${k}: image ${index[k]}`);
      assert.notEqual(predicted[k], label[k]);
      assert.ok(confidence[k] >= 0 && confidence[k] <= 1);
      if (k) assert.ok(confidence[k - 1] >= confidence[k]);
    }
    // The same network scored again (evaluate) gives the same list.
    const again = lab.evaluate().mistakes;
    assert.deepEqual(again.index, index);
    assert.deepEqual(again.confidence, confidence);
  } finally {
    lab.delete();
  }
});

test('testImages gives the t10k bytes of the images asked for, and names a bad index', { skip }, () => {
  const indices = [0, 9999, 1234, 0];
  const pixels = data.testImages(indices);
  assert.ok(pixels instanceof Uint8Array);
  assert.equal(pixels.length, indices.length * 784);
  indices.forEach((i, k) => {
    assert.deepEqual(pixels.subarray(k * 784, (k + 1) * 784), new Uint8Array(testImages.subarray(i * 784, (i + 1) * 784)));
  });
  assert.equal(data.testImages([]).length, 0);
  assert.throws(() => data.testImages([3, 10000]), /test image 10000 does not exist \(the test set has 10000 images\)/);
});
