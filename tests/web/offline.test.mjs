// Browser tests of offline use (web/sw.js, web/offline.js): the lab trains an epoch with the network
// off after one visit, a new build replaces the old one whole (never a mix of their files), and two
// copies of the lab on sub-paths of one host keep their own service workers and caches. "Off" is
// context.setOffline(true) and the server stopped: a service worker's own fetches ignore the first.
// Not the page's training itself (page.test.mjs).
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { startServer } from '../../web/serve.mjs';
import { DATA_CACHE_PREFIX, INFLATED_HEADER, COMPACT_SUFFIX, storeCompact } from '../../web/download.js';
import {
  SITE, launchBrowser, openPage, checkNoErrors, byTestId, waitForState, waitForValue, numberValue,
  screenshot,
} from './browser.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const LONG = 60_000;
const XOR = '#dataset=xor&sizes=2,2,1&cost=cross-entropy&eta=2&batch=4&epochs=1000&seed=1';

let browser;
const temps = [], servers = [];
before(async () => {
  if (!fs.existsSync(path.join(SITE, 'sw.js'))) throw new Error(`${SITE}/sw.js is missing: run ./build.sh site`);
  browser = await launchBrowser();
});
after(async () => {
  if (browser) await browser.close();
  for (const server of servers) server.closeAllConnections(), server.close();
  for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bpl-offline-'));
  temps.push(dir);
  return dir;
}

// Serves folder root; off() is the network going away (nothing answers any more, not even on a
// connection the browser keeps open).
async function serve(root) {
  const { server, url } = await startServer({ root, port: 0 });
  servers.push(server);
  return { url, off: () => { server.close(); server.closeAllConnections(); } };
}

// A copy of the built site without MNIST (the truth tables need none) at dest.
function copySite(dest) {
  const data = path.join(SITE, 'data');
  fs.cpSync(SITE, dest, { recursive: true, filter: src => src !== data && !src.startsWith(data + path.sep) });
}

// Makes the copy in dir build `tag`: a marker in index.html, main.js and style.css, each as the
// page sees it once loaded, then sw.js stamped as ./build.sh site does.
function build(dir, tag) {
  const original = name => fs.readFileSync(path.join(SITE, name), 'utf8');
  const html = original('index.html').replace('<meta charset="utf-8">',
    `<meta charset="utf-8">\n  <meta name="build" content="${tag}">`);
  assert.notEqual(html, original('index.html'));
  fs.writeFileSync(path.join(dir, 'index.html'), html);
  fs.writeFileSync(path.join(dir, 'main.js'), `${original('main.js')}document.documentElement.dataset.build = '${tag}';\n`);
  fs.writeFileSync(path.join(dir, 'style.css'), `${original('style.css')}:root { --build: "${tag}"; }\n`);
  execFileSync('bash', [path.join(ROOT, 'build.sh'), 'stamp-sw', dir], { stdio: 'pipe' });
}

// Which build each part of the page came from, and which build its service worker serves now.
function builds(page) {
  return page.evaluate(async () => {
    const served = await (await fetch('index.html')).text();
    const controller = navigator.serviceWorker.controller;
    return {
      html: document.querySelector('meta[name="build"]')?.content ?? null,
      main: document.documentElement.dataset.build ?? null,
      css: getComputedStyle(document.documentElement).getPropertyValue('--build').trim().replace(/"/g, '') || null,
      served: served.match(/<meta name="build" content="([^"]*)">/)?.[1] ?? null,
      controller: controller ? controller.scriptURL : null,
    };
  });
}

// Polls fn in the page (through reloads) until it returns something truthy.
async function until(page, what, fn, arg, timeout = LONG) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await page.evaluate(fn, arg);
      if (last) return last;
    } catch (e) {
      last = e.message;   // the page was navigating
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
    await new Promise(resolve => setTimeout(resolve, 100));
  }
}

// What the page and its service worker registration are at, for a failure's message.
async function diagnose(page) {
  return {
    ...await builds(page),
    ...await page.evaluate(async () => {
      const r = await navigator.serviceWorker.getRegistration();
      const notice = document.querySelector('[data-testid="update-ready"]');
      return {
        active: r && r.active && r.active.state, waiting: r && r.waiting && r.waiting.state,
        installing: r && r.installing && r.installing.state, notice: notice.hidden ? null : notice.textContent.trim(),
      };
    }),
  };
}

// Resolves to builds(page) once the page has loaded build `tag` under a service worker. The wait
// itself fetches nothing: a page that keeps its old service worker busy delays the new one.
async function waitForBuild(page, tag) {
  try {
    await until(page, `build ${tag}`, t => document.readyState === 'complete' &&
      document.querySelector('meta[name="build"]')?.content === t &&
      Boolean(navigator.serviceWorker.controller), tag);
  } catch (e) {
    throw new Error(`${e.message}: ${JSON.stringify(await diagnose(page))}`, { cause: e });
  }
  return builds(page);
}

// The names of the lab's caches in the page's origin, and how many entries each has.
const cacheNames = page => page.evaluate(async () => Object.fromEntries(await Promise.all(
  (await caches.keys()).map(async name => [name, (await (await caches.open(name)).keys()).length]))));
const siteCaches = (names, scope) => Object.keys(names).filter(n => n.startsWith(`backprop-lab-site ${scope} `));

// Every precached file the page's service worker serves is byte for byte the file in dir now.
async function servesExactly(page, dir) {
  const files = [];
  const walk = rel => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const name = path.posix.join(rel, entry.name);
      if (entry.isDirectory()) walk(name);
      else if (name !== 'sw.js' && !name.startsWith('vendor/katex/')) files.push(name);
    }
  };
  walk('');
  assert.ok(files.length > 30, `only ${files.length} files in ${dir}`);
  const expected = Object.fromEntries(files.map(f =>
    [f, crypto.createHash('sha256').update(fs.readFileSync(path.join(dir, f))).digest('hex')]));
  const served = await page.evaluate(async paths => Object.fromEntries(await Promise.all(paths.map(async p => {
    const digest = await crypto.subtle.digest('SHA-256', await (await fetch(p)).arrayBuffer());
    return [p, Array.from(new Uint8Array(digest), b => b.toString(16).padStart(2, '0')).join('')];
  }))), files);
  assert.deepEqual(served, expected);
}

test('after one visit the lab opens and trains an epoch of MNIST offline, KaTeX included', { timeout: 3 * LONG }, async () => {
  // From a sub-path, as on a static host: the site is /lab/.
  const root = tempDir();
  fs.symlinkSync(SITE, path.join(root, 'lab'), 'dir');
  const site = await serve(root);
  const url = `${site.url}lab/`;
  const { context, page, errors } = await openPage(browser);
  await page.goto(url);
  await waitForState(page, 'ready', LONG);
  // The first visit: the service worker takes the page over and caches MNIST once it is in.
  await until(page, 'the service worker and the data cache', async () => {
    if (!navigator.serviceWorker.controller) return false;
    const data = (await caches.keys()).find(n => n.startsWith('backprop-lab-data '));
    return data && (await (await caches.open(data)).keys()).length === 4;
  });
  const scope = await page.evaluate(() => navigator.serviceWorker.getRegistration().then(r => r.scope));
  assert.equal(scope, url);
  // KaTeX comes when the inspector opens, and all of it is kept (every font of every step).
  await byTestId(page, 'inspect').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="bp-step"] .katex'), null, { timeout: LONG });
  const katex = fs.readdirSync(path.join(SITE, 'vendor/katex'), { recursive: true })
    .filter(f => fs.statSync(path.join(SITE, 'vendor/katex', f)).isFile()).length;
  await until(page, `the ${katex} files of KaTeX in the cache`, async n => {
    const site = (await caches.keys()).find(name => name.startsWith('backprop-lab-site '));
    const keys = site ? await (await caches.open(site)).keys() : [];
    return keys.filter(r => r.url.includes('/vendor/katex/')).length === n;
  }, katex);

  site.off();
  await context.setOffline(true);
  await page.goto(url);
  assert.equal(await page.evaluate(() => navigator.onLine), false);
  await waitForState(page, 'ready', LONG);
  await byTestId(page, 'start').click();
  await waitForValue(page, 'epoch', 1, LONG);
  const accuracy = await numberValue(page, 'test-accuracy');
  assert.ok(accuracy >= 0.85 && accuracy <= 1, `test accuracy after one epoch offline: ${accuracy}`);
  await byTestId(page, 'pause').click();
  await waitForState(page, 'paused', LONG);
  await screenshot(page, 'offline.png', { fullPage: false });
  // The inspector's equations are typeset from the cache.
  await byTestId(page, 'inspect').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="bp-step"] .katex') &&
    !document.querySelector('[data-testid="bp-step"] .inspector-tex.source'), null, { timeout: LONG });
  checkNoErrors(errors);
  await context.close();
});

test('a new build replaces the old one whole: it waits while the page works, and never mixes files', { timeout: 3 * LONG }, async () => {
  // At the root of the host, as ./build.sh serve has it.
  const dir = tempDir();
  copySite(dir);
  build(dir, 'v1');
  const site = await serve(dir);
  const { context, page, errors } = await openPage(browser);
  await page.goto(site.url + XOR);
  assert.deepEqual(await waitForBuild(page, 'v1'),
    { html: 'v1', main: 'v1', css: 'v1', served: 'v1', controller: `${site.url}sw.js` });
  // Work on the page: a few epochs of XOR.
  await waitForState(page, 'ready', LONG);
  await byTestId(page, 'start').click();
  await waitForValue(page, 'epoch', 2, LONG);
  await byTestId(page, 'pause').click();
  await waitForState(page, 'paused', LONG);

  // A rebuild with changed files: the new service worker installs and waits, the page says so and
  // keeps being served the files it was loaded from.
  build(dir, 'v2');
  await page.evaluate(() => navigator.serviceWorker.getRegistration().then(r => r.update()));
  await byTestId(page, 'update-ready').waitFor({ state: 'visible', timeout: LONG });
  assert.match(await byTestId(page, 'update-ready').textContent(), /new version/);
  await screenshot(page, 'update-ready.png', { fullPage: false });
  assert.deepEqual(await builds(page), { html: 'v1', main: 'v1', css: 'v1', served: 'v1', controller: `${site.url}sw.js` });
  assert.equal(siteCaches(await cacheNames(page), site.url).length, 2, 'the new build is not cached beside the old');

  // Reload: every file is the new build's, and the old cache is gone.
  await byTestId(page, 'update-reload').click();
  assert.deepEqual(await waitForBuild(page, 'v2'),
    { html: 'v2', main: 'v2', css: 'v2', served: 'v2', controller: `${site.url}sw.js` });
  await servesExactly(page, dir);
  assert.equal(siteCaches(await cacheNames(page), site.url).length, 1);
  assert.equal(await byTestId(page, 'update-ready').isHidden(), true);

  // Another rebuild, and a visit to the idle page: it goes over to the new build by itself.
  build(dir, 'v3');
  await page.reload();
  assert.deepEqual(await waitForBuild(page, 'v3'),
    { html: 'v3', main: 'v3', css: 'v3', served: 'v3', controller: `${site.url}sw.js` });
  await servesExactly(page, dir);
  assert.equal(siteCaches(await cacheNames(page), site.url).length, 1);
  await waitForState(page, 'ready', LONG);
  assert.equal(await byTestId(page, 'update-ready').isHidden(), true);

  // An unchanged rebuild is the same build: sw.js keeps its bytes.
  const stamped = fs.readFileSync(path.join(dir, 'sw.js'));
  build(dir, 'v3');
  assert.equal(Buffer.compare(fs.readFileSync(path.join(dir, 'sw.js')), stamped), 0);
  checkNoErrors(errors);
  await context.close();
});

test('two copies on sub-paths of one host keep their own service workers and caches, offline too', { timeout: 2 * LONG }, async () => {
  const root = tempDir();
  for (const copy of ['a', 'b']) {
    copySite(path.join(root, copy));
    build(path.join(root, copy), copy);
  }
  const site = await serve(root);
  const { context, page, errors } = await openPage(browser);
  await page.goto(`${site.url}a/${XOR}`);
  await waitForBuild(page, 'a');
  const other = await context.newPage();
  other.on('pageerror', e => errors.push(`page error: ${e.message}`));
  other.on('console', msg => { if (msg.type() === 'error') errors.push(`page console error: ${msg.text()}`); });
  await other.goto(`${site.url}b/${XOR}`);
  await waitForBuild(other, 'b');
  const scopes = await page.evaluate(() => navigator.serviceWorker.getRegistrations().then(rs => rs.map(r => r.scope).sort()));
  assert.deepEqual(scopes, [`${site.url}a/`, `${site.url}b/`]);
  const names = await cacheNames(page);
  assert.equal(siteCaches(names, `${site.url}a/`).length, 1, JSON.stringify(names));
  assert.equal(siteCaches(names, `${site.url}b/`).length, 1, JSON.stringify(names));

  site.off();
  await context.setOffline(true);
  for (const [p, copy] of [[page, 'a'], [other, 'b']]) {
    await p.reload();
    assert.deepEqual(await waitForBuild(p, copy),
      { html: copy, main: copy, css: copy, served: copy, controller: `${site.url}${copy}/sw.js` });
    await waitForState(p, 'ready', LONG);
  }
  checkNoErrors(errors);
  await context.close();
});

test('a download cut short is not kept: only data the page has read and checked is cached', { timeout: 2 * LONG }, async () => {
  const root = tempDir();
  fs.symlinkSync(SITE, path.join(root, 'lab'), 'dir');
  const site = await serve(root);
  const url = `${site.url}lab/`;
  let cut = 0;
  const { context, page, errors } = await openPage(browser, async ctx => {
    // The service worker's first fetch of the test images gets half the bytes and a Content-Length
    // to match: a response that looks whole.
    await ctx.route('**/t10k-images-idx3-ubyte.gz', async route => {
      if (!route.request().serviceWorker() || cut++ > 0) return route.continue();
      const response = await route.fetch();
      const body = (await response.body()).subarray(0, 1 << 20);
      await route.fulfill({ response, body, headers: { ...response.headers(), 'content-length': String(body.length) } });
    });
  });
  // A truth table first, so that MNIST is fetched once the service worker controls the page.
  await page.goto(url + XOR);
  await until(page, 'the service worker', () => Boolean(navigator.serviceWorker.controller));
  await page.selectOption('#dataset', 'mnist');
  await byTestId(page, 'error').waitFor({ state: 'visible', timeout: LONG });
  assert.equal(cut, 1, 'the service worker did not fetch the test images');
  assert.match(await byTestId(page, 'error').textContent(), /t10k-images-idx3-ubyte/);
  const cached = () => page.evaluate(async () => {
    const data = (await caches.keys()).find(n => n.startsWith('backprop-lab-data '));
    const cache = data && await caches.open(data);
    return cache ? Promise.all((await cache.keys()).map(async r =>
      [r.url.replace(/.*\//, ''), (await (await cache.match(r)).arrayBuffer()).byteLength])) : [];
  });
  assert.deepEqual(await cached(), [], 'a file was kept before the page had checked the data');

  await byTestId(page, 'retry').click();
  await waitForState(page, 'ready', LONG);
  // Kept inflated (sw.js): each entry is its file's IDX bytes, whole.
  const sizes = Object.fromEntries(fs.readdirSync(path.join(SITE, 'data/mnist')).map(name =>
    [name, gunzipSync(fs.readFileSync(path.join(SITE, 'data/mnist', name))).length]));
  await until(page, 'the four files in the data cache', async () => {
    const data = (await caches.keys()).find(n => n.startsWith('backprop-lab-data '));
    return data && (await (await caches.open(data)).keys()).length === 4;
  });
  assert.deepEqual(Object.fromEntries(await cached()), sizes);
  checkNoErrors(errors);
  await context.close();
});

test('an older build\'s data cache (the .gz files) is read, then kept inflated, with no download', { timeout: 2 * LONG }, async () => {
  const root = tempDir();
  fs.symlinkSync(SITE, path.join(root, 'lab'), 'dir');
  const site = await serve(root);
  const url = `${site.url}lab/`;
  const downloads = [];
  const { context, page, errors } = await openPage(browser, async ctx => {
    ctx.on('request', r => { if (/\.gz(\?|$)/.test(r.url()) && r.serviceWorker()) downloads.push(r.url()); });
  });
  await page.goto(url + XOR);
  await until(page, 'the service worker', () => Boolean(navigator.serviceWorker.controller));
  // What an older build kept: each file's .gz response as the host sent it, under its own URL.
  const names = fs.readdirSync(path.join(SITE, 'data/mnist'));
  await page.evaluate(async names => {
    const data = await caches.open(`backprop-lab-data ${new URL('./', location.href).href}`);
    for (const name of names) {
      const file = new URL(`data/mnist/${name}`, location.href).href;
      const response = await fetch(`${file}?as-an-older-build`);
      await data.put(file, new Response(await response.arrayBuffer(), { headers: { 'Content-Type': 'application/gzip' } }));
    }
  }, names);
  const before = downloads.length;
  await page.goto(url + '#sizes=784,30,10&epochs=1');
  await page.reload();
  await waitForState(page, 'ready', LONG);
  const sizes = Object.fromEntries(names.map(name =>
    [name, gunzipSync(fs.readFileSync(path.join(SITE, 'data/mnist', name))).length]));
  const kept = await until(page, 'the four entries inflated', async () => {
    const data = await caches.open(`backprop-lab-data ${new URL('./', location.href).href}`);
    const entries = await Promise.all((await data.keys()).map(async r => {
      const hit = await data.match(r);
      return [r.url.replace(/.*\//, ''), hit.headers.has('X-Backprop-Lab-Inflated') ? (await hit.arrayBuffer()).byteLength : 0];
    }));
    return entries.length === 4 && entries.every(([, n]) => n > 0) && Object.fromEntries(entries);
  });
  assert.deepEqual(kept, sizes);
  assert.deepEqual(downloads.slice(before), [], 'the data was downloaded again');
  checkNoErrors(errors);
  await context.close();
});

test('download.js names the service worker\'s data cache and its inflated header as sw.js does', () => {
  const sw = fs.readFileSync(path.join(ROOT, 'web/sw.js'), 'utf8');
  assert.ok(sw.includes(`const DATA_CACHE = \`${DATA_CACHE_PREFIX}\${SCOPE}\`;`), 'the data cache name differs');
  assert.ok(sw.includes(`const INFLATED = '${INFLATED_HEADER}';`), 'the inflated header differs');
});

test('a later visit reads the checked data from the data cache itself; a damaged copy is deleted and Retry downloads it', { timeout: 2 * LONG }, async () => {
  const root = tempDir();
  fs.symlinkSync(SITE, path.join(root, 'lab'), 'dir');
  const site = await serve(root);
  const url = `${site.url}lab/#sizes=784,30,10&epochs=1`;
  const { context, page, errors } = await openPage(browser);
  const summary = () => page.locator('#downloads-summary').textContent();
  await page.goto(url);
  await waitForState(page, 'ready', LONG);
  assert.doesNotMatch(await summary(), /this browser's copy/);
  await until(page, 'the four files kept inflated', async header => {
    const data = (await caches.keys()).find(n => n.startsWith('backprop-lab-data '));
    if (!data) return false;
    const cache = await caches.open(data);
    const hits = await Promise.all((await cache.keys()).map(r => cache.match(r)));
    return hits.length === 4 && hits.every(h => h.headers.has(header));
  }, INFLATED_HEADER);

  await page.reload();
  await waitForState(page, 'ready', LONG);
  assert.match(await summary(), /^all 4 files in \([\d.]+ MB, from this browser's copy\)$/);

  // The training labels' copy cut short (5 labels announced, 2 there), as a damaged disk might.
  const labels = new URL('lab/data/mnist/train-labels-idx1-ubyte.gz', site.url).href;
  await page.evaluate(async ([file, header]) => {
    const data = await caches.open(`backprop-lab-data ${new URL('./', location.href).href}`);
    await data.put(file, new Response(new Uint8Array([0, 0, 8, 1, 0, 0, 0, 5, 1, 2]), { headers: { [header]: '1' } }));
  }, [labels, INFLATED_HEADER]);
  await page.reload();
  await page.waitForFunction(() => !document.querySelector('[data-testid="error"]').hidden, null, { timeout: LONG });
  const message = await byTestId(page, 'error').textContent();
  assert.match(message, /train-labels-idx1-ubyte.*this browser's stored copy, now deleted: Retry downloads the file again/s);
  await until(page, 'the damaged copy deleted', async file => {
    const data = await caches.open(`backprop-lab-data ${new URL('./', location.href).href}`);
    return !(await data.match(file));
  }, labels);
  await byTestId(page, 'retry').click();
  await waitForState(page, 'ready', LONG);
  assert.match(await summary(), /^all 4 files in \([\d.]+ MB, 3 from this browser's copy\)$/);
  checkNoErrors(errors);
  await context.close();
});

test('storeCompact keeps a compact copy only where it is smaller than the IDX file, and a full storage is not an error', async () => {
  // MnistData.sparseParts's shape: a 24-byte header, a bitmap of a bit a pixel, a byte a lit
  // pixel, the checksum, and the IDX file's size: 1 byte a pixel.
  const parts = (count, pixels, nonzeros) => ({ header: new Uint8Array(24),
    bitmaps: new Uint8Array(count * Math.ceil(pixels / 8)), value: new Uint8Array(nonzeros),
    checksum: new Uint8Array(8), idxBytes: 16 + count * pixels });
  const data = { sparseParts: i => (i === 0 ? parts(100, 784, 150 * 100) : parts(10, 784, 700 * 10)) };
  const dataUrl = 'http://localhost:1/lab/data/mnist/';   // the worker's LOAD always has it absolute
  const from = ['inflated', 'inflated', 'inflated', 'inflated'];   // the labels are never compacted
  const put = [];
  const saved = globalThis.caches;
  try {
    globalThis.caches = { open: async () => ({ put: async (key, response) => put.push([key, (await response.arrayBuffer()).byteLength]) }) };
    assert.equal(await storeCompact(data, dataUrl, from), 1);
    // MNIST-like (150 of 784 lit) is kept; 700 of 784 lit would be larger than the IDX file.
    assert.deepEqual(put, [[`http://localhost:1/lab/data/mnist/train-images-idx3-ubyte${COMPACT_SUFFIX}`,
      24 + 100 * 98 + 15000 + 8]]);
    assert.equal(await storeCompact(data, dataUrl, ['', 'inflated', 'compact', '']), 0, 'only files read inflated');
    globalThis.caches = { open: async () => ({ put: async () => { throw new DOMException('full', 'QuotaExceededError'); } }) };
    assert.equal(await storeCompact(data, dataUrl, from), 0);
  } finally {
    globalThis.caches = saved;
  }
});

// Every entry of the data cache: its URL's file name and its size.
const dataEntries = page => page.evaluate(async () => {
  const data = await caches.open(`backprop-lab-data ${new URL('./', location.href).href}`);
  const keys = await data.keys();
  return Promise.all(keys.map(async r => ({ file: r.url.replace(/^.*\//, ''),
    bytes: (await (await data.match(r)).arrayBuffer()).byteLength })));
});

test('the images are kept in the core\'s compact form too: a later visit reads 17 MB instead of 55, trains the same; a damaged compact copy is replaced by the inflated one, silently', { timeout: 3 * LONG }, async () => {
  const root = tempDir();
  fs.symlinkSync(SITE, path.join(root, 'lab'), 'dir');
  const site = await serve(root);
  const url = `${site.url}lab/#sizes=784,30,10&epochs=1&seed=4`;
  const { context, page, errors } = await openPage(browser);
  const summary = () => page.locator('#downloads-summary').textContent();
  const megabytes = async () => Number((await summary()).match(/\(([\d.]+) MB/)[1]);
  const trained = async () => {
    await byTestId(page, 'start').click();
    await waitForState(page, 'done', LONG);
    return byTestId(page, 'test-accuracy').getAttribute('data-value');
  };
  await page.goto(url);
  await waitForState(page, 'ready', LONG);
  await until(page, 'the four files kept inflated', async () =>
    (await caches.keys()).some(n => n.startsWith('backprop-lab-data ')) &&
    (await (await caches.open((await caches.keys()).find(n => n.startsWith('backprop-lab-data ')))).keys()).length === 4);
  assert.ok((await dataEntries(page)).every(e => !e.file.endsWith(COMPACT_SUFFIX)), 'a first visit keeps no compact copy');

  // The second visit reads the inflated copy, trains, and keeps the two images files compact.
  await page.reload();
  await waitForState(page, 'ready', LONG);
  assert.match(await summary(), /^all 4 files in \(55\.0 MB, from this browser's copy\)$/);
  const fromInflated = await trained();
  const compact = await until(page, 'the compact copies', async suffix => {
    const data = await caches.open(`backprop-lab-data ${new URL('./', location.href).href}`);
    const keys = (await data.keys()).filter(r => r.url.endsWith(suffix));
    return keys.length === 2 && keys.map(r => r.url.replace(/^.*\//, '')).sort();
  }, COMPACT_SUFFIX);
  assert.deepEqual(compact, [`t10k-images-idx3-ubyte${COMPACT_SUFFIX}`, `train-images-idx3-ubyte${COMPACT_SUFFIX}`]);
  const entries = await dataEntries(page);
  const size = file => entries.find(e => e.file === file).bytes;
  const compactTotal = size(`train-images-idx3-ubyte${COMPACT_SUFFIX}`) + size(`t10k-images-idx3-ubyte${COMPACT_SUFFIX}`) +
    size('train-labels-idx1-ubyte.gz') + size('t10k-labels-idx1-ubyte.gz');
  assert.ok(compactTotal < 18e6, `the compact data: ${compactTotal} bytes`);

  // The third reads the compact copies (what the downloads line counts is their size) and trains
  // to the very same accuracy.
  await page.reload();
  await waitForState(page, 'ready', LONG);
  assert.match(await summary(), /^all 4 files in \([\d.]+ MB, from this browser's copy\)$/);
  assert.equal(await megabytes(), Number((compactTotal / 1e6).toFixed(1)));
  assert.equal(await trained(), fromInflated, 'the compact copy trains differently');

  // One pixel's shade changed in the training images' compact copy: refused by its checksum and
  // deleted, and the inflated copy read instead, with nothing to say; a compact copy is kept again.
  const key = new URL(`lab/data/mnist/train-images-idx3-ubyte${COMPACT_SUFFIX}`, site.url).href;
  const shade = await page.evaluate(async ([file, header]) => {
    const data = await caches.open(`backprop-lab-data ${new URL('./', location.href).href}`);
    const bytes = new Uint8Array(await (await data.match(file)).arrayBuffer());
    const at = bytes.length - 100;   // a pixel's value (the last 8 bytes are the checksum)
    const was = bytes[at];
    bytes[at] = was === 255 ? 254 : was + 1;   // lit still: only the checksum sees it
    await data.put(file, new Response(bytes, { headers: { [header]: '1' } }));
    return was;
  }, [key, INFLATED_HEADER]);
  await page.reload();
  await waitForState(page, 'ready', LONG);
  assert.equal(await byTestId(page, 'error').isHidden(), true);
  assert.match(await summary(), /^all 4 files in \([\d.]+ MB, from this browser's copy\)$/);
  const read = await megabytes();
  assert.ok(read > 40, `the training images' inflated copy was not read: ${read} MB`);
  assert.equal(await trained(), fromInflated, 'the inflated copy read after a damaged compact one trains differently');
  await until(page, 'a sound compact copy kept again', async ([file, was]) => {
    const data = await caches.open(`backprop-lab-data ${new URL('./', location.href).href}`);
    const hit = await data.match(file);
    const again = hit && new Uint8Array(await hit.arrayBuffer());
    return Boolean(again) && again[again.length - 100] === was;
  }, [key, shade]);
  checkNoErrors(errors);
  await context.close();
});
