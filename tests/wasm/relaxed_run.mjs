// The relaxed-SIMD test's child (relaxed.test.mjs runs it with and without Node's
// --experimental-wasm-relaxed-simd): prints one JSON line saying what this Node validates and, if
// it runs the relaxed module, one epoch of [784,30,10] (seed 1, eta 3, m = 10) trained twice in
// each module: the accuracy, whether the two runs of one module agree bit for bit, and how many
// weights differ between the modules. Not a test itself (it asserts nothing).
import { readFileSync } from 'node:fs';

import { MNIST_FILES } from '../../web/protocol.js';
import { relaxedSimd } from '../../web/wasm_variant.js';
import { BUILDS, loadModule, loadMnistWhole, mnistFiles } from './load_module.mjs';

const validates = {
  probe: relaxedSimd(),
  plain: WebAssembly.validate(readFileSync(BUILDS.plain.wasm)),
  relaxed: WebAssembly.validate(readFileSync(BUILDS.relaxed.wasm)),
};
const out = { validates };
if (validates.relaxed) {
  const files = mnistFiles(MNIST_FILES);
  const runs = {};
  for (const variant of ['plain', 'relaxed']) {
    const m = await loadModule(variant);
    const data = await loadMnistWhole(m, files);
    const params = [];
    let accuracy = 0;
    for (let run = 0; run < 2; run++) {
      const lab = new m.Lab({ sizes: [784, 30, 10], eta: 3, batch: 10, epochs: 1, seed: 1 }, data);
      while (!lab.epochDone()) lab.trainBatches(1000);
      const r = lab.finishEpoch();
      accuracy = r.testCorrect / r.testTotal;
      params.push(Float32Array.from(lab.params()));
      lab.delete();
    }
    data.delete();
    const same = params[0].length === params[1].length && params[0].every((x, i) => Object.is(x, params[1][i]));
    runs[variant] = { accuracy, same, params: params[0] };
  }
  const a = runs.plain.params, b = runs.relaxed.params;
  out.weights = a.length;
  out.differ = a.reduce((n, x, i) => n + (Object.is(x, b[i]) ? 0 : 1), 0);
  for (const variant of ['plain', 'relaxed']) out[variant] = { accuracy: runs[variant].accuracy, same: runs[variant].same };
}
console.log(JSON.stringify(out));
