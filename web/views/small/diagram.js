// The network drawn neuron by neuron (SVG): a circle per neuron coloured by its activation on
// one point, a line per weight coloured by its sign and as thick as |w|, every value on hover
// (<title>) and keyboard focus (aria-label and the readout line). A click, Enter or Space on a
// weight or a neuron (its bias) asks onEdit to change it. Draws what it is given (params, the
// trace's numbers); computes none of them.
import { viridis, diverging, css, inkOn } from '../palette.js';
import { svgEl, setAttr, setText, sub } from '../dom.js';
import { short, full } from './format.js';

const WIDTH = 520, MARGIN_X = 70, TOP = 34, BOTTOM = 30;
const MAX_NEURONS = 16;   // per layer: more is not a small network any more
const LABELLED_EDGES = 12;   // up to this many weights, their values are written on the lines
const ZERO_WEIGHT = '#9aa3b5';   // a line of w = 0: the scale's white would vanish on the page

// A weight's line: the end colour of its sign on the page's diverging scale.
const weightColour = w => (w === 0 || !Number.isFinite(w) ? ZERO_WEIGHT : css(diverging(Math.sign(w))));

// What fits in a neuron's circle: two decimals (the exact value is on hover and focus).
const inside = v => (Math.abs(v) < 10 ? v.toFixed(2) : short(v));

export class NetworkDiagram {
  // onEdit({ index, label, value, element }): the student wants to type a new value of params[index].
  constructor(svg, readout, onEdit) {
    Object.assign(this, { svg, readout, onEdit });
    this.sizes = null;
    this.hint = '';
    svg.addEventListener('click', e => this.edit(e.target));
    // Enter or Space, as on a button (keyboard.js leaves Space to focused elements); Space on an
    // input, which has nothing to edit, does nothing (not a page scroll either).
    svg.addEventListener('keydown', e => {
      if (e.key !== 'Enter' && e.key !== ' ') return;
      if (this.edit(e.target) || (e.key === ' ' && e.target.closest && e.target.closest('.neuron'))) {
        e.preventDefault();
      }
    });
    const show = e => {
      const item = e.target.closest && e.target.closest('[data-describe]');
      setText(this.readout, item ? item.dataset.describe : this.hint);
    };
    svg.addEventListener('mouseover', show);
    svg.addEventListener('focusin', show);
    svg.addEventListener('mouseleave', () => setText(this.readout, this.hint));
    svg.addEventListener('focusout', () => setText(this.readout, this.hint));
  }

  // The name of neuron j of column l (the inputs are column 0), as the page writes it: neurons
  // counted from 0 and layers as Nielsen counts them (the inputs are layer 1), like the inspector;
  // the inputs keep the lecture's names x₁, x₂.
  name(l, j) {
    const last = this.sizes.length - 1;
    if (l === 0) return `input x${sub(j + 1)}`;
    if (l === last) return this.sizes[last] === 1 ? 'the output neuron' : `output neuron ${j}`;
    return `hidden neuron ${j} of layer ${l + 1}`;
  }

  // (Re)builds the elements for these sizes; false if the network is too big to draw.
  setSizes(sizes) {
    if (this.sizes && this.sizes.join() === sizes.join()) return this.drawable;
    this.sizes = [...sizes];
    this.svg.replaceChildren();
    this.drawable = sizes.every(n => n <= MAX_NEURONS);
    if (!this.drawable) {
      setAttr(this.svg, 'viewBox', `0 0 ${WIDTH} 60`);
      const t = svgEl('text', { x: WIDTH / 2, y: 34, 'text-anchor': 'middle', class: 'too-big' }, this.svg);
      t.textContent = `More than ${MAX_NEURONS} neurons in a layer: too many to draw one by one.`;
      return false;
    }
    const L = sizes.length, most = Math.max(...sizes);
    const gap = Math.max(40, Math.min(130, 390 / most));
    const height = TOP + most * gap + BOTTOM;
    this.r = Math.min(23, gap * 0.3);
    setAttr(this.svg, 'viewBox', `0 0 ${WIDTH} ${height}`);
    const x = l => MARGIN_X + l * (WIDTH - 2 * MARGIN_X) / (L - 1);
    const y = (l, j) => TOP + (most * gap) / 2 + (j - (sizes[l] - 1) / 2) * gap;
    this.pos = sizes.map((n, l) => Array.from({ length: n }, (_, j) => [x(l), y(l, j)]));

    for (let l = 0; l < L; l++) {
      const caption = svgEl('text', { x: x(l), y: 16, 'text-anchor': 'middle', class: 'layer-caption' }, this.svg);
      caption.textContent = `layer ${l + 1}: ${l === 0 ? 'inputs' : l === L - 1 ? 'output' : 'hidden'}`;
    }
    const edges = svgEl('g', { class: 'edges' }, this.svg);
    const labels = svgEl('g', { class: 'edge-labels', 'aria-hidden': 'true' }, this.svg);
    const neurons = svgEl('g', { class: 'neurons' }, this.svg);
    const edgeCount = sizes.slice(1).reduce((n, rows, l) => n + rows * sizes[l], 0);
    this.edges = [];
    for (let l = 0; l + 1 < L; l++) {
      for (let k = 0; k < sizes[l]; k++) {
        for (let j = 0; j < sizes[l + 1]; j++) {
          const [x1, y1] = this.pos[l][k], [x2, y2] = this.pos[l + 1][j];
          const g = svgEl('g', { class: 'edge', tabindex: 0, role: 'button', 'data-layer': l,
            'data-from': k, 'data-to': j }, edges);
          svgEl('line', { class: 'hit', x1, y1, x2, y2 }, g);
          const wire = svgEl('line', { class: 'wire', x1, y1, x2, y2 }, g);
          const title = svgEl('title', {}, g);
          let label = null, grad = null;
          if (edgeCount <= LABELLED_EDGES) {
            // Lines cross in the middle: a label sits near the source on the line to the
            // source's nearest neuron (one such line per source), near the target on the others
            // (those into one neuron part by their slopes), its text running away from the circle.
            const nearest = this.pos[l + 1].reduce((best, p, i) =>
              (Math.abs(p[1] - y1) < Math.abs(this.pos[l + 1][best][1] - y1) ? i : best), 0);
            const t = j === nearest ? 0.3 : 0.7, anchor = j === nearest ? 'start' : 'end';
            const lx = x1 + t * (x2 - x1), ly = y1 + t * (y2 - y1);
            label = svgEl('text', { x: lx, y: ly - 6, class: 'edge-value', 'text-anchor': anchor }, labels);
            // dC/dw is long: written only where the columns are far apart (one hidden layer).
            if (L <= 3) grad = svgEl('text', { x: lx, y: ly + 13, class: 'edge-grad', 'text-anchor': anchor }, labels);
          }
          this.edges.push({ l, k, j, g, wire, title, label, grad });
        }
      }
    }
    this.neurons = [];
    for (let l = 0; l < L; l++) {
      for (let j = 0; j < sizes[l]; j++) {
        const [cx, cy] = this.pos[l][j];
        const g = svgEl('g', { class: `neuron${l === 0 ? ' input' : ''}`, tabindex: 0,
          role: l === 0 ? 'img' : 'button', 'data-layer': l, 'data-index': j }, neurons);
        const circle = svgEl('circle', { cx, cy, r: this.r }, g);
        const value = svgEl('text', { x: cx, y: cy + 5, 'text-anchor': 'middle', class: 'neuron-value' }, g);
        const title = svgEl('title', {}, g);
        let bias = null, delta = null;
        if (l === 0) {
          const name = svgEl('text', { x: cx - this.r - 6, y: cy + 5, 'text-anchor': 'end', class: 'input-name' }, g);
          name.textContent = `x${sub(j + 1)}`;
        } else {
          // Spaces between the texts, as markup would have: its visible text then reads "0.77 b = 1.23",
          // which its name starts with.
          g.append(' ');
          bias = svgEl('text', { x: cx, y: cy + this.r + 14, 'text-anchor': 'middle', class: 'neuron-bias' }, g);
          g.append(' ');
          delta = svgEl('text', { x: cx, y: cy + this.r + 28, 'text-anchor': 'middle', class: 'neuron-delta' }, g);
        }
        this.neurons.push({ l, j, g, circle, value, title, bias, delta });
      }
    }
    return true;
  }

  // view: { params, layout, point (its name, e.g. "(0, 1)"), a: per layer (0 = x) an array or
  //   null, z, delta: per layer (index l for layer l; null for unknown), gradW, gradB: per weight
  //   layer or null, showGrad: write δ and ∂C/∂w on the picture (the inspector is open) }
  draw(view) {
    if (!this.drawable) return;
    const { params, layout, point, a, z, delta, gradW, gradB, showGrad } = view;
    const at = ` on point ${point}`;
    let most = 1e-6;
    for (const { l, k, j } of this.edges) {
      most = Math.max(most, Math.abs(params[layout[l].wOffset + k * layout[l].rows + j]));
    }
    const scale = Math.max(most, 1);
    for (const e of this.edges) {
      const { l, k, j } = e, { wOffset, rows } = layout[l];
      const index = wOffset + k * rows + j, w = params[index];
      const g = gradW && gradW[l] ? gradW[l][k * rows + j] : null;
      setAttr(e.g, 'data-index', index);
      setAttr(e.g, 'data-value', w);
      setAttr(e.wire, 'stroke', weightColour(w));
      setAttr(e.wire, 'stroke-width', (0.8 + 7 * Math.min(1, Math.abs(w) / scale)).toFixed(2));
      const describe = `weight from ${this.name(l, k)} to ${this.name(l + 1, j)}: w = ${full(w)}` +
        (g !== null ? `; ∂C/∂w = ${full(g)}${at}` : '') + '. Enter to change it.';
      this.describe(e.g, e.title, describe);
      if (e.label) {
        setText(e.label, short(w));
        if (e.grad) setText(e.grad, showGrad && g !== null ? `∂C/∂w = ${short(g)}` : '');
      }
    }
    for (const n of this.neurons) {
      const { l, j } = n;
      const act = a[l] ? a[l][j] : NaN;
      const fill = viridis(view.activation === 'tanh' && l > 0 && l < this.sizes.length - 1
        ? (act + 1) / 2 : act);
      setAttr(n.circle, 'fill', css(fill));
      setAttr(n.value, 'fill', inkOn(fill));
      setText(n.value, Number.isFinite(act) ? inside(act) : '–');
      if (Number.isFinite(act)) setAttr(n.g, 'data-value', act);
      else n.g.removeAttribute('data-value');
      if (l === 0) {
        this.describe(n.g, n.title, `${this.name(l, j)} = ${Number.isFinite(act) ? full(act) : 'unknown'}${at}.`);
        continue;
      }
      const { bOffset } = layout[l - 1];
      const b = params[bOffset + j];
      const d = delta && delta[l] ? delta[l][j] : null;
      const zz = z && z[l] ? z[l][j] : null;
      setAttr(n.g, 'data-bias-index', bOffset + j);
      setAttr(n.g, 'data-bias', b);
      setText(n.bias, `b = ${short(b)}`);
      setText(n.delta, showGrad && d !== null ? `δ = ${short(d)}` : '');
      const values = [zz !== null ? `z = ${full(zz)}` : null,
        Number.isFinite(act) ? `a = ${full(act)}` : null,
        d !== null ? `δ = ∂C/∂z = ${full(d)}` : null,
        gradB && gradB[l - 1] ? `∂C/∂b = ${full(gradB[l - 1][j])}` : null].filter(Boolean);
      // Its name starts with what the neuron shows, so a voice-control user can say what they see.
      const shown = [n.value, n.bias, n.delta].map(t => t.textContent).filter(Boolean).join(', ');
      this.describe(n.g, n.title, `${this.name(l, j)}: bias b = ${full(b)}` +
        (values.length ? `;${at}: ${values.join(', ')}` : '') + '. Enter to change its bias.', shown);
    }
  }

  describe(g, title, describe, shown = '') {
    const label = shown ? `${shown}. ${describe}` : describe;
    if (g.dataset.describe === describe && g.getAttribute('aria-label') === label) return;
    g.dataset.describe = describe;
    g.setAttribute('aria-label', label);
    title.textContent = describe;
    if (document.activeElement === g || g.matches(':hover')) setText(this.readout, describe);
  }

  // The readout's line when nothing is pointed at.
  setHint(hint) {
    const pointing = this.svg.querySelector('[data-describe]:hover, [data-describe]:focus');
    this.hint = hint;
    if (!pointing) setText(this.readout, hint);
  }

  // A click or Enter on target: which parameter it is, for onEdit. Returns whether it was one.
  edit(target) {
    const item = target.closest && target.closest('.edge, .neuron');
    if (!item || item.classList.contains('input') || !this.drawable) return false;
    const isEdge = item.classList.contains('edge');
    const index = Number(isEdge ? item.dataset.index : item.dataset.biasIndex);
    if (!Number.isInteger(index)) return false;
    const l = Number(item.dataset.layer);
    const label = isEdge
      ? `w from ${this.name(l, Number(item.dataset.from))} to ${this.name(l + 1, Number(item.dataset.to))}`
      : `bias of ${this.name(l, Number(item.dataset.index))}`;
    this.onEdit({ index, label, value: Number(isEdge ? item.dataset.value : item.dataset.bias), element: item });
    return true;
  }

  // The element of params[index], to give the focus back after an edit.
  elementOf(index) {
    return this.svg.querySelector(`.edge[data-index="${index}"], .neuron[data-bias-index="${index}"]`);
  }
}
