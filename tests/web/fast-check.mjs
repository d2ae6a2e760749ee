// The property tests' seed and runner (properties_*.test.mjs): fast-check seeded, so a failure
// reproduces. Every test prints its seed, and a failure prints the seed and the path of the shrunk
// counterexample. Rerun that one case with
//   BPL_FC_SEED=<seed> BPL_FC_PATH=<path> node --test --test-name-pattern='<test name>' FILE
// BPL_FC_SEED alone runs every property on other cases.
import fc from 'fast-check';

export const SEED = seedFromEnv();

function seedFromEnv() {
  const text = process.env.BPL_FC_SEED;
  if (text === undefined || text === '') return 20261202;
  if (!/^-?\d+$/.test(text)) throw new Error(`BPL_FC_SEED=${text} must be a whole number`);
  return Number(text);
}

// A `check(t, property, numRuns = runs)` for one file: asserts the property (awaited if it is
// asynchronous) and says the seed in the test's output.
export function checker(runs) {
  return (t, property, numRuns = runs) => {
    t.diagnostic(`fast-check seed ${SEED}, ${numRuns} runs`);
    const path = process.env.BPL_FC_PATH;
    return fc.assert(property, { seed: SEED, numRuns, includeErrorInReport: true, ...(path ? { path } : {}) });
  };
}
