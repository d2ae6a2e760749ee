// The trace of one example as JSON, for checking every number in numpy (README, "Trace export
// (JSON)"): weights[l][j][k] is the weight from neuron k of layer l to neuron j of layer l+1,
// as network2.py saves them; grad_w has the same layout; biases, z, a, delta, grad_b are one flat
// list per weight layer. All from the trace: nothing is recomputed. Pure functions: the worker
// imports this module to build the text (the page saves it with dom.js's download).

// The shortest decimal that reads back as the same float32 (np.float32(v) is the core's value).
export function float32Text(v) {
  if (!Number.isFinite(v)) return null;   // JSON has no NaN or Infinity
  const f = Math.fround(v);
  for (let p = 1; p < 9; p++) {
    const s = Number(f.toPrecision(p));
    if (Math.fround(s) === f) return s;
  }
  return Number(f.toPrecision(9));
}

const list = values => Array.from(values, float32Text);

// w of layer l (column-major in params, rows = sizes[l+1]) as rows of columns: [j][k].
function nested(values, offset, rows, cols) {
  const out = new Array(rows);
  for (let j = 0; j < rows; j++) {
    const row = new Array(cols);
    for (let k = 0; k < cols; k++) row[k] = float32Text(values[offset + k * rows + j]);
    out[j] = row;
  }
  return out;
}

// trace: protocol.js's Trace; dataset: the run's config.dataset (a truth table's points are
// exported as that set: "xor", "and", ...).
export function traceJson(trace, dataset = 'mnist') {
  return {
    sizes: [...trace.sizes],
    activation: trace.activation,
    cost: trace.cost,
    example: exportedExample(trace.example, dataset),
    x: list(trace.x),
    y: list(trace.y),
    weights: trace.layout.map(o => nested(trace.params, o.wOffset, o.rows, o.cols)),
    biases: trace.layout.map(o => list(trace.params.subarray(o.bOffset, o.bOffset + o.rows))),
    z: trace.layers.map(t => list(t.z)),
    a: trace.layers.map(t => list(t.a)),
    delta: trace.layers.map(t => list(t.delta)),
    grad_w: trace.layout.map((o, l) => nested(trace.layers[l].gradW, 0, o.rows, o.cols)),
    grad_b: trace.layers.map(t => list(t.gradB)),
    cost_value: trace.costValue,
    eta: float32Text(trace.eta),
  };
}

// The JSON's "example": a truth table's point is named after its data set.
export function exportedExample(example, dataset = 'mnist') {
  return {
    set: example.set === 'points' ? dataset : example.set,
    index: example.index ?? null,
    label: example.label,
  };
}

// "trace-train-7.json", "trace-drawn.json", "trace-xor-3.json"; example: the trace's example.
export function traceFileName(example, dataset = 'mnist') {
  const { set, index } = exportedExample(example, dataset);
  return `trace-${set}${index === null ? '' : `-${index}`}.json`;
}
