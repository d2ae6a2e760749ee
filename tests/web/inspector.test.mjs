// Browser tests of the backprop inspector (web/views/inspector/): opened by the link inspect=N and
// by typing N, every step walked with the keyboard and photographed, the exported trace checked
// against BP1-BP4 recomputed here in float64 (the worker writes it), the gradient check, bad
// example numbers, the SGD step applied and discarded (and refused while the run trains), a weight
// typed in the diagram traced again, the keys that belong to other controls, and no main-thread
// task of 50 ms CPU or more while stepping.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  siteAndBrowser, openPage, checkNoErrors, byTestId, waitForState, waitForValue, SCREENSHOTS, startMainThreadTrace,
  stopMainThreadTrace,
} from './browser.mjs';
import { PRESETS, formatHash } from '../../web/config.js';

const LONG = 120_000;
const STEPS = ['input', 'forward', 'bp1', 'bp2', 'bp3', 'bp4', 'update'];
const env = siteAndBrowser();

const stepOf = page => byTestId(page, 'bp-step').getAttribute('data-value');

// The step is on screen, all of it (it is attached over a few frames).
async function waitForStep(page, step) {
  await page.waitForFunction(s => {
    const body = document.querySelector('[data-testid="bp-step"]');
    return body.dataset.value === s && body.getAttribute('aria-busy') === 'false';
  }, step, { timeout: 10_000, polling: 'raf' });
}

// The inspector shows a trace of `what` (its "about" line starts so) and nothing is pending.
async function waitForTrace(page, what) {
  await page.waitForFunction(w => {
    const about = document.querySelector('[data-testid="bp-about"]').textContent;
    return about.startsWith(w) && !about.includes('Tracing');
  }, what, { timeout: LONG, polling: 100 });
}

// The id of the trace shown (the step box's data-trace), and a wait for another one, wholly drawn.
const traceIdOf = page => byTestId(page, 'bp-step').getAttribute('data-trace');
async function waitForNewTrace(page, id) {
  await page.waitForFunction(i => {
    const body = document.querySelector('[data-testid="bp-step"]');
    return body.dataset.trace !== i && body.getAttribute('aria-busy') === 'false' &&
      !document.querySelector('[data-testid="bp-about"]').textContent.includes('Tracing');
  }, id, { timeout: LONG, polling: 'raf' });
}

// KaTeX is in and the step's equations are typeset.
async function waitForTypeset(page) {
  await page.waitForFunction(() => document.querySelector('[data-testid="bp-step"] .katex') &&
    !document.querySelector('[data-testid="bp-step"] .inspector-tex.pending'), null, { timeout: 20_000 });
}

// The step on screen is whole and every step is built and typeset (the inspector's data-settled).
async function waitForSettled(page) {
  await page.waitForFunction(() => document.querySelector('[data-testid="bp-step"]').dataset.settled === 'true',
    null, { timeout: 20_000, polling: 'raf' });
}

// Two animation frames: whatever a key press changed has been drawn.
const frames = page => page.evaluate(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))));

// Every main-thread task of 50 ms or more from now on (the Long Tasks API reports exactly those),
// until longTasks() takes them.
async function watchLongTasks(page) {
  await page.evaluate(() => {
    const tasks = [], frames = [];
    const longTask = new PerformanceObserver(list => {
      for (const e of list.getEntries()) tasks.push(Math.round(e.duration));
    });
    longTask.observe({ type: 'longtask' });
    const loaf = new PerformanceObserver(list => {
      for (const e of list.getEntries()) {
        frames.push({ d: Math.round(e.duration), render: Math.round(e.startTime + e.duration - e.renderStart),
          layout: e.styleAndLayoutStart ? Math.round(e.startTime + e.duration - e.styleAndLayoutStart) : 0,
          scripts: e.scripts.map(s => `${s.invoker}@${s.sourceFunctionName}:${Math.round(s.duration)}`).join(' ') });
      }
    });
    loaf.observe({ type: 'long-animation-frame' });
    window.takeLongTasks = () => {
      for (const e of longTask.takeRecords()) tasks.push(Math.round(e.duration));
      for (const e of loaf.takeRecords()) frames.push({ d: Math.round(e.duration) });
      longTask.disconnect();
      loaf.disconnect();
      return { tasks, frames };
    };
  });
}
const longTasks = page => page.evaluate(() => window.takeLongTasks());

// Export: the file the worker wrote, by its name, parsed.
async function exportJson(page, fileName) {
  const [download] = await Promise.all([page.waitForEvent('download'), byTestId(page, 'bp-export').click()]);
  assert.equal(download.suggestedFilename(), fileName);
  return JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
}

// ---- BP1-BP4 again, in float64, from the exported x, y, weights and biases ---------------------
// Only what the test network uses: sigmoid in every layer, the quadratic cost.
function recompute(json) {
  assert.equal(json.activation, 'sigmoid');
  assert.equal(json.cost, 'quadratic');
  const L = json.sizes.length - 1;
  const sigmoid = z => 1 / (1 + Math.exp(-z));
  const f32 = v => Math.fround(v);   // the exported decimals read back as the core's float32
  const z = [], a = [];
  let prev = json.x.map(f32);
  for (let l = 0; l < L; l++) {
    const w = json.weights[l], b = json.biases[l];
    z[l] = w.map((row, j) => row.reduce((s, wjk, k) => s + f32(wjk) * prev[k], f32(b[j])));
    a[l] = z[l].map(sigmoid);
    prev = a[l];
  }
  const y = json.y;
  const delta = [];
  delta[L - 1] = a[L - 1].map((aj, j) => (aj - y[j]) * aj * (1 - aj));                       // BP1
  for (let l = L - 2; l >= 0; l--) {                                                            // BP2
    delta[l] = a[l].map((aj, j) => json.weights[l + 1].reduce((s, row, k) => s + f32(row[j]) * delta[l + 1][k], 0) *
      aj * (1 - aj));
  }
  const gradB = delta;                                                                          // BP3
  const gradW = delta.map((d, l) => d.map(dj => (l === 0 ? json.x : a[l - 1]).map(ak => f32(ak) * dj)));  // BP4
  const cost = 0.5 * a[L - 1].reduce((s, aj, j) => s + (aj - y[j]) ** 2, 0);
  return { z, a, delta, gradB, gradW, cost };
}

const flat = v => (Array.isArray(v) ? v.flatMap(flat) : [v]);
function largestDifference(ours, theirs) {
  const p = flat(ours), q = flat(theirs);
  assert.equal(p.length, q.length);
  return p.reduce((m, v, i) => Math.max(m, Math.abs(v - q[i])), 0);
}

// The schema of README's "Trace export (JSON)": every list has the size its layer says.
function checkSchema(json, sizes) {
  assert.deepEqual(json.sizes, sizes);
  assert.equal(json.x.length, sizes[0]);
  assert.equal(json.y.length, sizes[sizes.length - 1]);
  for (const key of ['weights', 'grad_w']) {
    assert.equal(json[key].length, sizes.length - 1);
    json[key].forEach((w, l) => {
      assert.equal(w.length, sizes[l + 1], `${key}[${l}] rows`);
      for (const row of w) assert.equal(row.length, sizes[l], `${key}[${l}] columns`);
    });
  }
  for (const key of ['biases', 'z', 'a', 'delta', 'grad_b']) {
    assert.deepEqual(json[key].map(v => v.length), sizes.slice(1), key);
  }
  assert.equal(typeof json.cost_value, 'number');
  assert.equal(typeof json.eta, 'number');
}

test('inspect=N opens the inspector; every step by keyboard; the exported trace is BP1-BP4',
  { timeout: 3 * LONG }, async () => {
    const { context, page, errors } = await openPage(env.browser, async () => {}, { viewport: { width: 1366, height: 900 } });
    await page.goto(`${env.site.url}#inspect=7`);
    await waitForTrace(page, 'Training image 7 ');
    assert.equal(await byTestId(page, 'inspector').isVisible(), true);
    assert.equal(await stepOf(page), 'input');
    assert.match(await page.evaluate(() => location.hash), /inspect=7/);

    // A few mini-batches (Step): the inspector traces the trained network again by itself.
    for (let i = 1; i <= 3; i++) {
      await byTestId(page, 'step').click();
      await waitForValue(page, 'batch', i, LONG);
    }
    await waitForTrace(page, 'Training image 7 ');
    await page.waitForFunction(() => document.querySelector('[data-testid="bp-about"]').textContent
      .includes('after 3 mini-batches'), null, { timeout: LONG });
    await waitForTypeset(page);

    // Every step with the arrow keys (focus on the Next button, where opening put it), forwards
    // and back, watching the main thread.
    await byTestId(page, 'bp-next').focus();
    await watchLongTasks(page);
    await startMainThreadTrace(env.browser, page);
    for (const [i, step] of STEPS.entries()) {
      await waitForStep(page, step);
      if (i < STEPS.length - 1) await page.keyboard.press('ArrowRight');
    }
    await page.keyboard.press('ArrowRight');   // past the last step: stays there
    await frames(page);
    assert.equal(await stepOf(page), 'update');
    for (const step of [...STEPS].reverse().slice(1)) {
      await page.keyboard.press('ArrowLeft');
      await waitForStep(page, step);
    }
    // A neuron picked with the keyboard: focus BP2's δ bars, move right, Enter.
    for (let i = 0; i < 3; i++) await byTestId(page, 'bp-next').click();
    await waitForStep(page, 'bp2');
    const bars = page.locator('canvas[data-key="bp2-delta-0"]');
    const before = await page.locator('.inspector-layer .inspector-math p').first().textContent();
    await bars.focus();
    await page.keyboard.press('ArrowRight');
    assert.match(await page.locator('canvas[data-key="bp2-delta-0"] ~ .live').textContent(), /^δ²\S* = /,
      'a keyboard move is announced');
    await page.keyboard.press('Enter');
    await page.waitForFunction(b => {
      const p = document.querySelector('.inspector-layer .inspector-math p');
      return p && p.textContent !== b && document.querySelector('[data-testid="bp-step"]').ariaBusy === 'false';
    }, before, { timeout: 5000 });
    assert.equal(await stepOf(page), 'bp2', 'the arrow keys inside the bars must not change the step');
    assert.match(await page.locator('canvas[data-key="bp2-delta-0"] + .readout').textContent(), /^δ²/);
    // Until every step is built again for the new neuron and its equations are typeset.
    await waitForSettled(page);
    const stepping = await longTasks(page);
    const steppingTasks = await stopMainThreadTrace(env.browser);
    // The CPU time of each task is asserted (browser.mjs mainThreadTasks: on 2 shared cores the
    // wall-clock long tasks include time the scheduler gave to other processes); those are logged,
    // with the long animation frames that say what they were made of.
    console.log(`inspector: ${steppingTasks.length} main-thread tasks while stepping, the most CPU ` +
      `${Math.max(0, ...steppingTasks.map(t => t.cpu))} ms; wall-clock long tasks: ${JSON.stringify(stepping.tasks)}`);
    assert.ok(steppingTasks.length > 20 && steppingTasks.some(t => t.wall > 0),
      `the page's main thread is not in the trace: ${JSON.stringify(steppingTasks.slice(0, 20))}`);
    assert.deepEqual(steppingTasks.filter(t => t.cpu >= 50), [], 'main-thread tasks of 50 ms CPU or more while ' +
      `stepping; the long frames then: ${JSON.stringify(stepping.frames)}`);

    // A picture of every step (not while watching: a screenshot lays the whole page out again).
    await page.locator('.inspector-tabs button[data-step="input"]').click();
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    for (const [i, step] of STEPS.entries()) {
      await waitForStep(page, step);
      await waitForTypeset(page);
      await byTestId(page, 'inspector').screenshot({ path: path.join(SCREENSHOTS, `inspector-${step}.png`) });
      if (i < STEPS.length - 1) await page.keyboard.press('ArrowRight');
    }

    // The export, written by the worker and recomputed here in float64 from x, y, weights and
    // biases; building it takes the page's main thread no long task.
    await watchLongTasks(page);
    await startMainThreadTrace(env.browser, page);
    const [download] = await Promise.all([page.waitForEvent('download'), byTestId(page, 'bp-export').click()]);
    await frames(page);
    const exporting = await longTasks(page);
    const exportingTasks = await stopMainThreadTrace(env.browser);
    assert.deepEqual(exportingTasks.filter(t => t.cpu >= 50), [], 'main-thread tasks of 50 ms CPU or more ' +
      `exporting; wall-clock long tasks ${JSON.stringify(exporting.tasks)}, frames ${JSON.stringify(exporting.frames)}`);
    assert.equal(download.suggestedFilename(), 'trace-train-7.json');
    const json = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
    checkSchema(json, [784, 30, 10]);
    assert.deepEqual(json.example, { set: 'train', index: 7, label: 3 });   // MNIST's 8th training digit
    assert.equal(json.eta, 3);
    assert.equal(json.y.indexOf(1), 3);
    const r = recompute(json);
    const diff = {
      z: largestDifference(r.z, json.z), a: largestDifference(r.a, json.a),
      delta: largestDifference(r.delta, json.delta), grad_b: largestDifference(r.gradB, json.grad_b),
      grad_w: largestDifference(r.gradW, json.grad_w), cost: Math.abs(r.cost - json.cost_value),
    };
    console.log(`inspector: exported trace against float64 BP1-BP4, largest |difference|: ${JSON.stringify(diff)}`);
    // float32 sums of up to 784 terms against float64: about 1e-6 of |z| <= ~30.
    assert.ok(diff.z < 1e-4, `z: ${diff.z}`);
    for (const key of ['a', 'delta', 'grad_b', 'grad_w', 'cost']) assert.ok(diff[key] < 1e-5, `${key}: ${diff[key]}`);
    checkNoErrors(errors);
    await context.close();
  });

test('typing N traces it; bad numbers are refused; gradient check; apply and discard', { timeout: 3 * LONG }, async () => {
  const { context, page, errors } = await openPage(env.browser);
  await page.goto(env.site.url);
  await waitForState(page, 'ready', LONG);
  assert.equal(await byTestId(page, 'inspector').isVisible(), false);
  await page.locator('body').press('b');
  await waitForTrace(page, 'Training image 0 ');
  assert.equal(await byTestId(page, 'inspector').isVisible(), true);

  // Bad input: a message beside the field, and the trace stays that of example 0.
  const field = byTestId(page, 'bp-example'), message = byTestId(page, 'bp-example-error');
  for (const [text, expected] of [['60000', /60,000 is out of range: training images are numbered 0 to 49,999/],
    ['abc', /“abc” is not a whole number/], ['-3', /not a whole number/], ['', /Type an index/]]) {
    await field.fill(text);
    await field.press('Enter');
    // This input's message (the one before may still show until the next frame).
    await page.waitForFunction(([source, flags]) => new RegExp(source, flags)
      .test(document.querySelector('[data-testid="bp-example-error"]').textContent), [expected.source, expected.flags],
    { timeout: 5000 }).catch(() => {});
    assert.match(await message.textContent(), expected);
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    assert.match(await byTestId(page, 'bp-about').textContent(), /^Training image 0 /);
  }
  // The key B typed into the field is a letter, not "close".
  await field.fill('');
  await field.type('12b');
  assert.equal(await byTestId(page, 'inspector').isVisible(), true);
  await field.fill('123');
  await field.press('Enter');
  await waitForTrace(page, 'Training image 123 ');
  assert.equal(await message.textContent(), '');
  assert.match(await page.evaluate(() => location.hash), /inspect=123/);
  // A test image too.
  await byTestId(page, 'bp-set').selectOption('test');
  await waitForTrace(page, 'Test image 123 of 10,000');
  assert.doesNotMatch(await page.evaluate(() => location.hash), /inspect=/);
  await field.fill('10000');
  await field.press('Enter');
  await page.waitForFunction(() => document.querySelector('[data-testid="bp-example-error"]').textContent !== '');
  assert.match(await message.textContent(), /10,000 is out of range: test images are numbered 0 to 9,999/);
  await byTestId(page, 'bp-set').selectOption('train');
  await waitForTrace(page, 'Training image 10,000 ');   // the field's 10000 is a training image

  // The gradient check: backprop against finite differences.
  await byTestId(page, 'bp-gradcheck').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="grad-check"]').dataset.value !== undefined,
    null, { timeout: LONG });
  const maxRel = Number(await byTestId(page, 'grad-check').getAttribute('data-value'));
  const rows = await page.locator('.inspector-gradcheck tbody tr').count();
  console.log(`inspector: gradient check of [784,30,10] sigmoid + quadratic, untrained, training image 10000: ` +
    `largest relative error ${maxRel} over ${rows} parameters`);
  assert.ok(Number.isFinite(maxRel) && maxRel >= 0 && maxRel < 1e-2, `largest relative error ${maxRel}`);
  assert.ok(rows >= 10, `${rows} parameters checked`);

  // Discard: nothing changes, so the same example traces to the same cost.
  await page.locator('.inspector-tabs button[data-step="update"]').click();
  await waitForStep(page, 'update');
  const cost = byTestId(page, 'bp-cost');
  const first = { before: Number(await cost.getAttribute('data-before')), after: Number(await cost.getAttribute('data-after')) };
  assert.ok(first.after < first.before, `one step on the example lowers its cost: ${JSON.stringify(first)}`);
  await byTestId(page, 'bp-discard').click();
  await page.waitForFunction(() => /Discarded/.test(document.querySelector('[data-testid="bp-update-message"]')?.textContent));
  assert.equal(await byTestId(page, 'bp-apply').isDisabled(), true);
  await field.fill('10000');
  await field.press('Enter');
  await page.waitForFunction(() => document.querySelector('[data-testid="bp-apply"]')?.disabled === false);
  assert.equal(Number(await cost.getAttribute('data-before')), first.before);

  // Apply: the network takes the step; traced again, the example's cost is the step's costAfter.
  let traced = await traceIdOf(page);
  await byTestId(page, 'bp-apply').click();
  await page.waitForFunction(() => /left the path of its seed/.test(document.querySelector('[data-testid="bp-about"]').textContent),
    null, { timeout: LONG });
  await waitForNewTrace(page, traced);
  const now = Number(await cost.getAttribute('data-before'));
  assert.ok(Math.abs(now - first.after) <= 1e-6 * Math.max(1, first.after), `cost after applying: ${now}, expected ${first.after}`);

  // While the run trains, the step shown is of a network that is gone: Apply is refused with a
  // message. Paused again, the example is traced anew and Apply applies the step shown.
  await page.waitForFunction(() => document.querySelector('[data-testid="bp-apply"]')?.disabled === false);
  const trained = Number(await byTestId(page, 'batch').getAttribute('data-value'));
  await byTestId(page, 'start').click();
  await waitForValue(page, 'batch', trained + 1, LONG);
  await page.waitForFunction(() => document.querySelector('[data-testid="bp-apply"]')?.disabled &&
    /The run is training/.test(document.querySelector('[data-testid="bp-update-message"]')?.textContent),
  null, { timeout: 5000 });
  assert.equal(await byTestId(page, 'bp-gradcheck').isDisabled(), true, 'no gradient check of a stale trace');
  await byTestId(page, 'pause').click();
  await waitForState(page, 'paused', LONG);
  await page.waitForFunction(() => document.querySelector('[data-testid="bp-apply"]')?.disabled === false,
    null, { timeout: LONG });
  const batchesNow = Number(await byTestId(page, 'batch').getAttribute('data-value'));
  assert.match(await byTestId(page, 'bp-about').textContent(),
    new RegExp(`after ${batchesNow.toLocaleString('en')} mini-batches`), 'traced on the network as paused');
  const second = { before: Number(await cost.getAttribute('data-before')), after: Number(await cost.getAttribute('data-after')) };
  traced = await traceIdOf(page);
  await byTestId(page, 'bp-apply').click();
  await waitForNewTrace(page, traced);
  const applied = Number(await cost.getAttribute('data-before'));
  assert.ok(Math.abs(applied - second.after) <= 1e-6 * Math.max(1, second.after),
    `cost after applying the re-traced step: ${applied}, expected ${second.after}`);

  // The drawn digit, with the target the student picks: first without a drawing, then with one.
  await byTestId(page, 'bp-set').selectOption('drawn');
  await page.waitForFunction(() => /Draw a digit on the pad first/.test(
    document.querySelector('[data-testid="bp-example-error"]').textContent));
  await byTestId(page, 'draw').scrollIntoViewIfNeeded();
  const pad = await byTestId(page, 'draw').boundingBox();
  await page.mouse.move(pad.x + 0.5 * pad.width, pad.y + 0.15 * pad.height);
  await page.mouse.down();
  await page.mouse.move(pad.x + 0.5 * pad.width, pad.y + 0.85 * pad.height, { steps: 12 });
  await page.mouse.up();
  await byTestId(page, 'bp-label').selectOption('1');
  await waitForTrace(page, 'The drawn digit, target 1');
  const drawnJson = await exportJson(page, 'trace-drawn.json');
  assert.deepEqual(drawnJson.example, { set: 'drawn', index: null, label: 1 });
  assert.ok(drawnJson.x.some(v => v > 0.5), 'the drawing reached the trace');
  assert.doesNotMatch(await page.evaluate(() => location.hash), /inspect=/);
  await byTestId(page, 'bp-set').selectOption('train');
  await waitForTrace(page, 'Training image 10,000 ');

  // Closing leaves the run paused; Escape closes, B opens again on the same example.
  await page.locator('body').press('Escape');
  await page.waitForFunction(() => document.querySelector('[data-testid="inspector"]').hidden);
  assert.doesNotMatch(await page.evaluate(() => location.hash), /inspect=/);
  await page.locator('body').press('b');
  await waitForTrace(page, 'Training image 10,000 ');
  checkNoErrors(errors);
  await context.close();
});

test('a weight typed in the diagram is traced again; the arrows and B belong to other controls', { timeout: LONG }, async () => {
  const { context, page, errors } = await openPage(env.browser);
  await page.goto(env.site.url + formatHash(PRESETS.find(p => p.id === 'xor').config));
  await waitForState(page, 'ready', LONG);
  await page.locator('body').press('b');
  await waitForTrace(page, 'Point 0: ');
  await page.locator('.inspector-tabs button[data-step="update"]').click();
  await waitForStep(page, 'update');
  const cost = byTestId(page, 'bp-cost');
  const before = Number(await cost.getAttribute('data-before'));

  // The arrow keys and B on a preset button or a weight of the diagram are not the inspector's.
  const edge = '[data-testid="network-diagram"] .edge[data-layer="0"][data-from="0"][data-to="1"]';
  for (const selector of ['#presets button', edge]) {
    await page.locator(selector).first().focus();
    for (const key of ['ArrowLeft', 'b']) await page.keyboard.press(key);
    await frames(page);
    assert.equal(await stepOf(page), 'update', `ArrowLeft on ${selector} changed the step`);
    assert.equal(await byTestId(page, 'inspector').isVisible(), true, `B on ${selector} closed the inspector`);
  }

  // A weight typed in the diagram (into the output neuron: point 0 is x = (0, 0), so a first-layer
  // weight would not change its cost): the example is traced again on the changed network.
  const traced = await traceIdOf(page);
  await page.locator('[data-testid="network-diagram"] .edge[data-layer="1"][data-from="0"][data-to="0"]').focus();
  await page.keyboard.press('Enter');
  await byTestId(page, 'param-input').fill('8');
  await byTestId(page, 'param-input').press('Enter');
  await waitForNewTrace(page, traced);
  assert.match(await byTestId(page, 'bp-about').textContent(), /^Point 0: .*changed by hand/);
  assert.notEqual(Number(await cost.getAttribute('data-before')), before, 'the cost of the changed network');
  const json = await exportJson(page, 'trace-xor-0.json');
  assert.equal(json.weights[1][0][0], 8, 'the trace is of the network with the weight typed');
  checkNoErrors(errors);
  await context.close();
});

test('without KaTeX the equations stay as TeX source, said once', { timeout: LONG }, async () => {
  const { context, page } = await openPage(env.browser, c => c.route('**/katex.min.js', r => r.abort()));
  await page.goto(env.site.url + formatHash(PRESETS.find(p => p.id === 'xor').config));
  await waitForState(page, 'ready', LONG);
  await page.locator('body').press('b');
  await waitForTrace(page, 'Point 0: ');
  await page.waitForFunction(() => !document.querySelector('[data-testid="bp-tex-error"]').hidden, null, { timeout: LONG });
  assert.match(await byTestId(page, 'bp-tex-error').textContent(), /KaTeX could not be loaded/);
  await byTestId(page, 'bp-next').click();
  await waitForSettled(page);
  assert.equal(await page.locator('[data-testid="bp-step"] .inspector-tex.pending').count(), 0);
  assert.ok(await page.locator('[data-testid="bp-step"] .inspector-tex.source').count() > 0);
  assert.equal(await page.locator('[data-testid="bp-tex-error"]').count(), 1);
  await context.close();
});
