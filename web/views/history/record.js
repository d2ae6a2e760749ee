// A run record (the contract's schema 1, kept by storage/runs.js) built from what the page knows
// of a run: its config and the worker's EPOCH payloads, with the summary figures the history
// lists (best epoch, wall time, last confusion). Pure functions, so Node can test them; the sweep
// view may build its records here too. Not the storing (storage/runs.js) nor the drawing.

import { runLabel, isImageDataset } from '../../config.js';

export const SCHEMA = 1;

// Only image datasets are recorded (a truth table trains in a blink and has no test set).
export const isImageRun = config => Boolean(config) && isImageDataset(config.dataset || 'mnist');

const fraction = (correct, total) => (total ? correct / total : null);
const orNull = v => (v === undefined ? null : v);

// One EPOCH payload (the i-th, 0-based) as the record's epoch entry: the core's counts and costs.
export function epochEntry(e, i) {
  return {
    epoch: i + 1,
    testAccuracy: fraction(e.testCorrect, e.testTotal),
    validationAccuracy: fraction(e.validationCorrect, e.validationTotal),
    testCost: orNull(e.testCost),
    validationCost: e.validationTotal ? orNull(e.validationCost) : null,
    trainCost: orNull(e.trainCost),
    seconds: orNull(e.seconds),
  };
}

// The epoch of the highest test accuracy (the first of equals), or null.
export function bestOf(epochs) {
  let best = null;
  for (const e of epochs) {
    if (e.testAccuracy != null && (!best || e.testAccuracy > best.accuracy)) {
      best = { epoch: e.epoch, accuracy: e.testAccuracy };
    }
  }
  return best;
}

/**
 * The record of a run.
 * @param {Object} run  { id, config, epochs (EPOCH payloads), wallSeconds, done, diverged,
 *   source ('page'|'sweep'), sweep ({id, kind}|null) }
 * @param {Object|null} previous  the record stored before (keeps its name and createdAt)
 * @param {number} now  ms since the epoch
 */
export function buildRecord(run, previous, now) {
  const epochs = run.epochs.map(epochEntry);
  const last = run.epochs[run.epochs.length - 1];
  return {
    schema: SCHEMA,
    id: run.id,
    name: previous ? previous.name : null,
    label: runLabel(run.config),
    config: { ...run.config, sizes: [...run.config.sizes] },
    source: run.source || 'page',
    sweep: run.sweep || null,
    createdAt: previous ? previous.createdAt : now,
    updatedAt: now,
    epochs,
    best: bestOf(epochs),
    wallSeconds: Math.max(0, run.wallSeconds || 0),
    confusion: last && last.confusion ? Array.from(last.confusion) : null,
    done: Boolean(run.done),
    diverged: run.diverged || null,
  };
}

// What a list item says: "best 94.12% at epoch 3 · 3 epochs · 1 min 05 s".
export function wallText(seconds) {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor(s / 60) % 60).padStart(2, '0')} min`;
}

export const percentText = fraction => `${(100 * fraction).toFixed(2)}%`;

export function summaryText(record) {
  const n = record.epochs.length;
  const best = record.best ? `best ${percentText(record.best.accuracy)} at epoch ${record.best.epoch}`
    : 'no epoch yet';
  const end = record.diverged ? ' · diverged' : record.done ? ' · done' : '';
  return `${best} · ${n} epoch${n === 1 ? '' : 's'} · ${wallText(record.wallSeconds)}${end}`;
}
