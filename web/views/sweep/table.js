// The sweep's table: one row per run (its colour in the run history, label, state, best test
// accuracy and at which epoch, training time, the book's figure), built once per sweep and then
// only updated, a cell written when its text changes. Not the bookkeeping (pool.js).
import { el, setText, setAttr } from '../dom.js';
import { percent, duration, stateText, stateHook } from './words.js';

export class SweepTable {
  constructor(tbody) {
    this.tbody = tbody;
    this.rows = [];
  }

  // A fresh set of rows for these runs (pool.js's SweepRun objects).
  build(runs) {
    this.rows = runs.map(run => {
      const swatch = el('span', { className: 'sweep-swatch', hidden: '' });
      const cells = {
        swatch: el('td', {}, swatch),
        name: el('th', { scope: 'row' }, el('span', 'sweep-name', run.name), el('span', 'sweep-label', run.label)),
        state: el('td', 'sweep-state'),
        best: el('td', 'sweep-num'),
        at: el('td', 'sweep-num'),
        time: el('td', 'sweep-num'),
        book: el('td', 'sweep-book', run.book.text),
      };
      const tr = el('tr', { 'data-testid': 'sweep-row', 'data-key': run.key }, ...Object.values(cells));
      return { tr, cells, swatch, run };
    });
    this.tbody.replaceChildren(...this.rows.map(r => r.tr));
  }

  clear() {
    this.rows = [];
    this.tbody.replaceChildren();
  }

  /**
   * Writes what changed (run.color: the run history's colour of the run, once it is stored).
   * @param {number} now  performance.now()
   */
  draw(now) {
    for (const { tr, cells, swatch, run } of this.rows) {
      setAttr(tr, 'data-state', stateHook(run.phase));
      setAttr(tr, 'data-run-id', run.id);
      setAttr(tr, 'data-epochs', run.epochs.length);
      setAttr(tr, 'data-best', run.best ? run.best.accuracy : '');
      setAttr(tr, 'data-batch', run.progress ? run.progress.batch : 0);   // in the epoch, for tests
      setText(cells.state, stateText(run));
      setText(cells.best, run.best ? percent(run.best.accuracy) : '–');
      setText(cells.at, run.best ? `${run.best.epoch} of ${run.config.epochs}` : '–');
      const ms = run.trainMs + (run.since === null ? 0 : now - run.since);
      setText(cells.time, duration(ms / 1000, run.since !== null));
      const color = run.color || null;
      if ((color || '') !== swatch.dataset.color) {
        swatch.dataset.color = color || '';
        swatch.style.backgroundColor = color || '';
        swatch.hidden = !color;
      }
      tr.classList.toggle('failed', run.phase === 'failed');
      tr.classList.toggle('training', run.phase === 'training');
    }
  }
}
