// The saturation view's two kinds of uPlot chart: one activation function with its derivative
// (the lecture's plots), and one hidden layer's histogram of z drawn over f(z) and f'(z) with the
// saturated band (f'(z) < 0.01) shaded. Both take the worker's arrays as they come; no math here.
import { uPlot } from '../uplot.js';   // built only once it is in (index.js)

export const SATURATED_BELOW = 0.01;   // f'(z) under this: the core's definition of saturated
const FONT = '11px system-ui, sans-serif';
const F_COLOUR = '#1d2330', FP_COLOUR = '#e07b00', BAR_COLOUR = '#1f5fa8';

const num = digits => (u, v) => (v == null ? '–' : v.toFixed(digits));

const axis = (label, extra = {}) => ({
  label, stroke: '#333', grid: { stroke: '#ececec' }, ticks: { stroke: '#ccc', size: 4 },
  labelSize: 14, size: 34, font: FONT, labelFont: FONT, gap: 3, ...extra,
});

// A plot that follows its container's width (an observer, not a poll); destroy() lets both go.
function responsive(container, height, opts, data) {
  const width = () => Math.max(160, container.clientWidth);
  const plot = new (uPlot())({ width: width(), height, ...opts }, data, container);
  const observer = new ResizeObserver(() => {
    if (width() !== plot.width) plot.setSize({ width: width(), height });
  });
  observer.observe(container);
  return { plot, destroy: () => { observer.disconnect(); plot.destroy(); } };
}

// The value range of a few series, padded, with room for 0.
function rangeOf(arrays, pad = 0.08) {
  let lo = 0, hi = 0;
  for (const a of arrays) for (const v of a) if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  const d = (hi - lo || 1) * pad;
  return [lo - d, hi + d];
}

// One activation function: f(z) solid and f'(z) dashed over the worker's z grid.
export class CurveChart {
  constructor(container, height = 118) {
    this.chart = responsive(container, height, {
      cursor: { drag: { x: false, y: false }, points: { size: 5 } },
      legend: { show: true, live: true },
      scales: { x: { time: false }, y: { range: (u, lo, hi) => rangeOf([[lo, hi]], 0.04) } },
      series: [
        { label: 'z', value: num(2) },
        { label: 'f', stroke: F_COLOUR, width: 2, points: { show: false }, value: num(3) },
        { label: 'f′', stroke: FP_COLOUR, width: 1.75, dash: [5, 3], points: { show: false }, value: num(3) },
      ],
      axes: [axis(null, { size: 22 }), axis(null, { size: 30 })],
    }, [[], [], []]);
  }

  setData(z, { a, fp }) {
    this.chart.plot.setData([Array.from(z), Array.from(a), Array.from(fp)]);
  }

  destroy() { this.chart.destroy(); }
}

// Light red over the stretches of z where f'(z) < 0.01, before the series are drawn.
function shadeSaturated(u) {
  const [z, , , fp] = u.data;
  if (!fp || fp.length < 2) return;
  const { ctx } = u, { top, height } = u.bbox;
  const half = (u.valToPos(z[1], 'x', true) - u.valToPos(z[0], 'x', true)) / 2;
  ctx.save();
  ctx.fillStyle = 'rgba(201, 42, 42, 0.1)';
  for (let i = 0; i < fp.length; i++) {
    if (fp[i] == null || !(fp[i] < SATURATED_BELOW)) continue;
    let j = i;
    while (j + 1 < fp.length && fp[j + 1] != null && fp[j + 1] < SATURATED_BELOW) j++;
    const x0 = u.valToPos(z[i], 'x', true) - half, x1 = u.valToPos(z[j], 'x', true) + half;
    ctx.fillRect(x0, top, x1 - x0, height);
    i = j;
  }
  ctx.restore();
}

// One hidden layer: the share of (neuron, image) pairs in each bin of z as bars (left axis),
// f(z) and f'(z) at the bin centres as lines (right axis).
export class HistogramChart {
  constructor(container, height = 150) {
    this.fRange = [-0.05, 1.05];
    this.chart = responsive(container, height, {
      cursor: { drag: { x: false, y: false }, points: { size: 5 } },
      legend: { show: true, live: true },
      scales: {
        x: { time: false },
        share: { range: (u, lo, hi) => [0, hi > 0 ? hi * 1.08 : 1] },
        f: { range: () => this.fRange },
      },
      series: [
        { label: 'z', value: num(2) },
        { label: 'share', scale: 'share', stroke: BAR_COLOUR, fill: 'rgba(31, 95, 168, 0.5)', width: 0,
          paths: uPlot().paths.bars({ size: [1, Infinity, 1], align: 0 }), points: { show: false },
          value: (u, v) => (v == null ? '–' : `${v.toFixed(2)}%`) },
        { label: 'f', scale: 'f', stroke: F_COLOUR, width: 1.75, points: { show: false }, spanGaps: true,
          value: num(3) },
        { label: 'f′', scale: 'f', stroke: FP_COLOUR, width: 1.5, dash: [5, 3], points: { show: false },
          spanGaps: true, value: num(3) },
      ],
      axes: [
        axis('z (weighted input)', { size: 30 }),
        axis('% per bin', { scale: 'share', size: 40 }),
        // Unlabelled: a rotated "f, f′" reads upside down on the right; the legend names the lines.
        axis(null, { scale: 'f', side: 1, grid: { show: false }, size: 30 }),
      ],
      hooks: { drawClear: [shadeSaturated] },
    }, [[], [], [], []]);
  }

  // z: the bin centres; share: % per bin; curves: { a, fp } at those centres, or null.
  setData(z, share, curves) {
    const none = z.map(() => null);
    const a = curves ? Array.from(curves.a) : none, fp = curves ? Array.from(curves.fp) : none;
    // Sigmoid and ReLU' live in [0, 1], tanh in [-1, 1]; ReLU's f leaves the top past z = 1.
    this.fRange = a.some(v => v != null && v < -0.5) ? [-1.08, 1.08] : [-0.05, 1.05];
    this.chart.plot.setData([z, share, a, fp]);
  }

  destroy() { this.chart.destroy(); }
}
