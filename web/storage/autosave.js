// The autosave: one run record in IndexedDB (database 'backprop-lab', store 'autosave', key
// 'current'), behind three calls; the connection is db.js's. Not the policy of when to save or
// offer a resume (views/session/) and not what a record holds (main.js's app.runRecord builds it).
// @ts-check

import { AUTOSAVE_STORE as STORE, StorageError, transact as transactIn } from './db.js';

export { StorageError };
const KEY = 'current';
export const SCHEMA = 1;   // the record's own version (its fields: see the contract in main.js)
const transact = (mode, doing, use) => transactIn(STORE, mode, doing, use);

// --- the queue: one operation at a time, saves coalesced ----------------------------------------
let tail = Promise.resolve();
let queuedSave = null;   // { record, promise, cancelled } not started yet

function enqueue(operation) {
  const result = tail.then(operation);
  tail = result.catch(() => {});
  return result;
}

/**
 * The saved run, or null if there is none (or it is of another schema).
 * @returns {Promise<Object|null>} rejects with a StorageError
 */
export function loadRun() {
  return enqueue(async () => {
    const record = await transact('readonly', 'The saved run could not be read', s => s.get(KEY));
    return record && record.schema === SCHEMA && record.checkpoint instanceof Uint8Array ? record : null;
  });
}

/**
 * Stores record as the saved run. A save made while another is being written replaces the one
 * waiting (if any): both promises then settle with the newer record's outcome.
 * @param {Object} record  the autosave record (schema 1)
 * @returns {Promise<Object|null>} the record stored (the newest of those coalesced), or null if a
 *   clearRun() came first; rejects with a StorageError
 */
export function saveRun(record) {
  if (queuedSave) {
    queuedSave.record = record;
    return queuedSave.promise;
  }
  const slot = { record, cancelled: false };
  slot.promise = enqueue(async () => {
    if (queuedSave === slot) queuedSave = null;
    if (slot.cancelled) return null;
    const stored = slot.record;
    await transact('readwrite', 'Your run could not be saved', s => s.put(stored, KEY));
    return stored;
  });
  queuedSave = slot;
  return slot.promise;
}

/**
 * Deletes the saved run (and drops a save still waiting).
 * @returns {Promise<void>} rejects with a StorageError
 */
export function clearRun() {
  if (queuedSave) {
    queuedSave.cancelled = true;
    queuedSave = null;
  }
  return enqueue(() => transact('readwrite', 'The saved run could not be deleted', s => s.delete(KEY)));
}
