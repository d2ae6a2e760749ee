// The page's two colour scales, shared by every view that colours numbers: a diverging one for
// signed values (weights, gradients: blue < 0, white 0, red > 0, ColorBrewer's RdBu ends) and
// viridis for values in [0, 1] (activations, outputs; readable for colour-blind students and
// unlike the weights'). Colours only: what a value is scaled by is the caller's choice.

export const NEGATIVE = [33, 102, 172], POSITIVE = [178, 24, 43], ZERO = [255, 255, 255];

// [r, g, b] of t in [-1, 1] (clamped; NaN is ZERO): white to the end colour of t's sign.
export function diverging(t) {
  const f = Number.isFinite(t) ? Math.min(1, Math.abs(t)) : 0, end = t < 0 ? NEGATIVE : POSITIVE;
  return ZERO.map((z, c) => Math.round(z + f * (end[c] - z)));
}

// Viridis at nine stops, 0 to 1.
const VIRIDIS = [
  [68, 1, 84], [71, 44, 122], [59, 81, 139], [44, 113, 142], [33, 144, 141],
  [39, 173, 129], [92, 200, 99], [170, 220, 50], [253, 231, 37],
];

// [r, g, b] of t in [0, 1] (clamped; NaN is the middle grey of "unknown").
export function viridis(t) {
  if (!Number.isFinite(t)) return [160, 166, 178];
  const x = Math.max(0, Math.min(1, t)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x)), f = x - i;
  return VIRIDIS[i].map((c, k) => Math.round(c + f * (VIRIDIS[i + 1][k] - c)));
}

export const css = ([r, g, b]) => `rgb(${r}, ${g}, ${b})`;

// One opaque RGBA pixel as a 32-bit word in memory order (little-endian: A B G R from the top
// byte), for a Uint32Array over ImageData.
export const rgbaWord = ([r, g, b]) => ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0;

// Dark ink on light fills, white on dark ones.
export function inkOn([r, g, b]) {
  return 0.299 * r + 0.587 * g + 0.114 * b > 140 ? '#1d2330' : '#ffffff';
}

// A scale as n + 1 pixel words over its domain, for redraws of thousands of values by lookup:
// words(diverging, -1, 1, 256)[Math.round((t + 1) * 128)].
export function words(scale, lo, hi, n) {
  return Uint32Array.from({ length: n + 1 }, (_, k) => rgbaWord(scale(lo + (k / n) * (hi - lo))));
}
