// Numbers and names as the inspector prints them: in plain text (readouts, tables) and in TeX
// (the equations). Formatting only: every number comes from the worker's trace.

export { sub } from '../dom.js';

const SUP = '⁰¹²³⁴⁵⁶⁷⁸⁹';
export const sup = n => String(n).replace(/\d/g, d => SUP[d]);

// Significant digits shown: enough to follow a product by hand, few enough to read aloud.
const DIGITS = 4;

// 0.0012345 -> "0.001235", 1.2e-7 -> "1.2e-7", -3 -> "−3" (a real minus sign).
export function num(v, digits = DIGITS) {
  return mantissaExp(v, digits).map((s, i) => (i ? `e${s}` : s)).join('').replace(/^-/, '−');
}

// The same number in TeX: 1.2 \times 10^{-7}.
export function tex(v, digits = DIGITS) {
  const [m, e] = mantissaExp(v, digits);
  return e === undefined ? m : `${m} \\times 10^{${e}}`;
}

// A TeX factor: negative numbers in parentheses, so that "w δ" reads (−0.3)(0.01).
export function texFactor(v, digits = DIGITS) {
  const t = tex(v, digits);
  return v < 0 || t.includes('\\times') ? `(${t})` : t;
}

// [mantissa] or [mantissa, exponent] as strings, trailing zeros dropped.
function mantissaExp(v, digits) {
  if (v === 0) return ['0'];
  if (!Number.isFinite(v)) return [String(v)];
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e5) {
    const decimals = Math.max(0, digits - 1 - Math.floor(Math.log10(a)));
    return [trim(v.toFixed(decimals))];
  }
  const [m, e] = v.toExponential(digits - 1).split('e');
  return [trim(m), String(Number(e))];
}

function trim(s) {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

// The book's layer number of weight layer l (0-based, as the trace counts): Nielsen calls the
// input layer 1, so weight layer 0 feeds layer 2.
export const bookLayer = l => l + 2;

// "30 × 784"
export const shape = (rows, cols) => `${rows} × ${cols}`;

// 50000 -> "50,000"
export const count = n => n.toLocaleString('en');

// Index of the entry of largest |v| (the first of ties); -1 for an empty list.
export function argmaxAbs(values, from = 0, step = 1, n = values.length) {
  let best = -1, bestAbs = -1;
  for (let i = 0; i < n; i++) {
    const a = Math.abs(values[from + i * step]);
    if (a > bestAbs) {
      bestAbs = a;
      best = i;
    }
  }
  return best;
}

export function argmax(values) {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}
