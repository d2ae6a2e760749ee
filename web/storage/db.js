// The lab's one IndexedDB database ('backprop-lab'): its versioned upgrades, the shared
// connection, one transaction per call and the readable StorageError. Used by autosave.js (the
// saved run) and runs.js (the run history); nothing else on the page opens the database. Not
// what the stores hold (each module says), nor when anything is saved.
// @ts-check

export const DB_NAME = 'backprop-lab';
export const AUTOSAVE_STORE = 'autosave';   // one record, key 'current' (autosave.js)
export const RUNS_STORE = 'runs';           // run records, keyPath 'id' (runs.js)

// One step per database version: UPGRADES[v] takes a database from version v to v + 1. Existing
// data is kept; a later store is one more entry.
const UPGRADES = [
  db => db.createObjectStore(AUTOSAVE_STORE),
  db => db.createObjectStore(RUNS_STORE, { keyPath: 'id' }),
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
export function readable(e, doing) {
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

/**
 * One transaction on one store; resolves once it has completed (a write is then on disk as far as
 * the browser promises) with what `use` gave: a request's result, or for any other object its
 * `result` property read after completion (several requests in one transaction).
 * @param {string} storeName
 * @param {'readonly'|'readwrite'} mode
 * @param {string} doing  what fails if this fails, for the message ("Your run could not be saved")
 * @param {(store: IDBObjectStore) => {result: *}} use
 * @returns {Promise<*>} rejects with a StorageError
 */
export async function transact(storeName, mode, doing, use) {
  let db;
  try {
    db = await open();
  } catch (e) {
    throw readable(e, doing);
  }
  return new Promise((resolve, reject) => {
    let out;
    try {
      const tx = db.transaction(storeName, mode);
      tx.oncomplete = () => resolve(out ? out.result : undefined);
      tx.onabort = () => reject(readable(tx.error || (out && out.error), doing));
      out = use(tx.objectStore(storeName));
    } catch (e) {   // put() throws at once for a quota or a value it cannot clone
      if (e && e.name === 'InvalidStateError') connection = null;   // the connection is closing
      reject(readable(e, doing));
    }
  });
}
