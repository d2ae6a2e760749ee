// The two line charts (uPlot): accuracy per epoch (test, validation, the book's figure) and the
// training cost of each reported chunk of mini-batches; the legend shows values on hover.
// Not the data bookkeeping: main.js hands over whole arrays and calls setData in a frame.
import uPlot from '../vendor/uPlot.esm.js';

const HEIGHT = 250;

function percent(u, v) {
  return v == null ? '–' : `${v.toFixed(2)}%`;
}

function chart(container, series, axes, scales) {
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
  return plot;
}

// New data; unless the pointer is over the chart, the legend shows the latest values (on a
// projector nobody hovers, and the numbers are what the room reads).
function update(plot, data) {
  plot.setData(data);
  const n = data[0].length;
  if (plot.cursor.left < 0 && n > 0) plot.setLegend({ idx: n - 1 });
}

const axis = (label, extra = {}) => ({
  label, stroke: '#333', grid: { stroke: '#e4e4e4' }, ticks: { stroke: '#ccc' },
  labelSize: 20, size: 50, font: '13px system-ui, sans-serif', labelFont: '13px system-ui, sans-serif',
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
      x: { time: false },
      // Whole percents around the data, so 10% flat and 95% rising both read well.
      y: { range: (u, min, max) => (min == null ? [0, 100]
        : [Math.max(0, Math.floor(min - 1)), Math.min(100, Math.ceil(max + 1))]) },
    });
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
      axis('epoch (fraction done)', { incrs: [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50] }),
      axis('mean cost (log scale)', { size: 60 }),
    ], { x: { time: false }, y: { distr: 3 } });   // log: the first chunk dwarfs the rest
  }

  setData(x, cost) {
    update(this.plot, [x, cost]);
  }
}
