// The page half of the numpy interop check: a network trained on the page and saved as
// network2.py JSON scores, in numpy's float64 feedforward (tests/python/network2_json.py), the test
// count the page shows; a network numpy wrote, loaded through the file input, shows numpy's count.
// Not the file formats' round trips and bad files (files.test.mjs), nor the CLI's (tests/python/).
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  siteAndBrowser, openPage, checkNoErrors, byTestId, waitForValue, waitForState, numberValue,
} from './browser.mjs';

const LONG = 120_000;
const TIES = 3;   // float32 on the page, float64 in numpy: a few test images may fall the other way
const PYTHON = '/usr/bin/python3';   // Debian's, with numpy (build.sh setup installs python3-numpy)
const NETWORK2 = fileURLToPath(new URL('../python/network2_json.py', import.meta.url));
const env = siteAndBrowser();

// network2_json.py's answer (a count of test images) for `command` (evaluate | example) on file.
function numpy(command, file) {
  assert.ok(fs.existsSync(PYTHON), `${PYTHON} is missing: install python3-numpy (./build.sh setup does)`);
  const out = execFileSync(PYTHON, [NETWORK2, command, file], { encoding: 'utf8', timeout: LONG });
  const n = Number(out.trim());
  assert.ok(Number.isInteger(n), `network2_json.py ${command} printed ${JSON.stringify(out)}`);
  return n;
}

// The page's test accuracy is testCorrect / 10,000 (data-value): the count itself.
async function pageCount(page) {
  const accuracy = await numberValue(page, 'test-accuracy');
  assert.ok(accuracy >= 0 && accuracy <= 1, `test accuracy ${accuracy}`);
  return Math.round(accuracy * 10000);
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bpl-interop-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('a network trained on the page and saved as network2.py JSON gets the same count in numpy', { timeout: 3 * LONG }, async () => {
  const { context, page, errors } = await openPage(env.browser);
  await page.goto(env.site.url + '#sizes=784,30,10&eta=3&batch=10&epochs=1&seed=1&autostart=1');
  await waitForValue(page, 'epoch', 1, 2 * LONG);
  await waitForState(page, 'done', LONG);
  const lab = await pageCount(page);
  assert.ok(lab > 9000, `the page's count after one epoch: ${lab}`);

  await byTestId(page, 'save-model').click();
  const [download] = await Promise.all([page.waitForEvent('download'), byTestId(page, 'save-json').click()]);
  assert.match(download.suggestedFilename(), /\.json$/);
  const file = path.join(tmp, 'page-784-30-10.json');
  await download.saveAs(file);
  const counted = numpy('evaluate', file);
  console.log(`page [784,30,10] sigmoid, quadratic, eta 3, 1 epoch: page ${lab}, numpy ${counted}`);
  assert.ok(Math.abs(lab - counted) <= TIES, `page ${lab}, numpy ${counted}`);
  checkNoErrors(errors);
  await context.close();
});

test('a network numpy wrote, loaded through the file input, shows the count numpy computes', { timeout: 3 * LONG }, async () => {
  const file = path.join(tmp, 'numpy-784-30-10.json');
  const counted = numpy('example', file);
  const { context, page, errors } = await openPage(env.browser);
  // Another shape first: the file's [784,30,10] must replace it.
  await page.goto(env.site.url + '#sizes=784,20,10&seed=3');
  await waitForState(page, 'ready', LONG);
  assert.equal(await byTestId(page, 'test-accuracy').getAttribute('data-value'), null);
  await byTestId(page, 'load-model').setInputFiles(file);
  await waitForValue(page, 'test-accuracy', 0, LONG);
  assert.equal(await page.inputValue('#hidden'), '30');
  const lab = await pageCount(page);
  console.log(`numpy-written [784,30,10] loaded into the page: page ${lab}, numpy ${counted}`);
  assert.ok(Math.abs(lab - counted) <= TIES, `page ${lab}, numpy ${counted}`);
  checkNoErrors(errors);
  await context.close();
});
