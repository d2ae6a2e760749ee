// Fashion-MNIST on the page: dataset=fashion streams Debian's dataset-fashion-mnist from
// data/fashion/ (never MNIST), trains an epoch in the worker and names the ten classes wherever
// MNIST names digits (outputs, confusion matrix, gallery, inspector); there is no draw pad.
// Switching the form between MNIST and Fashion-MNIST fetches the other set.
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  siteAndBrowser, openPage, checkNoErrors, byTestId, waitForValue, waitForState, screenshot,
} from './browser.mjs';

const LONG = 150_000;
const env = siteAndBrowser();
const CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker',
  'Bag', 'Ankle boot'];

// The data files the page asked for, by folder.
function watchData(page) {
  const folders = [];
  page.on('request', r => {
    const m = new URL(r.url()).pathname.match(/\/data\/([a-z]+)\/[a-z0-9-]+\.gz$/);
    if (m) folders.push(m[1]);
  });
  return folders;
}

test('Fashion-MNIST trains an epoch on the page and names its classes', async () => {
  const { page, errors, context } = await openPage(env.browser);
  const folders = watchData(page);
  await page.goto(`${env.site.url}#dataset=fashion&sizes=784,30,10&epochs=2&autostart=1`);
  await waitForValue(page, 'epoch', 1, LONG);
  await screenshot(page, 'fashion-mid-training.png');
  assert.deepEqual([...new Set(folders)], ['fashion']);
  assert.equal(await page.locator('#data-heading').textContent(), 'Fashion-MNIST data');
  // One epoch of the ch. 1 network on clothes: about 73% (MNIST's digits give about 90%).
  const accuracy = parseFloat(await byTestId(page, 'test-accuracy').textContent());
  assert.ok(accuracy > 60 && accuracy < 88, `test accuracy ${accuracy}%`);
  assert.equal(await page.locator('#draw-panel').isHidden(), true, 'no draw pad for clothes');
  // The output bars, the confusion matrix's heads and the gallery name classes, not digits.
  assert.deepEqual(await page.locator('#outputs .digit').allTextContents(), CLASSES);
  const heads = await page.locator('#confusion th').evaluateAll(ths =>
    ths.map(th => `${th.textContent} ${th.title || ''} ${th.getAttribute('aria-label') || ''}`).join('|'));
  for (const name of CLASSES) assert.ok(heads.includes(name), `confusion matrix names ${name}`);
  // Once the gallery is drawn whole, its first image's label and words read and the image clicked
  // in one go: the second epoch's end redraws the gallery, and a locator clicked later could find
  // another image first. The inspector on a test image (it pauses the run) says its class.
  await page.waitForFunction(() => document.getElementById('gallery-items').dataset.state === 'complete', null,
    { timeout: LONG });
  const first = await byTestId(page, 'misclassified-item').first().evaluate(b => {
    b.click();
    return { label: Number(b.dataset.label), text: b.textContent };
  });
  const label = first.label;
  assert.ok(first.text.includes(CLASSES[label]), `the gallery names the true class: "${first.text}", label ${label}`);
  await byTestId(page, 'inspector').waitFor({ state: 'visible', timeout: LONG });
  await page.waitForFunction(name => document.querySelector('[data-testid="bp-about"]').textContent.includes(`(${name})`),
    CLASSES[label], { timeout: LONG });
  assert.equal(await page.locator('#bp-set option[value="drawn"]').evaluate(o => o.hidden), true);
  checkNoErrors(errors);
  await context.close();
});

// The form's Data field, and a fresh network on the other set once its files are in.
async function switchTo(page, dataset, heading) {
  await byTestId(page, 'dataset').selectOption(dataset);
  await page.waitForFunction(h => document.querySelector('#data-heading').textContent === h, heading);
  await waitForState(page, 'ready', LONG);
  assert.equal(await byTestId(page, 'epoch').getAttribute('data-value'), '0');
}

test('switching the form from MNIST to Fashion-MNIST and back fetches the other set', async () => {
  const { page, errors, context } = await openPage(env.browser);
  const folders = watchData(page);
  await page.goto(`${env.site.url}#sizes=784,10,10&epochs=1`);
  await waitForState(page, 'ready', LONG);
  await switchTo(page, 'fashion', 'Fashion-MNIST data');
  const hash = await page.evaluate(() => location.hash);
  assert.match(hash, /sizes=784,10,10/, 'the network is kept: both sets take 784 inputs and 10 classes');
  await byTestId(page, 'start').click();
  await waitForValue(page, 'epoch', 1, LONG);
  const fashion = parseFloat(await byTestId(page, 'test-accuracy').textContent());
  await switchTo(page, 'mnist', 'MNIST data');
  await byTestId(page, 'start').click();
  await waitForValue(page, 'epoch', 1, LONG);
  const mnist = parseFloat(await byTestId(page, 'test-accuracy').textContent());
  assert.deepEqual(folders.filter((f, i) => folders.indexOf(f) === i), ['mnist', 'fashion']);
  assert.equal(await page.locator('#draw-panel').isHidden(), false);
  assert.equal(await page.locator('#outputs .digit').first().textContent(), '0');
  // The same network does much better on digits than on clothes after one epoch.
  assert.ok(mnist > fashion + 5, `MNIST ${mnist}% against Fashion ${fashion}%`);
  checkNoErrors(errors);
  await context.close();
});
