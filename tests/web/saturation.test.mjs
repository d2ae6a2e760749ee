// Browser end-to-end tests of the activations-and-saturation panel (views/saturation/) and of the
// "what you see" notes of every panel: the activation curves drawn from the worker's values, the
// saturated share of [784,100,10] with N(0,1) against N(0,1/n_in) weights, its refresh after an
// epoch, and each note collapsed until clicked. Not the training itself (page.test.mjs).
import test from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  siteAndBrowser, openPage, checkNoErrors, byTestId, waitForState, SCREENSHOTS,
} from './browser.mjs';

const LONG = 60_000;
const env = siteAndBrowser();

const panel = page => page.locator('#saturation-panel');
// The current network's column once its histogram (not the previous network's) is drawn.
const currentColumn = (page, attrs) =>
  page.locator(`#saturation-networks .saturation-network.current${attrs}:not(.stale)`);

// Every hidden layer's saturated share as the page shows it: [{ layer, value }].
function saturatedShares(page) {
  return page.evaluate(() => [...document.querySelectorAll('[data-testid="saturated"]')]
    .map(e => ({ layer: Number(e.dataset.layer), value: Number(e.dataset.value), text: e.textContent })));
}

// The panel with a margin (its note's tab sits on its top border).
async function panelShot(page, name) {
  const box = await panel(page).boundingBox();
  const scrollY = await page.evaluate(() => window.scrollY);
  await page.screenshot({ path: path.join(SCREENSHOTS, name), fullPage: true,
    clip: { x: box.x - 6, y: box.y + scrollY - 14, width: box.width + 12, height: box.height + 20 } });
}
// The big number, in percent, is the data-value.
const shown = text => parseFloat(text) / 100;

test('the activation functions and their derivatives are drawn from the worker\'s values', { timeout: LONG }, async () => {
  const { context, page, errors } = await openPage(env.browser);
  await page.goto(env.site.url + '#sizes=784,30,10&activation=tanh');
  await page.locator('#saturation-panel').scrollIntoViewIfNeeded();   // it draws only on screen
  await waitForState(page, 'ready', LONG);
  const figures = byTestId(page, 'activation-curves').locator('figure');
  await page.waitForFunction(() => document.querySelectorAll(
    '[data-testid="activation-curves"] figure[data-points="241"]').length === 4, null, { timeout: LONG });
  assert.deepEqual(await figures.evaluateAll(fs => fs.map(f => f.dataset.activation)),
    ['sigmoid', 'step', 'tanh', 'relu']);
  // The functions the network applies are marked, once its histograms say which layer uses which:
  // tanh in the hidden layer, sigmoid at the output (quadratic cost).
  await currentColumn(page, '[data-epoch="0"]').waitFor({ timeout: LONG });
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="activation-curves"] figure.in-use')
    .length === 2, null, { timeout: LONG });
  assert.deepEqual(await figures.evaluateAll(fs => fs.filter(f => f.classList.contains('in-use'))
    .map(f => [f.dataset.activation, f.querySelector('figcaption').dataset.inUse])),
  [['sigmoid', 'output layer'], ['tanh', 'hidden layers']]);
  // Each plot has its two lines on its canvas: many painted pixels of f's and f''s colours.
  const painted = await figures.evaluateAll(fs => fs.map(f => {
    const canvas = f.querySelector('canvas');
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let dark = 0, orange = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] < 200) continue;
      if (data[i] < 80 && data[i + 1] < 80 && data[i + 2] < 90) dark++;
      else if (data[i] > 190 && data[i + 1] > 90 && data[i + 1] < 160 && data[i + 2] < 60) orange++;
    }
    return { dark, orange };
  }));
  for (const [i, p] of painted.entries()) {
    assert.ok(p.dark > 100, `plot ${i}: f(z) not drawn (${p.dark} dark pixels)`);
    // The step's derivative is 0 everywhere: a dashed line on the axis, fewer pixels.
    assert.ok(p.orange > 20, `plot ${i}: f'(z) not drawn (${p.orange} orange pixels)`);
  }
  checkNoErrors(errors);
  await context.close();
});

test('[784,100,10] seed 1: N(0,1) weights saturate far more hidden neurons than N(0,1/n_in)', { timeout: LONG }, async (t) => {
  const { context, page, errors } = await openPage(env.browser);
  await page.goto(env.site.url);
  await page.locator('#saturation-panel').scrollIntoViewIfNeeded();   // it draws only on screen
  await waitForState(page, 'ready', LONG);

  await byTestId(page, 'saturation-gaussian').click();
  // The [784,100,10]'s column: until its network is built, the page's first network ([784,30,10],
  // N(0,1) too) is still the current one, not stale.
  await currentColumn(page, '[data-init="gaussian"][data-epoch="0"]').filter({ hasText: '[784,100,10]' })
    .waitFor({ timeout: LONG });
  assert.match(page.url(), /sizes=784,100,10&.*init=gaussian&.*seed=1(&|$)/);
  assert.equal(await byTestId(page, 'saturation-gaussian').getAttribute('aria-pressed'), 'true');
  const gaussian = await saturatedShares(page);
  assert.equal(gaussian.length, 1, 'one hidden layer, one figure');

  await byTestId(page, 'saturation-scaled').click();
  await currentColumn(page, '[data-init="scaled"][data-epoch="0"]').waitFor({ timeout: LONG });
  assert.match(page.url(), /init=scaled&/);
  assert.equal(await byTestId(page, 'saturation-scaled').getAttribute('aria-pressed'), 'true');
  assert.equal(await byTestId(page, 'saturation-gaussian').getAttribute('aria-pressed'), 'false');
  const scaled = await saturatedShares(page);
  t.diagnostic(`saturated share at epoch 0: N(0,1) ${gaussian[0].value}, N(0,1/n_in) ${scaled[0].value}`);

  for (const v of [gaussian[0].value, scaled[0].value]) assert.ok(v >= 0 && v <= 1, `share ${v}`);
  assert.ok(gaussian[0].value > 0.4, `N(0,1): only ${gaussian[0].value} saturated`);
  assert.ok(scaled[0].value < gaussian[0].value / 4,
    `N(0,1/n_in) (${scaled[0].value}) is not far below N(0,1) (${gaussian[0].value})`);
  for (const s of [gaussian[0], scaled[0]]) {
    assert.ok(Math.abs(shown(s.text) - s.value) < 0.0006, `shown ${s.text}, data-value ${s.value}`);
  }

  // The N(0,1) histogram stays beside the scaled one, with its figure.
  const other = page.locator('#saturation-networks .saturation-network.other[data-init="gaussian"]');
  await other.waitFor({ timeout: LONG });
  // Its figure as drawn once the frame that shows the column is done (a paced part may follow it).
  const figure = other.locator('.saturation-figure .big').first();
  await page.waitForFunction(([el, want]) => Math.abs(parseFloat(el.textContent) / 100 - want) < 0.0006,
    [await figure.elementHandle(), gaussian[0].value], { timeout: 5000 }).catch(() => {});
  const otherText = await figure.textContent();
  assert.ok(Math.abs(shown(otherText) - gaussian[0].value) < 0.0006, `the N(0,1) column shows ${otherText}, ` +
    `its network ${gaussian[0].value}`);
  await panelShot(page, 'saturation-scaled.png');

  // And back: the same N(0,1) network again (same seed, same figure), the scaled one beside it.
  await byTestId(page, 'saturation-gaussian').click();
  await currentColumn(page, '[data-init="gaussian"][data-epoch="0"]').waitFor({ timeout: LONG });
  await page.locator('#saturation-networks .saturation-network.other[data-init="scaled"]').waitFor({ timeout: LONG });
  assert.deepEqual((await saturatedShares(page)).map(s => s.value), [gaussian[0].value]);
  await panelShot(page, 'saturation-gaussian.png');
  checkNoErrors(errors);
  await context.close();
});

test('the saturated share is refreshed after an epoch', { timeout: LONG }, async (t) => {
  const { context, page, errors } = await openPage(env.browser);
  // 500 mini-batches of 100: an epoch takes well under a second.
  await page.goto(env.site.url + '#sizes=784,30,10&batch=100&epochs=1');
  await page.locator('#saturation-panel').scrollIntoViewIfNeeded();   // it draws only on screen
  await waitForState(page, 'ready', LONG);
  await currentColumn(page, '[data-epoch="0"]').waitFor({ timeout: LONG });
  const before = await saturatedShares(page);
  await byTestId(page, 'start').click();   // (scrolls the page up to the button)
  await page.locator('#saturation-panel').scrollIntoViewIfNeeded();
  await currentColumn(page, '[data-epoch="1"]').waitFor({ timeout: LONG });
  const after = await saturatedShares(page);
  t.diagnostic(`[784,30,10] saturated share: epoch 0 ${before[0].value}, epoch 1 ${after[0].value}`);
  assert.equal(after.length, 1);
  assert.notEqual(after[0].value, before[0].value, 'the figure did not change after an epoch');
  assert.match(await byTestId(page, 'saturation-meta').textContent(), /after epoch 1/);
  checkNoErrors(errors);
  await context.close();
});

// Each drawn layer of the current network: its data attributes and title.
function drawnLayers(page) {
  return page.$$eval('#saturation-networks .saturation-network.current .saturation-layer', boxes => boxes.map(b => ({
    layer: Number(b.dataset.layer), activation: b.dataset.activation, output: b.dataset.output,
    curve: b.dataset.curve, title: b.querySelector('.saturation-layer-title').textContent,
    stats: b.querySelector('.hint').textContent,
  })));
}
// Waits for the current column of a network of `layers` weight layers, curves fitted.
async function waitForLayers(page, layers, activation) {
  await page.waitForFunction(([n, a]) => {
    const boxes = document.querySelectorAll('#saturation-networks .saturation-network.current:not(.stale) .saturation-layer');
    return boxes.length === n && boxes[0].dataset.activation === a && boxes[n - 1].dataset.curve !== undefined &&
      [...boxes].every(b => b.dataset.curve !== 'none' || b.dataset.activation === 'softmax');
  }, [layers, activation], { timeout: LONG, polling: 50 });
}

test('every layer is drawn over its own function, the output layer last and labelled', { timeout: LONG }, async () => {
  const { context, page, errors } = await openPage(env.browser);
  // tanh hidden layers, quadratic cost: the output layer applies σ, and is drawn over σ.
  await page.goto(env.site.url + '#sizes=784,30,10&activation=tanh');
  await page.locator('#saturation-panel').scrollIntoViewIfNeeded();   // it draws only on screen
  await waitForState(page, 'ready', LONG);
  await waitForLayers(page, 2, 'tanh');
  let layers = await drawnLayers(page);
  assert.deepEqual(layers.map(l => [l.layer, l.activation, l.output, l.curve]),
    [[0, 'tanh', 'false', 'tanh'], [1, 'sigmoid', 'true', 'sigmoid']]);
  assert.match(layers[0].title, /^layer 2 \(hidden\): tanh$/);
  assert.match(layers[1].title, /^layer 3 \(output\): sigmoid$/);
  // The test hook stays on the hidden layer only.
  assert.deepEqual((await saturatedShares(page)).map(s => s.layer), [0]);
  assert.match(await byTestId(page, 'saturation-meta').textContent(), /every neuron, hidden and output/);

  // A softmax output (log-likelihood): no curve of z alone, and the page says what the share counts.
  await page.evaluate(() => { location.hash = '#sizes=784,30,10&activation=relu&cost=log-likelihood'; });
  await waitForLayers(page, 2, 'relu');
  layers = await drawnLayers(page);
  assert.deepEqual(layers.map(l => [l.activation, l.curve]), [['relu', 'relu'], ['softmax', 'none']]);
  assert.match(layers[1].stats, /softmax: a\(1 − a\) is shown as the share/);

  // No hidden layer: the output layer alone, and the hint says so.
  await page.evaluate(() => { location.hash = '#sizes=784,10&activation=sigmoid'; });
  await waitForLayers(page, 1, 'sigmoid');
  assert.deepEqual((await drawnLayers(page)).map(l => [l.layer, l.output]), [[0, 'true']]);
  assert.equal(await byTestId(page, 'saturated').count(), 0);
  assert.match(await panel(page).locator('.saturation-layers > p.hint').textContent(), /No hidden layer/);
  // The [784,100,10] story and its two buttons are for MNIST; a truth table gets a few words.
  assert.ok(await byTestId(page, 'saturation-gaussian').isVisible());
  await page.evaluate(() => { location.hash = '#dataset=xor&sizes=2,2,1&activation=tanh'; });
  await waitForLayers(page, 2, 'tanh');
  assert.equal(await byTestId(page, 'saturation-gaussian').isVisible(), false);
  assert.equal(await page.locator('#saturation-why-mnist').isVisible(), false);
  assert.ok(await page.locator('#saturation-why-truth').isVisible());
  assert.deepEqual((await drawnLayers(page)).map(l => [l.activation, l.curve]), [['tanh', 'tanh'], ['sigmoid', 'sigmoid']]);
  checkNoErrors(errors);
  await context.close();
});

const PANELS = ['#data-panel', '.presets-panel', '.settings-panel', '.accuracy-panel', '.weights-panel',
  '.cost-panel', '.draw-panel', '.confusion-panel', '.heatmaps-panel', '#saturation-panel'];

test('every panel has a "what you see" note, collapsed, that opens on click and by keyboard', { timeout: LONG }, async () => {
  const { context, page, errors } = await openPage(env.browser, undefined, { viewport: { width: 1280, height: 720 } });
  await page.goto(env.site.url);
  await page.locator('#saturation-panel').scrollIntoViewIfNeeded();   // it draws only on screen
  await waitForState(page, 'ready', LONG);
  for (const selector of PANELS) {
    const note = page.locator(`${selector} > details.explain`);
    assert.equal(await note.count(), 1, `${selector}: no note`);
    const text = note.locator('summary ~ *').first();
    assert.equal(await note.getAttribute('open'), null, `${selector}: open at first`);
    assert.ok(!(await text.isVisible()), `${selector}: the note shows while collapsed`);
    // Collapsed, the note's tab covers nothing of the heading.
    const [summary, heading] = await Promise.all([note.locator('summary').boundingBox(),
      page.locator(`${selector} > h2`).boundingBox()]);
    assert.ok(summary.y + summary.height <= heading.y + 4 || summary.x >= heading.x + heading.width,
      `${selector}: the note's tab overlaps the heading`);
    await note.locator('summary').click();
    assert.equal(await note.getAttribute('open'), '', `${selector}: a click does not open it`);
    assert.ok(await text.isVisible(), `${selector}: open, the note is not visible`);
    // As read: innerText, not the source's line breaks.
    assert.match(await text.innerText(), /Nielsen ch\. \d|lecture/, `${selector}: names no source`);
    await note.locator('summary').click();
    assert.equal(await note.getAttribute('open'), null, `${selector}: a second click does not close it`);
  }
  // By keyboard: the tab is focusable and Enter opens it.
  const note = page.locator('.accuracy-panel > details.explain');
  await note.locator('summary').focus();
  await page.keyboard.press('Enter');
  assert.equal(await note.getAttribute('open'), '');
  checkNoErrors(errors);
  await context.close();
});

test('off screen the panel builds no charts; scrolled to, it draws the data that came meanwhile', { timeout: LONG }, async () => {
  const { context, page, errors } = await openPage(env.browser);
  await page.goto(env.site.url + '#sizes=784,100,10&seed=1');
  await waitForState(page, 'ready', LONG);
  // The network's histogram has been computed (the worker posts it after CONFIGURED)...
  await page.waitForFunction(() => document.querySelector('#saturation-meta').textContent.length > 0, null, { timeout: LONG });
  await new Promise(resolve => setTimeout(resolve, 300));   // time for a (wrong) redraw to happen
  assert.equal(await page.locator('#saturation-panel .uplot').count(), 0, 'charts built off screen');
  // ...and is drawn once the panel scrolls into view.
  await page.locator('#saturation-panel').scrollIntoViewIfNeeded();
  await page.waitForFunction(() => document.querySelector('[data-testid="saturated"][data-layer="0"]'), null, { timeout: LONG });
  assert.ok(await page.locator('#saturation-panel .uplot').count() >= 5);
  assert.ok(Number(await byTestId(page, 'saturated').first().getAttribute('data-value')) > 0.5);
  checkNoErrors(errors);
  await context.close();
});
