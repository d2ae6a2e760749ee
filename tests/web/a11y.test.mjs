// Accessibility audit of every view with axe-core (WCAG 2.0 and 2.1, A and AA, plus axe's best
// practices): training after an epoch (confusion matrix, download summary, charts, run history,
// misclassified gallery and an image's detail), the backprop inspector, a sweep's table, the small
// networks of a truth table with the inspector on a point, and Fashion-MNIST. Each view must have
// no violation. Not a check of what the views show (their own tests do that).
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { siteAndBrowser, openReady, trainToTheEnd, checkNoErrors, byTestId } from './browser.mjs';
import { PRESETS, formatHash } from '../../web/config.js';

const LONG = 60_000;
// axe's own build, evaluated in the page by the test driver (not a script element, so the page's
// Content-Security-Policy neither has to allow it nor sees it).
const AXE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
// A small network, one epoch: a second or two, and about a thousand mistakes for the gallery.
const RUN = '#sizes=784,10,10&eta=3&batch=10&epochs=1&seed=1';
const env = siteAndBrowser();

// Runs axe over the whole document as it is and fails with each violation's rule, impact and the
// elements it found (selectors, and axe's summary of the first few).
async function audit(page, view) {
  if (!await page.evaluate(() => 'axe' in window)) await page.evaluate(AXE);
  const violations = await page.evaluate(tags => window.axe.run(document, {
    runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'],
  }).then(r => r.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({ target: n.target.join(' '), summary: n.failureSummary })),
  }))), TAGS);
  const report = violations.map(v => `${v.id} (${v.impact}, ${v.nodes.length} elements): ${v.help}\n` +
    v.nodes.map((n, i) => `    ${n.target}${i < 3 ? `\n      ${n.summary.replace(/\n/g, '\n      ')}` : ''}`)
      .join('\n')).join('\n  ');
  assert.equal(violations.length, 0, `${view}: ${violations.length} axe violations:\n  ${report}`);
}

const open = hash => openReady(env, hash, LONG);

// The inspector's step drawn whole (its trace in, its equations typeset): what a student reads.
const inspectorSettled = page => page.waitForFunction(() => {
  const body = document.querySelector('[data-testid="bp-step"]');
  return body && body.getAttribute('aria-busy') === 'false' && !document.querySelector('.inspector-tex.pending');
}, null, { timeout: LONG });

test('MNIST after one epoch, its gallery, the run history, the inspector: no axe violations', { timeout: 3 * LONG },
  async () => {
    const { context, page, errors } = await open(RUN);
    await trainToTheEnd(page, LONG);
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="runs"]').dataset.value) === 1 &&
      document.getElementById('gallery-items').dataset.state === 'complete', null, { timeout: LONG });
    await audit(page, 'MNIST after one epoch (confusion matrix, downloads, charts, history, gallery)');

    await page.locator('[data-testid="overlay"]').first().check();   // overlaid
    await page.locator('[data-testid="misclassified-item"]').first().click();
    await byTestId(page, 'gallery-detail').waitFor({ state: 'visible' });
    await page.waitForFunction(() => document.querySelector('.katex') !== null, null, { timeout: LONG });
    await byTestId(page, 'bp-next').click();
    await byTestId(page, 'bp-gradcheck').click();
    await byTestId(page, 'grad-check').waitFor({ state: 'visible', timeout: LONG });
    await inspectorSettled(page);
    await audit(page, 'a misclassified image\'s detail, its run overlaid, the inspector open on it (second step, ' +
      'gradient check)');
    checkNoErrors(errors);
    await context.close();
  });

test('MNIST untrained, and a sweep\'s table with a run done and one going: no axe violations', { timeout: 2 * LONG },
  async () => {
    const { context, page, errors } = await open(`${RUN}&sweep=hidden`);
    await byTestId(page, 'sweep-run').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="sweep-row"][data-state="done"]'), null,
      { timeout: 2 * LONG });
    await audit(page, 'MNIST untrained, the hidden-neuron sweep with its first run done');
    checkNoErrors(errors);
    await context.close();
  });

test('the XOR network and its decision surface, with the inspector on a point: no axe violations', async () => {
  const xor = PRESETS.find(p => p.id === 'xor').config;
  const { context, page, errors } = await open(formatHash({ ...xor, epochs: 200 }));
  await trainToTheEnd(page, LONG);
  await byTestId(page, 'inspect').click();
  await page.waitForFunction(() => document.querySelector('.katex') !== null, null, { timeout: LONG });
  await inspectorSettled(page);
  await audit(page, 'XOR after 200 epochs, the inspector open on point 0');
  checkNoErrors(errors);
  await context.close();
});

test('Fashion-MNIST after one epoch: no axe violations', { timeout: 2 * LONG }, async () => {
  const { context, page, errors } = await open(`${RUN}&dataset=fashion`);
  await trainToTheEnd(page, LONG);
  await page.waitForFunction(() => document.getElementById('gallery-items').dataset.state === 'complete', null,
    { timeout: LONG });
  await audit(page, 'Fashion-MNIST after one epoch');
  checkNoErrors(errors);
  await context.close();
});
