// The WebAssembly benchmark: full MNIST epochs of Nielsen's networks in Node, one JSON line per
// network, the same fields as the native rows ("target": "wasm"). Not a test: it asserts nothing.
// Usage: node tests/wasm/bench.mjs [epochs]   (default 3; the median epoch is reported)
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

import { MNIST_FILES } from '../../web/protocol.js';
import { loadModule, loadMnist, mnistFiles } from './load_module.mjs';

const epochs = Math.max(1, Number(process.argv[2] || 3));
const networks = [[784, 30, 10], [784, 100, 10]];
const batch = 10, eta = 3;

const files = mnistFiles(MNIST_FILES);
if (!files) {
  console.error('bench: MNIST is not fetched (./build.sh setup)');
  process.exit(1);
}
const m = await loadModule();
const data = await loadMnist(m, files, (reader, file) => {
  const bytes = readFileSync(file.path);
  reader.feed(file.gzip ? gunzipSync(bytes) : bytes);
  reader.finish();
});

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

for (const sizes of networks) {
  const lab = new m.Lab({ sizes, eta, batch, epochs, seed: 1 }, data);
  const seconds = [];
  // One epoch more than measured: the first runs while V8 is still optimising the module (it
  // starts on its baseline compiler), so it is left out, as the native benchmark leaves it out.
  for (let e = 0; e <= epochs; e++) {
    let s = 0;   // the core's own training time: evaluation excluded, as natively
    while (!lab.epochDone()) s += lab.trainBatches(1000).seconds;
    lab.finishEpoch();
    if (e > 0) seconds.push(s);
  }
  lab.delete();
  console.log(`{"target": "wasm", "sizes": [${sizes.join(',')}], "batch": ${batch}, ` +
    `"seconds_per_epoch": ${median(seconds).toFixed(4)}}`);
}
data.delete();
