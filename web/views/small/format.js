// Numbers as the small networks' views write them: short on the picture, in full on hover and
// focus. Plain ASCII digits and minus (the values are typed back into the weight field as they
// are shown). Not the colours (../palette.js).

// 3 significant digits: "0.532", "-2", "1.2e-5".
export function short(v) {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e-3 && a < 1e4 ? String(Number(v.toPrecision(3))) : v.toExponential(1);
}

// In full: float32 holds 7 significant digits.
export const full = v => (Number.isFinite(v) ? String(Number(v.toPrecision(7))) : String(v));
