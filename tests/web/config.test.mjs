// Node tests of web/config.js: the URL hash <-> run config, its checks (each key alone, then
// against the dataset), the datasets' defaults and the presets. Not the page: the browser tests
// (page.test.mjs, small.test.mjs) check that the controls follow the hash.
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  parseHash, formatHash, parseHidden, sizesFromHidden, checkConfig, defaultConfig, PRESETS,
  matchPreset, DEFAULT_DATA_URL, DATASETS, TRUTH_TABLES, POINTS, isTruthTable, trainable,
  isImageDataset, dataFolder, classNames, SWEEPS, runLabel,
} from '../../web/config.js';
import { DEFAULT_CONFIG } from '../../web/protocol.js';

test('an empty hash gives the defaults of protocol.js and no problems', () => {
  const r = parseHash('');
  assert.deepEqual(r.config, { ...DEFAULT_CONFIG, sizes: [...DEFAULT_CONFIG.sizes] });
  assert.equal(r.dataUrl, DEFAULT_DATA_URL);
  assert.equal(r.autostart, false);
  assert.equal(r.inspect, null);
  assert.deepEqual(r.problems, []);
});

test('every key is read from the hash', () => {
  const r = parseHash('#sizes=784,100,30,10&activation=tanh&cost=log-likelihood&init=scaled' +
    '&eta=0.5&batch=20&epochs=3&lambda=5&seed=42&dataset=mnist&data=https://example.org/mnist' +
    '&autostart=1&inspect=123');
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.config, { dataset: 'mnist', sizes: [784, 100, 30, 10], activation: 'tanh',
    cost: 'log-likelihood', init: 'scaled', eta: 0.5, batch: 20, epochs: 3, lambda: 5, seed: 42 });
  assert.equal(r.dataUrl, 'https://example.org/mnist/');
  assert.equal(r.autostart, true);
  assert.equal(r.inspect, 123);
});

test('formatHash and parseHash round-trip every preset and a custom config', () => {
  const custom = { ...DEFAULT_CONFIG, sizes: [784, 10], eta: 0.25, lambda: 0.1, seed: 4294967295 };
  const truth = { ...defaultConfig('or'), sizes: [2, 5, 3, 1], activation: 'tanh', batch: 1,
    epochs: 100000 };
  for (const config of [...PRESETS.map(p => p.config), custom, truth]) {
    for (const inspect of [null, 3]) {
      const hash = formatHash(config, 'other/', true, inspect);
      const back = parseHash(hash);
      assert.deepEqual(back.problems, [], hash);
      assert.deepEqual(back.config, config, hash);
      assert.equal(back.dataUrl, 'other/');
      assert.equal(back.autostart, true);
      assert.equal(back.inspect, inspect);
    }
  }
  assert.match(formatHash(DEFAULT_CONFIG), /^#sizes=784,30,10&activation=sigmoid&.*&dataset=mnist$/);
  assert.match(formatHash(DEFAULT_CONFIG, DEFAULT_DATA_URL, false, 0), /&inspect=0$/);
});

test('invalid values are named in the problems and replaced by defaults', () => {
  const r = parseHash('#sizes=784,abc,10&eta=-1&batch=2.5&activation=swish&epochs=0' +
    '&seed=-3&colour=red&data=javascript:alert(1)&dataset=cifar&inspect=-1');
  assert.deepEqual(r.config, { ...DEFAULT_CONFIG, sizes: [...DEFAULT_CONFIG.sizes] });
  assert.equal(r.dataUrl, DEFAULT_DATA_URL);
  assert.equal(r.inspect, null);
  const text = r.problems.join('\n');
  for (const key of ['sizes=', 'eta=', 'batch=', 'activation=', 'epochs=', 'seed=', 'colour=', 'data=',
    'dataset=', 'inspect=']) {
    assert.ok(text.includes(key), `${key} missing from: ${text}`);
  }
  assert.equal(r.problems.length, 10);
});

test('for MNIST, sizes must go from 784 inputs to 10 outputs', () => {
  for (const bad of ['30', '784,30', '100,30,10', '784,30,9', '784,0,10', '784,-5,10', '784,1e9,10',
    '2,2,1']) {
    assert.equal(parseHash(`#sizes=${bad}`).problems.length, 1, bad);
  }
  assert.deepEqual(parseHash('#sizes=784,10').config.sizes, [784, 10]);
  assert.match(parseHash('#sizes=2,2,1').problems[0], /^sizes=2,2,1 must start with 784/);
});

test('a truth table: 2 inputs, 1 output, in either order of the keys', () => {
  for (const hash of ['#dataset=xor&sizes=2,2,1', '#sizes=2,2,1&dataset=xor', '#sizes=2,8,3,1&dataset=nand']) {
    const r = parseHash(hash);
    assert.deepEqual(r.problems, [], hash);
    assert.ok(isTruthTable(r.config.dataset));
  }
  assert.deepEqual(parseHash('#sizes=2,8,3,1&dataset=nand').config.sizes, [2, 8, 3, 1]);
  for (const bad of ['784,30,10', '2,2,2', '3,1', '2,2']) {
    const r = parseHash(`#dataset=xor&sizes=${bad}`);
    assert.equal(r.problems.length, 1, bad);
    assert.match(r.problems[0], /for XOR/);
    assert.deepEqual(r.config.sizes, [2, 2, 1], 'the dataset\'s default sizes replace bad ones');
  }
});

test('a dataset alone brings its own defaults: the XOR network for a truth table', () => {
  for (const dataset of DATASETS) {
    const r = parseHash(`#dataset=${dataset}`);
    assert.deepEqual(r.problems, [], dataset);
    assert.deepEqual(r.config, defaultConfig(dataset));
    assert.deepEqual(checkConfig(r.config), []);
  }
  const xor = parseHash('#dataset=and').config;
  assert.deepEqual(xor.sizes, [2, 2, 1]);
  assert.equal(xor.batch, 4, 'full-batch gradient descent on the 4 points');
  assert.deepEqual(defaultConfig(), { ...DEFAULT_CONFIG, sizes: [...DEFAULT_CONFIG.sizes] });
});

test('the keys are checked against the dataset: batch, epochs, step, softmax', () => {
  const bad = (hash, key) => {
    const r = parseHash(hash);
    assert.equal(r.problems.length, 1, `${hash}: ${r.problems}`);
    assert.ok(r.problems[0].startsWith(`${key}=`), r.problems[0]);
    return r;
  };
  assert.equal(bad('#dataset=xor&batch=5', 'batch').config.batch, 4);
  assert.equal(parseHash('#dataset=xor&batch=1').config.batch, 1);
  assert.equal(parseHash('#dataset=xor&epochs=100000').config.epochs, 100000);
  assert.equal(bad('#epochs=1001', 'epochs').config.epochs, 30);
  bad('#dataset=xor&epochs=100001', 'epochs');
  assert.equal(bad('#activation=step', 'activation').config.activation, 'sigmoid');
  assert.equal(parseHash('#dataset=or&activation=step').config.activation, 'step');
  assert.equal(bad('#cost=log-likelihood&dataset=nand', 'cost').config.cost, 'cross-entropy');
  assert.match(bad('#dataset=xor&inspect=4', 'inspect').problems[0], /below 4/);
  assert.equal(parseHash('#dataset=xor&inspect=3').inspect, 3);
  assert.equal(parseHash('#inspect=49999').inspect, 49999);
  bad('#inspect=50000', 'inspect');
  bad('#inspect=1.5', 'inspect');
});

test('hidden layers as typed in the form, around the dataset\'s inputs and outputs', () => {
  assert.deepEqual(parseHidden('30'), [30]);
  assert.deepEqual(parseHidden(' 100, 30 '), [100, 30]);
  assert.deepEqual(parseHidden(''), []);
  assert.throws(() => parseHidden('30,x'), /hidden layer "x"/);
  assert.throws(() => parseHidden('3.5'), /whole number/);
  assert.deepEqual(sizesFromHidden('30'), [784, 30, 10]);
  assert.deepEqual(sizesFromHidden('2', 'xor'), [2, 2, 1]);
  assert.deepEqual(sizesFromHidden('', 'nand'), [2, 1]);
});

test('the truth tables, in the order of the points', () => {
  assert.deepEqual(POINTS, [[0, 0], [0, 1], [1, 0], [1, 1]]);
  const gates = { xor: (a, b) => a ^ b, and: (a, b) => a & b, or: (a, b) => a | b, nand: (a, b) => 1 - (a & b) };
  for (const [name, gate] of Object.entries(gates)) {
    assert.deepEqual(TRUTH_TABLES[name], POINTS.map(([a, b]) => gate(a, b)), name);
  }
  assert.ok(!isTruthTable('mnist'));
});

test('presets are recognised from their config, and only from it', () => {
  for (const p of PRESETS) assert.equal(matchPreset(p.config), p);
  assert.equal(matchPreset({ ...PRESETS[0].config, seed: 2 }), null);
  assert.equal(new Set(PRESETS.map(p => formatHash(p.config))).size, PRESETS.length);
  for (const p of PRESETS) assert.deepEqual(checkConfig(p.config), [], p.id);
});

test('the lecture\'s presets: the XOR network and Nielsen\'s NAND perceptron', () => {
  const xor = PRESETS.find(p => p.id === 'xor'), nand = PRESETS.find(p => p.id === 'nand-perceptron');
  assert.equal(xor.config.dataset, 'xor');
  assert.deepEqual(xor.config.sizes, [2, 2, 1]);
  assert.equal(xor.config.activation, 'sigmoid');
  assert.ok(xor.config.batch === 4 && trainable(xor.config));
  assert.equal(nand.config.dataset, 'nand');
  assert.deepEqual(nand.config.sizes, [2, 1]);
  assert.equal(nand.config.activation, 'step');
  assert.ok(!trainable(nand.config));
  // w from x1, w from x2, bias: the layout's order for [2, 1] (w column-major, then b).
  assert.deepEqual(nand.params, [-2, -2, 3]);
  assert.ok(PRESETS.filter(p => p.params).every(p => p.params.length ===
    p.config.sizes.slice(1).reduce((n, rows, l) => n + rows * (p.config.sizes[l] + 1), 0)));
});

test('Fashion-MNIST: the networks of MNIST, its own folder, its ten class names', () => {
  const r = parseHash('#dataset=fashion&sizes=784,100,10&eta=0.5');
  assert.deepEqual(r.problems, []);
  assert.equal(r.config.dataset, 'fashion');
  assert.ok(isImageDataset('fashion') && isImageDataset('mnist') && !isImageDataset('xor'));
  assert.equal(defaultConfig('fashion').dataset, 'fashion');
  assert.deepEqual(defaultConfig('fashion').sizes, [784, 30, 10]);
  assert.deepEqual(parseHash('#dataset=fashion&sizes=784,30,1').problems,
    ['sizes=784,30,1 must end with 10 (the ten classes) for Fashion-MNIST']);
  assert.deepEqual(parseHash('#dataset=fashion&activation=step').problems.length, 1);
  // Each set in its folder; a link's data= overrides either.
  assert.equal(dataFolder('mnist'), 'data/mnist/');
  assert.equal(dataFolder('fashion'), 'data/fashion/');
  assert.equal(dataFolder('fashion', 'https://example.org/f/'), 'https://example.org/f/');
  assert.equal(formatHash(r.config, r.dataUrl).includes('data='), false);
  assert.deepEqual(classNames('fashion'), ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat',
    'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']);
  assert.deepEqual(classNames('mnist'), ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  assert.ok(DATASETS.includes('fashion'));
  for (const id of ['fashion-30', 'fashion-mlp']) {
    const preset = PRESETS.find(p => p.id === id);
    assert.equal(preset.config.dataset, 'fashion');
    assert.deepEqual(checkConfig(preset.config), []);
    assert.equal(preset.bookAccuracy, 0.8833);
  }
});

test('sweep=eta|hidden|init round-trips through the hash; anything else is a problem', () => {
  for (const sweep of SWEEPS) {
    const hash = formatHash(DEFAULT_CONFIG, DEFAULT_DATA_URL, true, null, sweep);
    assert.match(hash, new RegExp(`&sweep=${sweep}$`));
    const r = parseHash(hash);
    assert.equal(r.sweep, sweep);
    assert.equal(r.autostart, true);
    assert.deepEqual(r.problems, []);
  }
  assert.equal(parseHash('#eta=3').sweep, null);
  const bad = parseHash('#sweep=batch');
  assert.equal(bad.sweep, null);
  assert.deepEqual(bad.problems, ['sweep=batch must be one of eta, hidden, init']);
  assert.equal(formatHash(DEFAULT_CONFIG).includes('sweep'), false);
});

test('a run\'s label: its shape, eta and seed, then what differs from the ch. 1 network', () => {
  assert.equal(runLabel(DEFAULT_CONFIG), '[784,30,10] eta 3 seed 1');
  assert.equal(runLabel({ ...DEFAULT_CONFIG, dataset: 'fashion', sizes: [784, 256, 128, 100, 10],
    activation: 'relu', cost: 'log-likelihood', init: 'scaled', eta: 0.05, lambda: 5 }),
  'Fashion [784,256,128,100,10] eta 0.05 seed 1, relu, log-likelihood, init scaled, λ 5');
});

test('a number out of range names the bound it crossed', () => {
  const problem = hash => parseHash(hash).problems[0];
  assert.equal(problem('#eta=1e40'), 'eta=1e40 must be at most 10000');
  assert.equal(problem('#eta=0'), 'eta=0 must be greater than 0');
  assert.equal(problem('#lambda=-1'), 'lambda=-1 must be between 0 and 10000');
  assert.equal(problem('#batch=0'), 'batch=0 must be between 1 and 50000');
  assert.equal(problem('#seed=4294967296'), 'seed=4294967296 must be between 0 and 4294967295');
  for (const hash of ['#eta=1e40', '#lambda=-1', '#epochs=0', '#sizes=784,0,10']) {
    assert.doesNotMatch(problem(hash), /Infinity/, hash);
  }
});

test('a key given twice: the last valid value counts, and a message quotes the value it is about', () => {
  assert.deepEqual(parseHash('#eta=2&eta=abc').problems, ['eta=abc is not a number']);
  assert.equal(parseHash('#eta=2&eta=abc').config.eta, 2);
  assert.deepEqual(parseHash('#eta=abc&eta=2').problems, ['eta=abc is not a number']);
  assert.equal(parseHash('#eta=abc&eta=2').config.eta, 2);
  // A value each check passes alone, refused by the check of the whole config: the last one is named.
  const r = parseHash('#dataset=xor&batch=1&batch=8');
  assert.equal(r.problems.length, 1, r.problems.join('\n'));
  assert.match(r.problems[0], /^batch=8 /);
});
