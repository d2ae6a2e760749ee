// The test-set confusion matrix as a 10x10 table of counts (row = true class, column = the
// network's answer), shaded by the share of the row: green on the diagonal, red off it. Each cell
// is a button (one tab stop, arrow keys move between cells) that picks its (true, predicted) pair.
// Not computed here: the worker sends the counts; not what a pick does (views/gallery/).
import { el, setText, setAttr } from './dom.js';

const N = 10;
const DIAGONAL = [35, 122, 53], OFF = [201, 42, 42];   // #237a35 (right answers), #c92a2a (mistakes)
export const SHADES = [DIAGONAL, OFF];
const INK = '#000', PAPER = '#fff';   // black or white text: one of them is always 4.5:1 or more

// WCAG relative luminance of an sRGB colour [r, g, b] in 0..255.
function luminance(rgb) {
  const [r, g, b] = rgb.map(v => {
    const c = v / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

// The cell's background (base laid over white at alpha) and the text colour of higher contrast.
export function shade(base, alpha) {
  const rgb = base.map(v => Math.round(255 + (v - 255) * alpha));
  const l = luminance(rgb);
  const onWhite = 1.05 / (l + 0.05), onBlack = (l + 0.05) / 0.05;
  return { background: `rgb(${rgb.join(', ')})`, color: onWhite > onBlack ? PAPER : INK,
    contrast: Math.max(onWhite, onBlack) };
}

export class ConfusionMatrix {
  /**
   * @param {HTMLTableElement} table  emptied and filled with the head and 100 cells
   * @param {(pick: {true: number, predicted: number}) => void} onPick  a cell clicked (or Enter)
   */
  constructor(table, onPick = () => {}) {
    table.replaceChildren();
    this.table = table;
    this.names = null;
    this.counts = null;
    this.selected = -1;
    this.focusable = 0;   // the cell that holds the one tab stop
    this.cells = [];
    const head = table.createTHead().insertRow();
    head.append(el('th', { className: 'corner', scope: 'col', text: 'true \\ net' }));
    this.columnHeads = [];
    this.rowHeads = [];
    for (let c = 0; c < N; c++) {
      const th = el('th', { scope: 'col' });
      this.columnHeads.push(th);
      head.append(th);
    }
    const body = table.createTBody();
    for (let r = 0; r < N; r++) {
      const row = body.insertRow();
      const th = el('th', { scope: 'row' });
      this.rowHeads.push(th);
      row.append(th);
      for (let c = 0; c < N; c++) {
        const button = el('button', { type: 'button', tabindex: r * N + c === 0 ? 0 : -1,
          'data-testid': 'confusion-cell', 'data-true': r, 'data-predicted': c,
          className: r === c ? 'diagonal' : 'off' });
        button.addEventListener('click', () => {
          this.moveFocus(r * N + c, false);
          onPick({ true: r, predicted: c });
        });
        row.insertCell().append(button);
        this.cells.push(button);
      }
    }
    table.addEventListener('keydown', e => this.onKey(e));
    this.setNames(Array.from({ length: N }, (_, i) => String(i)));
    this.clear();
  }

  // names: 10 class names; short: the column heads' forms (the full name is the title).
  setNames(names, short = names) {
    if (this.names && this.names.join('\n') === names.join('\n')) return;
    this.names = names.slice();
    this.table.classList.toggle('named', names.some(n => n.length > 2));
    names.forEach((name, i) => {
      setText(this.columnHeads[i], short[i]);
      setText(this.rowHeads[i], name);
      for (const th of [this.columnHeads[i], this.rowHeads[i]]) {
        setAttr(th, 'title', name);
        setAttr(th, 'aria-label', name);
      }
    });
    if (this.counts) this.draw(this.counts);
    else this.clear();
  }

  // counts: 100 numbers, row-major, row = true class.
  draw(counts) {
    this.counts = Array.from(counts);
    for (let r = 0; r < N; r++) {
      let total = 0;
      for (let c = 0; c < N; c++) total += counts[r * N + c];
      for (let c = 0; c < N; c++) {
        const n = counts[r * N + c], cell = this.cells[r * N + c];
        const share = total ? n / total : 0;
        // Off the diagonal a few percent is already worth seeing; stretch it.
        const { background, color } = shade(r === c ? DIAGONAL : OFF, r === c ? share : Math.min(1, 4 * share));
        setText(cell, String(n));
        cell.style.backgroundColor = background;
        cell.style.color = color;
        setAttr(cell, 'data-value', n);
        const what = r === c ? 'right' : `read as ${this.names[c]}`;
        setAttr(cell, 'aria-label', `${this.names[r]} ${what}: ${n} of ${total}`);
        setAttr(cell, 'title', `true ${this.names[r]}, answered ${this.names[c]}: ${n} of ${total}` +
          (r === c ? ' (right answers)' : n ? ' (click: show them in the gallery)' : ''));
      }
    }
    this.markSelected();
  }

  clear() {
    this.counts = null;
    for (const cell of this.cells) {
      setText(cell, '·');
      cell.style.backgroundColor = '';
      cell.style.color = '';
      cell.removeAttribute('data-value');
      cell.removeAttribute('title');
      setAttr(cell, 'aria-label', `true ${this.names[+cell.dataset.true]}, answered ` +
        `${this.names[+cell.dataset.predicted]}: no epoch yet`);
    }
    this.markSelected();
  }

  // The (true, predicted) pair the gallery is filtered to, or null.
  select(pick) {
    this.selected = pick ? pick.true * N + pick.predicted : -1;
    this.markSelected();
  }

  markSelected() {
    this.cells.forEach((cell, i) => {
      if (cell.classList.contains('diagonal')) return;   // nothing to filter: not a toggle
      setAttr(cell, 'aria-pressed', i === this.selected);
    });
  }

  // One tab stop for the whole table: arrows, Home and End move it (a grid of 100 buttons).
  moveFocus(i, focus = true) {
    this.cells[this.focusable].tabIndex = -1;
    this.focusable = i;
    this.cells[i].tabIndex = 0;
    if (focus) this.cells[i].focus();
  }

  onKey(e) {
    const i = this.cells.indexOf(e.target);
    if (i < 0) return;
    const r = Math.floor(i / N), c = i % N;
    const to = { ArrowLeft: [r, c - 1], ArrowRight: [r, c + 1], ArrowUp: [r - 1, c], ArrowDown: [r + 1, c],
      Home: [r, 0], End: [r, N - 1] }[e.key];
    if (!to) return;
    e.preventDefault();
    const [tr, tc] = to.map(v => Math.max(0, Math.min(N - 1, v)));
    this.moveFocus(tr * N + tc);
  }
}
