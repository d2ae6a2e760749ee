// Node tests of web/views/sweep/plan.js and words.js: the three sweeps' configs from the current
// settings (the book's settings over them, epochs/batch/seed kept), the book's figures (MNIST
// only), the parallelism rule and the table's texts. Not the workers (sweep.test.mjs).
import test from 'node:test';
import assert from 'node:assert/strict';
import { planSweep, SWEEP_KINDS, parallelism } from '../../web/views/sweep/plan.js';
import { duration, percent, stateText, summaryText } from '../../web/views/sweep/words.js';
import { DEFAULT_CONFIG } from '../../web/protocol.js';
import { FIELD_PARSERS, checkConfig, imageDataset, runLabel } from '../../web/config.js';

// Settings a student may have: none of the book's, so each sweep must set its own.
const CURRENT = { ...DEFAULT_CONFIG, sizes: [784, 50, 20, 10], activation: 'tanh', cost: 'cross-entropy',
  init: 'scaled', eta: 0.5, lambda: 5, epochs: 2, batch: 20, seed: 7 };

test('the eta sweep: five runs of the book\'s [784,30,10] network, only eta differs', () => {
  const plan = planSweep('eta', CURRENT);
  assert.equal(plan.dataset, 'mnist');
  assert.deepEqual(plan.runs.map(r => r.config.eta), [0.001, 0.01, 1, 3, 100]);
  for (const r of plan.runs) {
    assert.deepEqual(r.config, { ...DEFAULT_CONFIG, sizes: [784, 30, 10], activation: 'sigmoid',
      cost: 'quadratic', init: 'gaussian', lambda: 0, eta: r.config.eta, epochs: 2, batch: 20, seed: 7 });
  }
  assert.deepEqual(plan.runs.map(r => r.book.accuracy), [null, null, null, 0.9542, 0.1]);
  assert.match(plan.runs[0].book.text, /11% to 21% in 30 epochs \(book: \[784,100,10\]\)/);
  assert.match(plan.runs[4].book.text, /fails to learn: about 10%/);
  assert.deepEqual(plan.runs.map(r => r.key), ['eta-0', 'eta-1', 'eta-2', 'eta-3', 'eta-4']);
  assert.equal(plan.runs[3].label, '[784,30,10] eta 3 seed 7');
});

test('the hidden sweep: 30 against 100 hidden neurons at eta 3', () => {
  const plan = planSweep('hidden', CURRENT);
  assert.deepEqual(plan.runs.map(r => r.config.sizes), [[784, 30, 10], [784, 100, 10]]);
  for (const r of plan.runs) {
    assert.equal(r.config.eta, 3);
    assert.equal(r.config.init, 'gaussian');
    assert.equal(r.config.activation, 'sigmoid');
    assert.equal(r.config.cost, 'quadratic');
    assert.equal(r.config.seed, 7);
  }
  assert.deepEqual(plan.runs.map(r => r.book.accuracy), [0.9542, 0.9659]);
  assert.match(plan.runs[1].book.text, /^96\.59%.*seed/);
});

test('the init sweep: gaussian and scaled, seeds 1, 2, 3 each, whatever the current seed', () => {
  const plan = planSweep('init', CURRENT);
  assert.deepEqual(plan.runs.map(r => [r.config.init, r.config.seed]),
    [['gaussian', 1], ['gaussian', 2], ['gaussian', 3], ['scaled', 1], ['scaled', 2], ['scaled', 3]]);
  for (const r of plan.runs) {
    assert.deepEqual(r.config.sizes, [784, 100, 10]);
    assert.equal(r.config.eta, 3);
    assert.equal(r.config.epochs, 2);
    assert.equal(r.book.accuracy, null);   // the book gives no figure for this comparison here
  }
  assert.match(plan.runs[0].book.text, /seed decides/);
  assert.match(plan.runs[3].book.text, /much sooner/);
  assert.equal(plan.runs[4].label, '[784,100,10] eta 3 seed 2, init scaled');
});

test('every planned config is one the page accepts, and no run shares its sizes array', () => {
  for (const kind of SWEEP_KINDS) {
    const plan = planSweep(kind, CURRENT);
    for (const r of plan.runs) {
      assert.deepEqual(checkConfig(r.config), [], `${kind} ${r.label}`);
      for (const key of Object.keys(FIELD_PARSERS)) assert.ok(key in r.config, `${kind}: ${key}`);
    }
    plan.runs[0].config.sizes[1] = 1;
    assert.notEqual(planSweep(kind, CURRENT).runs[0].config.sizes[1], 1);
    assert.notEqual(plan.runs[1].config.sizes[1], 1);
  }
  assert.throws(() => planSweep('lambda', CURRENT), /Unknown sweep "lambda"/);
});

test('the dataset: mnist or fashion as they are, a truth table sweeps MNIST; book figures only for MNIST', () => {
  assert.equal(imageDataset('fashion'), 'fashion');
  assert.equal(imageDataset('xor'), 'mnist');
  const xor = planSweep('hidden', { ...CURRENT, dataset: 'xor', sizes: [2, 2, 1], batch: 4 });
  assert.equal(xor.dataset, 'mnist');
  assert.equal(xor.runs[0].config.dataset, 'mnist');
  const fashion = planSweep('eta', { ...CURRENT, dataset: 'fashion' });
  assert.ok(fashion.runs.every(r => r.config.dataset === 'fashion' && r.book.accuracy === null));
  assert.match(fashion.runs[3].book.text, /no Fashion-MNIST figures/);
  assert.equal(runLabel(fashion.runs[3].config), 'Fashion [784,30,10] eta 3 seed 7');
});

test('workers at a time: the cores less one for the page, at least one', () => {
  assert.equal(parallelism(3), 2);
  assert.equal(parallelism(2), 1);
  assert.equal(parallelism(1), 1);
  assert.equal(parallelism(undefined), 1);
  assert.equal(parallelism(16), 15);
});

test('the table\'s texts', () => {
  assert.equal(percent(0.9542), '95.42%');
  assert.equal(percent(null), '–');
  assert.equal(duration(7.44), '7.4 s');
  assert.equal(duration(83), '1 min 23 s');
  assert.equal(duration(3725), '1 h 02 min');
  assert.equal(duration(0), '–');
  assert.equal(duration(7.94, true), '7 s', 'a running clock: whole seconds');
  assert.equal(duration(83.4, true), '1 min 23 s');
  const run = { config: { epochs: 3 }, epochs: [{}], progress: { epoch: 1, batch: 20 }, message: '' };
  assert.equal(stateText({ ...run, phase: 'training' }), 'training epoch 2/3');
  assert.equal(stateText({ ...run, phase: 'training', progress: { epoch: 3, batch: 0 } }), 'training epoch 3/3');
  assert.equal(stateText({ ...run, phase: 'queued', epochs: [] }), 'queued');
  assert.equal(stateText({ ...run, phase: 'failed', message: 'the cost is NaN' }), 'failed: the cost is NaN');
  assert.equal(summaryText({ phase: 'running', seconds: 12.34, limit: 2, cores: 3,
    counts: { training: 2, queued: 3, done: 0, failed: 0 } }),
  'Running: wall time 12 s; 2 workers at a time (this browser reports 3 cores; one is left to the page); ' +
    '2 training, 3 queued.');
  assert.match(summaryText({ phase: 'done', seconds: 12.34, limit: 1, cores: 2, counts: { done: 5 } }),
    /^Finished: wall time 12\.3 s; 1 worker at a time \(this browser reports 2 cores;.*; 5 done\.$/);
});
