// The WebAssembly benchmark: full MNIST epochs of Nielsen's networks in Node, both modules (SIMD128
// and relaxed SIMD, web/wasm_variant.js) by turns, epoch after epoch, so that both see the same
// machine. One JSON line per network and module, the fields of the native rows ("target": "wasm"
// or "wasm-relaxed") with the range. Not a test: it asserts nothing. Node 20 runs the relaxed
// module only with --experimental-wasm-relaxed-simd (./build.sh bench passes it); without it,
// or without build/wasm-relaxed/, the relaxed rows are left out with a note on stderr.
// Usage: node [--experimental-wasm-relaxed-simd] tests/wasm/bench.mjs [epochs]
//   (default 3; the median epoch is reported)
import { MNIST_FILES } from '../../web/protocol.js';
import { relaxedSimd } from '../../web/wasm_variant.js';
import { loadModule, loadMnistWhole, mnistFiles, moduleBuilt } from './load_module.mjs';

const epochs = Math.max(1, Number(process.argv[2] || 3));
const networks = [[784, 30, 10], [784, 100, 10]];
const batch = 10, eta = 3;

const files = mnistFiles(MNIST_FILES);
if (!files) {
  console.error('bench: MNIST is not fetched (./build.sh setup)');
  process.exit(1);
}
const variants = [{ name: 'plain', target: 'wasm' }];
if (!moduleBuilt('relaxed')) console.error('bench: build/wasm-relaxed/ is not built: relaxed rows left out');
else if (!relaxedSimd()) console.error('bench: this Node does not validate relaxed SIMD (--experimental-wasm-relaxed-simd): relaxed rows left out');
else variants.push({ name: 'relaxed', target: 'wasm-relaxed' });

for (const v of variants) {
  v.m = await loadModule(v.name);
  v.data = await loadMnistWhole(v.m, files);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

for (const sizes of networks) {
  for (const v of variants) {
    v.lab = new v.m.Lab({ sizes, eta, batch, epochs, seed: 1 }, v.data);
    v.seconds = [];
  }
  // One epoch more than measured: the first runs while V8 is still optimising the module (it
  // starts on its baseline compiler), so it is left out, as the native benchmark leaves it out.
  for (let e = 0; e <= epochs; e++) {
    for (const v of variants) {
      let s = 0;   // the core's own training time: evaluation excluded, as natively
      while (!v.lab.epochDone()) s += v.lab.trainBatches(1000).seconds;
      v.lab.finishEpoch();
      if (e > 0) v.seconds.push(s);
    }
  }
  for (const v of variants) {
    v.lab.delete();
    console.log(`{"target": "${v.target}", "sizes": [${sizes.join(',')}], "batch": ${batch}, ` +
      `"seconds_per_epoch": ${median(v.seconds).toFixed(4)}, "min": ${Math.min(...v.seconds).toFixed(4)}, ` +
      `"max": ${Math.max(...v.seconds).toFixed(4)}, "epochs": ${v.seconds.length}}`);
  }
}
for (const v of variants) v.data.delete();
