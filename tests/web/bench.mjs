// The page's benchmark (./build.sh bench runs it after the core's): the built site in headless
// Chromium, as a student opens it. JSON lines on stdout, "target": "page":
//   first-batch  ms from navigation to the worker's first STATE running and first PROGRESS of an
//                autostarted run, with a warm cache (median and range of BENCH_RUNS, default 5),
//                and the longest main-thread task before training started; the median time of each
//                step on the way (HTML, page scripts run, worker READY, DATA_READY, CONFIGURED);
//                after two visits, so the data is this browser's copy in the form later visits read
//   epochs       30 epochs of [784,30,10] (BENCH_EPOCHS): the page's wall time from Start to done
//                against the core's own training and evaluation time (EPOCH's seconds and
//                evalSeconds), the worker's s/epoch, and the longest main-thread task meanwhile
//   tasks        the longest main-thread task and the count of those of 50 ms or more while
//                training [784,30,10] and [784,100,10] for BENCH_WINDOW ms (default 8000), at 1x
//                and at 4x CPU throttling (CDP Emulation.setCPUThrottlingRate)
//   pause        ms from a click on Pause to the button's change, painted, at 4x (BENCH_RUNS clicks)
//   run          a whole run of BENCH_RUN_EPOCHS (default 8) epochs of each network at 4x, started
//                on a page at rest (Start 1.5 s after the page is ready), from its start to a
//                second after its end: the longest main-thread task and those of 50 ms or more (a
//                run's first frames and its end draw the most)
//   cpu          the main thread's tasks by CPU time (Chromium's trace of the page's renderer; CPU
//                throttling and a busy second core stretch wall-clock times, not these), 1x, warm
//                cache, BENCH_RUNS visits: the longest before the autostarted run is under way and
//                the longest in the 2.5 s after (when the charts are built and first drawn)
// With BENCH_VERBOSE=1 the long animation frames behind the long tasks go to stderr: what their
// scripts were (the profile's first look). A benchmark, not a test: it asserts nothing.
// Usage: node tests/web/bench.mjs [first-batch|epochs|tasks|pause|run|cpu ...]   (default: all six)
/* global __bench -- the init script's log, read by functions run in the page */
import { launchBrowser, startSite, stopMainThreadTrace, TRACE_CATEGORIES, VIEWPORT } from './browser.mjs';

const RUNS = Math.max(1, Number(process.env.BENCH_RUNS || 5));
const EPOCHS = Math.max(1, Number(process.env.BENCH_EPOCHS || 30));
const WINDOW = Math.max(1000, Number(process.env.BENCH_WINDOW || 8000));
const VERBOSE = process.env.BENCH_VERBOSE === '1';
const RUN_EPOCHS = Math.max(1, Number(process.env.BENCH_RUN_EPOCHS || 8));
const sections = process.argv.slice(2).length ? process.argv.slice(2)
  : ['first-batch', 'epochs', 'tasks', 'pause', 'run', 'cpu'];

const median = xs => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round = (x, digits = 1) => Number(x.toFixed(digits));
const stats = xs => ({ median: round(median(xs)), min: round(Math.min(...xs)), max: round(Math.max(...xs)), runs: xs.length });
const emit = row => console.log(JSON.stringify({ target: 'page', ...row }));

// In every page, before its scripts: the worker's messages (type, time, a few fields), every long
// task and long animation frame (buffered: those of start-up too), and the clicks.
function instrument() {
  const log = window.__bench = { messages: [], tasks: [], frames: [], clicks: [] };
  new PerformanceObserver(list => {
    for (const e of list.getEntries()) log.tasks.push({ t: e.startTime, d: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  new PerformanceObserver(list => {
    for (const e of list.getEntries()) {
      log.frames.push({ t: e.startTime, d: e.duration, blocking: e.blockingDuration,
        scripts: e.scripts.map(s => ({ d: s.duration, what: s.invoker || s.invokerType, src: s.sourceURL &&
          `${s.sourceURL.replace(/^.*\//, '')}:${s.sourceFunctionName || ''}:${s.sourceCharPosition}` })) });
    }
  }).observe({ type: 'long-animation-frame', buffered: true });
  document.addEventListener('click', e => log.clicks.push({ t: e.timeStamp, id: e.target && e.target.id }), true);
  const Native = window.Worker;
  window.Worker = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', e => {
        const d = e.data || {};
        log.messages.push({ type: d.type, t: performance.now(), epoch: d.epoch, batch: d.batch,
          seconds: d.seconds, evalSeconds: d.evalSeconds, running: d.running, done: d.done });
        if (d.running && !log.ran) {   // in a trace (section cpu): the page's renderer, and when
          log.ran = true;
          console.timeStamp('bench: running');
        }
      });
    }
  };
}

const site = await startSite();
const browser = await launchBrowser();
const context = await browser.newContext({ viewport: VIEWPORT });
await context.addInitScript(instrument);

// A new page at the site with `hash`, CPU throttled `rate` times; resolves once the worker says
// training runs.
async function open(hash, rate = 1) {
  const page = await context.newPage();
  page.on('pageerror', e => console.error(`bench: page error: ${e.message}`));
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
  await page.goto(site.url + hash);
  await page.waitForFunction(() => __bench.messages.some(m => m.type === 'state' && m.running),
    null, { timeout: 120000, polling: 50 });
  return page;
}

const longTasks = (page, from, to) => page.evaluate(([a, b]) => {
  const tasks = __bench.tasks.filter(x => x.t >= a && x.t < b).map(x => x.d);
  const frames = __bench.frames.filter(x => x.t >= a - 50 && x.t < b && x.blocking > 0);
  return { tasks, frames };
}, [from, to]);

function showFrames(label, frames) {
  if (!VERBOSE) return;
  for (const f of frames.sort((a, b) => b.d - a.d).slice(0, 8)) {
    const scripts = f.scripts.filter(s => s.d >= 2).map(s => `${s.what} ${s.src || ''} ${Math.round(s.d)} ms`);
    console.error(`bench: ${label}: frame at ${Math.round(f.t)} ms, ${Math.round(f.d)} ms ` +
      `(blocking ${Math.round(f.blocking)}): ${scripts.join('; ') || 'no script over 2 ms (style, layout, paint)'}`);
  }
}

// Two visits: the first fills the HTTP cache, installs the service worker and has it keep the
// data; the second reads that copy and keeps the images in the core's compact form too.
async function warmUp(hash) {
  const warm = await open(hash);
  await warm.waitForFunction(async () => {
    const name = (await caches.keys()).find(n => n.startsWith('backprop-lab-data '));
    return Boolean(name) && (await (await caches.open(name)).keys()).length >= 4;
  }, null, { timeout: 60000, polling: 200 });
  await warm.close();
  const again = await open(hash);
  const compact = await again.waitForFunction(async () => {
    const name = (await caches.keys()).find(n => n.startsWith('backprop-lab-data '));
    return (await (await caches.open(name)).keys()).filter(r => r.url.endsWith('.bpls')).length >= 2;
  }, null, { timeout: 20000, polling: 200 }).then(() => true, () => false);
  if (!compact) console.error('bench: no compact copy of the images was kept (an older build?)');
  await again.close();
}

async function firstBatch() {
  const hash = '#sizes=784,30,10&epochs=1&autostart=1';
  await warmUp(hash);
  const running = [], progress = [], startup = [], steps = {};
  for (let i = 0; i < RUNS; i++) {
    const page = await open(hash);
    await page.waitForFunction(() => __bench.messages.some(m => m.type === 'progress'), null, { timeout: 60000 });
    const r = await page.evaluate(() => {
      const at = type => (__bench.messages.find(m => m.type === type) || { t: NaN }).t;
      const nav = performance.getEntriesByType('navigation')[0];
      return {
        running: __bench.messages.find(m => m.type === 'state' && m.running).t,
        progress: at('progress'),
        // Where the time before it went: the page's scripts, the worker's module, the data.
        steps: { html: nav.responseEnd, scripts: nav.domContentLoadedEventEnd, ready: at('ready'),
          data: at('data-ready'), configured: at('configured') },
      };
    });
    for (const [k, v] of Object.entries(r.steps)) (steps[k] = steps[k] || []).push(v);
    const seen = await longTasks(page, 0, r.running);
    showFrames('start-up', seen.frames);
    running.push(r.running);
    progress.push(r.progress);
    startup.push(Math.max(0, ...seen.tasks));
    await page.close();
  }
  emit({ measure: 'first-batch', sizes: [784, 30, 10], running_ms: stats(running), first_progress_ms: stats(progress),
    longest_startup_task_ms: stats(startup),
    steps_median_ms: Object.fromEntries(Object.entries(steps).map(([k, v]) => [k, round(median(v))])) });
}

async function epochs() {
  const page = await open(`#sizes=784,30,10&epochs=${EPOCHS}&autostart=1`);
  await page.waitForFunction(() => __bench.messages.some(m => m.type === 'state' && m.done), null,
    { timeout: EPOCHS * 20000, polling: 100 });
  const r = await page.evaluate(() => {
    const m = __bench.messages;
    const start = m.find(x => x.type === 'state' && x.running).t, end = m.find(x => x.type === 'state' && x.done).t;
    const e = m.filter(x => x.type === 'epoch');
    return { start, end, train: e.map(x => x.seconds), evaluate: e.map(x => x.evalSeconds) };
  });
  const seen = await longTasks(page, r.start, r.end);
  showFrames('epochs', seen.frames);
  const sum = xs => xs.reduce((a, b) => a + b, 0);
  const core = sum(r.train) + sum(r.evaluate);
  emit({ measure: 'epochs', sizes: [784, 30, 10], epochs: r.train.length,
    worker_seconds_per_epoch: round(median(r.train), 4), eval_seconds_per_epoch: round(median(r.evaluate), 4),
    wall_seconds: round((r.end - r.start) / 1000, 2), core_seconds: round(core, 2),
    overhead: round((r.end - r.start) / 1000 / core, 3),
    longest_task_ms: round(Math.max(0, ...seen.tasks)), tasks_over_50_ms: seen.tasks.filter(d => d >= 50).length });
  await page.close();
}

async function tasks() {
  for (const rate of [1, 4]) {
    for (const sizes of [[784, 30, 10], [784, 100, 10]]) {
      const page = await open(`#sizes=${sizes.join(',')}&epochs=100&autostart=1`, rate);
      const from = await page.evaluate(() => performance.now());
      await page.waitForTimeout(WINDOW);
      const to = await page.evaluate(() => performance.now());
      const seen = await longTasks(page, from, to);
      showFrames(`${sizes.join(',')} at ${rate}x`, seen.frames);
      emit({ measure: 'tasks', sizes, throttle: rate, window_ms: WINDOW, longest_task_ms: round(Math.max(0, ...seen.tasks)),
        tasks_over_50_ms: seen.tasks.filter(d => d >= 50).length });
      await page.close();
    }
  }
}

async function wholeRun() {
  const rate = 4;
  for (const sizes of [[784, 30, 10], [784, 100, 10]]) {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate });
    await page.goto(`${site.url}#sizes=${sizes.join(',')}&epochs=${RUN_EPOCHS}`);
    await page.waitForFunction(() => document.querySelector('[data-testid="status"]').dataset.state === 'ready',
      null, { timeout: 120000, polling: 50 });
    await page.waitForTimeout(1500);
    // Clicked from the page: a click through the input pipeline opens the page's prompt window
    // (main.js PROMPT_MS), in which nothing is paced, and a short run's end would fall in it.
    await page.evaluate(() => document.getElementById('start').click());
    await page.waitForFunction(() => __bench.messages.some(m => m.type === 'state' && m.done), null,
      { timeout: RUN_EPOCHS * 60000, polling: 200 });
    await page.waitForTimeout(1000);   // what the end draws
    const r = await page.evaluate(() => ({
      start: __bench.messages.find(m => m.type === 'state' && m.running).t,
      end: __bench.messages.find(m => m.type === 'state' && m.done).t, now: performance.now(),
    }));
    const seen = await longTasks(page, r.start, r.now);
    showFrames(`run of ${sizes.join(',')} at ${rate}x`, seen.frames);
    emit({ measure: 'run', sizes, throttle: rate, epochs: RUN_EPOCHS, seconds: round((r.end - r.start) / 1000, 2),
      longest_task_ms: round(Math.max(0, ...seen.tasks)), tasks_over_50_ms: seen.tasks.filter(d => d >= 50).length });
    await page.close();
  }
}

async function pause() {
  const rate = 4;
  const page = await open('#sizes=784,30,10&epochs=100&autostart=1', rate);
  const took = [];
  for (let i = 0; i < RUNS; i++) {
    await page.waitForTimeout(1500);   // training, with its redraws, under way
    // The time the Pause button changes, then the frame that shows it.
    const changed = page.evaluate(() => new Promise(resolve => {
      const button = document.getElementById('pause');
      new MutationObserver((_, observer) => {
        if (!button.disabled) return;
        observer.disconnect();
        requestAnimationFrame(() => resolve(performance.now()));
      }).observe(button, { attributes: true });
    }));
    await page.click('#pause');
    const shown = await changed;
    const clicked = await page.evaluate(() => __bench.clicks.filter(c => c.id === 'pause').at(-1).t);
    took.push(shown - clicked);
    await page.waitForFunction(() => document.getElementById('start').disabled === false, null, { timeout: 30000 });
    await page.click('#start');
    await page.waitForFunction(() => document.getElementById('pause').disabled === false, null, { timeout: 30000 });
  }
  emit({ measure: 'pause', sizes: [784, 30, 10], throttle: rate, ms: stats(took) });
  await page.close();
}

// The page's main-thread tasks by CPU time, from Chromium's trace of its renderer (which neither
// CPU throttling nor a second core shared with the worker stretches, as they do wall-clock
// times): the longest before training is under way (the scripts' evaluation, the first drawing)
// and the longest in the CPU_WINDOW ms after, when the charts are built and first drawn.
const CPU_WINDOW = 2500;
async function cpu() {
  const hash = '#sizes=784,30,10&epochs=100&autostart=1';
  await warmUp(hash);
  const before = [], after = [];
  for (let i = 0; i < RUNS; i++) {
    const page = await context.newPage();
    await browser.startTracing(page, { categories: TRACE_CATEGORIES });
    await page.goto(site.url + hash);
    await page.waitForFunction(() => __bench.ran, null, { timeout: 120000, polling: 50 });
    await page.waitForTimeout(CPU_WINDOW);
    const tasks = await stopMainThreadTrace(browser, 'bench: running');
    await page.close();
    if (!tasks.length || Number.isNaN(tasks[0].at)) throw new Error('cpu: the trace has no mark of the page\'s renderer');
    before.push(Math.max(0, ...tasks.filter(x => x.at < 0).map(x => x.cpu)));
    after.push(Math.max(0, ...tasks.filter(x => x.at >= 0 && x.at < CPU_WINDOW).map(x => x.cpu)));
  }
  emit({ measure: 'cpu', sizes: [784, 30, 10], throttle: 1, window_ms: CPU_WINDOW,
    longest_startup_task_cpu_ms: stats(before), longest_task_cpu_ms_after_start: stats(after) });
}

const run = { 'first-batch': firstBatch, epochs, tasks, pause, run: wholeRun, cpu };
try {
  for (const s of sections) {
    if (!run[s]) throw new Error(`unknown section ${s}: first-batch, epochs, tasks, pause, run or cpu`);
    await run[s]();
  }
} finally {
  await browser.close();
  site.server.close();
}
