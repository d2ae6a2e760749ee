// Node test of the WebAssembly build's model files and checkpoints (cpp/bindings.cpp: saveModel,
// saveModelJson, Lab.readModel, checkpoint, restore, evaluate): both formats round-trip bit for
// bit, each bad-file class comes back as an Error naming the file, and a run resumed from a
// checkpoint in a new Lab is the uninterrupted run. Skips if the build or MNIST is missing.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';

import { MNIST_FILES } from '../../web/protocol.js';
import { loadModule, loadMnistWhole, mnistFiles, moduleBuilt } from './load_module.mjs';

const files = mnistFiles(MNIST_FILES);
const skip = !moduleBuilt() ? 'build/wasm is not built (./build.sh wasm)'
  : !files ? 'MNIST is not fetched (./build.sh setup)' : false;

let m, data;
const config = { sizes: [784, 30, 10], eta: 3, batch: 10, epochs: 3, seed: 1 };

before(async () => {
  if (skip) return;
  m = await loadModule();
  data = await loadMnistWhole(m, files);
});

const sameBits = (a, b) => Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength),
  Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;
const read = (bytes, name = 'net') => m.Lab.readModel(bytes, name, 784, 10);
const text = (s) => new TextEncoder().encode(s);

function trained(batches) {
  const lab = new m.Lab(config, data);
  lab.trainBatches(batches);
  return lab;
}

test('both formats round-trip the network bit for bit and evaluate to the same count', { skip }, () => {
  const lab = trained(700);
  const before = lab.evaluate();
  for (const [format, bytes] of [['bplm', lab.saveModel()], ['json', lab.saveModelJson()]]) {
    const r = read(bytes, `net.${format}`);
    assert.equal(r.format, format);
    assert.deepEqual(r.model, { sizes: [784, 30, 10], activation: 'sigmoid', cost: 'quadratic' });
    assert.ok(sameBits(r.params, lab.params().slice()), format);
    const loaded = new m.Lab({ ...config, ...r.model }, data);
    loaded.setParams(r.params);
    assert.equal(loaded.evaluate().testCorrect, before.testCorrect, format);
    assert.ok(sameBits(format === 'json' ? loaded.saveModelJson() : loaded.saveModel(), bytes), `${format} again`);
    loaded.delete();
  }
  assert.equal(before.confusion.reduce((a, b) => a + b, 0), 10000);
  lab.delete();
});

test('bad files are Errors naming the file and the problem', { skip }, () => {
  const lab = trained(1);
  const good = lab.saveModel();
  const json = new TextDecoder().decode(lab.saveModelJson());
  lab.delete();
  const cases = [
    [text('GIF89a'), /^a\.gif: not a model file/],
    [good.slice(0, 1000), /^net: truncated/],
    [text(json.replace('"sizes": [784, 30, 10]', '"sizes": [784, 30]')), /^net: weights has 2 layers, but sizes \[784,30\] need 1/],
    [text(json.slice(0, 5000)), /^net: not valid JSON at byte 5001/],
    [text('{"hello": "world"}'), /^net: not a network2\.py network: the key "sizes" is missing/],
    [text(json.replace(/\[\[\[[-0-9.e]+/, '[[[NaN')), /^net: weights\[0\]\[0\]\[0\] is NaN or Infinity/],
  ];
  for (const [bytes, pattern] of cases) {
    assert.throws(() => read(bytes, pattern.source.startsWith('^a\\.gif') ? 'a.gif' : 'net'),
      (e) => e instanceof Error && pattern.test(e.message), String(pattern));
  }
  // A network of another shape: the file is fine, MNIST is not its data.
  const small = new m.Lab({ sizes: [784, 20, 12] }, data);
  assert.throws(() => read(small.saveModel()), /gives 12 outputs, but the data here has 10 classes/);
  small.delete();
  assert.doesNotThrow(() => m.Lab.checkModelFileSize(64 * 2 ** 20, 'big'));
  assert.throws(() => m.Lab.checkModelFileSize(200 * 2 ** 20, 'big'),
    (e) => e instanceof Error && /^big: the file has 200 MB; a model file is at most 64 MB/.test(e.message));
});

test('a checkpoint resumed in a new Lab continues the run exactly (after an epoch and mid-epoch)', { skip }, () => {
  const straight = new m.Lab(config, data);
  const counts = [];
  for (let e = 0; e < 2; e++) {
    while (!straight.epochDone()) straight.trainBatches(1000);
    counts.push(straight.finishEpoch().testCorrect);
  }
  for (const cut of [5000, 7321]) {   // after epoch 1 (5,000 mini-batches) and within epoch 2
    const first = new m.Lab(config, data);
    const got = [];
    let done = 0;
    while (done < cut) {
      const n = Math.min(1000, cut - done, 5000 - (done % 5000));
      done += first.trainBatches(n).batches;
      if (first.epochDone()) got.push(first.finishEpoch().testCorrect);
    }
    const saved = first.checkpoint();
    first.delete();
    const resumed = new m.Lab(config, data);
    resumed.restore(saved);
    assert.equal(resumed.epoch(), cut >= 5000 ? 1 : 0);
    while (resumed.epoch() < 2) {
      while (!resumed.epochDone()) resumed.trainBatches(1000);
      got.push(resumed.finishEpoch().testCorrect);
    }
    assert.deepEqual(got, counts, `cut at ${cut}`);
    assert.ok(sameBits(resumed.params().slice(), straight.params().slice()), `weights, cut at ${cut}`);
    resumed.delete();
  }
  // Another config refuses it and stays fresh; damage is refused.
  const saved = straight.checkpoint();
  const other = new m.Lab({ ...config, eta: 0.5 }, data);
  assert.throws(() => other.restore(saved), /trained with another eta/);
  assert.equal(other.epoch(), 0);
  const damaged = saved.slice();
  damaged[damaged.length >> 1] ^= 1;
  assert.throws(() => other.restore(damaged), /damaged \(checksum\)/);
  other.delete();
  straight.delete();
});
