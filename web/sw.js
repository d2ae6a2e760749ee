// The service worker: the lab opens and trains offline after the first visit. The site's files are
// precached at install into one cache per build and served cache-first; KaTeX joins that cache the
// first time the inspector loads it; the gzipped MNIST goes into a data cache of its own once
// downloaded. Not the update policy: offline.js decides when a waiting new build may take over.
'use strict';

// Stamped in by build.sh (stamp_sw, which writes build/web/sw.js from this file): the build's
// version, a hash of every other site file, and path -> SHA-256 of the file's bytes, for the files
// precached at install and for those cached on first use (KaTeX). Paths are relative to the scope.
const VERSION = '@VERSION@';
const PRECACHE = { '@PRECACHE@': '' };
const ON_DEMAND = { '@ON_DEMAND@': '' };

// Everything is relative to the scope (the folder of sw.js), so the site works from a sub-path;
// the caches are named after it too, because two copies of the lab may share an origin.
const SCOPE = self.registration.scope;
const SITE_PREFIX = 'backprop-lab-site ';
const SITE_CACHE = `${SITE_PREFIX}${SCOPE} ${VERSION}`;
// The data never changes: its cache outlives builds. Its entries are keyed by the full URL, so a
// `data=` link to another host (one that allows CORS) is cached as well. A download is staged
// first and kept only once the page's worker has read it whole and the core has checked it
// (DATA_READY): a file cut short with a matching Content-Length must not be served forever.
const DATA_CACHE = `backprop-lab-data ${SCOPE}`;
const STAGING_CACHE = `backprop-lab-staging ${SCOPE}`;
const staging = new Map();   // url -> the put into STAGING_CACHE under way
// The four files of protocol.js's MNIST_FILES, gzipped, wherever they are fetched from.
const MNIST_GZ = /\/(train|t10k)-(images-idx3|labels-idx1)-ubyte\.gz$/;

const own = (map, path) => Object.prototype.hasOwnProperty.call(map, path);

async function sha256(buffer) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', buffer));
  return Array.from(digest, b => b.toString(16).padStart(2, '0')).join('');
}

// Fetches a site file past the HTTP cache and checks its bytes against the build's hash, so a cache
// is exactly one build: a host half way through a deploy, or a stale copy in a proxy, fails the
// install (the browser tries again on a later visit) instead of mixing two builds. Resolves to a
// fresh Response (also when the host redirected: a redirected response cannot answer a navigation).
async function fetchChecked(path) {
  const response = await fetch(new Request(new URL(path, SCOPE), { cache: 'no-cache' }));
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  const bytes = await response.arrayBuffer();
  const expected = own(PRECACHE, path) ? PRECACHE[path] : ON_DEMAND[path];
  if ((await sha256(bytes)) !== expected) throw new Error(`${path}: not the bytes of build ${VERSION}`);
  // Only the type: the bytes are already decoded (a Content-Encoding or Content-Length of the
  // host's would describe other bytes).
  const type = response.headers.get('Content-Type');
  return new Response(bytes, { status: 200, statusText: 'OK', headers: type ? { 'Content-Type': type } : {} });
}

self.addEventListener('install', event => {
  event.waitUntil((async () => {
    const cache = await caches.open(SITE_CACHE);
    try {
      await Promise.all(Object.keys(PRECACHE).map(async path =>
        cache.put(new URL(path, SCOPE).href, await fetchChecked(path))));
    } catch (e) {
      await caches.delete(SITE_CACHE);   // never half a build under this build's name
      console.warn(`Backprop Lab: no offline copy of build ${VERSION} this time (${e.message})`);
      throw e;
    }
  })());
});

// The caches of older builds of this copy go. The first build to activate here claims the page
// that registered it (it came from the network moments ago, the same files), so the first visit's
// later fetches (KaTeX, a restarted worker) are cached too. A later build never claims: a page
// loaded without the service worker (Shift+Reload) may be of another build.
self.addEventListener('activate', event => {
  event.waitUntil((async () => {
    const old = (await caches.keys()).filter(name =>
      name.startsWith(`${SITE_PREFIX}${SCOPE} `) && name !== SITE_CACHE);
    await Promise.all(old.map(name => caches.delete(name)));
    if (old.length === 0) await self.clients.claim();
  })());
});

self.addEventListener('message', event => {
  const message = event.data || {};
  if (message.type === 'skip-waiting') event.waitUntil(skipWaitingIfAlone(event));
  else if (message.type === 'cache-data') event.waitUntil(cacheData(message.urls));
});

// Asked by an idle page of the old build (offline.js). Taking over switches every open page of this
// copy to the new files at once, so it happens only when the asking page is the only one; the
// answer ({ skipped, others }) goes back on the message's port.
async function skipWaitingIfAlone(event) {
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const others = windows.filter(c => c.url.startsWith(SCOPE) && (!event.source || c.id !== event.source.id));
  if (others.length === 0) await self.skipWaiting();
  if (event.ports[0]) event.ports[0].postMessage({ skipped: others.length === 0, others: others.length });
}

const cacheable = response => response.status === 200 && (response.type === 'basic' || response.type === 'cors');

// The page's worker has these MNIST files, checked (offline.js, on DATA_READY): keep them. Those
// that came through here are staged; those it downloaded before this service worker controlled
// it (the first visit) are fetched again, from the HTTP cache where it holds them. They are kept
// inflated (55 MB for MNIST's four files instead of 11 MB): inflating the training images is most
// of the worker's start-up, and the worker reads either form (download.js tells them apart by
// their first bytes).
async function cacheData(urls) {
  const [data, staged] = await Promise.all([caches.open(DATA_CACHE), caches.open(STAGING_CACHE)]);
  await Promise.all((Array.isArray(urls) ? urls : []).map(async url => {
    try {
      if (!MNIST_GZ.test(new URL(url).pathname) || await data.match(url, { ignoreVary: true })) return;
      await staging.get(url);
      let response = await staged.match(url, { ignoreVary: true });
      if (!response) response = await fetch(url, { mode: 'cors', cache: 'force-cache' });
      if (cacheable(response)) await data.put(url, await inflated(response));
      await staged.delete(url);
    } catch {
      // Offline, or another host without CORS: the page still has the data it downloaded.
    }
  }));
}

// The header of an entry kept inflated. One without it was kept by an older build, as the .gz.
const INFLATED = 'X-Backprop-Lab-Inflated';

// A .gz response's bytes inflated, as a new response (one the browser inflated already, a host's
// Content-Encoding: gzip, as it is). Rejects on damaged gzip: nothing is kept then.
async function inflated(response) {
  const bytes = new Uint8Array(await response.arrayBuffer());
  const body = bytes[0] === 0x1f && bytes[1] === 0x8b
    ? await new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer()
    : bytes;
  return new Response(body, { headers: { 'Content-Type': 'application/octet-stream',
    'Content-Length': String(body.byteLength), [INFLATED]: '1' } });
}

self.addEventListener('fetch', event => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (MNIST_GZ.test(url.pathname)) {
    event.respondWith(fromDataCache(event));
    return;
  }
  if (!request.url.startsWith(SCOPE)) return;
  let path;
  try {
    path = decodeURIComponent(url.pathname.slice(new URL(SCOPE).pathname.length));
  } catch {
    return;   // not a name of ours
  }
  if (path === '' || path.endsWith('/')) path += 'index.html';
  if (own(PRECACHE, path)) event.respondWith(fromSiteCache(path, request));
  else if (own(ON_DEMAND, path)) event.respondWith(onDemand(path, event));
});

// Only this build's cache answers: a page of this build never gets a file of another one.
async function fromSiteCache(path, request) {
  const hit = await caches.match(new URL(path, SCOPE).href, { cacheName: SITE_CACHE });
  return hit || fetch(request);   // the cache was cleared under us: the network, as without us
}

// KaTeX: from the cache, else from the network, kept if its bytes are this build's. The first
// request for any of it fetches all of it (600 KB), so that offline no step of the inspector lacks
// a font. Other bytes mean the host has a newer build: refused like a failed download (the
// inspector then shows its equations as TeX source, as it does without KaTeX), and the browser is
// asked for the new service worker, whose arrival offline.js announces.
async function onDemand(path, event) {
  const hit = await caches.match(new URL(path, SCOPE).href, { cacheName: SITE_CACHE });
  if (hit) return hit;
  event.waitUntil(Promise.all(Object.keys(ON_DEMAND).map(p => storeOnDemand(p).catch(() => {}))));
  try {
    return (await storeOnDemand(path)).clone();
  } catch {
    self.registration.update().catch(() => {});
    return Response.error();
  }
}

// Fetches and caches one KaTeX file unless cached; one fetch per file however many ask.
const storing = new Map();   // path -> Promise of the Response stored
function storeOnDemand(path) {
  if (!storing.has(path)) {
    const key = new URL(path, SCOPE).href;
    storing.set(path, (async () => {
      const cache = await caches.open(SITE_CACHE);
      const hit = await cache.match(key);
      if (hit) return hit;
      const response = await fetchChecked(path);
      await cache.put(key, response.clone());
      return response;
    })().finally(() => storing.delete(path)));
  }
  return storing.get(path);
}

// MNIST: from the data cache, else from the network, staged once it has come in whole (a download
// that is cut off or cancelled fails the put and leaves nothing behind).
async function fromDataCache(event) {
  const url = event.request.url;
  const hit = await caches.match(url, { cacheName: DATA_CACHE, ignoreVary: true });
  if (hit && !hit.headers.has(INFLATED)) {
    // An older build's entry, the .gz itself (the worker reads it): answered as it is, and replaced
    // by its inflated bytes for the next visits. Damaged, it is dropped (the page downloads again).
    const copy = hit.clone();
    event.waitUntil(caches.open(DATA_CACHE).then(data => inflated(copy).then(r => data.put(url, r),
      () => data.delete(url, { ignoreVary: true }))).catch(() => {}));
  }
  if (hit) return hit;
  const response = await fetch(event.request);
  if (cacheable(response)) {
    const copy = response.clone();   // now: the page starts reading the response at once
    const put = caches.open(STAGING_CACHE).then(cache => cache.put(url, copy));
    const settled = put.catch(() => {}).finally(() => { if (staging.get(url) === settled) staging.delete(url); });
    staging.set(url, settled);
    event.waitUntil(settled);
  }
  return response;
}
