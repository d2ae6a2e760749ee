// A drawn digit -> the 784 inputs the network saw in MNIST: the ink's bounding box scaled to
// fit 20x20 (aspect kept, area-averaged), placed in 28x28 with its centre of mass at the centre.
// Pure (no DOM), so Node can test it. Not the drawing pad (draw.js).

const SIDE = 28, BOX = 20, INK = 0.1;

// The smallest rectangle holding every pixel brighter than INK, or null if there is no ink.
export function inkBounds(gray, width, height) {
  let x0 = width, y0 = height, x1 = -1, y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (gray[y * width + x] > INK) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  return x1 < 0 ? null : { x: x0, y: y0, w: x1 - x0 + 1, h: y1 - y0 + 1 };
}

// For an axis: output cell i covers source [start + i/scale, start + (i+1)/scale); the weight of
// each source pixel is its overlap with that interval, normalised to sum 1 (a box filter).
function axisWeights(start, length, outLength, scale) {
  const cells = [];
  for (let i = 0; i < outLength; i++) {
    // The last cell reaches the box's end: outLength is rounded, and a rounded-down axis would
    // otherwise drop up to half an output pixel of ink.
    const lo = start + i / scale;
    const hi = i === outLength - 1 ? start + length : Math.min(start + (i + 1) / scale, start + length);
    const taps = [];
    let sum = 0;
    for (let s = Math.floor(lo); s < Math.ceil(hi); s++) {
      const w = Math.min(hi, s + 1) - Math.max(lo, s);
      if (w > 0) { taps.push([s, w]); sum += w; }
    }
    for (const t of taps) t[1] /= sum;
    cells.push(taps);
  }
  return cells;
}

// Area-averages the box (x, y, w, h) of gray into an outW x outH image.
function resample(gray, width, box, outW, outH, scale) {
  const cols = axisWeights(box.x, box.w, outW, scale);
  const rows = axisWeights(box.y, box.h, outH, scale);
  const out = new Float32Array(outW * outH);
  for (let oy = 0; oy < outH; oy++) {
    for (let ox = 0; ox < outW; ox++) {
      let v = 0;
      for (const [sy, wy] of rows[oy]) {
        for (const [sx, wx] of cols[ox]) v += wy * wx * gray[sy * width + sx];
      }
      out[oy * outW + ox] = v;
    }
  }
  return out;
}

// gray: brightness in [0,1], row by row (white ink on black). Returns Float32Array(784) in [0,1],
// all zeros when nothing is drawn.
export function preprocess(gray, width, height) {
  const pixels = new Float32Array(SIDE * SIDE);
  const box = inkBounds(gray, width, height);
  if (!box) return pixels;
  const scale = BOX / Math.max(box.w, box.h);
  const outW = Math.max(1, Math.round(box.w * scale));
  const outH = Math.max(1, Math.round(box.h * scale));
  const small = resample(gray, width, box, outW, outH, scale);

  // Centre of mass (pixel indices) of the scaled digit; MNIST moved it to pixel (14, 14), which
  // is where its own digits' centres of mass sit (measured on the test set).
  let mass = 0, mx = 0, my = 0;
  for (let y = 0; y < outH; y++) {
    for (let x = 0; x < outW; x++) {
      const v = small[y * outW + x];
      mass += v; mx += v * x; my += v * y;
    }
  }
  const centre = SIDE / 2;
  const clamp = (v, hi) => Math.min(Math.max(v, 0), hi);
  const dx = clamp(Math.round(centre - mx / mass), SIDE - outW);
  const dy = clamp(Math.round(centre - my / mass), SIDE - outH);
  for (let y = 0; y < outH; y++) {
    for (let x = 0; x < outW; x++) {
      pixels[(y + dy) * SIDE + x + dx] = Math.min(1, small[y * outW + x]);
    }
  }
  return pixels;
}
