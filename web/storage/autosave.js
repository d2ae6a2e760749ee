// The autosave: one run record in IndexedDB (database 'backprop-lab', store 'autosave', key
// 'current'), behind three calls. The only code on the page that touches IndexedDB. Not the
// policy of when to save or offer a resume (views/session/) and not what a record holds
// (main.js's app.runRecord builds it).

const DB_NAME = 'backprop-lab';
const STORE = 'autosave';
const KEY = 'current';
export const SCHEMA = 1;   // the record's own version (its fields: see the contract in main.js)

// One step per database version: UPGRADES[v] takes a database from version v to v + 1. A later
// store (the run history's 'runs') is one more entry; existing data is kept.
const UPGRADES = [
  db => db.createObjectStore(STORE),
];
const DB_VERSION = UPGRADES.length;

/** A storage failure, with a message a user can read (and the browser's own name for it). */
export class StorageError extends Error {
  constructor(message, cause) {
    super(message);
    this.name = 'StorageError';
    this.cause = cause;
  }
}

// What went wrong, in words: `doing` is what failed ("The run could not be saved").
function readable(e, doing) {
  if (e instanceof StorageError) return e;
  const name = e && e.name, detail = e && e.message ? ` (${e.message})` : '';
  const why = {
    QuotaExceededError: 'the browser\'s storage for this site is full',
    VersionError: 'the saved data is from a newer version of the lab (open in another tab?)',
    SecurityError: 'the browser does not let this page store data (a private window, or storage ' +
      'blocked for this site)',
    InvalidStateError: 'the browser closed the lab\'s storage',
    DataCloneError: 'the run holds data the browser cannot store',
    UnknownError: `the browser's storage failed${detail}`,
  }[name] || `the browser's storage failed: ${name || 'error'}${detail}`;
  return new StorageError(`${doing}: ${why}.`, e);
}

// --- the connection -----------------------------------------------------------------------------
let connection = null;   // Promise<IDBDatabase> while open or opening; null: open again next time

function open() {
  if (connection) return connection;
  connection = new Promise((resolve, reject) => {
    const idb = globalThis.indexedDB;
    if (!idb) {
      reject(new StorageError('This browser gives the page no storage (IndexedDB is off, as in a ' +
        'private window), so your run cannot be saved.'));
      return;
    }
    let request, settled = false;
    const fail = e => {   // transact() says what could not be done
      if (settled) return;
      settled = true;
      reject(e);
    };
    try {
      request = idb.open(DB_NAME, DB_VERSION);
    } catch (e) {   // a SecurityError in some private modes
      fail(e);
      return;
    }
    request.onupgradeneeded = e => {
      for (let v = e.oldVersion; v < DB_VERSION; v++) UPGRADES[v](request.result);
    };
    request.onblocked = () => fail(new StorageError('The lab\'s storage could not be opened: another ' +
      'tab of the lab holds an older version of it open. Close that tab to save your run.'));
    request.onerror = () => fail(request.error);
    request.onsuccess = () => {
      const db = request.result;
      if (settled) {   // blocked first and opened late: the next call opens again
        db.close();
        return;
      }
      settled = true;
      // Another tab upgrading the database (a newer lab): step aside, open again next time.
      db.onversionchange = () => {
        db.close();
        connection = null;
      };
      db.onclose = () => { connection = null; };   // closed by the browser (storage cleared)
      resolve(db);
    };
  });
  connection.catch(() => { connection = null; });   // a later call tries again
  return connection;
}

// One request in its own transaction; resolves with the request's result once the transaction
// has completed (a write is then on disk as far as the browser promises).
async function transact(mode, doing, use) {
  let db;
  try {
    db = await open();
  } catch (e) {
    throw readable(e, doing);
  }
  return new Promise((resolve, reject) => {
    let request;
    try {
      const tx = db.transaction(STORE, mode);
      tx.oncomplete = () => resolve(request ? request.result : undefined);
      tx.onabort = () => reject(readable(tx.error || (request && request.error), doing));
      request = use(tx.objectStore(STORE));
    } catch (e) {   // put() throws at once for a quota or a value it cannot clone
      if (e && e.name === 'InvalidStateError') connection = null;   // the connection is closing
      reject(readable(e, doing));
    }
  });
}

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
