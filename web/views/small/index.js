// Small networks: the lecture's truth tables (XOR, AND, OR, NAND) drawn neuron by neuron, with
// weights set by hand, and the decision surface over the input square. Shown only for a truth
// table; then the MNIST-only panels give way (a class on <main>, see style.css's small networks
// block). Every number comes from the worker: SURFACE (the output everywhere), TRACE of the
// picked point (its z, a, delta, gradients), PARAM_SET (a weight typed by hand).
// @ts-check
import { ToWorker, FromWorker } from '../../protocol.js';
import { isTruthTable, trainable, POINTS } from '../../config.js';
import { setText } from '../dom.js';
import { NetworkDiagram } from './diagram.js';
import { DecisionSurface, pointName } from './surface.js';
import { ParamEditor } from './editor.js';

/** @type {(id: string) => any} */   // the elements of index.html this view owns
const $ = id => document.getElementById(id);
const PART = 'small';

/** @param {import('../../protocol.js').App} app  main.js's bridge */
export function mount(app) {
  const { state } = app;
  const small = state.small = {
    surface: null,     // SURFACE of the current network
    point: 0,          // the point the diagram shows
    trace: null,       // our TRACE of that point (the latest answer: one network change behind
                       //   at most while training), or null
    traceError: '',    // why the worker gave no trace
    traceId: null,     // our TRACE on its way (one at a time)
    tracedFor: '',     // "paramsVersion:point" of the latest TRACE we sent
    theirs: null,      // { trace, version }: a trace someone else asked for (the inspector) and
                       //   the state.paramsVersion it came at: current while that is unchanged
    followed: null,    // the inspector's trace whose point the diagram last moved to
  };
  let traceCount = 0;

  const editor = new ParamEditor({ form: $('param-editor'), label: $('param-label'),
    input: $('param-value'), error: $('param-error'), cancel: $('param-cancel') },
  (index, text) => app.send(ToWorker.SET_PARAM, { index, text }));
  const diagram = new NetworkDiagram($('network-diagram'), $('diagram-readout'), item => {
    editor.show(item, () => diagram.elementOf(item.index));
  });
  const surface = new DecisionSurface({ canvas: $('surface'), overlay: $('surface-points'),
    body: $('points-body'), summary: $('points-right') }, i => pick(i));

  const truth = () => isTruthTable(state.config.dataset);
  const current = () => state.run && !state.configuring && isTruthTable(state.run.config.dataset);

  function pick(i) {
    if (i === small.point) return;
    small.point = i;
    small.trace = null;
    requestTrace();
    app.invalidate(PART);
  }

  // Our TRACE of the picked point, again whenever the network may have changed (paramsVersion),
  // also while training (the worker traces between chunks without pausing the run): at most one
  // on its way, the next one sent when it is in. A step network has no gradient, so nothing to
  // trace: the worker would refuse it. None while the open inspector's current trace is of this
  // point: the diagram shows that one, and the worker keeps only its last trace for the
  // inspector's Export.
  function requestTrace() {
    if (!current() || !trainable(state.run.config) || small.traceId) return;
    const ins = inspectorTrace();
    if (ins && ins.example.index === small.point) return;
    const wanted = `${state.paramsVersion}:${small.point}`;
    if (small.tracedFor === wanted) return;
    small.tracedFor = wanted;
    small.traceId = `small-${++traceCount}`;
    app.send(ToWorker.TRACE, { id: small.traceId, example: { set: 'points', index: small.point } });
  }

  app.on(FromWorker.CONFIGURED, () => {
    if (state.configuring) return;
    Object.assign(small, { surface: null, trace: null, traceError: '', theirs: null, followed: null });
    editor.close();
    requestTrace();
    app.invalidate(PART);
  });
  for (const type of [FromWorker.PROGRESS, FromWorker.STEP_APPLIED]) app.on(type, requestTrace);
  app.on(FromWorker.PARAM_SET, msg => {
    editor.answer(msg);
    requestTrace();
  });
  app.on(FromWorker.SURFACE, msg => {
    if (!current()) return;
    small.surface = msg;
    app.invalidate(PART);
  });
  app.on(FromWorker.TRACE, msg => {
    if (msg.id === small.traceId) {
      small.traceId = null;
      small.trace = msg.trace && msg.trace.example.index === small.point ? msg.trace : null;
      small.traceError = msg.error || '';
      requestTrace();   // the network changed or another point was picked meanwhile
    } else if (msg.trace) {
      small.theirs = { trace: msg.trace, version: state.paramsVersion };
    }
    app.invalidate(PART);
  });

  const fits = t => Boolean(t && t.example && t.example.set === 'points' && t.sizes &&
    t.sizes.join() === state.run.config.sizes.join());

  // The open inspector's trace while it is of the network as it is now (it traces again after a
  // Step, not while the run trains nor after a weight typed here), else null.
  function inspectorTrace() {
    const ins = state.inspector;
    if (!ins || !ins.open || !fits(ins.trace)) return null;
    const { theirs } = small;
    return theirs && theirs.trace === ins.trace && theirs.version === state.paramsVersion ? ins.trace : null;
  }

  // A point newly traced by the inspector becomes the picked one (the table, the surface and
  // our own trace follow); a point picked afterwards wins until the inspector traces another.
  function followInspector() {
    const theirs = inspectorTrace();
    if (!theirs || theirs === small.followed) return;
    small.followed = theirs;
    pick(theirs.example.index);
  }

  // What the diagram shows: the inspector's trace of the picked point while it is open and
  // current (with delta and dC/dw on the picture), else ours.
  function view() {
    const { sizes, activation } = state.run.config;
    const ins = inspectorTrace();
    const theirs = ins && ins.example.index === small.point ? ins : null;
    const trace = theirs || (fits(small.trace) && small.trace.example.index === small.point ? small.trace : null);
    const point = small.point;
    const L = sizes.length;
    const a = Array(L).fill(null), z = Array(L).fill(null), delta = Array(L).fill(null);
    a[0] = POINTS[point];
    if (trace) {
      trace.layers.forEach((layer, l) => {
        a[l + 1] = layer.a;
        z[l + 1] = layer.z;
        delta[l + 1] = layer.delta;
      });
    }
    // Our trace: the output on the point from the latest SURFACE (it agrees with the table, and
    // is newer while training); the inspector's numbers stay together as it shows them.
    if (small.surface && !theirs) a[L - 1] = [small.surface.outputs[point]];
    return {
      params: state.params, layout: state.run.layout, activation, point: pointName(POINTS[point]), a, z,
      delta, gradW: trace ? trace.layers.map(x => x.gradW) : null,
      gradB: trace ? trace.layers.map(x => x.gradB) : null,
      showGrad: Boolean(theirs), inspectorPoint: ins ? ins.example.index : null,
    };
  }

  // The readout's line when nothing is pointed at.
  function hint(v) {
    const { config } = state.run, ins = state.inspector;
    let text = `Point ${v.point}: hover over or focus a neuron or a weight for its values.`;
    if (config.sizes.length > 2 && !trainable(config)) {
      text += ' A step network has no gradient and is not traced: its hidden activations are not shown.';
    } else if (small.traceError && config.sizes.length > 2) {
      text += ` No hidden activations: ${small.traceError}.`;
    }
    if (v.inspectorPoint !== null && v.inspectorPoint !== small.point) {
      text += ` The inspector is on point ${pointName(POINTS[v.inspectorPoint])}: pick it for δ and ∂C/∂w.`;
    } else if (ins && ins.open && fits(ins.trace) && !v.showGrad) {
      text += ' The inspector\'s trace is of the network as it was: its δ and ∂C/∂w are not drawn.';
    }
    return text;
  }

  function render() {
    const on = truth();
    document.querySelector('main.layout').classList.toggle('truth-table', on);
    for (const id of ['diagram-panel', 'surface-panel']) if ($(id).hidden === on) $(id).hidden = !on;
    if (!on) {
      editor.close();
      return;
    }
    const dataset = state.config.dataset;
    if (!current() || !state.params) {
      diagram.setHint('Building the network…');
      surface.draw(dataset, null, small.point);
      return;
    }
    followInspector();
    requestTrace();   // the inspector may have closed, or its trace gone stale
    const v = view();
    if (diagram.setSizes(state.run.config.sizes)) diagram.draw(v);
    setText($('diagram-sub'), `on point ${v.point}`);
    diagram.setHint(hint(v));
    surface.draw(dataset, small.surface, small.point);
  }
  // Several of these parts may be dirty in one frame: draw once, after main.js's render.
  let queued = false;
  const once = () => {
    if (queued) return;
    queued = true;
    queueMicrotask(() => {
      queued = false;
      render();
    });
  };
  for (const part of [PART, 'weights', 'status', 'inspector']) app.onRender(part, once);
}
