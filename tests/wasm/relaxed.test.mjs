// The relaxed-SIMD module (build/wasm-relaxed/, web/wasm_variant.js): the probe that picks it says
// what the engine really does with the module, the module trains like the plain one, each module
// is deterministic, and the two round differently (relaxed_madd fuses where the CPU has FMA).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { BUILDS, moduleBuilt } from './load_module.mjs';

const child = fileURLToPath(new URL('./relaxed_run.mjs', import.meta.url));
const run = (flags) => JSON.parse(execFileSync(process.execPath, [...flags, child], { encoding: 'utf8' }));
const skip = !moduleBuilt('plain') || !moduleBuilt('relaxed') ? 'run ./build.sh wasm first' : false;
// relaxed_madd is fused only on CPUs with FMA (V8 emits a multiply and an add elsewhere).
const cpuHasFma = (() => {
  try {
    return /\bfma\b/.test(readFileSync('/proc/cpuinfo', 'utf8'));
  } catch {
    return false;
  }
})();

test('the relaxed module holds relaxed_madd opcodes, the plain one none', { skip }, () => {
  const count = (bytes) => {
    let n = 0;
    for (let i = 0; i + 2 < bytes.length; i++) if (bytes[i] === 0xfd && bytes[i + 1] === 0x85 && bytes[i + 2] === 0x02) n++;
    return n;
  };
  const relaxed = count(readFileSync(BUILDS.relaxed.wasm));
  // A byte triple can occur in data or another immediate by chance: the plain module's count is
  // that background, and the relaxed kernels add well over a hundred.
  const plain = count(readFileSync(BUILDS.plain.wasm));
  console.log(`f32x4.relaxed_madd byte patterns: relaxed module ${relaxed}, plain ${plain}`);
  assert.ok(relaxed > plain + 50, `relaxed ${relaxed}, plain ${plain}`);
});

test('without the flag the probe says what Node does with the relaxed module (Node 20: rejects it)', { skip }, () => {
  const r = run([]);
  assert.equal(r.validates.plain, true);
  assert.equal(r.validates.probe, r.validates.relaxed, JSON.stringify(r.validates));
  // Node 20's V8 has relaxed SIMD behind the flag; later ones have it on by default.
  if (Number(process.versions.node.split('.')[0]) === 20) assert.equal(r.validates.relaxed, false);
});

test('with the flag both validate; one epoch of [784,30,10] in each: >90%, deterministic, rounding apart', { skip }, () => {
  const r = run(['--experimental-wasm-relaxed-simd']);
  assert.deepEqual(r.validates, { probe: true, plain: true, relaxed: true });
  console.log(`one epoch: plain ${r.plain.accuracy}, relaxed ${r.relaxed.accuracy}; ` +
    `${r.differ} of ${r.weights} weights differ between the modules (CPU has FMA: ${cpuHasFma})`);
  assert.ok(r.plain.accuracy > 0.9, `plain ${r.plain.accuracy}`);
  assert.ok(r.relaxed.accuracy > 0.9, `relaxed ${r.relaxed.accuracy}`);
  assert.ok(Math.abs(r.plain.accuracy - r.relaxed.accuracy) < 0.01);
  assert.equal(r.plain.same, true, 'the plain module: same seed, same weights');
  assert.equal(r.relaxed.same, true, 'the relaxed module: same seed, same weights');
  assert.equal(r.weights, 23860);
  if (cpuHasFma) assert.ok(r.differ > 0, 'relaxed_madd fused: some weights must differ from the plain module\'s');
});
