// Browser end-to-end tests of the small networks (views/small/): the lecture's truth tables
// drawn neuron by neuron, trained, and set by hand, on the built page in headless Chromium, with
// the worker's real core. Any console error fails the test. Not the config's checks
// (config.test.mjs) and not the core's XOR run (tests/wasm/).
import test from 'node:test';
import assert from 'node:assert/strict';
import { siteAndBrowser, openPage, checkNoErrors, byTestId, waitForState, screenshot } from './browser.mjs';
import { PRESETS, formatHash } from '../../web/config.js';

const LONG = 60_000;
const env = siteAndBrowser();
const link = id => env.site.url + formatHash(PRESETS.find(p => p.id === id).config);
const edge = (l, from, to) => `[data-testid="network-diagram"] .edge[data-layer="${l}"][data-from="${from}"][data-to="${to}"]`;
const neuron = (l, i) => `[data-testid="network-diagram"] .neuron[data-layer="${l}"][data-index="${i}"]`;

// A page on a truth table that must never ask for MNIST: every request to data/mnist is kept.
async function truthTablePage(url) {
  const opened = await openPage(env.browser);
  opened.mnist = [];
  opened.page.on('request', r => {
    if (r.url().includes('data/mnist')) opened.mnist.push(r.url());
  });
  await opened.page.goto(url);
  await waitForState(opened.page, 'ready', LONG);
  await waitForOutputs(opened.page);
  return opened;
}

// The four outputs of the points table (from the worker's SURFACE), once they are there.
async function waitForOutputs(page) {
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="point-output"][data-value]').length === 4,
    null, { timeout: LONG, polling: 50 });
}
const outputs = page => page.$$eval('[data-testid="point-output"]', cells => cells.map(c => Number(c.dataset.value)));
const value = (page, selector, name = 'value') => page.$eval(selector, (e, n) => Number(e.dataset[n]), name);

// Where a student clicks a weight: on its line, a third of the way along (lines cross in the middle).
async function clickEdge(page, selector) {
  const at = await page.$eval(selector, g => {
    const line = g.querySelector('.wire'), get = n => Number(line.getAttribute(n));
    const p = line.ownerSVGElement.createSVGPoint();
    p.x = get('x1') + (get('x2') - get('x1')) / 3;
    p.y = get('y1') + (get('y2') - get('y1')) / 3;
    const q = p.matrixTransform(line.getScreenCTM());
    return { x: q.x, y: q.y };
  });
  await page.mouse.click(at.x, at.y);
}

// The canvas's colours, counted in the page.
function distinctColours(page, testid) {
  return page.$eval(`[data-testid="${testid}"]`, canvas => {
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    const colours = new Set();
    for (let i = 0; i < data.length; i += 4) colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
    return data[3] === 255 ? colours.size : 0;   // an undrawn canvas is transparent
  });
}

test('the XOR preset from its link reaches 100%, drawn neuron by neuron, without MNIST', { timeout: 2 * LONG }, async () => {
  const { context, page, errors, mnist } = await truthTablePage(link('xor'));
  // [2, 2, 1]: 5 neurons and 6 weights, each element named by layer and index.
  assert.equal(await page.locator('[data-testid="network-diagram"] .neuron').count(), 5);
  assert.equal(await page.locator('[data-testid="network-diagram"] .edge').count(), 6);
  for (const [l, i] of [[0, 0], [0, 1], [1, 0], [1, 1], [2, 0]]) assert.equal(await page.locator(neuron(l, i)).count(), 1);
  assert.equal(await page.locator(edge(1, 1, 0)).count(), 1);
  // The MNIST-only panels give way to the diagram and the decision surface.
  for (const id of ['weights', 'draw']) assert.equal(await byTestId(page, id).isVisible(), false, id);
  assert.ok(await byTestId(page, 'surface').isVisible());
  assert.ok(await distinctColours(page, 'surface') > 1, 'the decision surface is blank');
  const before = await value(page, edge(0, 0, 0));

  await byTestId(page, 'start').click();
  await waitForState(page, 'done', LONG);
  await page.waitForFunction(() => document.querySelector('[data-testid="points-right"]').dataset.value === '4',
    null, { timeout: 5000, polling: 50 });
  const verdicts = await page.$$eval('[data-testid="point-verdict"]', cells => cells.map(c => c.dataset.value));
  assert.deepEqual(verdicts, ['right', 'right', 'right', 'right']);
  const [a00, a01, a10, a11] = await outputs(page);
  assert.ok(a00 < 0.5 && a01 > 0.5 && a10 > 0.5 && a11 < 0.5, `outputs ${[a00, a01, a10, a11]}`);
  assert.notEqual(await value(page, edge(0, 0, 0)), before, 'the diagram did not follow the training');
  assert.equal(await byTestId(page, 'test-accuracy').getAttribute('data-value'), '1');
  // The diagram shows the point picked in the table; its hidden activations come from the
  // worker's trace of that point, and every value is read out on keyboard focus.
  await page.locator('[data-testid="point-pick"][data-index="2"]').click();
  await page.waitForFunction(sel => document.querySelector(sel).dataset.value !== undefined &&
    document.querySelector('[data-testid="diagram-readout"]').textContent.startsWith('Point (1, 0)'),
  neuron(1, 0), { timeout: 5000, polling: 50 });
  assert.equal(await value(page, neuron(0, 0)), 1);
  assert.equal(await value(page, neuron(0, 1)), 0);
  assert.ok(await value(page, neuron(2, 0)) > 0.5);
  await page.locator(edge(1, 1, 0)).focus();
  assert.match(await byTestId(page, 'diagram-readout').textContent(),
    /^weight from hidden neuron 1 of layer 2 to the output neuron: w = -?[\d.]+; ∂C\/∂w = /);
  assert.ok(await distinctColours(page, 'surface') > 20, 'the trained surface has too few colours');
  await screenshot(page, 'xor-trained.png');
  assert.deepEqual(mnist, [], 'a truth table asked for MNIST');
  checkNoErrors(errors);
  await context.close();
});

test('a weight typed in the diagram changes the outputs at once; "abc" and 1e40 change nothing', { timeout: LONG }, async () => {
  const { context, page, errors } = await truthTablePage(link('xor'));
  const w = edge(0, 0, 1), input = byTestId(page, 'param-input'), message = byTestId(page, 'param-error');
  const w0 = await value(page, w), out0 = await outputs(page);
  await clickEdge(page, w);
  assert.ok(await input.isVisible());
  assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'param-input');
  for (const bad of ['abc', '1e40']) {
    await input.fill(bad);
    await input.press('Enter');
    await page.waitForFunction(() => document.querySelector('[data-testid="param-error"]').textContent !== '',
      null, { timeout: 5000, polling: 50 });
    assert.equal(await input.getAttribute('aria-invalid'), 'true', bad);
    assert.equal(await value(page, w), w0, `${bad} changed the weight`);
    assert.deepEqual(await outputs(page), out0, `${bad} changed the outputs`);
  }
  // A good value: the weight, its line and the outputs change, and the focus returns to the weight.
  await input.fill('8');
  await input.press('Enter');
  await page.waitForFunction(sel => document.querySelector(sel).dataset.value === '8', w, { timeout: 5000, polling: 50 });
  await page.waitForFunction(before => {
    const now = [...document.querySelectorAll('[data-testid="point-output"]')].map(c => Number(c.dataset.value));
    return now.some((v, i) => v !== before[i]);
  }, out0, { timeout: 5000, polling: 50 });
  assert.equal(await input.isVisible(), false);
  assert.equal(await message.textContent(), '');
  assert.equal(await page.evaluate(() => document.activeElement.dataset.from), '0');
  assert.match(await byTestId(page, 'status').textContent(), /changed by hand/);
  // By keyboard: the output neuron's bias.
  await page.locator(neuron(2, 0)).focus();
  await page.keyboard.press('Enter');
  await input.fill('-40');
  await input.press('Enter');
  await page.waitForFunction(sel => document.querySelector(sel).dataset.bias === '-40', neuron(2, 0),
    { timeout: 5000, polling: 50 });
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="point-output"]')]
    .every(c => Number(c.dataset.value) < 1e-6), null, { timeout: 5000, polling: 50 });
  checkNoErrors(errors);
  await context.close();
});

test('the NAND perceptron: w = -2, -2, b = 3 gives 1, 1, 1, 0; training is off and says why', { timeout: LONG }, async () => {
  // From the XOR network, as a lecturer would: the preset button brings its weights along.
  const { context, page, errors, mnist } = await truthTablePage(link('xor'));
  await byTestId(page, 'preset-nand-perceptron').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="network-diagram"] .edge').length === 2,
    null, { timeout: LONG, polling: 50 });
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="point-output"]')]
    .map(c => c.dataset.value).join() === '1,1,1,0', null, { timeout: LONG, polling: 50 });
  assert.match(page.url(), /activation=step.*dataset=nand/);
  assert.equal(await value(page, edge(0, 0, 0)), -2);
  assert.equal(await value(page, edge(0, 1, 0)), -2);
  assert.equal(await value(page, neuron(1, 0), 'bias'), 3);
  assert.equal(await byTestId(page, 'points-right').getAttribute('data-value'), '4');
  for (const id of ['start', 'step']) {
    assert.equal(await byTestId(page, id).isDisabled(), true, `${id} is enabled for a step network`);
    assert.match(await byTestId(page, id).getAttribute('title'), /derivative is 0/);
  }
  assert.match(await byTestId(page, 'status').textContent(), /cannot train it: set its weights by hand/);
  await screenshot(page, 'nand-perceptron.png');
  // Set by hand: a bias of 1 turns NAND into NOR.
  await page.locator(neuron(1, 0)).click();
  await byTestId(page, 'param-input').fill('1');
  await byTestId(page, 'param-input').press('Enter');
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="point-output"]')]
    .map(c => c.dataset.value).join() === '1,0,0,0', null, { timeout: 5000, polling: 50 });
  assert.equal(await byTestId(page, 'points-right').getAttribute('data-value'), '2');
  // The dataset selector: another truth table keeps the network; MNIST brings its own defaults.
  await byTestId(page, 'dataset').selectOption('and');
  await page.waitForFunction(() => location.hash.includes('dataset=and'), null, { timeout: 5000 });
  assert.match(page.url(), /#sizes=2,1&activation=step&/);
  assert.deepEqual(mnist, [], 'a truth table asked for MNIST');
  await byTestId(page, 'dataset').selectOption('mnist');
  await page.waitForFunction(() => /#sizes=784,30,10&activation=sigmoid&.*dataset=mnist/.test(location.hash),
    null, { timeout: 5000 });
  assert.ok(await byTestId(page, 'weights').isVisible());
  assert.equal(await byTestId(page, 'network-diagram').isVisible(), false);
  checkNoErrors(errors);
  await context.close();
});

test('Space on a focused weight or neuron opens its field and never starts the run', { timeout: LONG }, async () => {
  const { context, page, errors } = await truthTablePage(link('xor'));
  const input = byTestId(page, 'param-input');
  for (const target of [edge(0, 1, 0), neuron(1, 1)]) {
    await page.locator(target).focus();
    await page.keyboard.press(' ');
    await input.waitFor({ state: 'visible', timeout: 5000 });
    // The editor has the focus and the value as it was: the Space was not typed into it.
    assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'param-input');
    assert.doesNotMatch(await input.inputValue(), / /);
    await input.press('Escape');
    assert.equal(await input.isVisible(), false);
    assert.equal(await page.evaluate(sel => document.activeElement === document.querySelector(sel), target), true,
      `${target}: the focus did not return`);
  }
  // An input neuron has nothing to edit: Space does nothing there either.
  await page.locator(neuron(0, 0)).focus();
  await page.keyboard.press(' ');
  await page.waitForTimeout(300);
  assert.equal(await input.isVisible(), false);
  assert.equal(await byTestId(page, 'status').getAttribute('data-state'), 'ready', 'Space started the run');
  assert.equal(await byTestId(page, 'epoch').getAttribute('data-value'), '0');
  checkNoErrors(errors);
  await context.close();
});

test('while training, the hidden neurons follow the network (traced again as it changes)', { timeout: LONG }, async () => {
  const config = { ...PRESETS.find(p => p.id === 'xor').config, epochs: 10000 };   // the core's most: long enough to watch
  const { context, page, errors } = await truthTablePage(env.site.url + formatHash(config));
  const hidden = neuron(1, 0);
  await page.waitForFunction(sel => document.querySelector(sel).dataset.value !== undefined, hidden,
    { timeout: 5000, polling: 50 });
  await byTestId(page, 'start').click();
  await waitForState(page, 'running', LONG);
  // Seen while the run goes on: the hidden activation on point (0, 0) takes several values.
  const seen = new Set();
  for (let i = 0; i < 40 && seen.size < 3; i++) {
    seen.add(await value(page, hidden));
    await page.waitForTimeout(100);
  }
  assert.equal(await byTestId(page, 'status').getAttribute('data-state'), 'running');
  assert.ok(seen.size >= 3, `the hidden activation stayed at ${[...seen]} while training`);
  await byTestId(page, 'pause').click();
  await waitForState(page, 'paused', LONG);
  checkNoErrors(errors);
  await context.close();
});

test('switching between a truth table and MNIST: the old network stops, each keeps its own', { timeout: 2 * LONG }, async () => {
  // MNIST arrives slowly here, so what happens while it downloads can be seen.
  const { context, page, errors, mnist } = await truthTablePage(link('xor') + '&epochs=10000');
  assert.equal(mnist.length, 0);
  let release;
  const held = new Promise(resolve => { release = resolve; });
  await context.route('**/data/mnist/**', async route => { await held; await route.continue(); });
  await byTestId(page, 'start').click();
  await waitForState(page, 'running', LONG);
  await page.selectOption('#dataset', 'mnist');
  // While MNIST downloads, the XOR run is stopped and nothing claims a network.
  await waitForState(page, 'loading', LONG);
  await page.waitForFunction(() => document.querySelector('[data-testid="start"]').textContent.trim() !== 'Pause'
    && document.querySelector('[data-testid="pause"]').disabled, null, { timeout: LONG });
  const epochs = await byTestId(page, 'epoch').textContent();
  await new Promise(resolve => setTimeout(resolve, 300));
  assert.equal(await byTestId(page, 'epoch').textContent(), epochs, 'the XOR network trained on during the download');
  assert.ok(Number(await byTestId(page, 'epoch').getAttribute('data-value')) < 10000, 'the XOR run went on to its end');
  // Back to XOR before the data is in: a fresh XOR network; then the download finishes and must
  // not take that network away.
  await page.selectOption('#dataset', 'xor');
  await waitForState(page, 'ready', LONG);
  release();
  await page.waitForFunction(() => /all 4 files/.test(document.querySelector('#downloads-summary').textContent),
    null, { timeout: LONG });   // the data panel is hidden for a truth table, but it is told
  await byTestId(page, 'start').click();
  await waitForState(page, 'running', LONG);
  await byTestId(page, 'pause').click();
  await waitForState(page, 'paused', LONG);
  assert.equal(await byTestId(page, 'error').isHidden(), true, 'an error after the download finished');
  checkNoErrors(errors);
  await context.close();
});
