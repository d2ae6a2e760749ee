// The backprop inspector: one example through forward and backward on the network that is
// training, step by step (input, forward, BP1-BP4, the SGD update), with the gradient check and
// the trace as JSON. Opened by the Inspect button, the key B or the URL key inspect=N; it pauses
// the run and leaves it paused. The worker computes the trace (TRACE) and its JSON (EXPORT_TRACE);
// this view only draws it.
// Not the steps' content (steps.js, equations.js) and not the pictures (vectors.js).
// @ts-check
import { ToWorker, FromWorker } from '../../protocol.js';
import { parseHash, formatHash, isTruthTable } from '../../config.js';
import { STEPS } from './equations.js';
import { TraceView, buildStep } from './steps.js';
import { gradCheckTable } from './gradcheck.js';
import { traceFileName } from './export.js';
import { loadTex, whenTypeset } from './tex.js';
import { count, num } from './format.js';
import { el, setText, setAttr, download } from '../dom.js';

/** @type {(id: string) => any} */   // the elements of index.html this view owns
const $ = id => document.getElementById(id);
const STEP_IDS = STEPS.map(s => s.id);
const FIELDS = 'input, select, textarea, [contenteditable]';
const TEX_FAILED = 'KaTeX could not be loaded: the equations are shown as their TeX source.';
const PER_LAYER = 5;          // parameters per weight layer in a gradient check
const POINTS = 4;             // a truth table's examples
const FRAME_ELEMENTS = 120;   // elements of a step attached per frame (see drawBody)
const ATOMIC = '.inspector-eq, .inspector-tex, figure, table, p';   // attached whole

// inspect=N of the URL (config.js checks it against the dataset).
const inspectFromUrl = () => parseHash(location.hash).inspect ?? null;

// Nielsen's split, as the core makes it (cpp/mnist.cpp): the last 10,000 of 60,000 validate.
const trainingCount = n => (n >= 60000 ? n - 10000 : n - Math.floor(n / 6));

const SET_NAMES = { train: 'training image', test: 'test image', drawn: 'the drawn digit', points: 'point' };

/** @param {import('../../protocol.js').App} app  main.js's bridge */
export function mount(app) {
  const { state } = app;
  const panel = $('inspector-panel');
  const ins = state.inspector = {
    open: false,
    step: 0,
    set: 'train', label: 0,     // the chooser's set and the drawn digit's target
    example: null,              // the ExampleRef of the trace shown
    requested: null,            // the ExampleRef of the TRACE on its way
    seq: 0, pending: null,      // TRACE ids: the latest request; answers to older ones are dropped
    pendingAt: null,            // { version, batches } of the network when the TRACE was sent
    trace: null, traceId: null, tv: null,   // tv: the trace's TraceView
    tracedAt: null,             // the state.paramsVersion the trace shown was taken at
    batchesAt: 0,               // the state.trainedBatches then (for the line above the steps)
    failedAt: null,             // the paramsVersion a re-trace failed at: not tried again on it
    fieldError: '',
    neuron: [], input: [],      // the selected neuron j and input k of each weight layer
    picked: [],                 // whether the student picked that layer's neuron (else: largest |δ|)
    check: null, checkError: null,
    checkPending: null,         // { id, traceId }: the GRAD_CHECK on its way and the trace it checks
    exporting: null,            // { id: the trace's id, fileName }: the EXPORT_TRACE on its way
    exportError: '',
    texFailed: false,
    update: { busy: false, decided: false, message: '' },
    notice: '',                 // after an applied step: the run left its seed's path
    wanted: inspectFromUrl(),   // inspect=N from the URL, opened once the network is ready
    urlIndex: null,             // the inspect=N the URL shows (null: no key)
  };
  const ui = {
    set: $('bp-set'), index: $('bp-example'), label: $('bp-label'), random: $('bp-random'),
    help: $('bp-example-help'), error: $('bp-example-error'), about: $('bp-about'),
    prev: $('bp-prev'), next: $('bp-next'), tabs: $('bp-steps'), body: $('bp-step'),
    check: $('bp-gradcheck'), checkValue: $('grad-check'), checkTable: $('bp-gradcheck-table'),
    checkStatus: $('bp-gradcheck-status'), checkDetails: $('bp-gradcheck-details'),
    export: $('bp-export'), exportStatus: $('bp-export-status'), texError: $('bp-tex-error'),
    close: $('bp-close'),
  };
  const built = new Map();   // step id -> { key, nodes }: each step's content, built once per key
  let prefetching = false;   // a build of another step is scheduled for an idle moment
  let shown = null;          // { b, insertions, focused, frame }: the step on screen (or going on)
  let tallest = 0;           // px: the tallest step shown since the inspector opened
  let runShown = '';         // the run's state and the trace's staleness the panel last showed

  // The steps' area only grows while the inspector is open: stepping to a shorter step must not
  // move (and so repaint) every panel below it. Its height is read after the browser's own layout
  // (a ResizeObserver), never forced from a script.
  new ResizeObserver(([entry]) => {
    const height = entry.borderBoxSize[0].blockSize;
    if (!ins.open || height <= tallest) return;
    tallest = height;
    ui.body.style.minHeight = `${tallest}px`;
  }).observe(ui.body);

  // The URL follows the example traced: inspect=N for a training image (or a truth table's
  // point), no key otherwise; state.inspector.urlIndex is that N for whoever writes the URL next.
  function writeUrl(index) {
    ins.urlIndex = index;
    const hash = formatHash(state.config, state.dataUrl, state.autostart, index, state.urlSweep);
    if (hash !== location.hash) history.replaceState(null, '', hash);
  }

  const truthTable = () => isTruthTable(state.config.dataset);
  // Fashion-MNIST has no draw pad (its preprocessing is for digits): no drawn example.
  const drawable = () => state.config.dataset !== 'fashion';
  const stepNetwork = () => (state.run ? state.run.config : state.config).activation === 'step';
  const canInspect = () => Boolean(state.run) && !state.configuring && !stepNetwork();
  // The trace shown is of a network whose parameters have changed since (trained, edited).
  const stale = () => Boolean(ins.trace) && ins.tracedAt !== state.paramsVersion;

  // How many examples a set has, and so the valid indices 0 .. n-1.
  function setSize(set) {
    if (set === 'points') return POINTS;
    if (!state.data) return 0;
    return set === 'test' ? state.data.test : trainingCount(state.data.train);
  }

  // ---- opening and closing -------------------------------------------------------------------
  function open(example = null) {
    if (!canInspect()) return;
    const first = !ins.open;
    ins.open = true;
    panel.hidden = false;
    app.pause();
    loadTex().then(ok => {
      if (ok) return;
      ins.texFailed = true;
      app.invalidate('inspector');
    });
    // The last example, unless the data set changed since (a truth table's points against MNIST).
    const fits = ins.example && (ins.example.set === 'points') === truthTable();
    const ref = example || (fits ? ins.example : null) || { set: truthTable() ? 'points' : 'train', index: 0 };
    ins.set = ref.set;
    if (ref.index !== undefined && ref.index !== null) ui.index.value = String(ref.index);
    const problem = ref.set === 'drawn' ? '' : indexProblem(ref.set, String(ref.index));
    if (problem) ins.fieldError = problem;   // nothing traced: the field says why
    else trace(ref);
    if (first) {
      panel.scrollIntoView({ block: 'start' });
      ui.next.focus({ preventScroll: true });
    }
    app.invalidate('inspector', 'status');
  }

  app.inspect = ref => open(ref);   // the gallery's images: {set: 'test', index}

  function close() {
    if (!ins.open) return;
    ins.open = false;
    panel.hidden = true;
    tallest = 0;
    ui.body.style.minHeight = '';
    writeUrl(null);
    $('inspect').focus();
    app.invalidate('inspector', 'status');
  }

  // ---- talking to the worker -----------------------------------------------------------------
  // Each request sends its own copy of a drawing's pixels (transferred).
  function withPixels(ref) {
    if (ref.set !== 'drawn') return { example: ref, transfer: [] };
    const pixels = ref.pixels.slice();
    return { example: { ...ref, pixels }, transfer: [pixels.buffer] };
  }

  function trace(ref) {
    ins.requested = ref;
    ins.pending = ++ins.seq;
    ins.pendingAt = { version: state.paramsVersion, batches: state.trainedBatches };
    ins.fieldError = '';
    const { example, transfer } = withPixels(ref);
    app.send(ToWorker.TRACE, { id: ins.pending, example }, transfer);
    app.invalidate('inspector');
  }

  app.on(FromWorker.TRACE, ({ id, trace: t, error }) => {
    if (id !== ins.pending) return;   // a newer request is on its way
    ins.pending = null;
    if (error) {   // the trace shown stays, and so does its example
      ins.fieldError = `The worker could not trace it: ${error}`;
      ins.failedAt = ins.pendingAt.version;
      app.invalidate('inspector');
      return;
    }
    ins.example = ins.requested;
    const old = ins.trace;
    const tv = new TraceView(t);
    // A neuron the student picked stays picked; the others follow the new trace.
    if (!old || old.sizes.join() !== t.sizes.join()) ins.picked = [];
    ins.neuron = t.layers.map((_, l) => (ins.picked[l] ? ins.neuron[l] : tv.defaultNeuron(l)));
    ins.input = t.layers.map((_, l) => tv.defaultInput(l, ins.neuron[l]));
    // A gradient check or an export of the trace before is dropped with it.
    Object.assign(ins, { trace: t, tv, traceId: id, tracedAt: ins.pendingAt.version,
      batchesAt: ins.pendingAt.batches, failedAt: null, check: null, checkError: null, checkPending: null,
      exporting: null, exportError: '', update: { busy: false, decided: false, message: '' } });
    const { set, index } = ins.example;
    writeUrl(set === 'train' || set === 'points' ? index : null);
    app.invalidate('inspector');
    retraceIfStale();   // the network changed while this trace was on its way
  });

  app.on(FromWorker.STEP_APPLIED, ({ id, error }) => {
    if (id !== ins.traceId) return;
    if (error) {
      ins.update = { busy: false, decided: false, message: `Not applied: ${error}` };
    } else {
      ins.notice = 'A step was applied by hand: the network has left the path of its seed ' +
        '(Reset builds it again from the seed).';
      ins.update = { busy: false, decided: true, message: 'Applied. The example is traced again on the changed network.' };
      trace(ins.example);
    }
    app.invalidate('inspector');
  });

  app.on(FromWorker.GRAD_CHECK, ({ id, check, error }) => {
    const asked = ins.checkPending;
    if (!asked || id !== asked.id || asked.traceId !== ins.traceId) return;   // for an older trace
    ins.checkPending = null;
    ins.check = error ? null : check;
    ins.checkError = error || null;
    app.invalidate('inspector');
  });

  // A fresh network (Reset, a new setting): trace the same example again on it, or close the
  // inspector if there is nothing to backpropagate.
  app.on(FromWorker.CONFIGURED, () => {
    ins.notice = '';
    if (!ins.open || state.configuring || !state.run) return;   // (a newer network is coming)
    if (stepNetwork()) {
      close();
      return;
    }
    const points = truthTable();
    let ref = ins.example || ins.requested;
    // MNIST <-> a truth table, or a drawn digit on Fashion-MNIST (it has no pad)
    if (!ref || points !== (ref.set === 'points') || (ref.set === 'drawn' && !drawable())) {
      ref = { set: points ? 'points' : 'train', index: 0 };
      ins.set = ref.set;
      ui.index.value = '0';
    }
    trace(ref);
  });

  // ---- the example chooser -------------------------------------------------------------------
  // The index typed for the chosen set: a message beside the field if it is not one, and nothing
  // else changes.
  function chooseTyped() {
    const set = ins.set;
    if (set === 'drawn') return chooseDrawn();
    const text = ui.index.value.trim(), problem = indexProblem(set, text);
    if (problem) {
      ins.fieldError = problem;
      app.invalidate('inspector');
    } else {
      trace({ set, index: Number(text) });
    }
  }

  // Why text is not an index of set ('' if it is one).
  function indexProblem(set, text) {
    const n = setSize(set), range = `${SET_NAMES[set]}s are numbered 0 to ${count(n - 1)}`;
    if (!/^\d+$/.test(text)) {
      return text === '' ? `Type an index: ${range}.` : `“${text}” is not a whole number: ${range}.`;
    }
    if (Number(text) >= n) return `${count(Number(text))} is out of range: ${range}.`;
    return '';
  }

  function chooseDrawn() {
    const pixels = app.drawnPixels();   // a copy of the pad's 784 values, or null
    if (!pixels) {
      ins.fieldError = 'Draw a digit on the pad first (the panel "Draw a digit"), then pick its target.';
      app.invalidate('inspector');
      return;
    }
    trace({ set: 'drawn', index: null, pixels, label: ins.label });
  }

  ui.index.addEventListener('keydown', e => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    chooseTyped();
  });
  ui.index.addEventListener('input', () => {
    if (ins.fieldError) {
      ins.fieldError = '';
      app.invalidate('inspector');
    }
  });
  $('bp-chooser').addEventListener('submit', e => {
    e.preventDefault();
    chooseTyped();
  });
  ui.set.addEventListener('change', () => {
    ins.set = ui.set.value;
    if (ins.set === 'drawn') chooseDrawn();
    else chooseTyped();
  });
  ui.label.addEventListener('change', () => {
    ins.label = Number(ui.label.value);
    if (ins.set === 'drawn') chooseDrawn();
  });
  ui.random.addEventListener('click', () => {
    const set = ins.set === 'drawn' ? 'train' : ins.set;
    ins.set = set;
    const index = Math.floor(Math.random() * setSize(set));
    ui.index.value = String(index);
    trace({ set, index });
  });

  // ---- steps ---------------------------------------------------------------------------------
  function go(step) {
    const next = Math.max(0, Math.min(STEP_IDS.length - 1, step));
    if (next === ins.step) return;
    ins.step = next;
    app.invalidate('inspector');
  }
  ui.prev.addEventListener('click', () => go(ins.step - 1));
  ui.next.addEventListener('click', () => go(ins.step + 1));
  for (const [i, s] of STEPS.entries()) {
    const b = el('button', { type: 'button', 'data-step': s.id, title: s.title, text: s.short });
    b.addEventListener('click', () => go(i));
    ui.tabs.append(el('li', {}, b));
  }

  // The selections the steps offer (neuron j of a layer, input k of a weight).
  const ctxBase = {
    pickNeuron(l, j) {
      ins.neuron[l] = j;
      ins.picked[l] = true;
      ins.input[l] = ins.tv.defaultInput(l, j);
      app.invalidate('inspector');
    },
    pickInput(l, k) {
      ins.input[l] = k;
      app.invalidate('inspector');
    },
    pickWeight(l, j, k) {
      ins.neuron[l] = j;
      ins.picked[l] = true;
      ins.input[l] = k;
      app.invalidate('inspector');
    },
    apply() {
      if (applyBlocked()) return;
      ins.update = { busy: true, decided: false, message: 'Applying…' };
      app.send(ToWorker.APPLY_STEP, { id: ins.traceId });
      app.invalidate('inspector');
    },
    discard() {
      ins.update = { busy: false, decided: true, message: 'Discarded: the network is unchanged.' };
      app.invalidate('inspector');
    },
  };

  // Why the step shown cannot be applied now ('' if it can): the network it was computed on must
  // be the network as it is.
  function applyBlocked() {
    if (ins.pending) return 'The example is being traced again…';
    if (state.running) {
      return 'The run is training: this step is of the network as it was. Pause, and the example ' +
        'is traced again on the network as it is then.';
    }
    return stale() ? 'The network changed: the example is traced again…' : '';
  }

  // ---- tools ---------------------------------------------------------------------------------
  // A gradient check and an export are of the trace shown, and only while it is the network's.
  const checkBlocked = () => !ins.trace || Boolean(ins.pending) || Boolean(ins.checkPending) ||
    state.running || stale();
  const dataset = () => (state.run && state.run.config.dataset) || 'mnist';

  ui.check.addEventListener('click', () => {
    if (checkBlocked()) return;
    ins.checkPending = { id: ++ins.seq, traceId: ins.traceId };
    ins.check = null;
    ins.checkError = null;
    const { example, transfer } = withPixels(ins.example);
    app.send(ToWorker.GRAD_CHECK, { id: ins.checkPending.id, example, perLayer: PER_LAYER }, transfer);
    app.invalidate('inspector');
  });
  // The JSON is built in the worker (tens of milliseconds for MNIST) and saved here as a file.
  ui.export.addEventListener('click', () => {
    if (!ins.trace || ins.pending || ins.exporting) return;
    ins.exporting = { id: ins.traceId, fileName: traceFileName(ins.trace.example, dataset()) };
    ins.exportError = '';
    app.send(ToWorker.EXPORT_TRACE, { id: ins.traceId, dataset: dataset() });
    app.invalidate('inspector');
  });
  app.on(FromWorker.TRACE_JSON, ({ id, text, error }) => {
    const asked = ins.exporting;
    if (!asked || id !== asked.id) return;
    ins.exporting = null;
    if (error) ins.exportError = `Not exported: ${error}`;
    else download(text, asked.fileName, 'application/json');
    app.invalidate('inspector');
  });
  ui.close.addEventListener('click', close);
  $('inspect').addEventListener('click', () => (ins.open ? close() : open()));

  // B opens and closes it; in it, the arrow keys step and Escape closes. Only with the focus on
  // the page itself or in the inspector (B also on its Inspect button), never in a field: the
  // arrows belong to whatever else has the focus (a preset list, the diagram's edges, a slider).
  document.addEventListener('keydown', e => {
    if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    const target = e.target instanceof Element ? e.target : null;
    if (target && target.closest(FIELDS)) return;
    const inside = !target || target === document.body || target === document.documentElement ||
      panel.contains(target);
    if (!inside && !(target && target.id === 'inspect' && e.key.toLowerCase() === 'b')) return;
    if ((e.key === 'b' || e.key === 'B') && !e.repeat) {
      e.preventDefault();
      if (ins.open) close();
      else open();
    } else if (ins.open && (e.key === 'ArrowRight' || e.key === 'ArrowLeft')) {
      e.preventDefault();
      go(ins.step + (e.key === 'ArrowRight' ? 1 : -1));
    } else if (ins.open && e.key === 'Escape') {
      close();
    }
  });
  window.addEventListener('hashchange', () => {
    const wanted = inspectFromUrl();
    if (wanted !== null && wanted !== ins.urlIndex) ins.wanted = wanted;
    app.invalidate('status');
  });

  // ---- drawing -------------------------------------------------------------------------------
  // On every status change: the Inspect button, the URL's inspect=N once the network is ready,
  // and a new trace after the network trained (Step, or a run paused again).
  app.onRender('status', () => {
    const button = $('inspect');
    button.disabled = !canInspect() && !ins.open;
    button.title = stepNetwork()
      ? 'A step network has no gradient: there is nothing to backpropagate'
      : 'Step through backpropagation on one example (key: B)';
    button.setAttribute('aria-expanded', String(ins.open));
    if (!canInspect()) return;
    if (ins.wanted !== null) {
      const index = ins.wanted;
      ins.wanted = null;
      open({ set: truthTable() ? 'points' : 'train', index });
      return;
    }
    retraceIfStale();
    // What the panel says about the run and what it lets you do follow the run's state.
    const now = `${state.running}|${stale()}`;
    if (ins.open && now !== runShown) {
      runShown = now;
      app.invalidate('inspector');
    }
  });

  // The network's parameters changed since the trace shown (a mini-batch, a weight typed in the
  // diagram, a step applied): trace the same example again, once the run is paused.
  function retraceIfStale() {
    if (ins.open && ins.trace && !ins.pending && !state.running && stale() &&
        ins.failedAt !== state.paramsVersion) {
      trace(ins.example);
    }
  }

  app.onRender('inspector', render);

  function render() {
    if (!ins.open) return;
    const points = truthTable();
    // The chooser.
    for (const option of ui.set.options) {
      option.hidden = option.value === 'points' ? !points : points || (option.value === 'drawn' && !drawable());
      option.disabled = option.hidden;
    }
    ui.set.value = ins.set;
    $('bp-label-group').hidden = ins.set !== 'drawn';
    ui.label.value = String(ins.label);
    ui.index.hidden = ui.random.hidden = ins.set === 'drawn';
    $('bp-example-label').hidden = ins.set === 'drawn';
    const n = setSize(ins.set);
    setText(ui.help, ins.set === 'drawn' ? 'the pad’s digit, with the target you pick'
      : `0 to ${count(n - 1)}; Enter traces it`);
    setText(ui.error, ins.fieldError);
    setAttr(ui.index, 'aria-invalid', Boolean(ins.fieldError) && ins.set !== 'drawn');

    setText(ui.about, about());   // a status line: written only when it says something new
    setText(ui.texError, ins.texFailed ? TEX_FAILED : '');
    ui.texError.hidden = !ins.texFailed;

    // The steps.
    const step = STEP_IDS[ins.step];
    for (const b of ui.tabs.querySelectorAll('button')) {
      if (b.dataset.step === step) b.setAttribute('aria-current', 'step');
      else b.removeAttribute('aria-current');
    }
    ui.prev.disabled = ins.step === 0;
    ui.next.disabled = ins.step === STEP_IDS.length - 1;
    ui.body.dataset.value = step;
    if (ins.traceId !== null) setAttr(ui.body, 'data-trace', ins.traceId);   // tests wait for a new one
    drawBody();

    // The tools.
    ui.check.disabled = checkBlocked();
    ui.export.disabled = !ins.trace || Boolean(ins.pending) || Boolean(ins.exporting);
    setText(ui.exportStatus, ins.exporting ? 'Writing the JSON in the worker…' : ins.exportError);
    renderCheck();
  }

  function about() {
    if (!ins.trace) return ins.pending ? 'Tracing the example in the worker…' : '';
    const t = ins.trace, e = t.example;
    const what = e.set === 'drawn' ? `The drawn digit, target ${e.label}`
      : e.set === 'points' ? `Point ${e.index}: x = (${Array.from(t.x).join(', ')}), target ${e.label}`
        : `${e.set === 'train' ? 'Training' : 'Test'} image ${count(e.index)} of ${count(setSize(e.set))}, label ${
          e.label}${state.run.config.dataset === 'fashion' ? ` (${app.classNames()[e.label]})` : ''}`;
    const batches = ins.batchesAt;
    const edited = Boolean(state.run && state.run.handEdited);   // a weight typed, a step applied
    const network = (batches ? `the network after ${count(batches)} mini-batch${batches === 1 ? '' : 'es'}`
      : `the untrained network${edited ? '' : ' (its initial weights)'}`) + (edited ? ', changed by hand' : '');
    const run = state.running ? 'The run is training again: this trace is of the network as it was; ' +
      'pause to trace it anew.' : 'The run is paused; Resume continues it.';
    const pending = ins.pending ? ' Tracing again…' : '';
    return `${what}, on ${network}. ${run}${pending}${ins.notice ? ` ${ins.notice}` : ''}`;
  }

  // What a step's content depends on: the trace, the selections, the update's state.
  const stepKey = step => [ins.traceId, step, ins.neuron.join(), ins.input.join(),
    step === 'update' ? JSON.stringify([ins.update, applyBlocked()]) : ''].join('|');

  // The step's content, built (and its pictures drawn) only if what it shows changed.
  function builtStep(i) {
    const step = STEP_IDS[i], key = stepKey(step);
    let b = built.get(step);
    if (b && b.key === key) return b;
    const views = [];
    const title = el('h3', 'inspector-step-title', `Step ${i + 1} of ${STEPS.length}: ${STEPS[i].title}`);
    const nodes = [title, ...buildStep(step, { ...ctxBase, tv: ins.tv, neuron: ins.neuron, input: ins.input,
      views, update: ins.update, blocked: applyBlocked() })];
    for (const v of views) v.draw();
    b = { key, nodes };
    built.set(step, b);
    return b;
  }

  // A step is put on screen a few hundred elements per frame: the browser lays out and paints
  // each part in its own frame, and no frame's work grows into a long task.
  // data-settled="true" on the step's box (tests wait for it): the step is wholly on screen and
  // every step is built and typeset for the current trace and selections.

  function drawBody() {
    if (!ins.trace) {
      finishAttaching();
      shown = null;
      setAttr(ui.body, 'data-settled', 'false');
      ui.body.replaceChildren(el('p', 'hint', ins.pending ? 'Tracing the example in the worker…'
        : 'Choose an example above.'));
      return;
    }
    const b = builtStep(ins.step);
    if (shown && shown.b === b) return;
    const active = /** @type {HTMLElement} */ (document.activeElement);
    const focused = active && ui.body.contains(active) ? active.dataset.key : null;
    finishAttaching();
    ui.body.replaceChildren();
    const insertions = [];
    split(ui.body, b.nodes, insertions);
    shown = { b, insertions, focused, frame: 0 };
    ui.body.setAttribute('aria-busy', 'true');
    setAttr(ui.body, 'data-settled', 'false');
    attachSome();
  }

  function attachSome() {
    const s = shown;
    s.frame = 0;
    let budget = FRAME_ELEMENTS;
    while (s.insertions.length && budget > 0) {
      const [parent, node, size] = s.insertions.shift();
      parent.append(node);
      budget -= size;
    }
    if (s.insertions.length) {
      s.frame = requestAnimationFrame(attachSome);
      return;
    }
    ui.body.setAttribute('aria-busy', 'false');
    if (s.focused) {
      const again = ui.body.querySelector(`[data-key="${CSS.escape(s.focused)}"]`);
      if (again) again.focus({ preventScroll: true });
    }
    prefetch();
  }

  // A step left half attached is completed off screen: its nodes stay whole for the next visit.
  function finishAttaching() {
    if (!shown || !shown.insertions.length) return;
    cancelAnimationFrame(shown.frame);
    for (const [parent, node] of shown.insertions) parent.append(node);
    shown.insertions = [];
  }

  // The insertions that rebuild nodes under parent, none of more than FRAME_ELEMENTS elements
  // unless it cannot be split (an equation, a picture, a table): a node too large goes in empty,
  // its children after it. Each insertion: [parent, node, its element count].
  function split(parent, nodes, out) {
    for (const node of nodes) {
      const size = node.nodeType === 1 ? 1 + node.getElementsByTagName('*').length : 0;
      if (size <= FRAME_ELEMENTS || node.nodeType !== 1 || node.matches(ATOMIC)) {
        out.push([parent, node, size]);
        continue;
      }
      const children = [...node.childNodes];
      node.replaceChildren();
      out.push([parent, node, 1]);
      split(node, children, out);
    }
  }

  // While the page is idle, the other steps are built (and their equations typeset) so that
  // stepping to them only swaps the content: the next step first, then the previous, then the rest.
  function prefetch() {
    if (prefetching) return;
    prefetching = true;
    const idle = window.requestIdleCallback || (fn => setTimeout(fn, 50));
    idle(() => {
      prefetching = false;
      if (!ins.open || !ins.trace) return;
      const order = [ins.step + 1, ins.step - 1, ...STEP_IDS.keys()]
        .filter(i => i >= 0 && i < STEP_IDS.length);
      const next = order.find(i => (built.get(STEP_IDS[i]) || {}).key !== stepKey(STEP_IDS[i]));
      if (next === undefined) {
        settle();
        return;
      }
      builtStep(next);
      prefetch();
    }, { timeout: 1000 });
  }

  // Every step is built: once their equations are typeset too, and nothing changed meanwhile,
  // the step's box says so.
  function settle() {
    const keys = STEP_IDS.map(stepKey).join('\n'), on = shown;
    whenTypeset(() => {
      if (ins.open && shown === on && on && !on.insertions.length && STEP_IDS.map(stepKey).join('\n') === keys) {
        setAttr(ui.body, 'data-settled', 'true');
      }
    });
  }

  function renderCheck() {
    const c = ins.check;
    setText(ui.checkStatus, ins.checkPending ? 'Checking… (finite differences in double precision)'
      : ins.checkError ? `The check failed: ${ins.checkError}`
        : c ? `Largest relative error: ${num(c.maxRelError, 2)} ` +
          `(${c.maxRelError <= c.tolerance ? 'within' : 'beyond'} the ${num(c.tolerance, 2)} the core's tests ` +
          'accept for float32 backprop against a double-precision finite difference).'
          : ins.trace && state.running ? 'Pause the run to check backprop on the network as it is.'
            : 'Compare backprop with finite differences on this example.');
    if (c) ui.checkValue.dataset.value = String(c.maxRelError);
    else delete ui.checkValue.dataset.value;
    setText(ui.checkValue, c ? num(c.maxRelError, 2) : '–');
    ui.checkValue.hidden = !c;
    const id = c ? `${ins.traceId}:${c.maxRelError}` : '';
    if (ui.checkTable.dataset.check !== id) {
      ui.checkTable.dataset.check = id;
      ui.checkTable.replaceChildren(...(c ? [gradCheckTable(c)] : []));
      ui.checkDetails.hidden = !c;
      ui.checkDetails.querySelector('summary').textContent = c
        ? `The ${c.entries.length} parameters checked` : '';
    }
  }
}
