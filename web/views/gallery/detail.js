// The detail box of one misclassified image: its thumbnail, its ten outputs as bars with class
// names (the true class and the network's answer marked), from the worker's TRACE of it. Not the
// request (index.js sends TRACE) and not the backprop inspector it also opens.
import { el, setText, setAttr } from '../dom.js';
import { SIDE, drawImage } from './grid.js';

const $ = id => document.getElementById(id);

export class OutputDetail {
  constructor() {
    this.box = $('gallery-detail');
    this.title = $('gallery-detail-title');
    this.text = $('gallery-detail-text');
    this.canvas = $('gallery-detail-image');
    this.list = $('gallery-outputs');
    this.rows = Array.from({ length: 10 }, () => {
      const name = el('span', 'name'), bar = el('span', 'bar'), value = el('span', 'value');
      const li = el('li', { 'data-testid': 'gallery-output' }, name, el('span', 'track', bar), value);
      this.list.append(li);
      return { li, name, bar, value };
    });
  }

  /**
   * @param {Object|null} d  state.gallery.detail: { index, label, predicted, confidence, outputs,
   *   error, stale } (outputs: the ten from the TRACE, null while it is on its way)
   * @param {string[]} [names]  @param {string} [word]  'output' | 'probability' (not needed for null)
   */
  draw(d, names, word) {
    this.box.hidden = !d;
    // The grid takes the whole width while no detail is shown (a class: a :has() rule made every
    // attribute change in the grid re-check the whole panel's style).
    this.box.parentElement.classList.toggle('with-detail', Boolean(d));
    if (!d) return;
    setText(this.title, `Test image ${d.index}: ${names[d.label]}, read as ${names[d.predicted]}`);
    const status = d.error ? `The worker could not trace it: ${d.error}`
      : !d.outputs ? 'Tracing it through the network…'
        : `The ten ${word}s of the network${d.stale ? ' when you clicked (it has changed since: click ' +
          'the image again for the current one)' : ''}; the answer is the largest.`;
    setText(this.text, status);
    setAttr(this.list, 'data-index', d.index);
    this.list.hidden = !d.outputs;
    if (d.outputs) setAttr(this.list, 'data-value', d.outputs.length);
    else this.list.removeAttribute('data-value');
    this.rows.forEach(({ li, name, bar, value }, c) => {
      const v = d.outputs ? d.outputs[c] : 0;
      setText(name, names[c] + (c === d.label ? ' (true)' : ''));
      bar.style.width = `${(100 * Math.max(0, Math.min(1, v))).toFixed(1)}%`;
      setText(value, d.outputs ? v.toFixed(2) : '');
      setAttr(li, 'data-value', d.outputs ? v : '');
      li.classList.toggle('truth', c === d.label);
      li.classList.toggle('best', c === d.predicted);
    });
  }

  // The thumbnail, drawn larger (pixels: its 784 bytes, or undefined while they are on their way).
  paint(pixels) {
    if (!pixels) {
      this.canvas.getContext('2d').clearRect(0, 0, SIDE, SIDE);
      return;
    }
    drawImage(this.canvas, pixels);
  }
}
