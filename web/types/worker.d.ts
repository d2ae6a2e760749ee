// What the Emscripten glue (build/wasm/backprop_lab.js, loaded by importScripts) defines for
// web/worker.js. The module's own classes (Lab, MnistData, ...) are left untyped: cpp/bindings.cpp
// is their definition, and tests/wasm/ checks them.
declare function createBackpropLab(options?: {
  locateFile?: (path: string) => string;
  wasmBinary?: ArrayBuffer | Uint8Array;
}): Promise<any>;
