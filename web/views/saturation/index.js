// The activations-and-saturation panel: the lecture's activation functions with their
// derivatives, and for the current network each layer's histogram of z (the hidden layers, then
// the output layer) over a sample of training images, drawn over the function that layer applies
// and its derivative, with the share of saturated units (f'(z) < 0.01). Every value comes from
// the worker (CURVES, SATURATION); this view stores, labels and draws. Not the presets' list
// (controls.js) and not the training: its two buttons only build a network.
// @ts-check
import { ToWorker, FromWorker } from '../../protocol.js';
import { PRESETS, sameConfig, isTruthTable } from '../../config.js';
import { el, setText } from '../dom.js';
import { percent, count } from '../status.js';
import { CurveChart, HistogramChart } from './charts.js';
import { uPlot, uPlotFailure } from '../uplot.js';

// The lecture's plots: z over [-6, 6] in steps of 0.05.
const LECTURE_CURVES = { lo: -6, hi: 6, n: 241 };
const ACTIVATIONS = [
  { name: 'sigmoid', title: 'sigmoid σ(z)' },
  { name: 'step', title: 'step (perceptron)' },
  { name: 'tanh', title: 'tanh' },
  { name: 'relu', title: 'ReLU max(0, z)' },
];
const HIGH = 0.2;   // a saturated share from here on is shown in red: most of the layer learns slowly
const INIT_NAMES = { gaussian: 'N(0,1)', scaled: 'N(0,1/n_in)' };
const OTHER_INIT = { gaussian: 'scaled', scaled: 'gaussian' };
// The network whose saturation the panel explains (its preset lives in config.js).
const NIELSEN_100 = PRESETS.find(p => p.id === 'nielsen-100');

/** @type {(id: string) => any} */   // the elements of index.html this view owns
const $ = id => document.getElementById(id);

// Two configs that differ at most in their initial weights.
const sameButInit = (a, b) => sameConfig({ ...a, init: 'gaussian' }, { ...b, init: 'gaussian' });
const comparisonConfig = init => ({ ...NIELSEN_100.config, seed: 1, init });

// Where training stood when a histogram was taken, for its label.
function moment(state) {
  const e = state.epochs.length, perEpoch = state.run ? state.run.batchesPerEpoch : 0;
  const into = perEpoch ? state.trainedBatches - e * perEpoch : 0;
  if (into > 0) return { epoch: e, text: `epoch ${e} + ${into} mini-batches` };
  return { epoch: e, text: e === 0 ? 'epoch 0, untrained' : `after epoch ${e}` };
}

function describe(config) {
  return `[${config.sizes.join(',')}], ${config.activation}, ${INIT_NAMES[config.init] || config.init}, ` +
    `seed ${config.seed}`;
}

// A layer as the page names it: Nielsen's numbering (the input is layer 1), so weight layer l's
// neurons are layer l + 2.
const layerName = layer => `layer ${layer.layer + 2} (${layer.output ? 'output' : 'hidden'})`;

// --- one column: one network's layers -----------------------------------------------------------
class NetworkColumn {
  constructor(parent, { current }) {
    this.current = current;
    this.root = el('div', { className: `saturation-network${current ? ' current' : ' other'}` });
    this.heading = el('h3');
    this.layersBox = el('div', { className: 'saturation-layers' });
    this.root.append(this.heading, this.layersBox);
    parent.append(this.root);
    this.layers = [];
  }

  // snapshot: { config, saturation, moment }; curvesAt(saturation) -> { z, curves } or null.
  draw(snapshot, curvesAt) {
    const { config, saturation } = snapshot;
    const fitted = curvesAt(saturation);
    if (this.drawn === snapshot && this.fitted === fitted) return;   // the other column, unchanged
    this.drawn = snapshot;
    this.fitted = fitted;
    this.root.dataset.init = config.init;
    this.root.dataset.epoch = String(snapshot.moment.epoch);
    this.heading.replaceChildren(
      document.createTextNode(this.current ? 'This network: ' : 'Last seen: '),
      el('span', { className: 'config', text: describe(config) }),
      el('span', { className: 'sub', text: ` · ${snapshot.moment.text}` }));
    const layers = saturation.layers;
    if (this.layers.length !== layers.length) this.rebuild(layers.length);
    if (!layers.length) return;
    const { lo, hi, samples } = saturation;
    const table = isTruthTable(config.dataset);
    const bins = layers[0].counts.length, width = (hi - lo) / bins;
    const z = fitted ? Array.from(fitted.z) : Array.from({ length: bins }, (_, i) => lo + (i + 0.5) * width);
    layers.forEach((layer, i) => {
      const view = this.layers[i];
      let total = 0;
      for (const c of layer.counts) total += c;
      const units = config.sizes[layer.layer + 1], { activation } = layer;
      // Each layer over its own function: a softmax output has none of z alone.
      const curve = fitted && fitted.curves[activation] ? fitted.curves[activation] : null;
      const softmax = activation === 'softmax';
      Object.assign(view.box.dataset, { layer: String(layer.layer), activation,
        output: String(layer.output), curve: curve ? activation : 'none' });
      // The test hook: the current network's hidden layers (the other column is a memory).
      if (this.current && !layer.output) view.figure.dataset.testid = 'saturated';
      else delete view.figure.dataset.testid;
      view.figure.dataset.layer = String(layer.layer);
      view.figure.dataset.value = String(layer.saturated);
      view.figure.classList.toggle('high', layer.saturated >= HIGH);
      setText(view.title, `${layerName(layer)}: ${softmax ? 'softmax' : activation}`);
      setText(view.big, percent(layer.saturated));
      setText(view.what, `of its ${count(units)} neuron${units === 1 ? '' : 's'} × ${count(samples)} ` +
        `${table ? 'points' : 'images'} have ${softmax ? 'a(1 − a)' : 'f′(z)'} < 0.01`);
      setText(view.stats, `${softmax ? 'softmax: a(1 − a) is shown as the share (each a depends on every z ' +
        'of the layer: no curve of z alone); ' : ''}z: mean ${layer.mean.toFixed(2)}, sd ` +
        `${layer.std.toFixed(2)}; bins of ${width.toPrecision(2)} over [${lo}, ${hi}] (the end bins hold ` +
        'what lies beyond)');
      const share = Array.from(layer.counts, c => (total ? (100 * c) / total : 0));
      view.chart.setData(z, share, curve);
    });
  }

  rebuild(n) {
    for (const view of this.layers) view.chart.destroy();
    this.layersBox.replaceChildren();
    // The last layer is the output: with one layer, there is no hidden one.
    if (n === 1) {
      this.layersBox.append(el('p', 'hint', 'No hidden layer: only the output layer\'s z is shown.'));
    }
    this.layers = Array.from({ length: n }, () => {
      const title = el('h4', 'saturation-layer-title', '');
      const big = el('strong', 'big', '');
      const what = el('span', {});
      const caption = el('span', 'what', el('strong', 'saturated-word', 'saturated'), what);
      const figure = el('p', 'saturation-figure', big, caption);
      const stats = el('p', 'hint', '');
      const plot = el('div', 'saturation-hist', '');
      const box = el('div', 'saturation-layer', title, figure, stats, plot);
      this.layersBox.append(box);
      return { box, title, figure, big, what, stats, chart: new HistogramChart(plot) };
    });
  }

  remove() {
    for (const view of this.layers) view.chart.destroy();
    this.root.remove();
  }
}

// --- the panel -------------------------------------------------------------------------------
/** @param {import('../../protocol.js').App} app  main.js's bridge */
export function mount(app) {
  const { state } = app;
  const view = state.saturation = {
    lectureCurves: null,   // CURVES over LECTURE_CURVES
    fitted: new Map(),     // "lo,hi,n" -> CURVES at a histogram's bin centres
    asked: new Set(),      // those keys already requested
    current: null,         // { config, saturation, moment } of the network the worker holds
    lastByInit: {},        // init -> the last such snapshot with that init
  };
  const networks = $('saturation-networks'), meta = $('saturation-meta'), refresh = $('saturation-refresh');
  const buttons = [...document.querySelectorAll('.saturation-inits button')].map(b => /** @type {HTMLButtonElement} */ (b));
  const whyMnist = $('saturation-why-mnist'), whyTruth = $('saturation-why-truth');
  const columns = { current: null, other: null };
  let curveCharts = null;

  // The panel sits below the fold: its charts are built and redrawn only while it is on screen
  // (or about to be). The data keeps arriving and is stored; scrolling to it draws the latest.
  // Building its uPlot charts at start-up cost the page 100-250 ms of main-thread work.
  let visible = false;
  new IntersectionObserver(entries => {
    const now = entries.some(e => e.isIntersecting);
    if (now === visible) return;
    visible = now;
    if (visible) app.invalidate('saturation', 'saturation-curves');
  }, { rootMargin: '100px 0px' }).observe($('saturation-panel'));

  const key = ({ lo, hi, n }) => `${lo},${hi},${n}`;
  // The curves at a histogram's bin centres, asked for once per binning.
  const fittedRequest = ({ lo, hi, layers }) => {
    const bins = layers.length ? layers[0].counts.length : 0, half = (hi - lo) / bins / 2;
    return bins ? { lo: lo + half, hi: hi - half, n: bins } : null;
  };
  const curvesAt = saturation => {
    const req = fittedRequest(saturation);
    return req ? view.fitted.get(key(req)) || null : null;
  };
  const ask = request => {
    if (view.asked.has(key(request))) return;
    view.asked.add(key(request));
    app.send(ToWorker.CURVES, request);
  };

  app.on(FromWorker.READY, () => ask(LECTURE_CURVES));
  app.on(FromWorker.CURVES, ({ z, curves }) => {
    const n = z.length, lo = z[0], hi = z[n - 1], eps = 1e-6 * Math.max(1, Math.abs(hi - lo));
    const match = [...view.asked].map(k => k.split(',').map(Number))
      .find(([l, h, m]) => m === n && Math.abs(l - lo) < eps && Math.abs(h - hi) < eps);
    if (!match) return;
    const k = match.join(',');
    if (k === key(LECTURE_CURVES)) {
      view.lectureCurves = { z, curves };
      app.invalidate('saturation-curves');
    } else {
      view.fitted.set(k, { z, curves });
      app.invalidate('saturation');
    }
  });
  app.on(FromWorker.CONFIGURED, () => {
    if (state.configuring) return;
    view.current = null;    // a fresh network: its histogram follows
    app.invalidate('saturation', 'saturation-curves');
  });
  app.on(FromWorker.SATURATION, ({ saturation }) => {
    if (state.configuring || !state.run) return;   // the old network's, after a new CONFIGURE
    const snapshot = { config: state.run.config, saturation, moment: moment(state) };
    view.current = snapshot;
    view.lastByInit[snapshot.config.init] = snapshot;
    const req = fittedRequest(saturation);
    if (req) ask(req);
    app.invalidate('saturation', 'saturation-curves');
  });
  // Which of the two buttons describes the network asked for (presets: redrawn on every change);
  // the [784,100,10] story and its buttons are for MNIST, a truth table gets its own few words.
  const drawButtons = () => {
    const truth = isTruthTable(state.config.dataset);
    if (whyMnist.hidden !== truth) whyMnist.hidden = truth;
    if (whyTruth.hidden === truth) whyTruth.hidden = !truth;
    for (const button of buttons) {
      button.setAttribute('aria-pressed', String(sameConfig(state.config, comparisonConfig(button.dataset.init))));
    }
    refresh.disabled = !view.current || !view.current.saturation.layers.length;
  };
  app.onRender('presets', drawButtons);

  for (const button of buttons) {
    button.addEventListener('click', () => app.applyConfig(comparisonConfig(button.dataset.init)));
  }
  refresh.addEventListener('click', () => {
    const s = view.current && view.current.saturation;
    if (!s || !s.layers.length) return;
    app.send(ToWorker.SATURATION, { bins: s.layers[0].counts.length, lo: s.lo, hi: s.hi });
  });

  // Which layers of the current network apply a function: name -> 'hidden layers' etc.; before
  // its histogram is in, the hidden layers' function of the settings.
  function inUse() {
    const uses = new Map();
    const add = (name, where) => uses.set(name, [...(uses.get(name) || []), where]);
    if (view.current) {
      const layers = view.current.saturation.layers;
      if (layers.some(l => !l.output)) add(layers[0].activation, 'hidden layers');
      const out = layers.find(l => l.output);
      if (out) add(out.activation, 'output layer');
    } else {
      add((state.run ? state.run.config : state.config).activation, 'hidden layers');
    }
    return new Map([...uses].map(([name, where]) => [name,
      where.length > 1 ? 'hidden and output layers' : where[0]]));
  }

  app.onRender('saturation-curves', () => {
    if (!visible) return;
    const box = $('saturation-curves');
    if (!curveCharts && view.lectureCurves && uPlot()) {   // (main.js loads uPlot after start-up)
      box.replaceChildren();
      curveCharts = ACTIVATIONS.map(({ name, title }) => {
        const plot = el('div', { className: 'saturation-curve-plot' });
        const figure = el('figure', { className: 'saturation-curve', 'data-activation': name },
          el('figcaption', { text: title }), plot);
        box.append(figure);
        return { name, figure, chart: new CurveChart(plot) };
      });
    }
    if (!curveCharts) {
      if (uPlotFailure()) setText(box, uPlotFailure());   // else drawn once uPlot is in
      return;
    }
    const uses = inUse();
    for (const { name, figure, chart } of curveCharts) {
      const curve = view.lectureCurves.curves[name];
      if (!curve) continue;
      if (figure.dataset.points !== String(curve.a.length)) {
        chart.setData(view.lectureCurves.z, curve);
        figure.dataset.points = String(curve.a.length);
      }
      figure.classList.toggle('in-use', uses.has(name));
      figure.querySelector('figcaption').dataset.inUse = uses.get(name) || '';
    }
  });

  app.onRender('saturation', () => {
    const current = view.current;
    drawButtons();
    if (!visible) return;
    if (!current) {
      setText(meta, state.run || state.configuring
        ? 'Computing the histograms of the fresh network…'
        : 'The histograms of each layer\'s z appear once the network is built.');
      if (columns.current) columns.current.root.classList.add('stale');
      return;
    }
    const s = current.saturation;
    const sample = isTruthTable(current.config.dataset) ? `the ${s.samples} points of the truth table`
      : `the first ${count(s.samples)} training images`;
    setText(meta, `z of every neuron, hidden and output, for ${sample}, ${current.moment.text}; ` +
      'refreshed after each epoch.');
    if (!uPlot()) {   // drawn once main.js has loaded it (it redraws the panel then)
      if (uPlotFailure()) setText(meta, uPlotFailure());
      return;
    }
    if (!columns.current) columns.current = new NetworkColumn(networks, { current: true });
    columns.current.root.classList.remove('stale');
    columns.current.draw(current, curvesAt);
    // Beside it, the same network's last histogram with the other initial weights, if seen.
    const other = view.lastByInit[OTHER_INIT[current.config.init]];
    if (other && sameButInit(other.config, current.config)) {
      if (!columns.other) columns.other = new NetworkColumn(networks, { current: false });
      columns.other.draw(other, curvesAt);
    } else if (columns.other) {
      columns.other.remove();
      columns.other = null;
    }
    networks.classList.toggle('compare', Boolean(columns.other));
  });
}
