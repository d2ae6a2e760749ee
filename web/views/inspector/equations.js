// Every equation and every line of explanation of the inspector, in one place: the TeX of each
// step in Nielsen's notation ("Neural Networks and Deep Learning", ch. 2), the lecture notes'
// notation where it differs (Hjorth-Jensen, FYS-STK3155/4155, weeks 41-42), and the same equations
// with the trace's numbers plugged in. Strings only: steps.js lays them out, tex.js typesets them.
import { tex, texFactor, sub, sup } from './format.js';

// Each step: its tab's label and its title.
export const STEPS = [
  { id: 'input', short: 'Input', title: 'The input x and the target y' },
  { id: 'forward', short: 'Forward', title: 'The forward pass: z and a, layer by layer' },
  { id: 'bp1', short: 'BP1', title: 'BP1: the error of the output layer' },
  { id: 'bp2', short: 'BP2', title: 'BP2: the error carried backwards' },
  { id: 'bp3', short: 'BP3', title: 'BP3: the gradient of the biases' },
  { id: 'bp4', short: 'BP4', title: 'BP4: the gradient of the weights' },
  { id: 'update', short: 'Update', title: 'The update: one gradient-descent step' },
];

// Symbols: weight layer l of the trace is layer n = l + 2 of the book (the input is layer 1).
const w = (n, jk = '') => `w^{${n}}${jk ? `_{${jk}}` : ''}`;
const v = (name, n, j = '') => `${name}^{${n}}${j === '' ? '' : `_{${j}}`}`;
const pair = (j, k) => `${j},${k}`;

// The hidden layers' activation function (its name in the config) and its derivative.
export const ACTIVATION_TEX = {
  sigmoid: ['\\sigma(z) = \\frac{1}{1 + e^{-z}}', "\\sigma'(z) = \\sigma(z)\\,\\bigl(1 - \\sigma(z)\\bigr)"],
  tanh: ['\\sigma(z) = \\tanh z', "\\sigma'(z) = 1 - \\tanh^2 z"],
  relu: ['\\sigma(z) = \\max(0, z)', "\\sigma'(z) = \\begin{cases} 1 & z > 0 \\\\ 0 & z \\le 0 \\end{cases}"],
};
export const ACTIVATION_NAME = { sigmoid: 'the sigmoid', tanh: 'tanh', relu: 'ReLU' };

// The output layer: a sigmoid for the quadratic and cross-entropy costs, a softmax for the
// log-likelihood (config.hpp: the cost decides the output layer).
export const outputIsSoftmax = cost => cost === 'log-likelihood';
const SOFTMAX = n => `${v('a', n, 'j')} = \\frac{e^{${v('z', n, 'j')}}}{\\sum_k e^{${v('z', n, 'k')}}}`;

export const COST_TEX = {
  quadratic: L => `C_x = \\tfrac{1}{2}\\,\\lVert y - ${v('a', L)} \\rVert^2 = \\tfrac{1}{2}\\sum_j (y_j - ${v('a', L, 'j')})^2`,
  'cross-entropy': L => `C_x = -\\sum_j \\bigl[\\, y_j \\ln ${v('a', L, 'j')} + (1 - y_j) \\ln (1 - ${v('a', L, 'j')}) \\bigr]`,
  'log-likelihood': L => `C_x = -\\ln ${v('a', L, 'y')} \\quad (y\\text{: the target digit})`,
};
export const COST_NAME = {
  quadratic: 'quadratic cost', 'cross-entropy': 'cross-entropy cost', 'log-likelihood': 'log-likelihood cost',
};
export const DATA_COST_NOTE = 'Cₓ is the data cost of this one example: no L2 term, whatever λ the run uses.';

// ---- input -----------------------------------------------------------------------------------
export const input = {
  general: '\\text{the input is layer 1: } a^{1} = x, \\qquad y = \\text{the target}',
  text: 'The example enters as the activations of the input layer; y is what the output should be.',
  oneHot: (label, n) => `y = (${Array.from({ length: n }, (_, i) => (i === label ? '1' : '0')).join(', ')})^{T} ` +
    `\\quad (y_{${label}} = 1\\text{: the digit } ${label})`,
  scalar: (x, y) => `x = (${x.map(t => tex(t)).join(',\\ ')})^{T}, \\qquad y = ${tex(y)}`,
  notes: 'Lecture notes: the inputs are written x (or a⁰) and the layers are counted from the first ' +
    'hidden layer, l = 1; here, as in Nielsen, the input is layer 1 and the first hidden layer is layer 2.',
};

// ---- forward ---------------------------------------------------------------------------------
export const forward = {
  general: `z^{l} = ${w('l')}\\, a^{l-1} + b^{l}, \\qquad a^{l} = \\sigma(z^{l})`,
  component: `z^{l}_{j} = \\sum_k ${w('l', 'jk')}\\, a^{l-1}_{k} + b^{l}_{j}`,
  softmax: SOFTMAX,
  // z_j = the few largest w_jk a_k (terms: [k, w, a]; all of them when there are few) + b_j, and
  // the core's z_j: no partial sum is computed here.
  plugged: ({ n, j, terms, fanIn, b, z }) => {
    const shown = terms.map(([, wk, ak]) => `${texFactor(wk)} \\cdot ${texFactor(ak)}`).join(' + ');
    const sum = fanIn > terms.length
      ? `\\underbrace{${shown} + \\cdots}_{${fanIn} \\text{ terms } ${w(n, pair(j, 'k'))} a^{${n - 1}}_{k}}` : shown;
    return `\\begin{aligned} ${v('z', n, j)} &= ${sum} + ${texFactor(b)} \\\\ &= ${tex(z)} \\end{aligned}`;
  },
  activation: ({ n, j, z, a, softmax }) => (softmax
    ? `${v('a', n, j)} = \\frac{e^{${v('z', n, j)}}}{\\sum_k e^{${v('z', n, 'k')}}} = ${tex(a)}`
    : `${v('a', n, j)} = \\sigma(${tex(z)}) = ${tex(a)}`),
  notes: 'Lecture notes: zⱼˡ = Σᵢ wᵢⱼˡ aᵢˡ⁻¹ + bⱼˡ: their weight wᵢⱼ runs from neuron i of the layer ' +
    'before to neuron j, the other index order from Nielsen\'s wⱼₖ (their weight matrix is the ' +
    'transpose of w here), and their layer l is layer l + 1 here.',
};

// ---- BP1 -------------------------------------------------------------------------------------
export const bp1 = {
  general: "\\delta^{L} = \\nabla_a C \\odot \\sigma'(z^{L}) \\qquad \\text{(BP1)}",
  // Per cost: how dC/da and sigma' combine.
  derivation: {
    quadratic: L => `\\nabla_a C = ${v('a', L)} - y \\;\\Rightarrow\\; ` +
      `\\delta^{${L}}_{j} = (${v('a', L, 'j')} - y_j)\\, \\sigma'(${v('z', L, 'j')})`,
    'cross-entropy': L => `\\delta^{${L}}_{j} = \\frac{${v('a', L, 'j')} - y_j}` +
      `{\\cancel{${v('a', L, 'j')}(1 - ${v('a', L, 'j')})}}\\; \\cancel{\\sigma'(${v('z', L, 'j')})} = ` +
      `${v('a', L, 'j')} - y_j \\qquad \\bigl(\\sigma'(z) = \\sigma(z)(1 - \\sigma(z)) = ${v('a', L, 'j')}(1 - ${v('a', L, 'j')})\\bigr)`,
    'log-likelihood': L => `\\delta^{${L}}_{j} = \\sum_k \\frac{\\partial C}{\\partial ${v('a', L, 'k')}}` +
      `\\frac{\\partial ${v('a', L, 'k')}}{\\partial ${v('z', L, 'j')}} = ` +
      `-\\frac{1}{\\cancel{${v('a', L, 'y')}}}\\,\\cancel{${v('a', L, 'y')}}\\,(\\mathbb{1}_{j = y} - ${v('a', L, 'j')}) = ` +
      `${v('a', L, 'j')} - y_j`,
  },
  cancelText: {
    quadratic: '',
    'cross-entropy': 'With the cross-entropy cost σ′(z) cancels: the output error is a − y, however ' +
      'saturated the output neuron is (Nielsen ch. 3, "The cross-entropy cost function").',
    'log-likelihood': 'A softmax output has no σ′ of its own: its Jacobian times ∇ₐC cancels to a − y ' +
      '(Nielsen ch. 3, "Softmax").',
  },
  plugged: {
    quadratic: ({ L, j, a, y, fp, delta }) => `\\delta^{${L}}_{${j}} = (${tex(a)} - ${tex(y)}) \\times ${tex(fp)} = ${tex(delta)}`,
    'cross-entropy': ({ L, j, a, y, delta }) => `\\delta^{${L}}_{${j}} = ${tex(a)} - ${tex(y)} = ${tex(delta)}`,
    'log-likelihood': ({ L, j, a, y, delta }) => `\\delta^{${L}}_{${j}} = ${tex(a)} - ${tex(y)} = ${tex(delta)}`,
  },
  notes: 'Lecture notes: δⱼᴸ = σ′(zⱼᴸ) ∂𝒞/∂aⱼᴸ, for the quadratic cost and a sigmoid output ' +
    'δⱼᴸ = aⱼᴸ(1 − aⱼᴸ)(aⱼᴸ − yⱼ): the same as BP1, with the targets written y (t in older notes).',
};

// ---- BP2 -------------------------------------------------------------------------------------
export const bp2 = {
  general: "\\delta^{l} = \\bigl((w^{l+1})^{T} \\delta^{l+1}\\bigr) \\odot \\sigma'(z^{l}) \\qquad \\text{(BP2)}",
  component: "\\delta^{l}_{j} = \\Bigl(\\sum_k w^{l+1}_{kj}\\, \\delta^{l+1}_{k}\\Bigr)\\, \\sigma'(z^{l}_{j})",
  // terms: [k, w_kj, delta_k] of the largest products, fanOut: all k.
  plugged: ({ n, j, terms, fanOut, fp, delta }) => {
    const shown = terms.map(([, wk, dk]) => `${texFactor(wk)} \\cdot ${texFactor(dk)}`).join(' + ');
    const rest = fanOut > terms.length ? ' + \\cdots' : '';
    return `\\begin{aligned} \\delta^{${n}}_{${j}} &= \\bigl(${shown}${rest}\\bigr)\\, \\sigma'(z^{${n}}_{${j}}) \\\\ ` +
      `&= \\bigl(\\cdots\\bigr) \\times ${texFactor(fp)} = ${tex(delta)} \\end{aligned}`;
  },
  silent: (n, rows) => `Every δ of layer ${n} is 0 on this example: for all ${rows} neurons either ` +
    'σ′(z) = 0 (a ReLU that is off, a saturated unit) or nothing came back from the layer above. ' +
    'No error reaches the layers before it, so their weights do not learn from this example.',
  notes: 'Lecture notes: δⱼˡ = Σₖ δₖˡ⁺¹ wₖⱼˡ⁺¹ σ′(zⱼˡ), the chain rule over every neuron k the ' +
    'neuron j feeds: the same sum, written with the lecture notes\' layer numbers (one less).',
};

// ---- BP3 -------------------------------------------------------------------------------------
export const bp3 = {
  general: '\\frac{\\partial C}{\\partial b^{l}_{j}} = \\delta^{l}_{j} \\qquad \\text{(BP3)}',
  plugged: ({ n, j, grad }) => `\\frac{\\partial C}{\\partial b^{${n}}_{${j}}} = \\delta^{${n}}_{${j}} = ${tex(grad)}`,
  notes: 'Lecture notes: ∂𝒞/∂bⱼˡ = δⱼˡ, the same.',
};

// ---- BP4 -------------------------------------------------------------------------------------
export const bp4 = {
  general: '\\frac{\\partial C}{\\partial w^{l}_{jk}} = a^{l-1}_{k}\\, \\delta^{l}_{j} \\qquad \\text{(BP4)}',
  matrix: '\\frac{\\partial C}{\\partial w^{l}} = \\delta^{l}\\, (a^{l-1})^{T}',
  plugged: ({ n, j, k, a, delta, grad }) => `\\frac{\\partial C}{\\partial ${w(n, pair(j, k))}} = ` +
    `a^{${n - 1}}_{${k}}\\, \\delta^{${n}}_{${j}} = ${texFactor(a)} \\cdot ${texFactor(delta)} = ${tex(grad)}`,
  notes: 'Lecture notes: ∂𝒞/∂wᵢⱼˡ = δⱼˡ aᵢˡ⁻¹, with their index order (i: the neuron the weight comes from).',
  // The first layer of MNIST: the gradient row is the image scaled by delta_j.
  black: ({ j, n, zeros, pixels, zeroGrads }) => `Row ${j} of ∂C/∂w${sup(n)} is the image x scaled by ` +
    `δ${sup(n)}${sub(j)}: ${zeros} of the ${pixels} pixels are black (xₖ = 0), so ${zeroGrads} of ` +
    `the ${pixels} weights into neuron ${j} get a gradient of exactly 0 and do not change on this ` +
    'example, whatever δ is. A weight only learns from the pixels that carry ink.',
};

// ---- update ----------------------------------------------------------------------------------
// Formatting only: how many digits show the core's before and after apart (nothing shown is
// computed here).
const changeDigits = (before, after) => (before === after || before === 0 ? 4
  : Math.min(9, Math.max(4, Math.ceil(Math.log10(Math.abs(before) / Math.abs(before - after))) + 2)));
export const update = {
  general: '\\begin{aligned} w^{l} &\\to w^{l} - \\eta\\, \\frac{\\partial C_x}{\\partial w^{l}} \\\\ ' +
    'b^{l} &\\to b^{l} - \\eta\\, \\frac{\\partial C_x}{\\partial b^{l}} \\end{aligned}',
  // Enough digits to see the change (a tiny step leaves the first four unchanged).
  weight: ({ n, j, k, value, eta, grad, after }) => {
    const d = changeDigits(value, after);
    return `${w(n, pair(j, k))} \\to ${tex(value, d)} - ${tex(eta)} \\times ${texFactor(grad)} = ${tex(after, d)}`;
  },
  bias: ({ n, j, value, eta, grad, after }) => {
    const d = changeDigits(value, after);
    return `b^{${n}}_{${j}} \\to ${tex(value, d)} - ${tex(eta)} \\times ${texFactor(grad)} = ${tex(after, d)}`;
  },
  cost: ({ before, after }) => `C_x:\\ ${tex(before)} \\;\\to\\; ${tex(after)}`,
  text: 'One gradient-descent step on this example alone (m = 1): Nielsen\'s update rule with the run\'s ' +
    'η, without the 1/m of a mini-batch and without L2 weight decay. It is not applied until you say so.',
  notes: 'Lecture notes: the same step, θ ← θ − η ∇θ𝒞, for every weight and bias.',
};
