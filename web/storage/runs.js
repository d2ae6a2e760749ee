// The run history: run records (schema 1, see views/history/record.js) in the 'runs' store of the
// lab's database (db.js), behind five calls. A record that cannot be read (corrupt, of another
// schema) is skipped with the reason, never thrown. Not what a record is built from, nor when a
// run is saved (views/history/, views/sweep/).
// @ts-check
import { RUNS_STORE, StorageError, transact } from './db.js';

export { StorageError };
export const SCHEMA = 1;

const isNumber = v => typeof v === 'number';
const isFraction = v => isNumber(v) && v >= 0 && v <= 1;
const isCount = v => Number.isInteger(v) && v >= 1;
const isObject = v => v !== null && typeof v === 'object' && !Array.isArray(v);

// Why an epoch entry is not one, or ''.
function epochProblem(e, i) {
  const at = `epoch entry ${i + 1}`;
  if (!isObject(e)) return `${at} is not an object`;
  if (e.epoch !== i + 1) return `${at} is numbered ${JSON.stringify(e.epoch)}`;
  if (!isFraction(e.testAccuracy)) return `${at} has no test accuracy`;
  if (e.validationAccuracy !== null && !isFraction(e.validationAccuracy)) return `${at} has a bad validation accuracy`;
  for (const k of ['testCost', 'validationCost', 'trainCost', 'seconds']) {
    if (e[k] !== null && !isNumber(e[k])) return `${at} has a bad ${k}`;
  }
  return '';
}

/**
 * Why value is not a run record of this schema, in words, or '' if it is one.
 * @param {*} r
 * @returns {string}
 */
export function recordProblem(r) {
  if (!isObject(r)) return 'it is not a run record';
  if (r.schema !== SCHEMA) return `it is of another format (schema ${JSON.stringify(r.schema)})`;
  if (typeof r.id !== 'string' || !r.id) return 'it has no id';
  if (r.name !== null && typeof r.name !== 'string') return 'its name is not text';
  if (typeof r.label !== 'string') return 'it has no label';
  if (!isObject(r.config) || !Array.isArray(r.config.sizes) || !r.config.sizes.every(isCount)) {
    return 'its settings have no layer sizes';
  }
  if (r.source !== 'page' && r.source !== 'sweep') return 'its source is unknown';
  if (r.sweep !== null && !(isObject(r.sweep) && typeof r.sweep.id === 'string' && typeof r.sweep.kind === 'string')) {
    return 'its sweep is malformed';
  }
  if (!Number.isFinite(r.createdAt) || !Number.isFinite(r.updatedAt)) return 'its dates are missing';
  if (!Array.isArray(r.epochs)) return 'its epochs are not a list';
  for (let i = 0; i < r.epochs.length; i++) {
    const why = epochProblem(r.epochs[i], i);
    if (why) return why;
  }
  if (r.best !== null && !(isObject(r.best) && isCount(r.best.epoch) && isFraction(r.best.accuracy))) {
    return 'its best epoch is malformed';
  }
  if (!Number.isFinite(r.wallSeconds) || r.wallSeconds < 0) return 'its wall time is not a number';
  if (r.confusion !== null && !(Array.isArray(r.confusion) && r.confusion.length === 100 &&
    r.confusion.every(Number.isFinite))) return 'its confusion matrix is not 100 counts';
  if (typeof r.done !== 'boolean') return 'it does not say whether it is done';
  if (r.diverged !== null && typeof r.diverged !== 'boolean' && typeof r.diverged !== 'string') {
    return 'it does not say whether it diverged';
  }
  return '';
}

// --- the queue: one operation at a time, puts of one id coalesced ------------------------------
let tail = /** @type {Promise<unknown>} */ (Promise.resolve());
const queuedPuts = new Map();   // id -> { record, promise, cancelled } not started yet

/** @template T  @param {() => T | Promise<T>} operation  @returns {Promise<T>} */
function enqueue(operation) {
  const result = tail.then(operation);
  tail = result.catch(() => {});
  return result;
}

const run = (mode, doing, use) => transact(RUNS_STORE, mode, doing, use);

/**
 * Every readable run, oldest first, and those skipped with why.
 * @returns {Promise<{runs: Object[], skipped: {id: string, why: string}[]}>} rejects with a
 *   StorageError only if the store cannot be read at all
 */
export function listRuns() {
  return enqueue(async () => {
    const rows = await run('readonly', 'The run history could not be read', s => {
      const keys = s.getAllKeys(), values = s.getAll();
      return { get result() { return keys.result.map((key, i) => [key, values.result[i]]); } };
    });
    const runs = [], skipped = [];
    for (const [key, value] of rows) {
      const why = recordProblem(value) || (value.id !== key ? 'its id does not match its key' : '');
      if (why) skipped.push({ id: String(key), why });
      else runs.push(value);
    }
    runs.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
    return { runs, skipped };
  });
}

/**
 * Stores a run record (replacing the record of its id). The stored name is kept: a name changes
 * only by renameRun (so a record built before a rename does not undo it). A put made while an
 * earlier one of the same id waits replaces it; both promises settle with the newer's outcome.
 * @param {Object} record  a run record (schema 1)
 * @returns {Promise<Object|null>} the record stored, or null if a delete or clear came first;
 *   rejects with a StorageError
 */
export function putRun(record) {
  const why = recordProblem(record);
  if (why) return Promise.reject(new StorageError(`The run could not be saved: ${why}.`));
  const waiting = queuedPuts.get(record.id);
  if (waiting) {
    waiting.record = record;
    return waiting.promise;
  }
  const slot = { record, cancelled: false };
  slot.promise = enqueue(async () => {
    if (queuedPuts.get(record.id) === slot) queuedPuts.delete(record.id);
    if (slot.cancelled) return null;
    return run('readwrite', 'The run could not be saved to the history', s => {
      const out = { result: null, error: null }, get = s.get(slot.record.id);
      get.onsuccess = () => {
        const old = get.result;
        out.result = old && recordProblem(old) === '' ? { ...slot.record, name: old.name } : slot.record;
        try {
          s.put(out.result);
        } catch (e) {   // a quota, a value it cannot clone: the transaction says it failed
          out.error = e;
          s.transaction.abort();
        }
      };
      return out;
    });
  });
  queuedPuts.set(record.id, slot);
  return slot.promise;
}

/**
 * Names a run (null: back to its label).
 * @returns {Promise<Object>} the record as stored; rejects with a StorageError (also when the run
 *   is not saved)
 */
export function renameRun(id, name) {
  const doing = 'The run could not be renamed';
  return enqueue(() => run('readwrite', doing, s => {
    const out = { result: null, error: null }, get = s.get(id);
    get.onsuccess = () => {
      if (!get.result || recordProblem(get.result)) {
        out.error = new StorageError(`${doing}: it is no longer in the history.`);
        s.transaction.abort();
        return;
      }
      out.result = { ...get.result, name: name == null || name === '' ? null : String(name) };
      try {
        s.put(out.result);
      } catch (e) {
        out.error = e;
        s.transaction.abort();
      }
    };
    return out;
  }));
}

/** Deletes a run (and drops a put of it still waiting). Rejects with a StorageError. */
export function deleteRun(id) {
  const waiting = queuedPuts.get(id);
  if (waiting) {
    waiting.cancelled = true;
    queuedPuts.delete(id);
  }
  return enqueue(() => run('readwrite', 'The run could not be deleted', s => s.delete(id)));
}

/** Deletes every run, readable or not (and drops the puts waiting). Rejects with a StorageError. */
export function clearRuns() {
  for (const slot of queuedPuts.values()) slot.cancelled = true;
  queuedPuts.clear();
  return enqueue(() => run('readwrite', 'The run history could not be cleared', s => s.clear()));
}
