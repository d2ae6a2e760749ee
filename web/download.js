// Streams the four gzipped MNIST IDX files into the C++ incremental readers (module.IdxReader):
// fetch, DecompressionStream, a stall watchdog per file, and error messages a user can act on.
// Not the worker's message loop: the worker (worker.js) calls loadMnist and posts the messages.
// @ts-check
import { MNIST_FILES } from './protocol.js';

const STALL_SECONDS = 15;            // a file that sends nothing for this long has stalled
// sw.js's data cache and the header of its inflated entries (tests/web/offline.test.mjs checks
// that both files spell them alike): files the core has checked, kept by the service worker.
export const DATA_CACHE_PREFIX = 'backprop-lab-data ';
export const INFLATED_HEADER = 'X-Backprop-Lab-Inflated';
const dataCacheName = () => DATA_CACHE_PREFIX + new URL('.', import.meta.url).href;
// Next to an images file's inflated copy, the worker keeps the core's sparse form of it
// (cpp/sparse_file.hpp: 15 MB of MNIST's training images instead of 47 MB, a bitmap of the lit
// pixels and their values): under
// the .gz's URL with this ending instead, a key that is never fetched. sw.js leaves it alone.
export const COMPACT_SUFFIX = '.bpls';
const compactKey = url => url.replace(/\.gz$/, COMPACT_SUFFIX);
const isImages = name => name.includes('-images-');
const fileUrl = (dataUrl, name) => `${dataUrl}${name}.gz`;   // also the key of its stored copies
const DOWNLOAD_INTERVAL = 100;       // ms between progress reports of one file
const LATE_MS = 250;                 // a watchdog timer this late was held up by our own work

// A failed download or bad data; file is the MNIST_FILES name the page shows it against
// ('' for the data as a whole). The message names the .gz file itself.
class DataError extends Error {
  constructor(file, message) {
    super(message);
    this.file = file;
    this.compactDamaged = false;   // a compact copy the core refused: the inflated one is read next
  }
}

function messageOf(e) {
  return (e && e.message) || String(e);
}

// Resolves to { data, stored, from }: a new MnistData (the caller owns it and must .delete() it),
// how many of the four files were this browser's stored copy, and where each file came from
// ('compact', 'inflated' or '' as streamFile has it); or rejects with a
// DataError for the first file that failed; the other downloads are cancelled. When signal aborts
// (a newer LOAD), it rejects with the abort and reports nothing more.
// onProgress(name, received, total): compressed bytes, throttled, and always once more at the end
// of every file that got a response, so a bar never stays at an old value.
// stallSeconds: as LOAD gave it; anything but a positive number means STALL_SECONDS.
// module may still be on its way (a promise of it): the downloads start at once and their bytes
// are held until it is there, so the module compiles while the data streams in.
export async function loadMnist(moduleOrPromise, dataUrl, { onProgress, signal, stallSeconds }) {
  stallSeconds = Number(stallSeconds) > 0 ? Number(stallSeconds) : STALL_SECONDS;
  const cancel = new AbortController();   // the first failure stops the other files
  const abort = () => cancel.abort();
  signal.addEventListener('abort', abort);
  let error = null;
  const from = MNIST_FILES.map(() => '');
  const made = Promise.resolve(moduleOrPromise).then(module => ({
    module, readers: MNIST_FILES.map((name, i) => new module.IdxReader(name, i % 2 === 0)),
  }));
  try {
    // Every download settles before the readers are deleted: none may feed a deleted reader.
    await Promise.all(MNIST_FILES.map((name, i) => {
      const report = (received, total) => { if (!signal.aborted) onProgress(name, received, total); };
      const url = fileUrl(dataUrl, name), options = { signal: cancel.signal, report, stallSeconds };
      return streamFile(url, name, made.then(m => m.readers[i]), options)
        .catch((e) => {
          // A compact copy the core refused (now deleted): the file again, from its inflated copy,
          // into a new reader. Nothing is lost, so nothing is said.
          if (!e.compactDamaged || cancel.signal.aborted) throw e;
          const renewed = made.then((m) => {
            m.readers[i].delete();
            m.readers[i] = new m.module.IdxReader(name, i % 2 === 0);
            return m.readers[i];
          });
          return streamFile(url, name, renewed, { ...options, skipCompact: true });
        })
        .then((source) => { from[i] = source; }, (e) => {
          if (!error && !cancel.signal.aborted) error = e;   // later failures are consequences
          cancel.abort();
        });
    }));
    if (signal.aborted) throw new DOMException('The MNIST download was replaced', 'AbortError');
    if (error) throw error;
    const { module, readers } = await made;
    const data = new module.MnistData();
    try {
      readers.forEach((reader, i) => data.setFile(i, reader));
      data.check();
    } catch (e) {
      data.delete();
      throw new DataError('', messageOf(e));
    }
    return { data, stored: from.filter(Boolean).length, from };
  } finally {
    signal.removeEventListener('abort', abort);
    await made.then(({ readers }) => readers.forEach((reader) => reader.delete()), () => {});
  }
}

// The service worker's inflated copy of url, read here directly, or null (none, an older build's
// .gz entry, which the service worker replaces when it answers, or no Cache Storage: Node, a
// browser that refuses it). The same bytes the service worker would answer with, without a
// fetch event for each file: in a new tab the four took ~450 ms through it, ~330 ms read here.
// The scope is this folder, as sw.js's next to this file has it.
async function storedCopy(url) {
  if (typeof caches === 'undefined') return null;
  try {
    const hit = await caches.match(url, { cacheName: dataCacheName(), ignoreVary: true });
    return hit && hit.ok && hit.headers.has(INFLATED_HEADER) ? hit : null;
  } catch {
    return null;
  }
}

// An images file's compact copy, else its inflated one: { response, key, compact }, or null.
// One after the other: a response opened for nothing (the inflated copy, when there is a compact
// one) slowed the compact copy's reading to that of the inflated one, as measured.
async function storedForm(url, name, skipCompact) {
  const compact = isImages(name) && !skipCompact ? await storedCopy(compactKey(url)) : null;
  if (compact) return { response: compact, key: compactKey(url), compact: true };
  const inflated = await storedCopy(url);
  return inflated && { response: inflated, key: url, compact: false };
}

// Keeps the core's sparse form of data's images files (loaded from dataUrl) that loadMnist's
// `from` says were read from their inflated copy, next to it, where it is smaller (MNIST's: 15 MB
// against 47; Fashion-MNIST's, with three times the lit pixels: 29 MB against 47). The value
// array is copied out of the core's memory at once (new Blob), before anything can free or move it.
// Resolves to how many were kept; a refusal of the storage (a full quota) keeps nothing and is not
// an error: the next visit reads the inflated copy as this one did.
export async function storeCompact(data, dataUrl, from) {
  if (typeof caches === 'undefined') return 0;
  const entries = [];
  MNIST_FILES.forEach((name, i) => {
    if (from[i] !== 'inflated' || !isImages(name)) return;
    const parts = data.sparseParts(i);
    const chunks = [parts.header, parts.bitmaps, parts.value, parts.checksum];
    if (chunks.reduce((n, c) => n + c.byteLength, 0) >= parts.idxBytes) return;
    entries.push({ key: compactKey(fileUrl(dataUrl, name)), body: new Blob(chunks) });
  });
  if (!entries.length) return 0;
  let kept = 0;
  try {
    const cache = await caches.open(dataCacheName());
    for (const { key, body } of entries) {
      await cache.put(key, new Response(body, { headers: { 'Content-Type': 'application/octet-stream',
        'Content-Length': String(body.size), [INFLATED_HEADER]: '1' } }));
      kept += 1;
    }
  } catch {
    // No room, or no Cache Storage: the inflated copy serves.
  }
  return kept;
}

// Fetches one .gz file, inflates it as it arrives and feeds each piece to the reader (a promise:
// the module may still be compiling when the first bytes come, held meanwhile). A watchdog
// aborts the fetch when no bytes (or no response) arrive for stallSeconds: an open connection
// that sends nothing never errors by itself, and the page would wait forever. Resolves to where
// the bytes came from: 'compact' or 'inflated' (this browser's copy, storedForm), '' (a download).
async function streamFile(url, name, readerPromise, { signal, report, stallSeconds, skipCompact = false }) {
  const file = `${name}.gz`;   // as the messages name it
  const controller = new AbortController();
  const cancelled = () => controller.abort();
  signal.addEventListener('abort', cancelled);
  let received = 0, total = 0, lastReport = 0, answered = false, stalled = false, timer = 0;
  let reader = null;
  // A timer that fires late means this thread was busy (inflating other files), and bytes that
  // came meanwhile may still wait in the queue behind it: look again shortly instead of aborting.
  const arm = (ms) => {
    const due = performance.now() + ms;
    timer = setTimeout(() => {
      if (performance.now() - due > LATE_MS) arm(LATE_MS);
      else { stalled = true; controller.abort(); }
    }, ms);
  };
  const watch = () => {
    clearTimeout(timer);
    arm(stallSeconds * 1000);
  };
  const progress = (force) => {
    const now = performance.now();
    if (!force && now - lastReport < DOWNLOAD_INTERVAL) return;
    lastReport = now;
    report(received, total);
  };
  // Why the stream failed: stalled, cancelled (rethrown as is), or the network/data damage.
  const failure = (e, describe) => {
    if (stalled) {
      const of = total ? ` of ${total}` : '';
      const after = answered ? `no data for ${stallSeconds} s after ${received}${of} bytes`
        : `no response for ${stallSeconds} s`;
      return new DataError(name, `${file}: the download stalled (${after}); check the connection and retry`);
    }
    if (signal.aborted) return e;
    return new DataError(name, describe());
  };

  try {
    watch();
    const stored = await storedForm(url, name, skipCompact);
    let response = stored && stored.response;
    // The core names the file and the damage or what is missing. A stored copy that fails is
    // deleted, or every Retry would read it again: the next LOAD downloads the file. A compact
    // copy's failure is marked: loadMnist reads the inflated copy instead, at once.
    const damaged = (e) => {
      if (!stored) return new DataError(name, messageOf(e));
      caches.open(dataCacheName())
        .then(cache => cache.delete(stored.key, { ignoreVary: true })).catch(() => {});
      const error = new DataError(name, `${messageOf(e)} (this browser's stored copy, now deleted: Retry downloads the file again)`);
      error.compactDamaged = stored.compact;
      return error;
    };
    try {
      response = response || await fetch(url, { signal: controller.signal });
    } catch (e) {
      throw failure(e, () => `${file}: download failed (${messageOf(e)})`);
    }
    if (!response.ok) throw new DataError(name, `${file}: download failed (HTTP ${response.status})`);
    answered = true;
    total = Number(response.headers.get('Content-Length')) || 0;
    watch();

    let networkFailed = false;
    const counted = response.body.pipeThrough(new TransformStream({
      transform(chunk, out) {
        received += chunk.byteLength;
        watch();
        progress(false);
        out.enqueue(chunk);
      },
      flush() { clearTimeout(timer); },   // all bytes are in: the rest is our own work
    }));
    // A host that sends the .gz with Content-Encoding: gzip has the browser inflate it already;
    // IDX starts with 00 00, gzip with 1f 8b, so the first bytes tell which we got.
    const raw = counted.getReader();
    let first;
    try {
      first = await raw.read();
    } catch (e) {
      throw failure(e, () => describeStreamError(file, e, true, received, total));
    }
    const rest = new ReadableStream({
      start(out) { if (!first.done) out.enqueue(first.value); },
      async pull(out) {
        let next;
        try {
          next = await raw.read();
        } catch (e) {
          networkFailed = true;
          throw e;
        }
        if (next.done) out.close();
        else out.enqueue(next.value);
      },
      cancel(reason) { return raw.cancel(reason); },
    });
    const gzip = !first.done && first.value[0] === 0x1f && first.value[1] === 0x8b;
    if (!gzip) total = 0;   // the compressed size no longer describes these bytes
    const body = (gzip ? rest.pipeThrough(new DecompressionStream('gzip')) : rest).getReader();

    // Until the module is there the bytes wait here, not in the response's pipe: the download
    // goes on at full speed while the module compiles, and the pieces go in once it has.
    const held = [];
    readerPromise.then((r) => { reader = r; }, () => {});
    const feed = (bytes) => {
      try {
        reader.feed(bytes);
      } catch (e) {
        body.cancel().catch(() => {});
        throw damaged(e);
      }
    };
    for (;;) {
      let next;
      try {
        next = await body.read();
      } catch (e) {
        throw failure(e, () => describeStreamError(file, e, networkFailed, received, total));
      }
      if (next.done) break;
      if (controller.signal.aborted) {   // a stored copy's stream does not stop by itself
        body.cancel().catch(() => {});
        throw failure(new DOMException('The MNIST download was cancelled', 'AbortError'),
          () => `${file}: the download was cancelled`);
      }
      if (!reader) held.push(next.value);
      else {
        for (const bytes of held.splice(0)) feed(bytes);
        feed(next.value);
      }
    }
    if (!reader) reader = await readerPromise;   // the whole file came before the module
    for (const bytes of held.splice(0)) feed(bytes);
    try {
      reader.finish();
    } catch (e) {
      throw damaged(e);
    }
    return stored ? (stored.compact ? 'compact' : 'inflated') : '';
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', cancelled);
    if (answered) progress(true);   // completed, failed, stalled or cancelled: where it stopped
  }
}

// The network failed, or the inflater found the end of its input too soon: cut off. Any other
// inflater error is damage in the bytes that came, even when it is found before the rest has come
// (it stops at the first bad byte): corrupt.
function describeStreamError(file, e, networkFailed, received, total) {
  const got = total ? ` after ${received} of ${total} bytes` : '';
  if (networkFailed) return `${file}: the download was cut off${got} (${messageOf(e)})`;
  if (/truncat|unexpected end|incomplete|terminated/i.test(messageOf(e))) {
    return total && received < total ? `${file}: the download was cut off${got} (${messageOf(e)})`
      : `${file}: the download was cut off (truncated gzip data)`;
  }
  return `${file}: the file is not valid gzip data (corrupt: ${messageOf(e)})`;
}
