// The content of each inspector step, built from one trace: the step's equation (equations.js),
// the same equation with the numbers of the selected neuron plugged in, tables, and the vectors
// as pictures (vectors.js). Every number is the core's (the trace), the parameters after the
// update step too (trace.step.paramsAfter); the only arithmetic here is for display: the terms
// w·a and w·δ of a sum whose total is shown as the core's z or δ. Not the panel around the steps
// (index.js).
import * as E from './equations.js';
import { texNode } from './tex.js';
import { VectorView } from './vectors.js';
import { el } from '../dom.js';
import { num, sub, sup, shape, bookLayer, argmax, argmaxAbs } from './format.js';

const TERMS_SHOWN = 3;     // terms of a long sum written out in an equation (the table has all)
const BP2_TERMS_SHOWN = 2;   // w·δ products are wider
const SHORT_SUM = 4;       // a sum with this many terms or fewer is written out in full
const MATRIX_CELLS = 100 * 100;   // larger gradients show the selected neuron's row instead

// ---- small DOM helpers ----------------------------------------------------------------------
function eq(source) {
  const div = el('div', 'inspector-eq');
  div.append(texNode(source, { display: true }));
  return div;
}

function lecture(text) {
  const p = el('p', 'inspector-lecture');
  p.append(el('strong', '', 'Lecture notes. '), text.replace(/^Lecture notes: /, ''));
  return p;
}

// One layer's part of a step: a heading, the math on the left, the pictures on the right.
function block(title, subtitle) {
  const section = el('section', 'inspector-layer');
  const h = el('h3', '', title);
  if (subtitle) h.append(' ', el('span', 'sub', subtitle));
  const math = el('div', 'inspector-math'), pictures = el('div', 'inspector-pictures');
  section.append(h, math, pictures);
  return { section, math, pictures };
}

// ---- reading the trace -----------------------------------------------------------------------
// t: the Trace of protocol.js. Weight layer l (0-based) is layer n = l + 2 of the book.
export class TraceView {
  constructor(t) {
    this.t = t;
    this.L = t.layers.length;
    this.image = t.sizes[0] === 784;   // MNIST: the input and first-layer rows are 28x28
  }
  rows(l) { return this.t.layout[l].rows; }
  cols(l) { return this.t.layout[l].cols; }
  weight(l, j, k) { const o = this.t.layout[l]; return this.t.params[o.wOffset + k * o.rows + j]; }
  bias(l, j) { return this.t.params[this.t.layout[l].bOffset + j]; }
  aPrev(l) { return l === 0 ? this.t.x : this.t.layers[l - 1].a; }
  gradW(l, j, k) { return this.t.layers[l].gradW[k * this.rows(l) + j]; }
  // params[index] after the (not applied) step, as the core computed it.
  after(index) { return this.t.step.paramsAfter[index]; }
  outputSoftmax() { return E.outputIsSoftmax(this.t.cost); }
  // Default selections: the neuron of largest |δ| in each layer (the output: the target's
  // neuron), and in each weight row the input of largest |∂C/∂w|.
  defaultNeuron(l) {
    if (l === this.L - 1 && this.rows(l) > 1) return this.t.example.label ?? argmaxAbs(this.t.layers[l].delta);
    return Math.max(0, argmaxAbs(this.t.layers[l].delta));
  }
  defaultInput(l, j) {
    return Math.max(0, argmaxAbs(this.t.layers[l].gradW, j, this.rows(l), this.cols(l)));
  }
}

// ---- pictures --------------------------------------------------------------------------------
function bars(ctx, { key, values, title, dims, name, pick = null, selected = null, range = null }) {
  const view = new VectorView({ values, title, shape: dims, name, pick, selected, range });
  view.canvas.dataset.key = key;
  ctx.views.push(view);
  return view.element;
}

function image(ctx, { key, values, at, title, dims, name, pick, selected, gray = false, note = '' }) {
  const view = new VectorView({ values, kind: 'image', rows: 28, cols: 28, at, title, shape: dims,
    name, pick, selected, gray, note });
  view.canvas.dataset.key = key;
  ctx.views.push(view);
  return view.element;
}

function matrix(ctx, { key, values, rows, cols, title, dims, name, pick, selected }) {
  const view = new VectorView({ values, kind: 'matrix', rows, cols, at: (r, c) => c * rows + r,
    title, shape: dims, name, pick, selected });
  view.canvas.dataset.key = key;
  ctx.views.push(view);
  return view.element;
}

const pixelName = k => `row ${Math.floor(k / 28)}, column ${k % 28}`;

// The output activations: [0, 1] for a sigmoid or softmax; the hidden ones by their function.
function activationRange(tv, l) {
  const act = l === tv.L - 1 ? 'sigmoid' : tv.t.activation;
  return act === 'sigmoid' ? [0, 1] : act === 'tanh' ? [-1, 1] : null;
}

// The largest |terms| of a sum (at most `count`), as they are listed: by size.
function largestTerms(n, product, count) {
  const order = Array.from({ length: n }, (_, k) => k);
  if (n <= SHORT_SUM) return order;
  order.sort((p, q) => Math.abs(product(q)) - Math.abs(product(p)));
  return order.slice(0, count);
}

// ---- the steps -------------------------------------------------------------------------------
// ctx: { tv: TraceView, neuron: [j per layer], input: [k per layer], pickNeuron(l, j),
//        pickInput(l, k), views: [] (filled here: drawn once in the document), update: {...},
//        blocked: '' or why Apply is off now, apply(), discard() }

function input(ctx) {
  const { tv } = ctx, t = tv.t, out = tv.rows(tv.L - 1);
  const b = block('The example', `x : ${shape(t.sizes[0], 1)}, y : ${shape(out, 1)}`);
  b.math.append(eq(E.input.general), el('p', '', E.input.text));
  if (out > 1) b.math.append(eq(E.input.oneHot(t.example.label, out)));
  else b.math.append(eq(E.input.scalar(Array.from(t.x), t.y[0])));
  if (tv.image) {
    b.pictures.append(image(ctx, { key: 'x', values: t.x, title: 'x = a¹', dims: '784 × 1, as 28 × 28',
      name: k => `x${sub(k)} (${pixelName(k)})`, gray: true, selected: null, pick: null }));
  } else {
    b.pictures.append(bars(ctx, { key: 'x', values: t.x, title: 'x = a¹', dims: shape(t.sizes[0], 1),
      name: k => `x${sub(k)}`, range: [0, 1] }));
  }
  b.pictures.append(bars(ctx, { key: 'y', values: t.y, title: 'y', dims: shape(out, 1),
    name: j => `y${sub(j)}`, range: [0, 1] }));
  b.math.append(lecture(E.input.notes));
  return [b.section];
}

function forward(ctx) {
  const { tv } = ctx, t = tv.t, sections = [];
  const head = el('div', 'inspector-general');
  head.append(eq(E.forward.general), eq(E.forward.component));
  const act = E.ACTIVATION_TEX[t.activation], softmax = tv.outputSoftmax();
  if (tv.L > 1 && t.activation === 'sigmoid' && !softmax) {
    head.append(el('p', '', 'σ is the sigmoid, in every layer:'), eq(act[0]));
  } else {
    if (act && tv.L > 1) head.append(el('p', '', `Hidden layers: σ is ${E.ACTIVATION_NAME[t.activation]},`), eq(act[0]));
    head.append(el('p', '', softmax ? 'the output layer is a softmax:' : 'the output layer a sigmoid:'),
      eq(softmax ? E.forward.softmax(tv.L + 1) : E.ACTIVATION_TEX.sigmoid[0]));
  }
  sections.push(head);
  for (let l = 0; l < tv.L; l++) {
    const n = bookLayer(l), rows = tv.rows(l), cols = tv.cols(l), j = ctx.neuron[l];
    const { z, a } = t.layers[l];
    const output = l === tv.L - 1;
    const b = block(`Layer ${n}: ${rows} ${output ? 'output' : 'hidden'} neuron${rows > 1 ? 's' : ''}`,
      `w${sup(n)} : ${shape(rows, cols)}, a${sup(n - 1)} : ${shape(cols, 1)}, ` +
      `b${sup(n)}, z${sup(n)}, a${sup(n)} : ${shape(rows, 1)}`);
    const aPrev = tv.aPrev(l), product = k => tv.weight(l, j, k) * aPrev[k];
    const terms = largestTerms(cols, product, TERMS_SHOWN).map(k => [k, tv.weight(l, j, k), aPrev[k]]);
    b.math.append(el('p', '', `Neuron ${j}${cols > SHORT_SUM ? `: the ${TERMS_SHOWN} largest of the ${cols} terms wⱼₖaₖ` : ''}:`),
      eq(E.forward.plugged({ n, j, terms, fanIn: cols, b: tv.bias(l, j), z: z[j] })),
      eq(E.forward.activation({ n, j, z: z[j], a: a[j], softmax: output && tv.outputSoftmax() })));
    if (tv.image && l === 0) {
      const ink = Array.from(t.x).filter(v => v !== 0).length;
      b.math.append(el('p', 'hint', `Only the ${ink} pixels with ink (xₖ ≠ 0) add to the sum; the other ` +
        `${784 - ink} terms are 0.`));
    }
    if (output && rows > 1) {
      b.math.append(el('p', 'inspector-answer', `The network's answer: ${argmax(a)} ` +
        `(the largest a${sup(n)}ⱼ); the target is ${t.example.label}.`));
    }
    const pick = i => ctx.pickNeuron(l, i);
    b.pictures.append(
      bars(ctx, { key: `z${l}`, values: z, title: `z${sup(n)}`, dims: shape(rows, 1), name: i => `z${sup(n)}${sub(i)}`, pick, selected: j }),
      bars(ctx, { key: `a${l}`, values: a, title: `a${sup(n)}`, dims: shape(rows, 1), name: i => `a${sup(n)}${sub(i)}`,
        pick, selected: j, range: activationRange(tv, l) }));
    sections.push(b.section);
  }
  sections[sections.length - 1].append(lecture(E.forward.notes));
  return sections;
}

function bp1(ctx) {
  const { tv } = ctx, t = tv.t, l = tv.L - 1, L = bookLayer(l), rows = tv.rows(l), j = ctx.neuron[l];
  const { a, fprime, delta } = t.layers[l];
  const b = block(`The output layer (L = ${L})`, `δ${sup(L)}, ∇ₐC, σ′(z${sup(L)}) : ${shape(rows, 1)}`);
  b.math.append(eq(E.bp1.general), eq(E.COST_TEX[t.cost](L)), eq(E.bp1.derivation[t.cost](L)));
  const cancel = E.bp1.cancelText[t.cost];
  if (cancel) b.math.append(el('p', '', cancel));
  else b.math.append(eq(E.ACTIVATION_TEX.sigmoid[1]));
  b.math.append(el('p', '', `Output neuron ${j}:`),
    eq(E.bp1.plugged[t.cost]({ L, j, a: a[j], y: t.y[j], fp: fprime[j], delta: delta[j] })));
  const cost = el('p', 'inspector-cost');
  cost.append(el('strong', '', `Cₓ = ${num(t.costValue)}`), ` (${E.COST_NAME[t.cost]}). ${E.DATA_COST_NOTE}`);
  b.math.append(cost);

  // Term by term, every output neuron.
  const quadratic = t.cost === 'quadratic';
  const table = el('table', 'inspector-table');
  const head = ['j', `a${sup(L)}ⱼ`, 'yⱼ', '∂C/∂aⱼ', ...(quadratic ? ['σ′(zⱼ)'] : []), `δ${sup(L)}ⱼ`];
  const tr = el('tr');
  for (const h of head) tr.append(el('th', '', h));
  table.append(el('thead'), el('tbody'));
  table.tHead.append(tr);
  for (let i = 0; i < rows; i++) {
    const row = el('tr', i === j ? 'selected' : '');
    const pick = el('button', 'pick', String(i));
    pick.type = 'button';
    pick.dataset.key = `bp1-row-${i}`;
    pick.setAttribute('aria-pressed', String(i === j));
    pick.setAttribute('aria-label', `Output neuron ${i}`);
    pick.addEventListener('click', () => ctx.pickNeuron(l, i));
    const cell = el('td');
    cell.append(pick);
    row.append(cell);
    for (const value of [a[i], t.y[i], t.costGrad[i], ...(quadratic ? [fprime[i]] : []), delta[i]]) {
      row.append(el('td', '', num(value)));
    }
    table.tBodies[0].append(row);
  }
  const wrap = el('div', 'inspector-table-wrap');
  wrap.append(table);
  b.math.append(wrap, lecture(E.bp1.notes));
  b.pictures.append(bars(ctx, { key: 'bp1-delta', values: delta, title: `δ${sup(L)}`, dims: shape(rows, 1),
    name: i => `δ${sup(L)}${sub(i)}`, pick: i => ctx.pickNeuron(l, i), selected: j }));
  if (quadratic) {
    b.pictures.append(bars(ctx, { key: 'bp1-fp', values: fprime, title: `σ′(z${sup(L)})`, dims: shape(rows, 1),
      name: i => `σ′(z${sup(L)}${sub(i)})`, selected: j }));
  }
  return [b.section];
}

function bp2(ctx) {
  const { tv } = ctx, t = tv.t, sections = [];
  const head = el('div', 'inspector-general');
  head.append(eq(E.bp2.general), eq(E.bp2.component));
  const act = E.ACTIVATION_TEX[t.activation];
  if (act) head.append(eq(act[1]));
  sections.push(head);
  if (tv.L < 2) {
    head.append(el('p', '', 'This network has no hidden layer: the output error δᴸ is the only error ' +
      'there is, and BP2 has nothing to carry backwards.'));
    return sections;
  }
  for (let l = tv.L - 2; l >= 0; l--) {
    const n = bookLayer(l), rows = tv.rows(l), above = tv.rows(l + 1), j = ctx.neuron[l];
    const { fprime, delta } = t.layers[l], deltaAbove = t.layers[l + 1].delta;
    const b = block(`Layer ${n} from layer ${n + 1}`,
      `(w${sup(n + 1)})ᵀ : ${shape(rows, above)}, δ${sup(n + 1)} : ${shape(above, 1)}, ` +
      `σ′(z${sup(n)}), δ${sup(n)} : ${shape(rows, 1)}`);
    const product = k => tv.weight(l + 1, k, j) * deltaAbove[k];
    const terms = largestTerms(above, product, BP2_TERMS_SHOWN).map(k => [k, tv.weight(l + 1, k, j), deltaAbove[k]]);
    b.math.append(el('p', '', `Neuron ${j} of layer ${n}, from the ${above} neurons it feeds` +
      `${above > SHORT_SUM ? ` (the ${BP2_TERMS_SHOWN} largest terms; the table has all)` : ''}:`),
      eq(E.bp2.plugged({ n, j, terms, fanOut: above, fp: fprime[j], delta: delta[j] })));

    // The whole sum, largest terms first; its total (times σ′) is the core's δ.
    const table = el('table', 'inspector-table');
    const htr = el('tr');
    for (const h of ['k', `w${sup(n + 1)}ₖⱼ`, `δ${sup(n + 1)}ₖ`, 'wₖⱼ δₖ']) htr.append(el('th', '', h));
    table.append(el('thead'), el('tbody'), el('tfoot'));
    table.tHead.append(htr);
    const order = Array.from({ length: above }, (_, k) => k)
      .sort((p, q) => Math.abs(product(q)) - Math.abs(product(p)));
    for (const k of order) {
      const row = el('tr');
      for (const value of [String(k), num(tv.weight(l + 1, k, j)), num(deltaAbove[k]), num(product(k))]) {
        row.append(el('td', '', value));
      }
      table.tBodies[0].append(row);
    }
    const foot = el('tr'), factor = el('td', '', `× σ′(z${sup(n)}${sub(j)}) = ${num(fprime[j])}`);
    factor.colSpan = 3;
    foot.append(factor, el('td', '', `δ${sup(n)}${sub(j)} = ${num(delta[j])}`));
    table.tFoot.append(foot);
    const wrap = el('div', 'inspector-table-wrap tall');
    wrap.append(table);
    b.math.append(wrap);
    if (delta.every(d => d === 0)) b.math.append(el('p', 'inspector-black', E.bp2.silent(n, rows)));

    const col = Float32Array.from({ length: above }, (_, k) => tv.weight(l + 1, k, j));
    b.pictures.append(
      bars(ctx, { key: `bp2-above-${l}`, values: deltaAbove, title: `δ${sup(n + 1)}`, dims: shape(above, 1),
        name: k => `δ${sup(n + 1)}${sub(k)}`, pick: k => ctx.pickNeuron(l + 1, k), selected: ctx.neuron[l + 1] }),
      bars(ctx, { key: `bp2-w-${l}`, values: col, title: `w${sup(n + 1)}ₖ${sub(j)}: the weights out of neuron ${j}`,
        dims: `column ${j} of w${sup(n + 1)}, ${shape(above, 1)}`, name: k => `w${sup(n + 1)}${sub(k)},${sub(j)}`,
        selected: ctx.neuron[l + 1] }),
      bars(ctx, { key: `bp2-fp-${l}`, values: fprime, title: `σ′(z${sup(n)})`, dims: shape(rows, 1),
        name: i => `σ′(z${sup(n)}${sub(i)})`, selected: j }),
      bars(ctx, { key: `bp2-delta-${l}`, values: delta, title: `δ${sup(n)}: pick a neuron`, dims: shape(rows, 1),
        name: i => `δ${sup(n)}${sub(i)}`, pick: i => ctx.pickNeuron(l, i), selected: j }));
    sections.push(b.section);
  }
  sections[sections.length - 1].append(lecture(E.bp2.notes));
  return sections;
}

function bp3(ctx) {
  const { tv } = ctx, t = tv.t, sections = [];
  const head = el('div', 'inspector-general');
  head.append(eq(E.bp3.general), el('p', '', 'The gradient of a bias is the error of its neuron: the ' +
    'same numbers as δ in BP1 and BP2.'));
  sections.push(head);
  for (let l = tv.L - 1; l >= 0; l--) {
    const n = bookLayer(l), rows = tv.rows(l), j = ctx.neuron[l], { gradB } = t.layers[l];
    const b = block(`Layer ${n}`, `∂C/∂b${sup(n)} : ${shape(rows, 1)} (the shape of b${sup(n)})`);
    b.math.append(eq(E.bp3.plugged({ n, j, grad: gradB[j] })));
    b.pictures.append(bars(ctx, { key: `bp3-${l}`, values: gradB, title: `∂C/∂b${sup(n)}`, dims: shape(rows, 1),
      name: i => `∂C/∂b${sup(n)}${sub(i)}`, pick: i => ctx.pickNeuron(l, i), selected: j }));
    sections.push(b.section);
  }
  sections[sections.length - 1].append(lecture(E.bp3.notes));
  return sections;
}

function bp4(ctx) {
  const { tv } = ctx, t = tv.t, sections = [];
  const head = el('div', 'inspector-general');
  head.append(eq(E.bp4.general), eq(E.bp4.matrix));
  sections.push(head);
  for (let l = tv.L - 1; l >= 0; l--) {
    const n = bookLayer(l), rows = tv.rows(l), cols = tv.cols(l), j = ctx.neuron[l], k = ctx.input[l];
    const { gradW, delta } = t.layers[l], aPrev = tv.aPrev(l);
    const b = block(`Layer ${n}`, `∂C/∂w${sup(n)} : ${shape(rows, cols)} (the shape of w${sup(n)}), ` +
      `δ${sup(n)} : ${shape(rows, 1)}, a${sup(n - 1)} : ${shape(cols, 1)}`);
    b.math.append(el('p', '', `The weight from neuron ${k} of layer ${n - 1} to neuron ${j}:`),
      eq(E.bp4.plugged({ n, j, k, a: aPrev[k], delta: delta[j], grad: tv.gradW(l, j, k) })));
    const pickJ = i => ctx.pickNeuron(l, i), pickK = i => ctx.pickInput(l, i);
    const gName = (jj, kk) => `∂C/∂w${sup(n)}${sub(jj)},${sub(kk)}`;
    if (l === 0 && tv.image) {
      let zeros = 0, zeroGrads = 0;
      for (let p = 0; p < 784; p++) {
        if (t.x[p] === 0) zeros++;
        if (gradW[p * rows + j] === 0) zeroGrads++;
      }
      b.math.append(el('p', 'inspector-black', E.bp4.black({ j, n, zeros, pixels: 784, zeroGrads })));
      b.pictures.append(
        image(ctx, { key: 'bp4-x', values: t.x, title: 'x = a¹', dims: '784 × 1, as 28 × 28',
          name: p => `x${sub(p)} (${pixelName(p)})`, gray: true, pick: pickK, selected: k }),
        image(ctx, { key: 'bp4-tile', values: gradW, at: (r, c) => (r * 28 + c) * rows + j,
          title: `∂C/∂w${sup(n)}${sub(j)},ₖ: row ${j}`, dims: '1 × 784, as 28 × 28',
          name: p => `${gName(j, p)} (${pixelName(p)})`, pick: pickK, selected: k,
          note: 'red: positive, blue: negative, white: 0 (scaled to the largest |∂C/∂w| of the row)' }),
        bars(ctx, { key: 'bp4-delta-0', values: delta, title: `δ${sup(n)}: pick a neuron`, dims: shape(rows, 1),
          name: i => `δ${sup(n)}${sub(i)}`, pick: pickJ, selected: j }));
    } else {
      if (rows * cols <= MATRIX_CELLS) {
        b.pictures.append(matrix(ctx, { key: `bp4-m-${l}`, values: gradW, rows, cols,
          title: `∂C/∂w${sup(n)} = δ${sup(n)} (a${sup(n - 1)})ᵀ`, dims: `${shape(rows, cols)}: row j, column k`,
          name: i => gName(Math.floor(i / cols), i % cols), selected: j * cols + k,
          pick: i => ctx.pickWeight(l, Math.floor(i / cols), i % cols) }));
      } else {
        const row = Float32Array.from({ length: cols }, (_, kk) => tv.gradW(l, j, kk));
        b.pictures.append(bars(ctx, { key: `bp4-row-${l}`, values: row, title: `∂C/∂w${sup(n)}: row ${j}`,
          dims: shape(1, cols), name: kk => gName(j, kk), pick: pickK, selected: k }));
      }
      b.pictures.append(
        bars(ctx, { key: `bp4-delta-${l}`, values: delta, title: `δ${sup(n)}`, dims: shape(rows, 1),
          name: i => `δ${sup(n)}${sub(i)}`, pick: pickJ, selected: j }),
        bars(ctx, { key: `bp4-a-${l}`, values: aPrev, title: l === 0 ? 'x = a¹' : `a${sup(n - 1)}`,
          dims: shape(cols, 1), name: i => `a${sup(n - 1)}${sub(i)}`, pick: pickK, selected: k,
          range: l === 0 ? [0, 1] : activationRange(tv, l - 1) }));
    }
    sections.push(b.section);
  }
  sections[sections.length - 1].append(lecture(E.bp4.notes));
  return sections;
}

function update(ctx) {
  const { tv } = ctx, t = tv.t, sections = [];
  const b = block('One SGD step on this example', `η = ${num(t.eta)}`);
  b.math.append(eq(E.update.general), el('p', '', E.update.text),
    eq(E.update.cost({ before: t.step.costBefore, after: t.step.costAfter })));
  const lower = t.step.costAfter < t.step.costBefore;
  const verdict = el('p', `inspector-cost ${lower ? 'lower' : 'higher'}`, lower
    ? 'The example\'s cost falls: the step moved the network downhill for this example.'
    : `The example's cost does not fall: η = ${num(t.eta)} overshoots the minimum for this example.`);
  Object.assign(verdict.dataset, { testid: 'bp-cost', before: String(t.step.costBefore), after: String(t.step.costAfter) });
  b.math.append(verdict);
  b.math.append(el('p', 'hint', E.DATA_COST_NOTE));
  b.math.append(el('p', '', 'The weight and the bias picked in each layer (pick others in BP4):'));
  for (let l = tv.L - 1; l >= 0; l--) {
    const n = bookLayer(l), j = ctx.neuron[l], k = ctx.input[l], o = t.layout[l];
    b.math.append(eq(E.update.weight({ n, j, k, value: tv.weight(l, j, k), eta: t.eta, grad: tv.gradW(l, j, k),
      after: tv.after(o.wOffset + k * o.rows + j) })),
    eq(E.update.bias({ n, j, value: tv.bias(l, j), eta: t.eta, grad: t.layers[l].gradB[j],
      after: tv.after(o.bOffset + j) })));
  }
  const actions = el('div', 'inspector-actions');
  const apply = el('button', 'primary', 'Apply this step');
  apply.type = 'button';
  apply.id = 'bp-apply';
  apply.dataset.testid = 'bp-apply';
  apply.dataset.key = 'bp-apply';
  const discard = el('button', '', 'Discard');
  discard.type = 'button';
  discard.id = 'bp-discard';
  discard.dataset.testid = 'bp-discard';
  discard.dataset.key = 'bp-discard';
  // blocked: why the step cannot be applied now (the network changed since the trace).
  const u = ctx.update;
  apply.disabled = discard.disabled = u.busy || u.decided;
  if (ctx.blocked) apply.disabled = true;
  apply.addEventListener('click', () => ctx.apply());
  discard.addEventListener('click', () => ctx.discard());
  const message = el('p', 'inspector-update-message', u.message || ctx.blocked || '');
  message.dataset.testid = 'bp-update-message';
  message.setAttribute('role', 'status');
  actions.append(apply, discard, message);
  b.math.append(actions, lecture(E.update.notes));
  b.pictures.append(bars(ctx, { key: 'update-cost', values: [t.step.costBefore, t.step.costAfter],
    title: `Cₓ before and after: ${num(t.step.costBefore)} → ${num(t.step.costAfter)}`, dims: '',
    name: i => (i ? 'Cₓ after' : 'Cₓ before'), range: [0, Math.max(t.step.costBefore, t.step.costAfter)] }));
  sections.push(b.section);
  return sections;
}

const BUILDERS = { input, forward, bp1, bp2, bp3, bp4, update };

// The step's content as a list of elements; ctx.views gets its pictures (draw them once attached).
export function buildStep(step, ctx) {
  return BUILDERS[step](ctx);
}
