// The misclassified test images and the confusion matrix that filters them: after each epoch (or
// the EVALUATION of a loaded network) every test image the network gets wrong, most confident
// first as the core sorted them (state.mistakes), 100 a page; a click on an off-diagonal cell
// shows only that (true, predicted) pair; a click on an image shows its ten outputs (TRACE) and
// opens it in the backprop inspector. Pixels come from the worker (TEST_IMAGES), a page at a time,
// and are kept: test images never change. Nothing here computes a prediction.
// @ts-check
import { ToWorker, FromWorker } from '../../protocol.js';
import { classNames, isImageDataset } from '../../config.js';
import { ConfusionMatrix } from '../confusion.js';
import { setText, setAttr } from '../dom.js';
import { MistakeGrid, forgetThumbnails } from './grid.js';
import { OutputDetail } from './detail.js';
import { shortName, confidenceWord, emptyText, countText, filterText, pageText, pickText } from './words.js';

/** @type {(id: string) => any} */   // the elements of index.html this view owns
const $ = id => document.getElementById(id);
export const PAGE = 100;   // images a page: DOM and thumbnails for one page fit well inside a frame

/**
 * @param {import('../../protocol.js').App} app  main.js's bridge: state, send, on, onRender, invalidate, inspect
 */
export function mount(app) {
  const { state } = app;
  const g = state.gallery = {
    filter: null,     // { true, predicted }: the confusion cell picked, or null (all mistakes)
    page: 0,
    note: '',         // the line under the matrix after a click on a cell
    detail: null,     // { index, label, predicted, confidence, outputs, error, id, tracedAt }
    imageError: '',   // a TEST_IMAGES the worker refused
  };
  const ui = {
    root: $('gallery'), count: $('gallery-count'), filter: $('gallery-filter'), showAll: $('gallery-show-all'),
    pager: $('gallery-pager'), prev: $('gallery-prev'), next: $('gallery-next'), page: $('gallery-page'),
    empty: $('gallery-empty'), body: $('gallery-body'), list: $('gallery-items'), note: $('confusion-note'),
  };
  const pixels = new Map();    // test index -> its 784 bytes
  const asked = new Map();     // TEST_IMAGES id on its way -> its indices
  const inFlight = new Set();  // the indices of those
  let imageSeq = 0, traceSeq = 0;
  const seen = { run: undefined, dataset: null };   // the network and data set last followed
  let filtered = { key: '', positions: [] };                   // positions in state.mistakes

  const dataset = () => (state.run ? state.run.config : state.config).dataset || 'mnist';
  const imageSet = () => isImageDataset(dataset());
  const names = () => classNames(dataset());   // digits for a truth table too (its panels are hidden)
  const word = () => confidenceWord(state.run ? state.run.config.cost : state.config.cost);
  const redraw = () => app.invalidate('gallery');
  // While a run trains, a new page of images (a new epoch's) is laid out at most this often: a
  // refill costs the frames it is spread over, and short epochs would refill without a pause. The
  // count and the matrix follow every epoch; paused or done, the images follow at once.
  const REFILL_WHILE_TRAINING_MS = 2500;
  let lastRefill = -Infinity, refillTimer = 0, shownChoice = '';
  // choice: the filter, the page, the names (what the person picked): a change of it refills at once.
  function refillNow(key, choice) {
    if (key === grid.key || !state.running || !grid.key || choice !== shownChoice) return true;
    const wait = lastRefill + REFILL_WHILE_TRAINING_MS - performance.now();
    if (wait <= 0) return true;
    if (!refillTimer) refillTimer = setTimeout(() => { refillTimer = 0; redraw(); }, wait);
    return false;
  }

  const matrix = new ConfusionMatrix($('confusion'), pick);
  const grid = new MistakeGrid(ui.list, open);
  const detail = new OutputDetail();

  // ---- the confusion matrix's cells --------------------------------------------------------------
  function pick(cell) {
    const counts = state.confusion, count = counts ? counts[cell.true * 10 + cell.predicted] : 0;
    if (!counts) g.note = 'No epoch yet: the matrix fills in after the first one.';
    else if (cell.true === cell.predicted) g.note = pickText(cell, count, names());
    else {
      const same = g.filter && g.filter.true === cell.true && g.filter.predicted === cell.predicted;
      setFilter(same ? null : cell);
      g.note = same ? 'The gallery shows all the mistakes again.' : pickText(cell, count, names());
    }
    app.invalidate('confusion');
  }

  function setFilter(filter) {
    g.filter = filter;
    g.page = 0;
    matrix.select(filter);
    redraw();
  }

  // ---- an image opened ---------------------------------------------------------------------------
  function open(item) {
    const id = `gallery-${++traceSeq}`;
    g.detail = { ...item, outputs: null, error: '', id, tracedAt: state.paramsVersion };
    app.send(ToWorker.TRACE, { id, example: { set: 'test', index: item.index } });
    if (app.inspect) app.inspect({ set: 'test', index: item.index });
    redraw();
  }

  app.on(FromWorker.TRACE, ({ id, trace, error }) => {
    const d = g.detail;
    if (!d || id !== d.id) return;   // another view's, or an image clicked before this one
    if (error) d.error = error;
    else d.outputs = Array.from(trace.layers[trace.layers.length - 1].a);
    redraw();
  });

  // ---- pixels ------------------------------------------------------------------------------------
  function requestMissing() {
    const need = grid.missing(pixels).filter(i => !inFlight.has(i));
    if (!need.length || g.imageError || !state.data || !FromWorker.TEST_IMAGES) return;
    const id = `gallery-images-${++imageSeq}`;
    asked.set(id, need);
    for (const i of need) inFlight.add(i);
    app.send(ToWorker.TEST_IMAGES, { id, indices: need });
  }

  app.on(FromWorker.TEST_IMAGES, ({ id, indices, pixels: bytes, error }) => {
    const wanted = asked.get(id);
    if (!wanted) return;   // asked of data since replaced
    asked.delete(id);
    for (const i of wanted) inFlight.delete(i);
    if (error) g.imageError = `The test images could not be read: ${error}`;
    else indices.forEach((index, k) => pixels.set(index, bytes.subarray(k * 784, (k + 1) * 784)));
    redraw();
  });

  // New data (another data set, a new worker after a crash): the pixels kept are no longer theirs.
  function forgetPixels() {
    pixels.clear();
    forgetThumbnails();
    asked.clear();
    inFlight.clear();
    g.imageError = '';
    grid.clear();
  }
  app.on(FromWorker.DATA_READY, () => {
    forgetPixels();
    redraw();
  });

  // ---- following the run -------------------------------------------------------------------------
  // A new network starts unfiltered; new mistakes keep the filter (the same pair, new images).
  function follow() {
    if (state.run !== seen.run) {
      if (state.run) {
        g.filter = null;
        g.page = 0;
        g.detail = null;
        g.note = '';
        matrix.select(null);
      }
      seen.run = state.run;
    }
    if (dataset() !== seen.dataset) {
      if (seen.dataset !== null) forgetPixels();
      seen.dataset = dataset();
    }
  }

  // The positions in state.mistakes the filter keeps (recomputed when the list or filter changes).
  function positions() {
    const m = state.mistakes, f = g.filter;
    const key = `${state.mistakesVersion}|${f ? `${f.true},${f.predicted}` : 'all'}`;
    if (filtered.key !== key) {
      const out = [];
      for (let p = 0; p < m.count; p++) {
        if (!f || (m.label[p] === f.true && m.predicted[p] === f.predicted)) out.push(p);
      }
      filtered = { key, positions: out };
    }
    return filtered.positions;
  }

  // ---- drawing -----------------------------------------------------------------------------------
  app.onRender('confusion', () => {
    const list = names();
    matrix.setNames(list, list.map(shortName));
    if (state.confusion) matrix.draw(state.confusion);
    else matrix.clear();
    setText(ui.note, g.note);
    // The images follow as a part of their own, the next frame at the latest: the matrix's hundred
    // cells and the first ten thumbnails in one frame made a run's last frame a task of 53-65 ms
    // at 4x throttling.
    redraw();
  });
  app.onRender('gallery', drawGallery);
  app.on(FromWorker.STATE, ({ running }) => { if (!running) redraw(); });   // paused: the last epoch's images

  function drawGallery() {
    follow();
    const m = state.mistakes, list = names(), last = state.epochs[state.epochs.length - 1] || state.evaluation;
    const empty = emptyText({ run: state.run, truthTable: !imageSet(), epochs: state.epochs.length, mistakes: m });
    ui.root.classList.toggle('named-classes', list.some(n => n.length > 2));
    ui.empty.hidden = !empty;
    setText(ui.empty, empty || '');
    ui.body.hidden = Boolean(empty);
    if (m) setAttr(ui.root, 'data-value', m.count);
    else ui.root.removeAttribute('data-value');
    if (empty) {
      grid.clear();
      ui.pager.hidden = true;
      setText(ui.count, '');
      setText(ui.filter, '');
      ui.showAll.hidden = true;
      detail.draw(null);
      return;
    }
    setText(ui.count, countText(m.count, last ? last.testTotal : m.count, state.epochs.length));
    const kept = positions(), pages = Math.max(1, Math.ceil(kept.length / PAGE));
    g.page = Math.max(0, Math.min(g.page, pages - 1));
    setText(ui.filter, g.imageError || filterText(g.filter, kept.length, list));
    ui.showAll.hidden = !g.filter;

    const from = g.page * PAGE, to = Math.min(kept.length, from + PAGE);
    const items = kept.slice(from, to).map(p => ({ index: m.index[p], label: m.label[p],
      predicted: m.predicted[p], confidence: m.confidence[p] }));
    const choice = `${g.filter ? `${g.filter.true},${g.filter.predicted}` : 'all'}|${g.page}|${list.join()}|${word()}`;
    const key = `${state.mistakesVersion}|${choice}`;
    if (refillNow(key, choice)) {
      if (key !== grid.key) lastRefill = performance.now();
      shownChoice = choice;
      if (!grid.show(key, items, list, word())) redraw();
      if (grid.paint(pixels)) redraw();
      requestMissing();
    }
    ui.list.dataset.state = grid.complete ? 'complete' : 'drawing';

    ui.pager.hidden = pages <= 1;
    setText(ui.page, pageText(from, to, kept.length));
    ui.prev.disabled = g.page === 0;
    ui.next.disabled = g.page >= pages - 1;

    const d = g.detail;
    detail.draw(d && { ...d, stale: d.outputs && d.tracedAt !== state.paramsVersion }, list, word());
    if (d) detail.paint(pixels.get(d.index));
  }

  // ---- the controls ------------------------------------------------------------------------------
  function turn(by) {
    // Two clicks within one frame (before the render disables a button) stay within the pages.
    g.page = Math.max(0, g.page + by);
    redraw();
    // The button pressed may go (first or last page): the focus stays in the pager.
    const [pressed, other] = by < 0 ? [ui.prev, ui.next] : [ui.next, ui.prev];
    requestAnimationFrame(() => {   // after the render this frame runs first
      if (pressed.disabled) other.focus();
    });
  }
  ui.prev.addEventListener('click', () => turn(-1));
  ui.next.addEventListener('click', () => turn(1));
  ui.showAll.addEventListener('click', () => {
    setFilter(null);
    g.note = '';
    app.invalidate('confusion');
    ui.filter.focus();
  });
  $('gallery-detail-close').addEventListener('click', () => {
    g.detail = null;
    redraw();
  });

  app.invalidate('confusion');
}
