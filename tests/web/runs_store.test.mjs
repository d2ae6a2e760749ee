// Node unit tests of the run history's pure parts: a record built from EPOCH payloads
// (views/history/record.js), the record check that decides what listRuns() skips
// (storage/runs.js's recordProblem), and the CSV and JSON exports (views/history/export.js).
// Not IndexedDB itself nor the page (history.test.mjs drives those in Chromium).
import test from 'node:test';
import assert from 'node:assert/strict';
import { buildRecord, isImageRun, summaryText, wallText } from '../../web/views/history/record.js';
import { runLabel } from '../../web/config.js';
import { recordProblem } from '../../web/storage/runs.js';
import { toCsv, toJson, cell } from '../../web/views/history/export.js';
import { Colors, PALETTE } from '../../web/views/history/colors.js';

const CONFIG = { dataset: 'mnist', sizes: [784, 30, 10], activation: 'sigmoid', cost: 'quadratic',
  init: 'gaussian', eta: 3, batch: 10, epochs: 30, lambda: 0, seed: 1 };
const epoch = (correct, extra = {}) => ({ epoch: 0, testCorrect: correct, testTotal: 10000, testCost: 0.1,
  validationCorrect: correct - 10, validationTotal: 10000, validationCost: 0.11, trainCost: 0.09, seconds: 4.5,
  confusion: new Uint32Array(100).fill(1), ...extra });

function record(overrides = {}) {
  const built = buildRecord({ id: 'r1', config: CONFIG, epochs: [epoch(9000), epoch(9400), epoch(9300)],
    wallSeconds: 14.2, done: false, diverged: null }, null, 1000);
  return { ...built, ...overrides };
}

test('a record from EPOCH payloads: accuracies, the best epoch, the last confusion', () => {
  const r = record();
  assert.equal(recordProblem(r), '');
  assert.equal(r.label, '[784,30,10] eta 3 seed 1');
  assert.deepEqual(r.epochs.map(e => [e.epoch, e.testAccuracy, e.validationAccuracy]),
    [[1, 0.9, 0.899], [2, 0.94, 0.939], [3, 0.93, 0.929]]);
  assert.deepEqual(r.best, { epoch: 2, accuracy: 0.94 });
  assert.equal(r.confusion.length, 100);
  assert.ok(Array.isArray(r.confusion), 'the confusion is a plain array (the contract)');
  assert.deepEqual([r.createdAt, r.updatedAt, r.name, r.source, r.sweep], [1000, 1000, null, 'page', null]);
  assert.equal(summaryText(r), 'best 94.00% at epoch 2 · 3 epochs · 14 s');
  // Built again later: its name and creation time are kept.
  const again = buildRecord({ id: 'r1', config: CONFIG, epochs: [epoch(9000)], wallSeconds: 1, done: true },
    { ...r, name: 'mine' }, 5000);
  assert.deepEqual([again.name, again.createdAt, again.updatedAt, again.done], ['mine', 1000, 5000, true]);
  assert.equal(runLabel({ ...CONFIG, dataset: 'fashion' }), 'Fashion [784,30,10] eta 3 seed 1');
  assert.deepEqual(['mnist', 'fashion', 'xor', undefined].map(d => isImageRun({ ...CONFIG, dataset: d })),
    [true, true, false, true]);
  assert.deepEqual([wallText(5), wallText(65), wallText(3725)], ['5 s', '1 min 05 s', '1 h 02 min']);
  // No validation set: no validation figures.
  const noValidation = buildRecord({ id: 'r2', config: CONFIG, wallSeconds: 0,
    epochs: [epoch(9000, { validationTotal: 0, validationCorrect: 0 })] }, null, 1);
  assert.deepEqual([noValidation.epochs[0].validationAccuracy, noValidation.epochs[0].validationCost], [null, null]);
  assert.equal(recordProblem(noValidation), '');
});

test('recordProblem says why an entry cannot be listed', () => {
  const r = record();
  const cases = [
    [null, 'it is not a run record'],
    ['text', 'it is not a run record'],
    [{ ...r, schema: 2 }, 'it is of another format (schema 2)'],
    [{ ...r, id: '' }, 'it has no id'],
    [{ ...r, name: 5 }, 'its name is not text'],
    [{ ...r, config: { sizes: 'x' } }, 'its settings have no layer sizes'],
    [{ ...r, epochs: {} }, 'its epochs are not a list'],
    [{ ...r, epochs: [r.epochs[0], { ...r.epochs[1], testAccuracy: 'high' }] }, 'epoch entry 2 has no test accuracy'],
    [{ ...r, epochs: [r.epochs[1]] }, 'epoch entry 1 is numbered 2'],
    [{ ...r, best: { epoch: 0, accuracy: 1 } }, 'its best epoch is malformed'],
    [{ ...r, wallSeconds: -1 }, 'its wall time is not a number'],
    [{ ...r, confusion: [1, 2] }, 'its confusion matrix is not 100 counts'],
    [{ ...r, done: 'yes' }, 'it does not say whether it is done'],
    [{ ...r, source: 'file' }, 'its source is unknown'],
  ];
  for (const [value, why] of cases) assert.equal(recordProblem(value), why, JSON.stringify(value).slice(0, 80));
  assert.equal(recordProblem({ ...r, diverged: 'the cost is NaN', source: 'sweep', sweep: { id: 's1', kind: 'eta' } }), '');
});

test('CSV: one row per run per epoch, every config key a column, cells quoted', () => {
  const a = record(), b = { ...record({ id: 'r2', name: '=SUM(A1), "best"' }), config: { ...CONFIG, eta: 0.5, extra: 7 } };
  b.epochs = b.epochs.slice(0, 1);
  const lines = toCsv([a, b]).trimEnd().split('\r\n');
  assert.equal(lines[0], 'id,name,label,source,dataset,sizes,activation,cost,init,eta,batch,epochs,lambda,seed,extra,' +
    'epoch,test_accuracy,validation_accuracy,test_cost,validation_cost,train_cost,seconds');
  assert.equal(lines.length, 1 + 3 + 1);
  assert.equal(lines[1], 'r1,,"[784,30,10] eta 3 seed 1",page,mnist,"784,30,10",sigmoid,quadratic,gaussian,3,10,30,0,1,,' +
    '1,0.9,0.899,0.1,0.11,0.09,4.5');
  assert.equal(lines[4], 'r2,"\'=SUM(A1), ""best""","[784,30,10] eta 3 seed 1",page,mnist,"784,30,10",sigmoid,quadratic,' +
    'gaussian,0.5,10,30,0,1,7,1,0.9,0.899,0.1,0.11,0.09,4.5');
  assert.deepEqual([cell(null), cell(-1), cell('-x'), cell(NaN)], ['', '-1', "'-x", 'NaN']);
  const json = JSON.parse(toJson([a, b], Date.UTC(2025, 0, 2)));
  assert.deepEqual([json.format, json.schema, json.exportedAt, json.runs.length, json.runs[1].name],
    ['backprop-lab-runs', 1, '2025-01-02T00:00:00.000Z', 2, '=SUM(A1), "best"']);
});

test('colours: distinct while there are colours, freed by a deleted run, stable per id', () => {
  const c = new Colors();
  const first = ['a', 'b', 'c'].map(id => c.color(id));
  assert.equal(new Set(first).size, 3);
  assert.equal(c.color('b'), first[1]);
  c.forget('b');
  assert.equal(c.color('d', ['a', 'c']), first[1], 'the freed colour is taken again');
  const many = Array.from({ length: PALETTE.length }, (_, i) => c.color(`x${i}`));
  assert.ok(many.every(color => PALETTE.includes(color)));
});
