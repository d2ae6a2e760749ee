// Property test of web/views/status.js's count: the page groups digits by hand (it makes no Intl
// object at start-up), so every count it writes must read as Intl.NumberFormat('en') writes it,
// -0 aside (the page writes "0"). Seeded (tests/web/fast-check.mjs says how to rerun a failure).
import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checker } from './fast-check.mjs';
import { count } from '../../web/views/status.js';

const check = checker(2000);
const INTL = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
const intl = n => (Object.is(Math.round(n), -0) ? '0' : INTL.format(Math.round(n)));

test('count writes a number as Intl.NumberFormat(\'en\') does', t => check(t,
  fc.property(fc.oneof(
    fc.integer({ min: -1e7, max: 1e7 }),                        // the page's counts and their neighbours
    fc.maxSafeInteger(),
    fc.double({ min: -1e15, max: 1e15 }),                      // rounded first, fractions and all
    fc.double({ min: 2 ** 52, max: 1e25 }),                    // past 2^53 and toFixed's 1e21
    fc.double({ noNaN: true }),                                 // anything else
    fc.constantFrom(NaN, Infinity, -Infinity, -0, 0.5, -0.5, 999.5, 1e15)),
  n => {
    assert.equal(count(n), intl(n), `count(${n})`);
  })));

test('count: a few as the page shows them', () => {
  assert.deepEqual([0, 7, 999, 1000, 50000, 60000, 1234567, -0.4, -1500, 1.5e21].map(count),
    ['0', '7', '999', '1,000', '50,000', '60,000', '1,234,567', '0', '-1,500', '1,500,000,000,000,000,000,000']);
});
