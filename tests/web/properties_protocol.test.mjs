// Property tests of web/protocol.js's messages (fast-check): every message kind, with any payload
// of the shape its JSDoc type gives, survives structured cloning (what postMessage does) equal to
// itself, its typed arrays still of their type, NaN and -0 kept; and the transfer list the worker
// and the page build (every typed array's buffer) moves the bytes instead of copying them.
// protocol.js has no validators at run time (tsc checks the shapes): the check after cloning is
// that the message still has a kind the other side handles. Not the worker's answers (the browser
// tests) or the page's handling of them.
// Seeded (tests/web/fast-check.mjs says how to rerun a failure).
import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checker } from './fast-check.mjs';
import { ToWorker, FromWorker, DEFAULT_CONFIG, MNIST_FILES } from '../../web/protocol.js';
import { DATASETS } from '../../web/config.js';

const RUNS = 200;   // per message kind (the transfer test: half as many)


const check = checker(RUNS);

// ---- the payloads, as protocol.js's JSDoc types describe them -----------------------------------

const record = fields => fc.record(fields, { noNullPrototype: true });
const partial = (fields, required) => fc.record(fields, { requiredKeys: required, noNullPrototype: true });
// Numbers as the core sends them: any double (NaN after a divergence, -0, infinities), and counts.
const num = fc.double();
const count = fc.nat();
const text = fc.string({ unit: 'binary', maxLength: 20 });
const f32 = (max = 40) => fc.float32Array({ maxLength: max });
const f32n = n => fc.float32Array({ minLength: n, maxLength: n });
const traceId = fc.oneof(fc.nat(), fc.nat().map(n => `small-${n}`), text);
const format = fc.constantFrom('bplm', 'json');
const activation = fc.constantFrom('sigmoid', 'tanh', 'relu', 'step');
const cost = fc.constantFrom('quadratic', 'cross-entropy', 'log-likelihood');
const sizes = fc.array(fc.integer({ min: 1, max: 4096 }), { minLength: 2, maxLength: 5 });
const config = record({
  dataset: fc.constantFrom(...DATASETS), sizes, activation, cost, init: fc.constantFrom('gaussian', 'scaled'),
  eta: num, batch: count, epochs: count, lambda: num, seed: fc.nat({ max: 4294967295 }),
});
const layout = fc.array(record({ rows: count, cols: count, wOffset: count, bOffset: count }), { maxLength: 4 });
const example = fc.oneof(
  record({ set: fc.constantFrom('train', 'test', 'points'), index: count }),
  record({ set: fc.constant('drawn'), pixels: f32n(784), label: fc.integer({ min: 0, max: 9 }) }));
// Mistakes: parallel arrays, one entry per wrong test image.
const mistakes = fc.nat({ max: 30 }).chain(n => record({
  index: fc.uint32Array({ minLength: n, maxLength: n }), label: fc.uint8Array({ minLength: n, maxLength: n }),
  predicted: fc.uint8Array({ minLength: n, maxLength: n }), confidence: f32n(n),
}));
const evaluation = {
  testCorrect: count, testTotal: count, testCost: num, validationCorrect: count, validationTotal: count,
  validationCost: num, confusion: fc.uint32Array({ minLength: 100, maxLength: 100 }), mistakes,
};
const layer = record({ z: f32(), a: f32(), fprime: f32(), delta: f32(), gradB: f32(), gradW: f32() });
const trace = record({
  example: record({ set: fc.constantFrom('train', 'test', 'drawn', 'points'), index: fc.option(count), label: count }),
  sizes, activation, cost, eta: num, x: f32(), y: f32(), params: f32(), layout,
  layers: fc.array(layer, { maxLength: 3 }), costGrad: f32(), costValue: num,
  step: record({ costBefore: num, costAfter: num, paramsAfter: f32() }),
});
const gradCheck = record({
  entries: fc.array(record({
    layer: count, kind: fc.constantFrom('w', 'b'), row: count, col: fc.integer({ min: -1 }), index: count,
    why: fc.constantFrom('largest', 'random'), backprop: num, numeric: num, relError: num,
  }), { maxLength: 8 }),
  maxRelError: num, h: num, tolerance: num,
});
const saturation = record({
  activation: fc.oneof(activation, fc.constant('softmax')), samples: count, lo: num, hi: num,
  layers: fc.array(record({
    layer: count, output: fc.boolean(), activation: fc.oneof(activation, fc.constant('softmax')),
    counts: fc.float64Array({ maxLength: 60 }), saturated: num, mean: num, std: num,
  }), { maxLength: 4 }),
});
const orError = (result, keep) => fc.oneof(result, record({ ...keep, error: text }));
// A model file's bytes as a Blob (a File in the browser; Node clones a File to a plain Blob,
// which is why the message carries the name beside it).
const blob = fc.tuple(fc.uint8Array({ maxLength: 200 }), fc.constantFrom('', 'application/octet-stream', 'application/json'))
  .map(([bytes, type]) => new Blob([bytes], { type }));

// Message kind (the key in ToWorker / FromWorker) -> its payloads.
const TO_WORKER = {
  LOAD: partial({ dataUrl: text, stallSeconds: num }, ['dataUrl']),
  CONFIGURE: partial({ config, params: fc.oneof(f32(), fc.array(num, { maxLength: 10 })),
    checkpoint: fc.uint8Array({ maxLength: 100 }), evaluate: fc.boolean(), quiet: fc.boolean(), start: fc.boolean() },
  ['config']),
  START: record({}), PAUSE: record({}), STEP: record({}), CHECKPOINT: record({}),
  PREDICT: record({ pixels: f32n(784) }),
  TRACE: record({ id: traceId, example }),
  APPLY_STEP: record({ id: traceId }),
  GRAD_CHECK: record({ id: traceId, example, perLayer: count }),
  SET_PARAM: record({ index: count, text }),
  SATURATION: partial({ bins: count, lo: num, hi: num }, []),
  CURVES: record({ lo: num, hi: num, n: count }),
  EXPORT_TRACE: record({ id: traceId, dataset: fc.constantFrom(...DATASETS) }),
  SAVE_MODEL: record({ format }),
  READ_MODEL: record({ file: blob, name: text }),
  TEST_IMAGES: record({ id: traceId, indices: fc.array(count, { maxLength: 20 }) }),
};
const FROM_WORKER = {
  READY: record({}),
  DOWNLOAD: record({ file: fc.constantFrom(...MNIST_FILES), received: count, total: count }),
  DATA_READY: record({ train: count, test: count, dataUrl: text, stored: fc.integer({ min: 0, max: 4 }) }),
  DATA_ERROR: record({ file: fc.constantFrom('', ...MNIST_FILES), message: text }),
  CONFIGURED: partial({ config, layout, params: f32(), batchesPerEpoch: count, epoch: count, batch: count,
    resumed: fc.boolean(), resumeError: text }, ['config', 'layout', 'params', 'batchesPerEpoch', 'epoch',
    'batch', 'resumed']),
  PROGRESS: partial({ epoch: count, batch: count, cost: fc.option(num), examplesPerSecond: fc.option(num),
    params: f32() }, ['epoch', 'batch', 'cost', 'examplesPerSecond']),
  EPOCH: record({ epoch: count, trainCost: num, seconds: num, ...evaluation }),
  STATE: record({ running: fc.boolean(), done: fc.boolean() }),
  DIVERGED: record({ message: text }),
  PREDICTION: record({ outputs: fc.array(num, { minLength: 10, maxLength: 10 }) }),
  ERROR: record({ message: text }),
  TRACE: orError(record({ id: traceId, trace }), { id: traceId }),
  STEP_APPLIED: orError(record({ id: traceId, params: f32() }), { id: traceId }),
  GRAD_CHECK: orError(record({ id: traceId, check: gradCheck }), { id: traceId }),
  PARAM_SET: orError(record({ index: count, value: num, params: f32() }), { index: count }),
  SATURATION: record({ saturation }),
  SURFACE: fc.nat({ max: 12 }).chain(n => record({ n: fc.constant(n), values: f32n(n * n), outputs: f32n(4),
    correct: fc.nat({ max: 4 }) })),
  CURVES: fc.nat({ max: 50 }).chain(n => record({ z: f32n(n), curves: record(Object.fromEntries(
    ['sigmoid', 'tanh', 'relu', 'step'].map(f => [f, record({ a: f32n(n), fp: f32n(n) })]))) })),
  TRACE_JSON: orError(record({ id: traceId, text }), { id: traceId }),
  MODEL_FILE: orError(record({ format, bytes: fc.uint8Array({ maxLength: 100 }), ms: num }), { format }),
  MODEL_READ: orError(record({ name: text, format, model: record({ sizes, activation, cost }), params: f32(),
    bytes: count, ms: num }), { name: text }),
  EVALUATION: record(evaluation),
  CHECKPOINT: record({ bytes: fc.uint8Array({ maxLength: 100 }), epoch: count, batch: count, done: fc.boolean(),
    why: fc.constantFrom('epoch', 'pause', 'step', 'edit', 'configure', 'request') }),
  CRASHED: record({ message: text }),
  TEST_IMAGES: orError(fc.nat({ max: 5 }).chain(n => record({ id: traceId,
    indices: fc.uint32Array({ minLength: n, maxLength: n }), pixels: fc.uint8Array({ minLength: 784 * n, maxLength: 784 * n }) })),
  { id: traceId }),
};

// A message as main.js's send and worker.js's post build it: { type, ...payload }.
const messages = (kinds, shapes) => fc.constantFrom(...Object.keys(kinds))
  .chain(key => shapes[key].map(payload => ({ type: kinds[key], ...payload })));
const DIRECTIONS = [['page -> worker', ToWorker, TO_WORKER], ['worker -> page', FromWorker, FROM_WORKER]];

// Every typed array and Blob in a value, with where it is.
function parts(value, at = 'message', found = []) {
  if (ArrayBuffer.isView(value) || value instanceof Blob) found.push([at, value]);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) parts(v, `${at}.${k}`, found);
  }
  return found;
}

// Blobs compare by their bytes and type (deepEqual sees no fields on them).
async function sameBlobs(original, clone) {
  const a = parts(original).filter(([, v]) => v instanceof Blob);
  const b = parts(clone).filter(([, v]) => v instanceof Blob);
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) {
    assert.ok(b[i][1] instanceof Blob, b[i][0]);
    assert.equal(b[i][1].type, a[i][1].type, a[i][0]);
    assert.deepEqual(new Uint8Array(await b[i][1].arrayBuffer()), new Uint8Array(await a[i][1].arrayBuffer()), a[i][0]);
  }
}

test('every message kind of protocol.js has a payload shape here', () => {
  for (const [direction, kinds, shapes] of DIRECTIONS) {
    assert.deepEqual(Object.keys(shapes).sort(), Object.keys(kinds).sort(),
      `${direction}: a message added to protocol.js needs its payloads in this file`);
    assert.ok(Object.isFrozen(kinds), direction);
    assert.equal(new Set(Object.values(kinds)).size, Object.keys(kinds).length, `${direction}: two kinds share a name`);
  }
  assert.ok(Object.isFrozen(DEFAULT_CONFIG));
});

for (const [direction, kinds, shapes] of DIRECTIONS) {
  test(`${direction}: any message survives structured cloning, typed arrays and all`, async t => {
    const handled = new Set(Object.values(kinds));
    await check(t, fc.asyncProperty(messages(kinds, shapes), async message => {
      const clone = structuredClone(message);
      assert.notEqual(clone, message);
      // Strict deep equality: same prototypes and typed array types, NaN and -0 by Object.is,
      // typed arrays byte for byte (so a NaN's bits too).
      assert.deepStrictEqual(clone, message);
      for (const [at, value] of parts(message)) {
        if (value instanceof Blob) continue;
        const copy = at.split('.').slice(1).reduce((v, k) => v[k], clone);
        assert.equal(Object.getPrototypeOf(copy), Object.getPrototypeOf(value), at);
        assert.notEqual(copy.buffer, value.buffer, `${at}: a clone shares no memory with the original`);
      }
      await sameBlobs(message, clone);
      assert.ok(handled.has(clone.type), `${clone.type} is not a kind the other side handles`);
    }), RUNS * Object.keys(kinds).length);
  });

  // worker.js's buffersOf and the page's sends put each typed array's buffer in the transfer list.
  test(`${direction}: transferring the typed arrays' buffers moves them and keeps the values`, async t => {
    await check(t, fc.asyncProperty(messages(kinds, shapes), async message => {
      const snapshot = structuredClone(message);
      const arrays = parts(message).filter(([, v]) => ArrayBuffer.isView(v));
      const transfer = [...new Set(arrays.map(([, v]) => v.buffer))];
      const moved = structuredClone(message, { transfer });
      assert.deepStrictEqual(moved, snapshot);
      for (const [at, value] of arrays) {
        assert.equal(value.buffer.byteLength, 0, `${at}: the sender's buffer is detached`);
        assert.equal(value.length, 0, at);
      }
      await sameBlobs(snapshot, moved);
    }), (RUNS / 2) * Object.keys(kinds).length);
  });
}
