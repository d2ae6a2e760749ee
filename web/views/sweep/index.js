// The sweeps panel: one button per book experiment (plan.js), the running sweep's table and its
// Pause / Resume / Close, each run kept in the run history (storage/runs.js) and overlaid on the
// charts (app.history). Starting a sweep pauses the main run; the main run's Start pauses the
// sweep. Not the workers' bookkeeping (pool.js) nor the history's list and charts (views/history/).
// @ts-check
import { FromWorker } from '../../protocol.js';
import { el, setText, setAttr } from '../dom.js';
import { SWEEPS, SWEEP_KINDS, planSweep, parallelism } from './plan.js';
import { SweepPool } from './pool.js';
import { SweepTable } from './table.js';
import { summaryText } from './words.js';

/** @type {(id: string) => any} */   // the elements of index.html this view owns
const $ = id => document.getElementById(id);
let runsModule = null;   // storage/runs.js, imported on the first run to store

/** @param {import('../../protocol.js').App} app  main.js's bridge: state, on, onRender, invalidate, pause, dataUrlFor,
 *   setUrlSweep, history (views/history/: saved, setOverlay, colorOf) */
export function mount(app) {
  const { state } = app;
  const sweep = state.sweep = {
    kind: null,          // the sweep shown (eta | hidden | init), or null
    pool: null,          // its SweepPool (phase ready until Run sweep)
    storageProblem: '',  // the first failure to store a run (said once; the sweep goes on)
    ignoreMainStart: false,   // a main START sent before our pause does not leave the sweep
    skipMainStarts: 0,        // main STATEs running:true that answer the main run's autostart
  };
  const ui = {
    kinds: $('sweep-kinds'), cores: $('sweep-cores'), current: $('sweep-current'), title: $('sweep-title'),
    run: $('sweep-run'), pause: $('sweep-pause'), resume: $('sweep-resume'), close: $('sweep-close'),
    message: $('sweep-message'), table: $('sweep-table'), wall: $('sweep-wall'),
  };
  const table = new SweepTable($('sweep-rows'));
  const redraw = () => app.invalidate('sweep');
  const cores = () => navigator.hardwareConcurrency || 1;
  const overlaid = new Set();   // run ids already handed to app.history.setOverlay

  for (const kind of SWEEP_KINDS) {
    const button = el('button', { type: 'button', className: 'sweep-kind', 'data-testid': 'sweep',
      'data-sweep': kind }, el('strong', {}, SWEEPS[kind].title), el('span', 'hint', SWEEPS[kind].description));
    button.addEventListener('click', () => {
      app.setUrlSweep(kind);
      show(kind);
      start();
    });
    ui.kinds.append(button);
  }

  // A sweep shown ready (its runs queued) from the current settings; the one shown before is left.
  function show(kind) {
    if (sweep.pool) sweep.pool.close();
    const plan = planSweep(kind, state.config);
    const id = `sweep-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;
    const createdAt = Date.now();
    const runs = plan.runs.map(r => ({ ...r, id: `${id}-${r.index}`, createdAt, sweep: { id, kind } }));
    const dataUrl = app.dataUrlFor(plan.dataset);
    sweep.kind = kind;
    sweep.pool = new SweepPool({ runs, dataUrl, limit: parallelism(cores()), onChange: changed });
    table.build(sweep.pool.runs);
    redraw();
  }

  // Run sweep (a sweep shown ready): the plan again from the settings of now, then start.
  function runReady() {
    if (!sweep.pool || sweep.pool.phase !== 'ready') return;
    show(sweep.kind);
    start();
  }

  function start() {
    pauseMainRun();
    sweep.pool.start();
  }

  function pauseMainRun() {
    sweep.ignoreMainStart = true;   // until the main worker answers our PAUSE with its STATE
    app.pause();
  }

  // From the pool (O(1): no DOM here; the table is drawn in the next frame).
  function changed(run, what) {
    if (run && (what === 'epoch' || what === 'done' || what === 'failed')) store(run);
    redraw();
  }

  // The button pressed goes (Run sweep, Pause, Resume): the focus moves to the one that comes.
  let focusNext = null;
  ui.run.addEventListener('click', () => {
    runReady();
    focusNext = ui.pause;
  });
  ui.pause.addEventListener('click', () => {
    if (sweep.pool) sweep.pool.pause();
    focusNext = ui.resume;
  });
  ui.resume.addEventListener('click', () => {
    if (sweep.pool && sweep.pool.phase === 'paused') start();
    focusNext = ui.pause;
  });
  ui.close.addEventListener('click', () => {
    if (sweep.pool) sweep.pool.close();
    sweep.pool = null;
    sweep.kind = null;
    table.clear();
    app.setUrlSweep(null);
    redraw();
    ui.kinds.querySelector('button').focus();   // the panel's buttons go: the focus stays near
  });

  // The main run's Start leaves the sweep (paused: Resume continues it). A START the page sent
  // before our PAUSE reached the main worker (an autostart, say) is not a Start.
  app.on(FromWorker.STATE, ({ running }) => {
    if (!running) sweep.ignoreMainStart = false;
    else if (sweep.skipMainStarts) sweep.skipMainStarts--;
    else if (!sweep.ignoreMainStart && sweep.pool && sweep.pool.phase === 'running') sweep.pool.pause();
  });

  // --- the run history ------------------------------------------------------------------------
  function record(run) {
    return { schema: 1, id: run.id, name: null, label: run.label, config: run.config, source: 'sweep',
      sweep: { ...run.sweep }, createdAt: run.createdAt, updatedAt: Date.now(),
      epochs: run.epochs.slice(), best: run.best ? { ...run.best } : null,
      wallSeconds: (run.trainMs + (run.since === null ? 0 : performance.now() - run.since)) / 1000,
      confusion: run.confusion ? Array.from(run.confusion) : null,
      done: run.phase === 'done', diverged: run.diverged };
  }

  // Each write in order (the same promise chain): a run's later record always lands last.
  let stored = Promise.resolve();
  function store(run) {
    const r = record(run);
    stored = stored.then(async () => {
      runsModule = runsModule || await import('../../storage/runs.js');
      await runsModule.putRun(r);
      if (!app.history) return;
      app.history.saved(r);
      if (!overlaid.has(r.id)) {
        overlaid.add(r.id);
        app.history.setOverlay([r.id], true);
      }
      run.color = app.history.colorOf(r.id);   // the row's swatch (looked up once, not per frame)
      redraw();
    }).catch(e => {
      if (!sweep.storageProblem) {
        sweep.storageProblem = `The run history could not keep this sweep's runs (${(e && e.message) || e}); ` +
          'the sweep goes on.';
        redraw();
      }
    });
  }

  // --- a link with sweep=kind: shown ready, or started (autostart=1) once the main network is
  // built (its own autostart's START, if any, is then answered by our PAUSE) --------------------
  function fromLink(kind) {
    if (!SWEEP_KINDS.includes(kind) || kind === sweep.kind) return;
    show(kind);
    if (!state.autostart) return;
    if (state.run && !state.configuring) return runReady();
    const pool = sweep.pool, mainAutostart = !state.autostarted;
    app.on(FromWorker.CONFIGURED, () => {
      if (sweep.pool !== pool || state.configuring || !state.run) return;   // not if left meanwhile
      // main.js has just sent its own autostart's START: the STATE it answers is not a Start.
      if (mainAutostart && state.autostarted) sweep.skipMainStarts = 1;
      runReady();
    });
  }
  fromLink(state.urlSweep);
  // A link pasted into this tab (main.js has parsed it: its hashchange listener comes first).
  window.addEventListener('hashchange', () => fromLink(state.urlSweep));

  // --- drawing --------------------------------------------------------------------------------
  const visible = (node, on) => {
    if (node.hidden === on) node.hidden = !on;
  };
  app.onRender('sweep', () => {
    const pool = sweep.pool, now = performance.now();
    setText(ui.cores, `This browser reports ${cores()} core${cores() === 1 ? '' : 's'}: a sweep trains ` +
      `${parallelism(cores())} run${parallelism(cores()) === 1 ? '' : 's'} at a time.`);
    // Only what changed is written: a frame while workers train must stay cheap.
    for (const b of ui.kinds.children) setAttr(b, 'aria-pressed', b.dataset.sweep === sweep.kind);
    visible(ui.current, Boolean(pool));
    if (!pool) return;
    setText(ui.title, SWEEPS[sweep.kind].title);
    visible(ui.run, pool.phase === 'ready');
    visible(ui.pause, pool.phase === 'running');
    visible(ui.resume, pool.phase === 'paused');
    if (focusNext && !focusNext.hidden) {
      focusNext.focus();
      focusNext = null;
    }
    const message = pool.problem || sweep.storageProblem;
    visible(ui.message, Boolean(message));
    setText(ui.message, message);
    setAttr(ui.table, 'data-state', pool.phase);
    setAttr(ui.table, 'data-workers', pool.live);
    table.draw(now);
    const counts = { training: 0, queued: 0, done: 0, failed: 0 };
    for (const r of pool.runs) {
      if (r.phase === 'training') counts.training++;
      else if (r.phase === 'done') counts.done++;
      else if (r.phase === 'failed') counts.failed++;
      else if (r.phase === 'queued' || r.phase === 'paused') counts.queued++;
    }
    const seconds = pool.wallSeconds(now);
    if (pool.phase !== 'running') setAttr(ui.wall, 'data-seconds', seconds.toFixed(2));
    setText(ui.wall, summaryText({ phase: pool.phase, seconds, limit: pool.limit, cores: cores(), counts }));
  });
  redraw();
}
