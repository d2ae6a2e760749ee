// Which of the two WebAssembly modules this browser runs: wasm/relaxed/ (relaxed SIMD: the
// kernels' multiply-adds are f32x4.relaxed_madd, fused where the CPU has FMA) or wasm/ (SIMD128
// only, as every browser with WebAssembly SIMD runs). Decided by validating a tiny module that
// holds one relaxed_madd: a browser without relaxed SIMD rejects it, and the page falls back.
// Pure: the worker asks it, and the Node tests ask it of Node.
// @ts-check

// (module (func (param v128 v128 v128) (result v128)
//   local.get 0 local.get 1 local.get 2 f32x4.relaxed_madd))
export const RELAXED_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,             // "\0asm", version 1
  0x01, 0x08, 0x01, 0x60, 0x03, 0x7b, 0x7b, 0x7b, 0x01, 0x7b, // types: (v128 v128 v128) -> v128
  0x03, 0x02, 0x01, 0x00,                                     // functions: one of type 0
  0x0a, 0x0d, 0x01, 0x0b, 0x00,                               // code: one body of 11 bytes, no locals
  0x20, 0x00, 0x20, 0x01, 0x20, 0x02,                         // local.get 0, 1, 2
  0xfd, 0x85, 0x02,                                           // f32x4.relaxed_madd (0xfd 0x105)
  0x0b,                                                       // end
]);

/** @returns {boolean} whether this engine validates relaxed-SIMD instructions */
export function relaxedSimd() {
  try {
    return WebAssembly.validate(RELAXED_PROBE);
  } catch {
    return false;
  }
}

/** @typedef {'relaxed' | 'plain'} ModuleKind */

/** @returns {ModuleKind} the module this engine should load */
export const moduleKind = () => (relaxedSimd() ? 'relaxed' : 'plain');

/**
 * @param {ModuleKind} kind
 * @returns {string} the module's folder in the site, relative to the page
 */
export const wasmFolder = (kind) => (kind === 'relaxed' ? 'wasm/relaxed/' : 'wasm/');
