// Property tests of web/views/preprocess.js (fast-check): whatever is drawn, the network gets 784
// finite values in [0, 1], the ink's longer side scaled to MNIST's 20 pixels, its centre of mass
// in the middle, and nothing drawn gives zeros. preprocess.test.mjs has the examples (and MNIST
// digits drawn large); this file has generated drawings. Not the pad's pointer handling.
// Seeded (tests/web/fast-check.mjs says how to rerun a failure).
import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checker } from './fast-check.mjs';
import { preprocess, inkBounds } from '../../web/views/preprocess.js';

const RUNS = 250;
const SIDE = 28, BOX = 20, CENTRE = SIDE / 2;


const check = checker(RUNS);

// The pad's drawing, as draw.js gives it to preprocess: white round-capped strokes of one pen
// width on black, brightness in [0, 1] row by row. A pixel's value is the pen's coverage of it,
// roughly (1 inside, a one-pixel ramp at the edge: the canvas's antialiasing).
function rasterise({ width, height, radius, strokes }) {
  const gray = new Float32Array(width * height);
  for (const points of strokes) {
    for (let i = 0; i < points.length; i++) {
      const [ax, ay] = points[i], [bx, by] = points[Math.min(i + 1, points.length - 1)];
      const x0 = Math.max(0, Math.floor(Math.min(ax, bx) - radius - 1));
      const x1 = Math.min(width - 1, Math.ceil(Math.max(ax, bx) + radius + 1));
      const y0 = Math.max(0, Math.floor(Math.min(ay, by) - radius - 1));
      const y1 = Math.min(height - 1, Math.ceil(Math.max(ay, by) + radius + 1));
      const dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy;
      for (let y = y0; y <= y1; y++) {
        for (let x = x0; x <= x1; x++) {
          const px = x + 0.5, py = y + 0.5;
          const t = len2 ? Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2)) : 0;
          const v = Math.min(1, Math.max(0, radius + 0.5 - Math.hypot(px - ax - t * dx, py - ay - t * dy)));
          if (v > gray[y * width + x]) gray[y * width + x] = v;
        }
      }
    }
  }
  return gray;
}

// A pad (the page's 280 x 280, or any other size, not only squares) and 1-5 strokes of 1-6
// points each, with a pen from hairline to thick (draw.js: 8% of the pad's width).
const padSize = fc.oneof(fc.constant({ width: 280, height: 280 }),
  fc.record({ width: fc.integer({ min: 8, max: 160 }), height: fc.integer({ min: 8, max: 160 }) }),
  fc.record({ width: fc.integer({ min: 8, max: 160 }), height: fc.integer({ min: 8, max: 160 }) }));
const drawing = padSize
  .chain(({ width, height }) => fc.record({
    width: fc.constant(width),
    height: fc.constant(height),
    radius: fc.double({ min: 0.3, max: Math.max(0.3, 0.08 * Math.min(width, height)), noNaN: true }),
    strokes: fc.array(fc.array(fc.tuple(fc.double({ min: 0, max: width, noNaN: true }),
      fc.double({ min: 0, max: height, noNaN: true })), { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 5 }),
  }, { noNullPrototype: true }));
// Printed in a counterexample as the strokes (the pixels follow from them).
const drawn = drawing.map(d => ({ ...d, gray: rasterise(d), [fc.toStringMethod]: () => describe(d) }));

// Any image at all in preprocess's domain: a small pad of brightnesses in [0, 1], mostly black,
// some faint (below the ink threshold), some bright.
const anyImage = fc.record({ width: fc.integer({ min: 1, max: 40 }), height: fc.integer({ min: 1, max: 40 }) })
  .chain(({ width, height }) => fc.record({
    width: fc.constant(width),
    height: fc.constant(height),
    gray: fc.array(fc.oneof({ weight: 6, arbitrary: fc.constant(0) },
      { weight: 2, arbitrary: fc.float({ min: 0, max: Math.fround(0.1), noNaN: true }) },
      { weight: 2, arbitrary: fc.float({ min: 0, max: 1, noNaN: true }) },
      { weight: 1, arbitrary: fc.constant(1) }), { minLength: width * height, maxLength: width * height })
      .map(values => Float32Array.from(values)),
  }, { noNullPrototype: true }))
  .map(d => ({ ...d, [fc.toStringMethod]: () => describe(d) }));

const anyInput = fc.oneof(drawn, anyImage);

// Per axis: the centre of mass, the first and last column (row) with any ink, and the mass.
function measure(pixels) {
  let mass = 0, mx = 0, my = 0, x0 = SIDE, x1 = -1, y0 = SIDE, y1 = -1;
  for (let i = 0; i < SIDE * SIDE; i++) {
    const v = pixels[i], x = i % SIDE, y = Math.floor(i / SIDE);
    if (v <= 0) continue;
    mass += v; mx += v * x; my += v * y;
    x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
  }
  return { mass, x: { com: mx / mass, lo: x0, hi: x1 }, y: { com: my / mass, lo: y0, hi: y1 } };
}

// A drawing by its strokes, an image by its lit pixels (index: value).
function describe({ width, height, radius, strokes, gray }) {
  if (strokes) return JSON.stringify({ width, height, radius, strokes });
  const lit = Object.fromEntries([...gray.entries()].filter(([, v]) => v > 0));
  return JSON.stringify({ width, height, lit });
}

test('any input gives 784 finite values in [0, 1]', t => {
  check(t, fc.property(anyInput, ({ width, height, gray }) => {
    const out = preprocess(gray, width, height);
    assert.ok(out instanceof Float32Array);
    assert.equal(out.length, SIDE * SIDE);
    const bad = out.findIndex(v => !(Number.isFinite(v) && v >= 0 && v <= 1));
    assert.equal(bad, -1, `pixel ${bad} is ${out[bad]} for a ${width}x${height} input`);
  }));
});

test('no ink (nothing brighter than the threshold) gives all zeros, ink gives some', t => {
  check(t, fc.property(anyInput, ({ width, height, gray }) => {
    const out = preprocess(gray, width, height);
    if (inkBounds(gray, width, height) === null) assert.ok(out.every(v => v === 0));
    else assert.ok(out.some(v => v > 0), `${width}x${height}: ink went missing`);
  }));
  for (const [width, height] of [[1, 1], [28, 28], [280, 280], [3, 500]]) {
    assert.ok(preprocess(new Float32Array(width * height), width, height).every(v => v === 0));
  }
});

// MNIST's normalisation: the ink's bounding box is scaled to fit 20 x 20 with its aspect kept,
// so the longer side spans exactly 20 pixels (the box filter reaches the last ink column on that
// axis) and the shorter at most 20.
test('the ink\'s longer side spans 20 pixels, the shorter at most 20', t => {
  check(t, fc.property(drawn, d => {
    const box = inkBounds(d.gray, d.width, d.height);
    if (!box) return;
    const { x, y } = measure(preprocess(d.gray, d.width, d.height));
    const across = x.hi - x.lo + 1, down = y.hi - y.lo + 1;
    assert.ok(across <= BOX && down <= BOX, `${across}x${down} for ${describe(d)}`);
    assert.equal(box.w >= box.h ? across : down, BOX, `${across}x${down} from a ${box.w}x${box.h} box: ${describe(d)}`);
  }));
});

// The digit is moved by whole pixels so its centre of mass is as close to (14, 14) as the
// frame allows: rounding to a whole pixel leaves at most 0.5 per axis. It moves no further than
// keeps it inside the 28 x 28 frame, so when the mass is lopsided (a heavy blob at one end of
// the box) it stops against the edge on the far side: it then touches that edge, and is still
// within 6 pixels, because the box is at most 20 wide and sits inside [0, 27] with its mass
// inside the box (the centre of mass >= 28 - 20 = 8 when pushed right, <= 19 when pushed left).
const TOLERANCE = 1e-4;   // float32 pixels and the box filter's sums
function centred(axis, name, d) {
  const off = axis.com - CENTRE;
  const where = `${name}: centre of mass ${axis.com.toFixed(4)}, ink in [${axis.lo}, ${axis.hi}] for ${describe(d)}`;
  assert.ok(Math.abs(off) < 6, where);
  if (off < -0.5 - TOLERANCE) assert.equal(axis.hi, SIDE - 1, `left of centre without touching the right edge: ${where}`);
  if (off > 0.5 + TOLERANCE) assert.equal(axis.lo, 0, `right of centre without touching the left edge: ${where}`);
}

test('the centre of mass is within half a pixel of (14, 14), or the digit touches the frame', t => {
  check(t, fc.property(anyInput, d => {
    const out = preprocess(d.gray, d.width, d.height);
    if (!inkBounds(d.gray, d.width, d.height)) return;
    const { x, y } = measure(out);
    centred(x, 'x', d);
    centred(y, 'y', d);
  }));
});

// A heavy blob at one end of the box and a thin line to the other: the case where the frame
// stops the move (the bound above must still hold, and the digit must touch the edge).
const lopsided = fc.record({
  size: fc.integer({ min: 40, max: 160 }),
  blob: fc.double({ min: 0.05, max: 0.3, noNaN: true }),
  line: fc.double({ min: 0.005, max: 0.02, noNaN: true }),
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  vertical: fc.boolean(),
  flip: fc.boolean(),
}, { noNullPrototype: true }).map(({ size, blob, line, at, vertical, flip }) => {
  const r = blob * size / 2;
  let strokes = [[[r + 1, size / 2], [r + 1, size / 2]], [[r + 1, size / 2], [size - 1 - line * size, at * (size - 1)]]];
  if (flip) strokes = strokes.map(s => s.map(([a, b]) => [size - a, b]));
  if (vertical) strokes = strokes.map(s => s.map(([a, b]) => [b, a]));
  // Two radii need two drawings: the blob thick, the line thin.
  const thick = rasterise({ width: size, height: size, radius: r, strokes: [strokes[0]] });
  const thin = rasterise({ width: size, height: size, radius: Math.max(0.5, line * size / 2), strokes: [strokes[1]] });
  const d = { width: size, height: size, strokes };
  return { ...d, gray: thick.map((v, i) => Math.max(v, thin[i])), [fc.toStringMethod]: () => JSON.stringify(d) };
});

test('a lopsided digit stops against the frame, within 6 pixels of the centre', t => {
  let stopped = 0, worst = 0;
  check(t, fc.property(lopsided, d => {
    const { x, y } = measure(preprocess(d.gray, d.width, d.height));
    centred(x, 'x', d);
    centred(y, 'y', d);
    const off = Math.max(Math.abs(x.com - CENTRE), Math.abs(y.com - CENTRE));
    if (off > 0.5 + TOLERANCE) stopped++;
    worst = Math.max(worst, off);
  }));
  // The generator must reach the case it is for (a fifth to a third of them).
  t.diagnostic(`${stopped} of ${RUNS} drawings stopped by the frame, the farthest ${worst.toFixed(2)} pixels off`);
  assert.ok(stopped > RUNS / 10, `only ${stopped} of ${RUNS} drawings were stopped by the frame`);
});

// The same 28 x 28 image, to float rounding. When the centre of mass sits exactly half a pixel
// off on an axis, the whole-pixel move is a tie that rounding may break either way: there the
// image may also be one pixel over.
function samePixels(a, b) {
  const { x, y } = measure(b);
  const tie = axis => Math.abs(Math.abs(axis.com - CENTRE) - 0.5) < 1e-3;
  const shifts = v => (tie(v) ? [0, -1, 1] : [0]);
  return shifts(x).some(sx => shifts(y).some(sy => a.every((v, i) => {
    const bx = (i % SIDE) - sx, by = Math.floor(i / SIDE) - sy;
    const w = bx >= 0 && bx < SIDE && by >= 0 && by < SIDE ? b[by * SIDE + bx] : 0;
    return Math.abs(v - w) <= 1e-5;
  })));
}

// Where on the pad the digit is drawn does not matter: the box is found, then scaled and centred.
test('a drawing moved on the pad gives the same pixels', t => {
  check(t, fc.property(drawn, fc.nat(), fc.nat(), (d, a, b) => {
    const box = inkBounds(d.gray, d.width, d.height);
    if (!box) return;
    // Move the ink to another place where it still fits on the pad.
    const tx = (a % (d.width - box.w + 1)) - box.x, ty = (b % (d.height - box.h + 1)) - box.y;
    const moved = new Float32Array(d.width * d.height);
    for (let y = box.y; y < box.y + box.h; y++) {
      for (let x = box.x; x < box.x + box.w; x++) moved[(y + ty) * d.width + x + tx] = d.gray[y * d.width + x];
    }
    const here = preprocess(d.gray, d.width, d.height), there = preprocess(moved, d.width, d.height);
    // Outside the box only sub-threshold grey is dropped by the move; inside, the same pixels.
    const inside = new Float32Array(d.width * d.height);
    for (let y = box.y; y < box.y + box.h; y++) {
      for (let x = box.x; x < box.x + box.w; x++) inside[y * d.width + x] = d.gray[y * d.width + x];
    }
    const reference = preprocess(inside, d.width, d.height);
    assert.ok(samePixels(there, reference), `moved by (${tx}, ${ty}): ${describe(d)}`);
    assert.deepEqual(here, reference, 'grey outside the ink box must not count');
  }));
});

// Nor does the pad's resolution: the same drawing with every pixel repeated k x k times (a pad
// k times larger) gives the same 28 x 28 image, because the box filter averages areas.
test('a drawing enlarged k times (pixels repeated) gives the same pixels', t => {
  check(t, fc.property(anyInput.filter(d => d.width * d.height <= 40000), fc.integer({ min: 2, max: 4 }), (d, k) => {
    if (!inkBounds(d.gray, d.width, d.height)) return;
    const W = d.width * k, H = d.height * k, big = new Float32Array(W * H);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) big[y * W + x] = d.gray[Math.floor(y / k) * d.width + Math.floor(x / k)];
    const small = preprocess(d.gray, d.width, d.height), large = preprocess(big, W, H);
    assert.ok(samePixels(large, small), `k = ${k}: ${describe(d)}`);
  }), 150);
});
