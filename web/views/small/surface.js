// The decision surface: the network's output over the input square as a heatmap (ImageData, one
// pixel per grid point of the worker's SURFACE, scaled by the browser), the four points of the
// truth table on its corners, and the table of the points with the output on each and whether it
// is right. Draws the worker's numbers; computes none (right: the core's rule, see isRight).
import { viridis, css, inkOn, words } from '../palette.js';
import { el, svgEl, setText, setAttr } from '../dom.js';
import { short, full } from './format.js';
import { POINTS, TRUTH_TABLES } from '../../config.js';

export const pointName = ([x1, x2]) => `(${x1}, ${x2})`;

// 256 colours of viridis over [0, 1], for the heatmap's pixels.
const VIRIDIS_WORDS = words(viridis, 0, 1, 255);

// The core's rule (Trainer::predicted): one sigmoid output predicts class 1 when it is > 0.5.
export const isRight = (output, target) => (output > 0.5 ? 1 : 0) === target;

export class DecisionSurface {
  // onPick(i): the student picked point i (for the diagram).
  constructor({ canvas, overlay, body, summary }, onPick) {
    Object.assign(this, { canvas, overlay, body, summary, onPick });
    this.dataset = null;
    this.image = null;
    // The overlay: ticks and axis names once; a marker and a label per point.
    const tick = (x, y, label, anchor = 'middle') => {
      svgEl('text', { x, y, 'text-anchor': anchor, class: 'tick' }, overlay).textContent = label;
    };
    tick(0, 112, '0'); tick(100, 112, '1'); tick(50, 114, 'x₁');
    tick(-8, 103, '0', 'end'); tick(-8, 3, '1', 'end'); tick(-9, 53, 'x₂', 'end');
    this.markers = POINTS.map(([x1, x2]) => {
      const cx = 100 * x1, cy = 100 * (1 - x2);
      const g = svgEl('g', { class: 'point' }, overlay);
      const ring = svgEl('circle', { cx, cy, r: 6.5, class: 'ring' }, g);
      const dot = svgEl('circle', { cx, cy, r: 5, class: 'dot' }, g);
      // Inside the square, beside the point: the ticks and axis names are outside.
      const label = svgEl('text', { x: cx + (x1 ? -8 : 8), y: cy + (x2 ? 15 : -9),
        'text-anchor': x1 ? 'end' : 'start', class: 'point-label' }, g);
      return { ring, dot, label };
    });
    this.rows = POINTS.map((p, i) => {
      const pick = el('button', { type: 'button', className: 'pick', text: pointName(p),
        'data-testid': 'point-pick', 'data-index': i, 'aria-pressed': 'false',
        title: `Show point ${pointName(p)} in the diagram` });
      pick.addEventListener('click', () => this.onPick(i));
      const target = el('td', {});
      const output = el('td', { 'data-testid': 'point-output', 'data-index': i });
      const verdict = el('td', { 'data-testid': 'point-verdict', 'data-index': i });
      const tr = el('tr', { 'data-index': i }, el('td', {}, pick), target, output, verdict);
      body.append(tr);
      return { tr, pick, target, output, verdict };
    });
  }

  // surface: SURFACE's { n, values, outputs } or null (not computed yet); picked: the point shown
  // in the diagram.
  draw(dataset, surface, picked) {
    const targets = TRUTH_TABLES[dataset];
    this.rows.forEach((row, i) => {
      setText(row.target, String(targets[i]));
      setAttr(row.pick, 'aria-pressed', i === picked);
      row.tr.classList.toggle('picked', i === picked);
    });
    this.markers.forEach((m, i) => {
      const fill = viridis(targets[i]);
      setAttr(m.dot, 'fill', css(fill));
      setAttr(m.ring, 'stroke', inkOn(fill) === '#ffffff' ? '#ffffff' : '#1d2330');
      m.ring.classList.toggle('picked', i === picked);
    });
    if (!surface) {
      this.rows.forEach(row => {
        setText(row.output, '–');
        delete row.output.dataset.value;
        setText(row.verdict, '');
        delete row.verdict.dataset.value;
      });
      this.markers.forEach(m => setText(m.label, ''));
      setText(this.summary, 'The outputs appear once the network is built.');
      delete this.summary.dataset.value;
      return;
    }
    const { n, values, outputs, correct } = surface;
    this.heatmap(n, values);
    let right = 0;
    this.rows.forEach((row, i) => {
      const out = outputs[i], ok = isRight(out, targets[i]);
      right += ok;
      setText(row.output, short(out));
      row.output.title = full(out);
      row.output.dataset.value = String(out);
      setText(row.verdict, ok ? '✓ right' : '✗ wrong');
      row.verdict.dataset.value = ok ? 'right' : 'wrong';
      row.verdict.className = ok ? 'right' : 'wrong';
      setText(this.markers[i].label, `${short(out)} ${ok ? '✓' : '✗'}`);
    });
    right = correct ?? right;   // the core's count (Trainer::evaluate), the same rule as above
    setText(this.summary, `${right} of 4 points right`);
    this.summary.dataset.value = String(right);
    setAttr(this.canvas, 'aria-label', `${dataset.toUpperCase()}: the network's output over the ` +
      `input square; outputs on the points ${POINTS.map((p, i) => `${pointName(p)} ${short(outputs[i])}`)
        .join(', ')}; ${right} of 4 right`);
  }

  // values: n*n, row 0 at x2 = 1, column 0 at x1 = 0: the canvas's own row order.
  heatmap(n, values) {
    const { canvas } = this;
    if (canvas.width !== n) canvas.width = n;
    if (canvas.height !== n) canvas.height = n;
    if (!this.image || this.image.width !== n) {
      this.ctx = canvas.getContext('2d');
      this.image = this.ctx.createImageData(n, n);
      this.words = new Uint32Array(this.image.data.buffer);
    }
    for (let i = 0; i < n * n; i++) {
      const v = values[i];
      this.words[i] = VIRIDIS_WORDS[Number.isFinite(v) ? Math.round(255 * Math.max(0, Math.min(1, v))) : 128];
    }
    this.ctx.putImageData(this.image, 0, 0);
  }
}
