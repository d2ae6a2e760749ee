// The two line charts (uPlot): accuracy per epoch (test, validation, the book's figure) and the
// training cost of each reported chunk of mini-batches; the legend shows values on hover.
// Before the first point each shows its axes and a line saying what will appear there. Other runs
// can be overlaid (setOverlays, from views/history/): one more series each, in its own colour.
// A chart is built at its first draw once uPlot is in (main.js loads it after start-up, see
// uplot.js); until then it keeps what it is given and shows its line alone. Not the data
// bookkeeping: main.js hands over whole arrays and calls setData in a frame.
import { uPlot, uPlotFailure } from './uplot.js';

const HEIGHT = 200;   // plot and axes, legend below: both charts and the weights fit a projector
const OVERLAY_LABEL = 32;   // characters of a run's label in the legend

function percent(u, v) {
  return v == null ? '–' : `${v.toFixed(2)}%`;
}

function chart(container, { series, axes, scales, empty }) {
  const plot = new (uPlot())({
    width: Math.max(300, container.clientWidth),
    height: HEIGHT,
    cursor: { drag: { x: false, y: false } },
    scales,
    series,
    axes,
  }, series.map(() => []), container);
  // The panel's width follows the window; redraw at the new size (not a poll: an observer).
  new ResizeObserver(() => {
    const width = Math.max(300, container.clientWidth);
    if (width !== plot.width) plot.setSize({ width, height: HEIGHT });
  }).observe(container);
  plot.bplEmpty = empty;
  return plot;
}

const axis = (label, extra = {}) => ({
  label, stroke: '#333', grid: { stroke: '#e4e4e4' }, ticks: { stroke: '#ccc' },
  labelSize: 18, size: 44, font: '12px system-ui, sans-serif', labelFont: '12px system-ui, sans-serif',
  ...extra,
});

const shortLabel = text => (text.length > OVERLAY_LABEL ? `${text.slice(0, OVERLAY_LABEL - 1)}…` : text);

// A chart of the live run plus overlaid runs. The live run's columns come from setData, the
// overlays' from setOverlays; either call redraws both, so neither wipes the other. Overlays are
// [{ id, label, color, x, y }] (x ascending) and are aligned with the live x by uPlot.join (the
// points one run lacks are `undefined`, which uPlot spans; a live null stays a gap).
class OverlaidChart {
  // spec: { series, axes, scales, empty }: uPlot's options and the line shown before any point.
  constructor(container, spec, overlayValue) {
    this.container = container;
    this.spec = spec;
    container.dataset.empty = spec.empty;
    this.plot = null;                  // built by built(), once uPlot is in
    this.base = spec.series.length;    // the x series and the live run's
    this.overlayValue = overlayValue;
    this.live = [[]];
    this.overlays = [];
    this.key = '';
  }

  /** @param {{id: string, label: string, color: string, x: number[], y: number[]}[]} list */
  setOverlays(list) {
    this.overlays = list.map(o => ({ ...o, x: o.x.slice(), y: o.y.map(v => (v == null ? null : v)) }));
    this.draw();
  }

  // The uPlot chart, built once uPlot is in: by main.js in a task of its own (a chart's
  // construction is ~20 ms at 4x CPU throttling, too much beside a frame's other parts), else at
  // the first draw; false until then. If uPlot could not be loaded, the chart's line says so.
  built() {
    if (this.plot) return true;
    if (!uPlot()) {
      if (uPlotFailure()) this.container.dataset.empty = uPlotFailure();
      return false;
    }
    this.plot = chart(this.container, this.spec);
    return true;
  }

  // The overlays' series, added and removed when the list of runs changes.
  overlaySeries() {
    const key = JSON.stringify(this.overlays.map(o => [o.id, o.label, o.color]));
    if (key === this.key) return;
    this.key = key;
    const { plot } = this;
    while (plot.series.length > this.base) plot.delSeries(plot.series.length - 1);
    this.overlays.forEach((o, k) => plot.addSeries({
      label: shortLabel(o.label), stroke: o.color, width: 1.75, points: { size: 5 },
      value: (u, v, si, idx) => this.overlayValue(this.overlays[k], u, v, idx),
    }));
  }

  // New data; unless the pointer is over the chart, the legend shows the live run's latest
  // values (on a projector nobody hovers, and the numbers are what the room reads).
  draw() {
    if (!this.built()) return;   // kept: drawn once built
    this.overlaySeries();
    const live = this.prepare(this.live);
    const data = this.overlays.length === 0 ? live
      : this.finish(uPlot().join([live, ...this.overlays.map(o => [o.x, this.clean(o.y)])]));
    const { plot } = this;
    // Drawn now, not in uPlot's microtask after the frame's other parts: main.js's frame budget
    // then counts the chart's drawing against the part that asked for it.
    plot.batch(() => {
      plot.setData(data);
      const n = data[0].length, liveN = this.live[0].length;
      if (n > 0) delete plot.root.parentElement.dataset.empty;
      else plot.root.parentElement.dataset.empty = plot.bplEmpty;
      if (plot.cursor.left < 0 && n > 0) {
        const last = liveN > 0 ? data[0].indexOf(this.live[0][liveN - 1]) : n - 1;
        plot.setLegend({ idx: last >= 0 ? last : n - 1 });
      }
    });
  }

  prepare(live) { return live; }
  clean(y) { return y; }
  finish(data) { return data; }
}

export class AccuracyChart extends OverlaidChart {
  constructor(container) {
    super(container, { series: [
      { label: 'epoch', value: (u, v) => (v == null ? '–' : String(v)) },
      { label: 'test', stroke: '#1f5fa8', width: 2.5, points: { size: 7 }, value: percent },
      { label: 'validation', stroke: '#e07b00', width: 2, points: { size: 6 }, value: percent },
      { label: 'book', stroke: '#666', width: 1.5, dash: [6, 5], points: { show: false },
        value: percent },
    ], axes: [
      axis('epoch', { incrs: [1, 2, 5, 10, 20, 50, 100] }),
      axis('accuracy (%)', { values: (u, ticks) => ticks.map(t => `${t}%`), size: 60 }),
    ], scales: {
      // Epochs from 1; before the first one, room for ten so the axes are there to read.
      x: { time: false, range: (u, min, max) => [1, min == null ? 10 : Math.max(2, max)] },
      // Whole percents around the data, so 10% flat and 95% rising both read well.
      y: { range: (u, min, max) => (min == null ? [0, 100]
        : [Math.max(0, Math.floor(min - 1)), Math.min(100, Math.ceil(max + 1))]) },
    }, empty: 'Test and validation accuracy appear after each epoch.' }, (o, u, v) => percent(u, v));
    this.book = null;
  }

  // epochs: 1-based epoch numbers; test, validation: fractions; book: fraction or null.
  setData(epochs, test, validation, book) {
    const pct = v => (v == null ? null : 100 * v);
    this.book = pct(book);
    this.live = [epochs, test.map(pct), validation.map(pct)];
    this.draw();
  }

  // The book's figure is a line across the whole chart, overlays' epochs included.
  prepare(live) { return [...live, live[0].map(() => this.book)]; }
  clean(y) { return y.map(v => (v == null ? null : 100 * v)); }
  finish(data) {
    data[3] = data[0].map(() => this.book);
    return data;
  }
}

// An overlaid run's cost is one point per epoch, the live run's one per chunk: on hover between
// an overlay's points its legend shows the nearest epoch's cost, and says which epoch.
function nearestCost(o, u, v, idx) {
  if (!o) return '–';
  if (v != null) return v.toPrecision(4);
  const x = idx == null ? null : u.data[0][idx];
  if (x == null || o.x.length === 0) return '–';
  let best = 0;
  o.x.forEach((e, i) => { if (Math.abs(e - x) < Math.abs(o.x[best] - x)) best = i; });
  const c = o.y[best];
  return Number.isFinite(c) && c > 0 ? `${c.toPrecision(4)} (epoch ${o.x[best]})` : '–';
}

// A diverged run's Infinity or NaN would break the log scale: those points are left out.
const positive = cost => cost.map(c => (Number.isFinite(c) && c > 0 ? c : null));

export class CostChart extends OverlaidChart {
  constructor(container) {
    super(container, { series: [
      { label: 'epoch', value: (u, v) => (v == null ? '–' : v.toFixed(2)) },
      { label: 'training cost', stroke: '#2b8a3e', width: 1.5,
        value: (u, v) => (v == null ? '–' : v.toPrecision(4)) },
    ], axes: [
      axis('epoch (fraction done)', { incrs: [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50] }),
      axis('mean cost (log scale)', { size: 60 }),
    ], scales: {
      x: { time: false, range: (u, min, max) => [0, min == null ? 1 : Math.max(max, 0.05)] },
      // Log: the first chunk dwarfs the rest. Empty: one decade, so the axis is there.
      y: { distr: 3, log: 10, range: (u, min, max) => (min == null ? [0.01, 1]
        : uPlot().rangeLog(min, max, 10, false)) },
    }, empty: 'The cost appears here while the network trains.' }, nearestCost);
  }

  setData(x, cost) {
    this.live = [x, positive(cost)];
    this.draw();
  }

  clean(y) { return positive(y); }
}
