// A vector or matrix of the trace as a picture: bars (a layer's z, a, delta, ...), a 28x28 image
// (x, a first-layer gradient row) or a matrix heatmap (a later layer's dC/dw), drawn into a canvas.
// Its values are read by hovering or, with the keyboard, by focusing it and moving with the arrow
// keys; click or Enter picks an entry when the view lets the student choose (a neuron, a weight).
// Not the numbers' meaning: the caller names every entry.
import { el, setText } from '../dom.js';
import { diverging, NEGATIVE, POSITIVE } from '../palette.js';
import { num } from './format.js';

// CSS pixels of the pictures as style.css sizes them (at most: a narrower box scales them down).
const BAR_WIDTH = 448, BAR_HEIGHT = 76, IMAGE_WIDTH = 168, MATRIX_WIDTH = 640;

const maxAbs = values => values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

// A canvas that is never attached (the pictures' cached layers).
const offscreen = (w, h) => (typeof OffscreenCanvas === 'function' ? new OffscreenCanvas(w, h)
  : Object.assign(document.createElement('canvas'), { width: w, height: h }));

export class VectorView {
  // values: array-like; kind: 'bars' | 'image' | 'matrix'; rows, cols: of image and matrix
  // (row-major here: entry (r, c) is at r * cols + c unless `at` says otherwise);
  // name(i): what entry i is called ("δ³₄"); pick(i): called on click / Enter (or null);
  // selected: the picked entry, drawn emphasised; range: [lo, hi] of bars (default: symmetric);
  // gray: an image of values in [0, 1], black to white; title, shape: the caption.
  constructor({ values, kind = 'bars', rows = 1, cols = values.length, at = null, name, pick = null,
                selected = null, range = null, gray = false, title, shape, note = '' }) {
    Object.assign(this, { values, kind, rows, cols, name, pick, selected, range, gray });
    this.at = at || ((r, c) => r * cols + c);
    this.cursor = null;   // the entry under the mouse or the keyboard
    this.base = null;     // the picture without the cursor, drawn once by draw()
    this.n = kind === 'bars' ? values.length : rows * cols;
    this.scale = maxAbs(kind === 'bars' ? values : Array.from({ length: this.n }, (_, i) => this.value(i))) || 1;

    const canvas = el('canvas', { tabindex: 0, role: 'img', 'aria-label': `${title} (${shape}): focus and ` +
      `use the arrow keys to read the values${pick ? '; Enter picks one' : ''}` });
    if (pick) canvas.classList.add('pickable');
    // The readout follows the mouse and the keyboard; only the keyboard's moves are announced
    // (a live region that spoke on every mousemove would drown a screen reader).
    const readout = el('span', 'readout'), live = el('span', { className: 'live', 'aria-live': 'polite' });
    const figure = el('figure', `inspector-vector ${kind}`,
      el('figcaption', '', el('span', 'name', title), ' ', el('span', 'shape', shape)), canvas, readout, live);
    if (note) figure.append(el('p', 'note', note));
    Object.assign(this, { element: figure, canvas, readout, live });

    canvas.addEventListener('mousemove', e => this.hover(e));
    canvas.addEventListener('mouseleave', () => this.setCursor(null));
    canvas.addEventListener('click', e => {
      const i = this.indexAt(e);
      if (i !== null && this.pick) this.pick(i);
    });
    canvas.addEventListener('focus', () => this.setCursor(this.cursor ?? this.selected ?? 0));
    canvas.addEventListener('blur', () => this.setCursor(null));
    canvas.addEventListener('keydown', e => this.key(e));
  }

  // Sizes the canvas for the box CSS gives it (without asking the layout: the view may be drawn
  // before it is attached), draws the picture once into a cached layer and shows it.
  draw() {
    const canvas = this.canvas, dpr = window.devicePixelRatio || 1;
    if (this.kind === 'bars') {
      canvas.width = Math.round(BAR_WIDTH * dpr);
      canvas.height = Math.round(BAR_HEIGHT * dpr);
    } else {
      // A whole number of device pixels per cell keeps the cells crisp.
      const box = this.kind === 'image' ? IMAGE_WIDTH : MATRIX_WIDTH;
      const cell = Math.max(1, Math.floor((box * dpr) / this.cols));
      canvas.width = cell * this.cols;
      canvas.height = cell * this.rows;
      this.cell = cell;
    }
    this.base = offscreen(canvas.width, canvas.height);
    const ctx = this.base.getContext('2d');
    if (this.kind === 'bars') this.paintBars(ctx);
    else this.paintCells(ctx);
    this.outline(ctx, this.selected, this.kind === 'bars' || !this.gray ? '#1d2330' : '#f03e3e', 2);
    this.paint();
    this.showReadout();
  }

  // The cached picture and the cursor over it (a mouse move costs one drawImage).
  paint() {
    if (!this.base) return;
    const ctx = this.canvas.getContext('2d');
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    ctx.drawImage(this.base, 0, 0);
    this.outline(ctx, this.cursor, '#f59f00', this.kind === 'bars' ? 3 : 2);
  }

  paintBars(ctx) {
    const { width, height } = this.canvas, n = this.n, v = this.values;
    const [lo, hi] = this.range || (v.some(x => x < 0) ? [-this.scale, this.scale] : [0, this.scale]);
    const y = t => height - 2 - ((Math.min(hi, Math.max(lo, t)) - lo) / (hi - lo || 1)) * (height - 4);
    const base = y(Math.min(hi, Math.max(lo, 0))), w = width / n, gap = w > 4 ? 1 : 0;
    ctx.fillStyle = '#c9ced8';
    ctx.fillRect(0, Math.round(base), width, 1);
    for (let i = 0; i < n; i++) {
      const top = y(v[i]), c = v[i] < 0 ? NEGATIVE : POSITIVE;
      const alpha = this.selected === null || i === this.selected ? 1 : 0.55;
      ctx.fillStyle = `rgba(${c[0]}, ${c[1]}, ${c[2]}, ${alpha})`;
      ctx.fillRect(i * w + gap / 2, Math.min(top, base), Math.max(1, w - gap), Math.max(1, Math.abs(base - top)));
    }
  }

  paintCells(ctx) {
    const { rows, cols, cell } = this, image = new ImageData(cols, rows), d = image.data;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const v = this.values[this.at(r, c)], o = 4 * (r * cols + c);
        const rgb = this.gray ? [255 * v, 255 * v, 255 * v] : diverging(v / this.scale);
        d[o] = rgb[0];
        d[o + 1] = rgb[1];
        d[o + 2] = rgb[2];
        d[o + 3] = 255;
      }
    }
    // Drawn 1:1 into a small canvas, then scaled up without smoothing.
    const small = offscreen(cols, rows);
    small.getContext('2d').putImageData(image, 0, 0);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(small, 0, 0, cols * cell, rows * cell);
  }

  outline(ctx, i, colour, lineWidth) {
    if (i === null || i === undefined) return;
    ctx.strokeStyle = colour;
    ctx.lineWidth = lineWidth * (window.devicePixelRatio || 1);
    if (this.kind === 'bars') {
      const w = this.canvas.width / this.n;
      ctx.strokeRect(i * w + 1, 1, Math.max(2, w - 2), this.canvas.height - 2);
    } else {
      const r = Math.floor(i / this.cols), c = i % this.cols, s = this.cell;
      const pad = Math.max(1, s / 2);
      ctx.strokeRect(c * s - pad / 2, r * s - pad / 2, s + pad, s + pad);
    }
  }

  // Entry i of the view: for bars i itself, for cells r * cols + c (at() maps it into values).
  value(i) {
    return this.kind === 'bars' ? this.values[i] : this.values[this.at(Math.floor(i / this.cols), i % this.cols)];
  }

  indexAt(e) {
    const r = this.canvas.getBoundingClientRect();
    const fx = (e.clientX - r.left) / r.width, fy = (e.clientY - r.top) / r.height;
    if (fx < 0 || fx >= 1 || fy < 0 || fy >= 1) return null;
    if (this.kind === 'bars') return Math.floor(fx * this.n);
    return Math.floor(fy * this.rows) * this.cols + Math.floor(fx * this.cols);
  }

  hover(e) {
    const i = this.indexAt(e);
    if (i !== this.cursor) this.setCursor(i);
  }

  // announce: a keyboard move, also said by the live region.
  setCursor(i, announce = false) {
    this.cursor = i;
    this.paint();
    this.showReadout();
    if (announce) setText(this.live, this.readout.textContent);
  }

  showReadout() {
    const i = this.cursor ?? this.selected;
    setText(this.readout, i === null || i === undefined ? 'hover or focus to read the values'
      : `${this.name(i)} = ${num(this.value(i))}`);
  }

  key(e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const i = this.cursor ?? this.selected ?? 0, cols = this.kind === 'bars' ? this.n : this.cols;
    const moves = {
      ArrowLeft: -1, ArrowRight: 1, ArrowUp: this.kind === 'bars' ? 1 : -cols,
      ArrowDown: this.kind === 'bars' ? -1 : cols, PageUp: -10, PageDown: 10,
    };
    let next;
    if (e.key in moves) next = Math.min(this.n - 1, Math.max(0, i + moves[e.key]));
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = this.n - 1;
    else if ((e.key === 'Enter' || e.key === ' ') && this.pick) {
      e.preventDefault();
      e.stopPropagation();
      this.pick(i);
      return;
    } else return;
    e.preventDefault();
    e.stopPropagation();   // the arrows move inside the view here, not to another step
    this.setCursor(next, true);
  }
}
