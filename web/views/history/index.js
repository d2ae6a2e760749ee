// The run history: records the main run (MNIST and Fashion-MNIST) after each epoch, when it
// ends or diverges, with the time it spent running; lists the runs kept (storage/runs.js);
// overlays the ticked ones on the accuracy and cost charts; rename, delete, clear, export.
// Exposes app.history (saved, setOverlay, colorOf) for the sweep view. Not the records' shape
// (record.js), the list's DOM (list.js) or the files (export.js).
// @ts-check
import { FromWorker } from '../../protocol.js';
import { listRuns, putRun, renameRun, deleteRun, clearRuns } from '../../storage/runs.js';
import { download, setText, setHidden } from '../dom.js';
import { buildRecord, isImageRun } from './record.js';
import { RunList, titleOf } from './list.js';
import { Colors } from './colors.js';
import { toCsv, toJson, exportName, CSV_TYPE, JSON_TYPE } from './export.js';

/** @type {(id: string) => any} */   // the elements of index.html this view owns
const $ = id => document.getElementById(id);

export function skippedText(skipped) {
  const n = skipped.length, many = n !== 1;
  return `${n} saved run${many ? 's' : ''} could not be read and ${many ? 'were' : 'was'} skipped: ` +
    `${skipped.map(s => `${s.id} (${s.why})`).join('; ')}.`;
}

/** @param {import('../../protocol.js').App} app  main.js's bridge: state, on, onRender, invalidate, charts */
export function mount(app) {
  const { state } = app;
  const history = state.history = {
    loaded: false,         // listRuns() has answered (or failed): records may be written
    runs: new Map(),       // id -> record, every readable run kept
    skipped: [],           // [{ id, why }] entries that could not be read
    problem: '',           // the last storage failure, in words
    overlaid: new Set(),   // ids drawn on the charts
    deleted: new Set(),    // ids deleted or cleared: never recorded again
    current: null,         // id of the main run, once it is in the list
    confirming: false,     // Clear asked, "Really clear N runs?" shown
    // Time spent running by run `id`: `seconds` before the running stretch begun at `since`.
    wall: { id: null, seconds: 0, since: null },
  };
  const colors = new Colors();
  const ui = {
    problem: $('history-problem'), skipped: $('history-skipped'), skippedText: $('history-skipped-text'),
    removeSkipped: $('history-skipped-remove'), empty: $('history-empty'), csv: $('history-export-csv'),
    json: $('history-export-json'), clear: $('history-clear'), confirm: $('history-confirm'),
    confirmText: $('history-confirm-text'), yes: $('history-clear-yes'), no: $('history-clear-no'),
  };
  let overlaysDirty = false;
  const redraw = (overlays = false) => {
    overlaysDirty = overlaysDirty || overlays;
    app.invalidate('history');
  };
  const failed = e => {
    history.problem = (e && e.message) || String(e);
    redraw();
  };
  const listed = () => [...history.runs.values()].filter(r => !history.deleted.has(r.id));
  const colorOf = id => colors.color(id, [...history.runs.keys()]);

  // --- recording the main run ------------------------------------------------------------------
  const wallOf = id => {
    const w = history.wall;
    if (w.id !== id) return history.runs.has(id) ? history.runs.get(id).wallSeconds : 0;
    return w.seconds + (w.since == null ? 0 : (performance.now() - w.since) / 1000);
  };

  function store(record) {
    history.runs.set(record.id, record);
    if (history.overlaid.has(record.id)) overlaysDirty = true;
    putRun(record).then(stored => {
      if (stored && history.problem) {
        history.problem = '';
        redraw();
      }
    }, failed);
    redraw();
  }

  // The main run's record from the state, written once per task whatever asked for it.
  let scheduled = false;
  function recordSoon() {
    if (scheduled) return;
    scheduled = true;
    setTimeout(() => {
      scheduled = false;
      const run = state.run;
      if (!history.loaded || !run || !run.id || !isImageRun(run.config) || state.epochs.length === 0 ||
        history.deleted.has(run.id)) return;
      history.current = run.id;
      store(buildRecord({ id: run.id, config: run.config, epochs: state.epochs, wallSeconds: wallOf(run.id),
        done: state.done, diverged: state.diverged }, history.runs.get(run.id) || null, Date.now()));
    });
  }

  app.on(FromWorker.EPOCH, recordSoon);
  app.on(FromWorker.DIVERGED, recordSoon);
  app.on(FromWorker.STATE, ({ running }) => {
    const w = history.wall, id = state.run && state.run.id;
    if (running && id) {
      if (w.id !== id) history.wall = { id, seconds: wallOf(id), since: null, known: history.loaded };
      if (history.wall.since == null) history.wall.since = history.wall.seen = performance.now();
    } else if (!running && w.since != null) {   // a pause, the end, or a new network asked for
      w.seconds += (performance.now() - w.since) / 1000;
      w.seen = null;
      w.since = null;
      const record = history.runs.get(w.id);
      if (w.id !== id && record && !history.deleted.has(w.id)) {   // the run before: its time
        store({ ...record, wallSeconds: w.seconds, updatedAt: Date.now() });
      }
    }
    recordSoon();
  });
  app.on(FromWorker.PROGRESS, () => {
    if (history.wall.since != null) history.wall.seen = performance.now();
  });
  app.on(FromWorker.CONFIGURED, () => {
    // A stretch no STATE closed (the worker died): it ran until its last report.
    const w = history.wall;
    if (w.since != null) {
      w.seconds += Math.max(0, (w.seen || w.since) - w.since) / 1000;
      w.since = null;
    }
    recordSoon();   // a resumed run (its epochs back) is the current one again
    if (history.current && history.current !== (state.run && state.run.id)) {
      history.current = null;   // the list no longer marks the old run as current
      redraw();
    }
  });

  listRuns().then(({ runs, skipped }) => {
    for (const r of runs) if (!history.runs.has(r.id)) history.runs.set(r.id, r);
    for (const r of runs) colorOf(r.id);   // oldest first: the same colours after a reload
    history.skipped = skipped;
    const w = history.wall;   // running began before the list came: add the time kept
    if (w.id && !w.known && history.runs.has(w.id)) w.seconds += history.runs.get(w.id).wallSeconds;
    w.known = true;
  }, failed).finally(() => {
    history.loaded = true;
    recordSoon();
    redraw(true);
  });

  // --- the list and its buttons ----------------------------------------------------------------
  const list = new RunList($('history-runs'), {
    overlay: (id, on) => setOverlay([id], on),
    rename: (id, name) => {
      const record = history.runs.get(id);
      if (!record) return;
      history.runs.set(id, { ...record, name });
      redraw(history.overlaid.has(id));
      renameRun(id, name).catch(failed);
    },
    remove: id => {
      const focus = list.focusAfter(id) || ui.clear;
      forget(id);
      deleteRun(id).catch(failed);
      redraw(true);
      focus.focus();
    },
  });

  function forget(id) {
    history.runs.delete(id);
    history.overlaid.delete(id);
    history.deleted.add(id);
    colors.forget(id);
    if (history.current === id) history.current = null;
  }

  function setOverlay(ids, on) {
    for (const id of ids) {
      if (on) history.overlaid.add(id);
      else history.overlaid.delete(id);
    }
    redraw(true);
  }

  ui.clear.addEventListener('click', () => {
    history.confirming = true;
    redraw();
    requestAnimationFrame(() => ui.no.focus());   // once the question is shown
  });
  ui.no.addEventListener('click', () => {
    history.confirming = false;
    redraw();
    ui.clear.focus();
  });
  ui.yes.addEventListener('click', () => {
    for (const id of [...history.runs.keys()]) forget(id);
    if (state.run && state.run.id) history.deleted.add(state.run.id);   // cleared means gone
    history.skipped = [];
    history.confirming = false;
    clearRuns().catch(failed);
    redraw(true);
    ui.clear.focus();
  });
  ui.removeSkipped.addEventListener('click', () => {
    const ids = history.skipped.map(s => s.id);
    history.skipped = [];
    Promise.all(ids.map(deleteRun)).catch(failed);
    redraw();
  });
  const oldestFirst = () => listed().sort((a, b) => a.createdAt - b.createdAt);
  ui.csv.addEventListener('click', () => download(toCsv(oldestFirst()), exportName('csv', Date.now()), CSV_TYPE));
  ui.json.addEventListener('click', () => download(toJson(oldestFirst(), Date.now()), exportName('json', Date.now()),
    JSON_TYPE));

  // --- drawing ---------------------------------------------------------------------------------
  app.onRender('history', () => {
    const runs = listed().sort((a, b) => b.createdAt - a.createdAt);   // newest first
    list.draw(runs, { current: history.current, overlaid: history.overlaid, colorOf });
    setHidden(ui.empty, runs.length > 0);
    setHidden(ui.problem, !history.problem);
    setText(ui.problem, history.problem);
    setHidden(ui.skipped, history.skipped.length === 0);
    setText(ui.skippedText, history.skipped.length ? skippedText(history.skipped) : '');
    ui.csv.disabled = ui.json.disabled = runs.length === 0;
    ui.clear.disabled = runs.length === 0 && history.skipped.length === 0;
    const n = runs.length + history.skipped.length;
    if (n === 0) history.confirming = false;
    setHidden(ui.confirm, !history.confirming);
    setText(ui.confirmText, `Really clear ${n} run${n === 1 ? '' : 's'}?`);
    if (overlaysDirty) drawOverlays(runs);
  });

  // The ticked runs on the charts (charts.js keeps them across main.js's own setData).
  function drawOverlays(runs) {
    const charts = app.charts;
    if (!charts) return;   // the bridge has no charts yet: try again at the next change
    overlaysDirty = false;
    const shown = runs.filter(r => history.overlaid.has(r.id)).reverse();   // oldest first
    const line = (r, y) => ({ id: r.id, label: titleOf(r), color: colorOf(r.id),
      x: r.epochs.map(e => e.epoch), y: r.epochs.map(y) });
    charts.accuracy.setOverlays(shown.map(r => line(r, e => e.testAccuracy)));
    charts.cost.setOverlays(shown.map(r => line(r, e => e.trainCost)));
  }

  app.history = {
    // A run another view (the sweep) has put: listed (with the name it was given here), and
    // overlaid the first time. A run deleted here stays deleted.
    saved(record) {
      const { id } = record;
      if (history.deleted.has(id)) {
        deleteRun(id).catch(failed);
        return;
      }
      const known = history.runs.get(id);
      history.runs.set(id, known ? { ...record, name: known.name } : record);
      if (!known) history.overlaid.add(id);
      redraw(true);
    },
    setOverlay,
    colorOf,
  };
  redraw();
}
