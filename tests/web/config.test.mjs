// Node tests of web/config.js: the URL hash <-> run config, its checks and the presets.
// Not the page: the browser tests (page.test.mjs) check that the controls follow the hash.
import test from 'node:test';
import assert from 'node:assert/strict';
import { parseHash, formatHash, parseHidden, PRESETS, matchPreset, DEFAULT_DATA_URL }
  from '../../web/config.js';
import { DEFAULT_CONFIG } from '../../web/protocol.js';

test('an empty hash gives the defaults of protocol.js and no problems', () => {
  const r = parseHash('');
  assert.deepEqual(r.config, { ...DEFAULT_CONFIG, sizes: [...DEFAULT_CONFIG.sizes] });
  assert.equal(r.dataUrl, DEFAULT_DATA_URL);
  assert.equal(r.autostart, false);
  assert.deepEqual(r.problems, []);
});

test('every key is read from the hash', () => {
  const r = parseHash('#sizes=784,100,30,10&activation=tanh&cost=log-likelihood&init=scaled' +
    '&eta=0.5&batch=20&epochs=3&lambda=5&seed=42&data=https://example.org/mnist&autostart=1');
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.config, { sizes: [784, 100, 30, 10], activation: 'tanh',
    cost: 'log-likelihood', init: 'scaled', eta: 0.5, batch: 20, epochs: 3, lambda: 5, seed: 42 });
  assert.equal(r.dataUrl, 'https://example.org/mnist/');
  assert.equal(r.autostart, true);
});

test('formatHash and parseHash round-trip every preset and a custom config', () => {
  const custom = { ...DEFAULT_CONFIG, sizes: [784, 10], eta: 0.25, lambda: 0.1, seed: 4294967295 };
  for (const config of [...PRESETS.map(p => p.config), custom]) {
    const hash = formatHash(config, 'other/', true);
    const back = parseHash(hash);
    assert.deepEqual(back.problems, [], hash);
    assert.deepEqual(back.config, config, hash);
    assert.equal(back.dataUrl, 'other/');
    assert.equal(back.autostart, true);
  }
  assert.match(formatHash(DEFAULT_CONFIG), /^#sizes=784,30,10&activation=sigmoid&/);
});

test('invalid values are named in the problems and replaced by defaults', () => {
  const r = parseHash('#sizes=784,abc,10&eta=-1&batch=2.5&activation=swish&epochs=0' +
    '&seed=-3&colour=red&data=javascript:alert(1)');
  assert.deepEqual(r.config, { ...DEFAULT_CONFIG, sizes: [...DEFAULT_CONFIG.sizes] });
  assert.equal(r.dataUrl, DEFAULT_DATA_URL);
  const text = r.problems.join('\n');
  for (const key of ['sizes=', 'eta=', 'batch=', 'activation=', 'epochs=', 'seed=', 'colour=', 'data=']) {
    assert.ok(text.includes(key), `${key} missing from: ${text}`);
  }
  assert.equal(r.problems.length, 8);
});

test('sizes must go from 784 inputs to 10 outputs', () => {
  for (const bad of ['30', '784,30', '100,30,10', '784,30,9', '784,0,10', '784,-5,10', '784,1e9,10']) {
    assert.equal(parseHash(`#sizes=${bad}`).problems.length, 1, bad);
  }
  assert.deepEqual(parseHash('#sizes=784,10').config.sizes, [784, 10]);
});

test('hidden layers as typed in the form', () => {
  assert.deepEqual(parseHidden('30'), [30]);
  assert.deepEqual(parseHidden(' 100, 30 '), [100, 30]);
  assert.deepEqual(parseHidden(''), []);
  assert.throws(() => parseHidden('30,x'), /hidden layer "x"/);
  assert.throws(() => parseHidden('3.5'), /whole number/);
});

test('presets are recognised from their config, and only from it', () => {
  for (const p of PRESETS) assert.equal(matchPreset(p.config), p);
  assert.equal(matchPreset({ ...PRESETS[0].config, seed: 2 }), null);
  assert.equal(new Set(PRESETS.map(p => formatHash(p.config))).size, PRESETS.length);
});
