// Shared set-up for the browser end-to-end tests: the built site on a free port, one headless
// Chromium for the whole file, a fresh context per test, and a watch on console and page errors.
// Not a test itself; the tests are in page.test.mjs and lecture.test.mjs.
import assert from 'node:assert/strict';
import { before, after } from 'node:test';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../../web/serve.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SITE = path.resolve(ROOT, process.env.BPL_SITE || 'build/web');
export const SCREENSHOTS = path.resolve(ROOT, 'build/screenshots');
export const CHROMIUM = process.env.BPL_CHROMIUM || '/usr/bin/chromium';

// A projector-sized laptop screen.
export const VIEWPORT = { width: 1366, height: 768 };

export async function startSite() {
  if (!fs.existsSync(path.join(SITE, 'index.html'))) {
    throw new Error(`${SITE}/index.html is missing: run ./build.sh build first (or set BPL_SITE)`);
  }
  return startServer({ root: SITE, port: 0 });
}

// Starts the site and one browser before a test file's tests and stops them after; the returned
// object holds { site, browser } once the tests run.
export function siteAndBrowser() {
  const shared = {};
  before(async () => {
    shared.site = await startSite();
    shared.browser = await launchBrowser();
  });
  after(async () => {
    if (shared.browser) await shared.browser.close();
    if (shared.site) shared.site.server.close();
  });
  return shared;
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

// Every Content-Security-Policy violation in any page of the context is recorded in `errors`: the
// page must run under its own policy (web/index.html), and a violation is a bug even when the page
// copes. The dedicated workers get no policy from a host that sends no header (web/serve.mjs sends
// none), so their listener, added once they run, can only catch what a future header would block.
export async function watchPolicy(context, errors) {
  const record = (where, v) => errors.push(`${where} CSP violation: ${v.directive} blocked ${v.blocked} ` +
    `(${v.source}:${v.line})`);
  await context.exposeBinding('bplPolicyViolation', ({ frame }, v) => record(`page ${frame.url()}`, v));
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', e => self.bplPolicyViolation({
      directive: e.violatedDirective, blocked: e.blockedURI, source: e.sourceFile, line: e.lineNumber,
    }));
  });
  const watchWorker = worker => worker.evaluate(() => {
    self.addEventListener('securitypolicyviolation', e => console.error(`CSP violation: ${e.violatedDirective} ` +
      `blocked ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`));
  }).catch(() => {});   // a worker that ended first
  context.on('page', page => page.on('worker', watchWorker));
}

// A fresh context and page; every console error, uncaught exception or CSP violation, in the page
// or in its workers, is collected in `errors`, which checkNoErrors() asserts empty.
export async function openPage(browser, setup = async () => {}, { viewport = VIEWPORT } = {}) {
  const context = await browser.newContext({ viewport });
  const errors = [];
  await watchPolicy(context, errors);
  await setup(context);
  const page = await context.newPage();
  const onConsole = where => msg => {
    if (msg.type() === 'error') errors.push(`${where} console error: ${msg.text()}`);
  };
  page.on('console', onConsole('page'));
  page.on('pageerror', e => errors.push(`page error: ${e.message}`));
  page.on('worker', w => w.on('console', onConsole('worker')));
  page.on('crash', () => errors.push('page crashed'));
  return { context, page, errors };
}

export function checkNoErrors(errors) {
  assert.deepEqual(errors, [], `console or page errors:\n${errors.join('\n')}`);
}

export const byTestId = (page, id) => page.locator(`[data-testid="${id}"]`);

// Resolves when the element's data-value is a number >= atLeast; fails after timeout ms.
export async function waitForValue(page, id, atLeast, timeout) {
  await page.waitForFunction(([id, atLeast]) => {
    const el = document.querySelector(`[data-testid="${id}"]`);
    const v = el && el.dataset.value !== undefined ? Number(el.dataset.value) : NaN;
    return v >= atLeast;
  }, [id, atLeast], { timeout, polling: 100 });
}

export async function numberValue(page, id) {
  const v = await byTestId(page, id).getAttribute('data-value');
  return v === null ? NaN : Number(v);
}

export async function screenshot(page, name, { fullPage = true } = {}) {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, name);
  await page.screenshot({ path: file, fullPage });
  return file;
}

// The page's renderer's main-thread tasks while `during()` runs, from Chromium's own trace: for each,
// its wall time and the CPU time the thread spent in it (ms; the wall time where the trace has no
// thread time). The Long Tasks API sees only wall time, which on a machine whose cores are shared
// with the training worker and other processes includes the time the scheduler gave the CPU to
// someone else: idle here, tasks of 290 ms wall and 7 ms CPU were seen. The CPU time is the page's
// own work.
export async function mainThreadTasks(browser, page, during) {
  await startMainThreadTrace(browser, page);
  let tasks;
  try {
    await during();
  } finally {
    tasks = await stopMainThreadTrace(browser);
  }
  return tasks;
}

// The same in two halves, for a stretch of a test that is not one function: start, then stop,
// which resolves to the tasks.
// The renderer starts tracing a moment after the browser does: two frames later it is on. The
// page then marks the trace, so its renderer is told from the browser's own pages' (an omnibox
// pop-up, about:blank), whose main threads have tasks of 50-80 ms now and then.
const MARK = 'bpl: traced page';
export const TRACE_CATEGORIES = ['toplevel', 'devtools.timeline'];   // tasks, and the page's marks
export async function startMainThreadTrace(browser, page) {
  await browser.startTracing(page, { categories: TRACE_CATEGORIES });
  await page.evaluate(mark => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => {
    console.timeStamp(mark);
    r();
  }))), MARK);
}

// `mark`: the console.timeStamp the page wrote (startMainThreadTrace's, or the caller's own); each
// task's `at` is its start in ms from it, NaN where the trace holds no such mark (then the tasks
// are every renderer's).
export async function stopMainThreadTrace(browser, mark = MARK) {
  const buffer = await browser.stopTracing();
  return mainThreadTasksOf(JSON.parse(buffer.toString('utf8')).traceEvents, mark);
}

function mainThreadTasksOf(events, message) {
  const mark = events.find(e => e.name === 'TimeStamp' && e.args.data && e.args.data.message === message);
  const main = new Set(events.filter(e => e.ph === 'M' && e.name === 'thread_name' && e.args.name === 'CrRendererMain'
    && (!mark || e.pid === mark.pid)).map(e => `${e.pid}:${e.tid}`));
  const seen = new Set(), tasks = [];
  for (const e of events) {
    if (e.ph !== 'X' || !/(^|::)RunTask$/.test(e.name) || !main.has(`${e.pid}:${e.tid}`)) continue;
    const key = `${e.pid}:${e.tid}:${e.ts}`;   // a task can be traced twice, nested
    if (seen.has(key)) continue;
    seen.add(key);
    tasks.push({ wall: Math.round(e.dur / 1000), cpu: Math.round((e.tdur ?? e.dur) / 1000),
      at: mark ? (e.ts - mark.ts) / 1000 : NaN });
  }
  return tasks;
}

// The status line's data-state: loading, ready, running, paused, ...
export function stateOf(page) {
  return byTestId(page, 'status').getAttribute('data-state');
}

// Resolves when the status line's data-state is `phase` (ready, running, paused, ...). A timeout
// says which state the page was in instead, and its status line (e.g. a run already done).
export async function waitForState(page, phase, timeout) {
  try {
    await page.waitForFunction(p => document.querySelector('[data-testid="status"]').dataset.state === p,
      phase, { timeout, polling: 50 });
  } catch (e) {
    const now = await page.evaluate(() => {
      const status = document.querySelector('[data-testid="status"]');
      return status && `${status.dataset.state}: "${status.textContent.trim()}"`;
    }).catch(() => 'unknown (the page is gone)');
    throw new Error(`waiting for state ${phase}: ${e.message}; the page is in state ${now}`, { cause: e });
  }
}

// Clicks Pause from inside the page as soon as the element `id` (epoch, batch) shows a data-value
// of at least `atLeast`: a run of short epochs (a fraction of a second each) can end between the
// test seeing a value and its own click arriving, most of all on a slow or busy machine. Call it
// before Start; it resolves once the watch is in place.
export function pauseWhen(page, id, atLeast) {
  return page.evaluate(([id, atLeast]) => {
    const el = document.querySelector(`[data-testid="${id}"]`);
    new MutationObserver((_, observer) => {
      if (!(Number(el.dataset.value) >= atLeast)) return;
      observer.disconnect();
      document.querySelector('[data-testid="pause"]').click();
    }).observe(el, { attributes: true, attributeFilter: ['data-value'] });
  }, [id, atLeast]);
}

// A fresh page (openPage, with `setup`) at the site of siteAndBrowser() `env` with `hash`, once it
// is ready (its data loaded): { context, page, errors }.
export async function openReady(env, hash, timeout, setup = undefined) {
  const opened = await openPage(env.browser, setup);
  await opened.page.goto(env.site.url + hash);
  await waitForState(opened.page, 'ready', timeout);
  return opened;
}

// Start, then wait until the run has trained all its epochs.
export async function trainToTheEnd(page, timeout) {
  await byTestId(page, 'start').click();
  await waitForState(page, 'done', timeout);
}
