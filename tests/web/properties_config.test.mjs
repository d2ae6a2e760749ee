// Property tests of web/config.js (fast-check): any valid run config survives formatHash then
// parseHash, any invalid value is refused with a message naming its key (and the bound it
// crossed), and no string at all makes parseHash throw. config.test.mjs has the examples; this
// file has the generated cases. Not the page's handling of the hash (page.test.mjs).
// Seeded (tests/web/fast-check.mjs says how to rerun a failure).
import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checker } from './fast-check.mjs';
import {
  parseHash, formatHash, FIELD_PARSERS, checkConfig, defaultConfig, DATASETS, SWEEPS, POINTS,
  DEFAULT_DATA_URL, isTruthTable, isImageDataset, shape,
} from '../../web/config.js';

const RUNS = 300;


const check = checker(RUNS);

// What a parser throws (its message), or undefined if it accepts the text.
function thrown(f) {
  try {
    f();
  } catch (why) {
    return why;
  }
  return undefined;
}

// The choices come from the module itself: each one-of parser lists them in its message.
const choicesOf = key => /must be one of (.*)$/.exec(thrown(() => FIELD_PARSERS[key]('')))[1].split(', ');
const ACTIVATIONS = choicesOf('activation'), COSTS = choicesOf('cost'), INITS = choicesOf('init');

// The numeric bounds are not exported: this copy is pinned to the module by the first test
// (each bound accepted, the next value past it refused).
const MAX_HIDDEN = 4096, MAX_IMAGE_EPOCHS = 1000;
const NUMBERS = {
  eta: { above: 0, max: 1e4 },
  batch: { integer: true, min: 1, max: 50000 },
  epochs: { integer: true, min: 1, max: 100000 },   // the truth tables'; images: MAX_IMAGE_EPOCHS
  lambda: { min: 0, max: 1e4 },
  seed: { integer: true, min: 0, max: 4294967295 },
};

test('the bounds this file assumes are the module\'s', () => {
  for (const [key, b] of Object.entries(NUMBERS)) {
    const step = b.integer ? 1 : 1e-9 * b.max;
    assert.equal(FIELD_PARSERS[key](String(b.max)), b.max, key);
    assert.equal(typeof thrown(() => FIELD_PARSERS[key](String(b.max + step))), 'string', key);
    const low = b.above ?? b.min;
    if (b.above === undefined) assert.equal(FIELD_PARSERS[key](String(low)), low, key);
    assert.equal(typeof thrown(() => FIELD_PARSERS[key](String(low - (b.above === undefined ? step : 0)))),
      'string', key);
  }
  assert.deepEqual(FIELD_PARSERS.sizes(`784,${MAX_HIDDEN},10`), [784, MAX_HIDDEN, 10]);
  assert.match(thrown(() => FIELD_PARSERS.sizes(`784,${MAX_HIDDEN + 1},10`)), /layer "4097"/);
  assert.deepEqual(parseHash(`#epochs=${MAX_IMAGE_EPOCHS}`).problems, []);
  assert.equal(parseHash(`#epochs=${MAX_IMAGE_EPOCHS + 1}`).problems.length, 1);
  assert.deepEqual(Object.keys(FIELD_PARSERS).sort(),
    ['activation', 'batch', 'cost', 'dataset', 'epochs', 'eta', 'init', 'lambda', 'seed', 'sizes']);
});

// A double in [lo, hi], mostly short decimals (what people type) and sometimes any double
// (String() of a double reads back as the same double, which the round trip relies on).
const decimal = (lo, hi) => fc.oneof(
  fc.integer({ min: Math.ceil(lo * 1000), max: Math.floor(hi * 1000) }).map(n => n / 1000),
  fc.double({ min: lo, max: hi, noNaN: true }));

// A config that checkConfig accepts: the dataset fixes the ends of sizes, a truth table has 4
// points (batch <= 4) and one output (no softmax), images have no step units and <= 1000 epochs.
const validConfig = fc.constantFrom(...DATASETS).chain(dataset => {
  const truth = isTruthTable(dataset);
  const { inputs, outputs } = shape(dataset);
  return fc.record({
    dataset: fc.constant(dataset),
    sizes: fc.array(fc.integer({ min: 1, max: MAX_HIDDEN }), { maxLength: 4 })
      .map(hidden => [inputs, ...hidden, outputs]),
    activation: fc.constantFrom(...ACTIVATIONS.filter(a => truth || a !== 'step')),
    cost: fc.constantFrom(...COSTS.filter(c => !truth || c !== 'log-likelihood')),
    init: fc.constantFrom(...INITS),
    eta: decimal(0, NUMBERS.eta.max).filter(v => v > 0),
    batch: fc.integer({ min: 1, max: truth ? POINTS.length : NUMBERS.batch.max }),
    epochs: fc.integer({ min: 1, max: truth ? NUMBERS.epochs.max : MAX_IMAGE_EPOCHS }),
    lambda: fc.oneof(fc.constant(0), decimal(0, NUMBERS.lambda.max)),
    seed: fc.integer({ min: 0, max: NUMBERS.seed.max }),
  }, { noNullPrototype: true });
});

// The hash of text pairs, encoded as a link carries them.
const hashOf = pairs => '#' + new URLSearchParams(pairs).toString();

// data=: the default, a web URL or a relative folder (each ending in '/', as parseHash leaves
// them), or any text that parseHash accepts, in the form it gives back.
const dataUrl = fc.oneof(
  fc.constant(DEFAULT_DATA_URL),
  fc.webUrl({ withQueryParameters: true }).map(u => (u.endsWith('/') ? u : u + '/')),
  fc.array(fc.stringMatching(/^[\w.~-]{1,12}$/), { minLength: 1, maxLength: 4 })
    .map(parts => parts.join('/') + '/'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 30 })
    .map(s => parseHash(hashOf([['data', s]])))
    .filter(r => r.problems.length === 0)
    .map(r => r.dataUrl),
);

// The page's other state in the hash; inspect is an example of the config's dataset.
const extras = config => fc.record({
  dataUrl,
  autostart: fc.boolean(),
  inspect: fc.option(fc.integer({ min: 0, max: shape(config.dataset).examples - 1 })),
  sweep: fc.option(fc.constantFrom(...SWEEPS)),
}, { noNullPrototype: true });
const validState = validConfig.chain(config => extras(config).map(rest => ({ config, ...rest })));

test('formatHash then parseHash gives back any valid config and the page\'s other state', t => {
  check(t, fc.property(validState, ({ config, dataUrl, autostart, inspect, sweep }) => {
    assert.deepEqual(checkConfig(config), [], 'the generator makes valid configs');
    const hash = formatHash(config, dataUrl, autostart, inspect, sweep);
    assert.deepEqual(parseHash(hash), { config, dataUrl, autostart, inspect, sweep, problems: [] }, hash);
  }));
});

test('a parsed hash formats to a hash that parses to the same', t => {
  check(t, fc.property(validState, ({ config, dataUrl, autostart, inspect, sweep }) => {
    const hash = formatHash(config, dataUrl, autostart, inspect, sweep);
    const back = parseHash(hash);
    assert.equal(formatHash(back.config, back.dataUrl, back.autostart, back.inspect, back.sweep), hash);
  }));
});

// ---- invalid values: one bad key in an otherwise valid link ------------------------------------

const junk = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom('', ' ', 'NaN', 'nan', 'Infinity', '-Infinity', '1e999', '0x10', '1_000', '1,5', '--1',
    '1e', '.', '+', 'e5', '3px', 'null', 'undefined', 'true', '[]', '{}'));

// A text that is not a number parseNumber reads, or a number outside the key's bounds.
function badNumber({ integer = false, min = -Infinity, max = Infinity, above }) {
  const low = above ?? min;
  return fc.oneof(
    junk.filter(s => !Number.isFinite(Number(s)) || s.trim() === '' || /[^\d.eE+\s-]/.test(s)),
    decimal(max, max * 10).filter(v => v > max).map(String),
    fc.double({ min: max, noNaN: true, noDefaultInfinity: true }).filter(v => v > max).map(String),
    fc.double({ max: low, noNaN: true, noDefaultInfinity: true })
      .filter(v => (above !== undefined ? v <= above : v < min)).map(String),
    ...(integer ? [decimal(Math.max(low, -1e6), Math.min(max, 1e6)).filter(v => !Number.isInteger(v)).map(String)] : []),
  );
}

// key -> { text: an invalid value, image: whether the background must be an image dataset,
// truth: a truth table's }; the bad value's message must name the key.
const INVALID = {
  sizes: fc.oneof(
    junk.filter(s => !s.includes(',')),   // fewer than two sizes
    fc.tuple(fc.array(fc.integer({ min: 1, max: MAX_HIDDEN }), { maxLength: 3 }),
      fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: MAX_HIDDEN + 1 }), junk.filter(s => !/^\s*\+?\d+\s*$/.test(s) && !s.includes(','))))
      .map(([hidden, bad]) => ['784', ...hidden.map(String), String(bad), '10'].join(',')),
    // Sizes the parser takes but no image dataset fits.
    fc.array(fc.integer({ min: 1, max: MAX_HIDDEN }), { minLength: 2, maxLength: 5 })
      .filter(s => s[0] !== 784 || s[s.length - 1] !== 10).map(s => s.join(',')),
  ),
  activation: junk.filter(s => !ACTIVATIONS.includes(s)),
  cost: junk.filter(s => !COSTS.includes(s)),
  init: junk.filter(s => !INITS.includes(s)),
  dataset: fc.oneof(junk, fc.constantFrom(...DATASETS).map(d => d.toUpperCase()), fc.constant('cifar'))
    .filter(s => !DATASETS.includes(s)),
  eta: badNumber(NUMBERS.eta),
  batch: badNumber(NUMBERS.batch),
  epochs: fc.oneof(badNumber(NUMBERS.epochs),
    fc.integer({ min: MAX_IMAGE_EPOCHS + 1, max: NUMBERS.epochs.max }).map(String)),   // too many for images
  lambda: badNumber(NUMBERS.lambda),
  seed: badNumber(NUMBERS.seed),
  inspect: fc.oneof(badNumber({ integer: true, min: 0, max: shape('mnist').examples - 1 })),
  sweep: junk.filter(s => !SWEEPS.includes(s)),
  // Any scheme but http(s), in any case, after any blank that trim() removes.
  data: fc.tuple(
    fc.constantFrom('', ' ', '\t', '\n', '\u00a0'),
    fc.oneof(fc.constantFrom('javascript', 'data', 'blob', 'file', 'ftp', 'ws', 'wss', 'vbscript',
      'chrome-extension', 'httpx', 'https+x'), fc.stringMatching(/^[a-z][a-z0-9+.-]{0,8}$/))
      .filter(s => !/^https?$/i.test(s))
      .chain(s => fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length })
        .map(upper => [...s].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(''))),
    fc.oneof(fc.constantFrom('alert(1)', '//example.org/mnist/', 'text/plain,x', ''),
      fc.string({ maxLength: 20 })),
  ).map(([blank, scheme, rest]) => `${blank}${scheme}:${rest}`),
};

// The number's bound named in its message (issue 10: never "-Infinity").
function namesBound(key, text, message) {
  if (!(key in NUMBERS)) return;
  assert.doesNotMatch(message, /Infinity/, message);
  const v = Number(text.trim());
  const b = NUMBERS[key];
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text.trim()) || !Number.isFinite(v)) return;
  if (b.integer && !Number.isInteger(v)) assert.match(message, /whole number/, message);
  else if (b.above !== undefined && v <= b.above) assert.ok(message.includes(`greater than ${b.above}`), message);
  else if (v < b.min) assert.ok(message.includes(String(b.min)), message);
  else if (v > b.max) assert.ok(message.includes(String(b.max)), message);
}

const invalidCase = fc.constantFrom(...Object.keys(INVALID)).chain(key => fc.record({
  key: fc.constant(key),
  text: INVALID[key],
  // An image dataset's config around it: a bad dataset or data= falls back to MNIST's folder.
  config: validConfig.filter(c => isImageDataset(c.dataset)),
}, { noNullPrototype: true }));

test('an invalid value of any key is refused with a message that names the key', t => {
  check(t, fc.property(invalidCase, ({ key, text, config }) => {
    const params = new URLSearchParams(formatHash(config).slice(1));
    params.set(key, text);
    const hash = '#' + params.toString();
    const r = parseHash(hash);
    assert.equal(r.problems.length, 1, `${hash}: ${JSON.stringify(r.problems)}`);
    // The message quotes the value as the link decodes it.
    const shown = new URLSearchParams(params.toString()).get(key);
    assert.ok(r.problems[0].startsWith(`${key}=${shown} `), `${JSON.stringify(r.problems[0])} for ${key}`);
    namesBound(key, shown, r.problems[0].slice(key.length + shown.length + 2));
    const fallback = key === 'dataset' ? defaultConfig('mnist') : defaultConfig(config.dataset);
    const expected = key === 'dataset' ? { ...config, dataset: 'mnist' }
      : key in fallback ? { ...config, [key]: fallback[key] } : config;
    assert.deepEqual(r.config, expected, hash);
    if (key === 'data') assert.equal(r.dataUrl, DEFAULT_DATA_URL);
    if (key === 'inspect') assert.equal(r.inspect, null);
    if (key === 'sweep') assert.equal(r.sweep, null);
  }));
});

test('inspect= past the dataset\'s examples and batch= past a truth table\'s 4 points are refused', t => {
  const truthConfig = validConfig.filter(c => isTruthTable(c.dataset));
  check(t, fc.property(validConfig, fc.integer({ min: 0, max: 1e6 }), truthConfig, fc.integer({ min: 5, max: 50000 }),
    (config, index, truth, batch) => {
      const r = parseHash(formatHash(config, DEFAULT_DATA_URL, false, index));
      const { examples } = shape(config.dataset);
      if (index < examples) {
        assert.equal(r.inspect, index);
        assert.deepEqual(r.problems, []);
      } else {
        assert.equal(r.inspect, null);
        assert.equal(r.problems.length, 1);
        assert.match(r.problems[0], new RegExp(`^inspect=${index} must be (below|between 0 and) `));
      }
      const b = parseHash(formatHash({ ...truth, batch }));
      assert.deepEqual(b.problems, [`batch=${batch} must be at most 4 for ${truth.dataset.toUpperCase()} (it has 4 points)`]);
      assert.equal(b.config.batch, defaultConfig(truth.dataset).batch);
    }));
});

test('a key that is not a setting is named as unknown', t => {
  const known = new Set([...Object.keys(FIELD_PARSERS), 'data', 'autostart', 'inspect', 'sweep']);
  check(t, fc.property(fc.string({ unit: 'binary', maxLength: 12 }).filter(k => !known.has(k)),
    fc.string({ unit: 'binary', maxLength: 12 }), (key, value) => {
      const hash = hashOf([[key, value]]);
      const [k, v] = [...new URLSearchParams(hash.slice(1))][0];
      assert.deepEqual(parseHash(hash).problems, [`${k}=${v} is not a known setting`]);
    }));
});

// ---- any text at all ----------------------------------------------------------------------------

// Keys a link may carry: the real ones, made-up ones, and the names every plain object inherits
// (a lookup with `in` would find those on Object.prototype).
const anyKey = fc.oneof(
  fc.constantFrom(...Object.keys(FIELD_PARSERS), 'data', 'autostart', 'inspect', 'sweep'),
  fc.constantFrom(...Object.getOwnPropertyNames(Object.prototype)),
  fc.string({ unit: 'binary', maxLength: 10 }));
const anyValue = fc.oneof(junk, fc.constantFrom(...DATASETS, ...SWEEPS, ...ACTIVATIONS, ...COSTS, ...INITS,
  '784,30,10', '2,2,1', '1', '0', '4', '30', '1e4'), fc.integer().map(String), fc.double().map(String));
const anyHash = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.array(fc.tuple(anyKey, anyValue), { maxLength: 8 }).map(hashOf),
  fc.array(fc.tuple(anyKey, anyValue), { maxLength: 8 })
    .map(pairs => '#' + pairs.map(([k, v]) => `${k}=${v}`).join('&')));   // not encoded: raw text

test('any text gives a config the page can run, or problems, and never throws', t => {
  check(t, fc.property(anyHash, hash => {
    let r;
    assert.doesNotThrow(() => { r = parseHash(hash); }, JSON.stringify(hash));
    // The config has exactly the hash's settings, each one its parser accepts, and fits its dataset.
    assert.deepEqual(Object.keys(r.config).sort(), Object.keys(FIELD_PARSERS).sort(), JSON.stringify(hash));
    for (const key of Object.keys(FIELD_PARSERS)) {
      const text = key === 'sizes' ? r.config.sizes.join(',') : String(r.config[key]);
      assert.deepEqual(FIELD_PARSERS[key](text), r.config[key], `${key} of ${JSON.stringify(hash)}`);
    }
    assert.deepEqual(checkConfig(r.config), []);
    assert.ok(r.inspect === null || (Number.isInteger(r.inspect) && r.inspect >= 0 &&
      r.inspect < shape(r.config.dataset).examples));
    assert.ok(r.sweep === null || SWEEPS.includes(r.sweep));
    assert.equal(typeof r.autostart, 'boolean');
    assert.ok(r.problems.every(p => typeof p === 'string' && /^[^=]*=/.test(p)), JSON.stringify(r.problems));
  }), 600);
});

// Only relative paths or http(s) URLs may be given as data=: the page resolves the text against its
// own address (new URL in main.js) and the worker fetches the result.
test('data= never resolves to a scheme other than http(s)', t => {
  const base = 'https://lab.example/backprop/';
  // The URL parser drops tabs and newlines anywhere, and C0 controls and spaces at the ends.
  const hidden = fc.tuple(fc.constantFrom('javascript', 'data', 'blob', 'file', 'ftp'),
    fc.array(fc.constantFrom('\t', '\n', '\r', '\u0001', '\u001f', '\u0000'), { maxLength: 3 }),
    fc.nat(10), fc.constantFrom('alert(1)', 'text/plain,x', '//example.org/'))
    .map(([scheme, junkChars, at, rest]) => {
      const i = at % (scheme.length + 1);
      return at > 5 ? junkChars.join('') + scheme + ':' + rest : scheme.slice(0, i) + junkChars.join('') + scheme.slice(i) + ':' + rest;
    });
  check(t, fc.property(fc.oneof(hidden, fc.string({ unit: 'binary', maxLength: 20 }), fc.webUrl()), text => {
    const r = parseHash(hashOf([['data', text]]));
    if (r.problems.length) return;
    let url;
    try {
      url = new URL(r.dataUrl, base);
    } catch {
      return;   // a text no URL parser takes is fetched by no one
    }
    assert.match(url.protocol, /^https?:$/, `data=${JSON.stringify(text)} was taken and resolves to ${url.href}`);
  }));
});
