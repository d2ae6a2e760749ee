// The two line charts (uPlot): accuracy per epoch (test, validation, the book's figure) and the
// training cost of each reported chunk of mini-batches; the legend shows values on hover.
// Before the first point each shows its axes and a line saying what will appear there.
// Not the data bookkeeping: main.js hands over whole arrays and calls setData in a frame.
import uPlot from '../vendor/uPlot.esm.js';

const HEIGHT = 200;   // plot and axes, legend below: both charts and the weights fit a projector

function percent(u, v) {
  return v == null ? '–' : `${v.toFixed(2)}%`;
}

function chart(container, series, axes, scales, empty) {
  container.dataset.empty = empty;
  const plot = new uPlot({
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

// New data; unless the pointer is over the chart, the legend shows the latest values (on a
// projector nobody hovers, and the numbers are what the room reads).
function update(plot, data) {
  plot.setData(data);
  const n = data[0].length;
  if (n > 0) delete plot.root.parentElement.dataset.empty;
  else plot.root.parentElement.dataset.empty = plot.bplEmpty;
  if (plot.cursor.left < 0 && n > 0) plot.setLegend({ idx: n - 1 });
}

const axis = (label, extra = {}) => ({
  label, stroke: '#333', grid: { stroke: '#e4e4e4' }, ticks: { stroke: '#ccc' },
  labelSize: 18, size: 44, font: '12px system-ui, sans-serif', labelFont: '12px system-ui, sans-serif',
  ...extra,
});

export class AccuracyChart {
  constructor(container) {
    this.plot = chart(container, [
      { label: 'epoch', value: (u, v) => (v == null ? '–' : String(v)) },
      { label: 'test', stroke: '#1f5fa8', width: 2.5, points: { size: 7 }, value: percent },
      { label: 'validation', stroke: '#e07b00', width: 2, points: { size: 6 }, value: percent },
      { label: 'book', stroke: '#666', width: 1.5, dash: [6, 5], points: { show: false },
        value: percent },
    ], [
      axis('epoch', { incrs: [1, 2, 5, 10, 20, 50, 100] }),
      axis('accuracy (%)', { values: (u, ticks) => ticks.map(t => `${t}%`), size: 60 }),
    ], {
      // Epochs from 1; before the first one, room for ten so the axes are there to read.
      x: { time: false, range: (u, min, max) => [1, min == null ? 10 : Math.max(2, max)] },
      // Whole percents around the data, so 10% flat and 95% rising both read well.
      y: { range: (u, min, max) => (min == null ? [0, 100]
        : [Math.max(0, Math.floor(min - 1)), Math.min(100, Math.ceil(max + 1))]) },
    }, 'Test and validation accuracy appear after each epoch.');
  }

  // epochs: 1-based epoch numbers; test, validation: fractions; book: fraction or null.
  setData(epochs, test, validation, book) {
    const pct = v => (v == null ? null : 100 * v);
    update(this.plot, [epochs, test.map(pct), validation.map(pct), epochs.map(() => pct(book))]);
  }
}

export class CostChart {
  constructor(container) {
    this.plot = chart(container, [
      { label: 'epoch', value: (u, v) => (v == null ? '–' : v.toFixed(2)) },
      { label: 'training cost', stroke: '#2b8a3e', width: 1.5,
        value: (u, v) => (v == null ? '–' : v.toPrecision(4)) },
    ], [
      axis('epoch (fraction done)', { incrs: [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50] }),
      axis('mean cost (log scale)', { size: 60 }),
    ], {
      x: { time: false, range: (u, min, max) => [0, min == null ? 1 : Math.max(max, 0.05)] },
      // Log: the first chunk dwarfs the rest. Empty: one decade, so the axis is there.
      y: { distr: 3, log: 10, range: (u, min, max) => (min == null ? [0.01, 1]
        : uPlot.rangeLog(min, max, 10, false)) },
    }, 'The cost appears here while the network trains.');
  }

  // A diverged run's Infinity or NaN would break the log scale: those points are left out.
  setData(x, cost) {
    update(this.plot, [x, cost.map(c => (Number.isFinite(c) && c > 0 ? c : null))]);
  }
}
