// The book's three sweeps as plain data: which settings each applies over the current ones, the
// values it sweeps and the book's figure for each (Nielsen, "Neural Networks and Deep Learning",
// ch. 1 and ch. 3). Pure (no DOM, no workers), so Node can test it; running them is pool.js's.
import { DEFAULT_CONFIG } from '../../protocol.js';
import { runLabel, imageDataset } from '../../config.js';

const INIT_NAMES = { gaussian: 'gaussian N(0,1)', scaled: 'scaled N(0,1/n_in)' };
const NO_BOOK = { text: 'the book has no Fashion-MNIST figures', accuracy: null };

// kind -> { title, description, base (applied over the current settings), runs: [{ label,
// set (applied over base), book: { text, accuracy|null } }] }. A book text never claims a figure
// the book does not give; `accuracy` is a fraction only where the book states one.
// The base has lambda 0 in every sweep: the book's figures are for unregularised networks.
export const SWEEPS = {
  eta: {
    title: 'Learning rate η',
    description: 'Ch. 1: η = 0.001 creeps, η = 3 works, η = 100 fails. Five runs of [784,30,10].',
    base: { sizes: [784, 30, 10], activation: 'sigmoid', cost: 'quadratic', init: 'gaussian', lambda: 0 },
    runs: [
      { label: 'η = 0.001', set: { eta: 0.001 },
        book: { text: 'creeps: about 11% to 21% in 30 epochs (book: [784,100,10])', accuracy: null } },
      { label: 'η = 0.01', set: { eta: 0.01 },
        book: { text: 'better than 0.001 (book gives no figure)', accuracy: null } },
      { label: 'η = 1', set: { eta: 1 },
        book: { text: 'close to η = 3 (book: no figure)', accuracy: null } },
      { label: 'η = 3', set: { eta: 3 }, book: { text: '95.42%', accuracy: 0.9542 } },
      { label: 'η = 100', set: { eta: 100 }, book: { text: 'fails to learn: about 10%', accuracy: 0.1 } },
    ],
  },
  hidden: {
    title: 'Hidden neurons',
    description: 'Ch. 1: 100 hidden neurons against 30 (η = 3).',
    base: { activation: 'sigmoid', cost: 'quadratic', init: 'gaussian', eta: 3, lambda: 0 },
    runs: [
      { label: '30 hidden', set: { sizes: [784, 30, 10] }, book: { text: '95.42%', accuracy: 0.9542 } },
      { label: '100 hidden', set: { sizes: [784, 100, 10] },
        book: { text: '96.59% (with N(0,1) weights the seed decides: many of ours stall below; ' +
          'see the init sweep)', accuracy: 0.9659 } },
    ],
  },
  init: {
    title: 'Weight initialisation',
    description: 'Ch. 3: N(0,1) against N(0,1/n_in) weights, seeds 1, 2, 3 each: the seed lottery.',
    base: { sizes: [784, 100, 10], activation: 'sigmoid', cost: 'quadratic', eta: 3, lambda: 0 },
    runs: ['gaussian', 'scaled'].flatMap(init => [1, 2, 3].map(seed => ({
      label: `${INIT_NAMES[init]}, seed ${seed}`, set: { init, seed },
      book: init === 'gaussian'
        ? { text: 'saturated start: the seed decides (30 epochs of our seeds 1-16: 3 reach 96.5%, ' +
          'the rest stall at 76-88%)', accuracy: null }
        : { text: 'learns from the start (ch. 3: about the same final accuracy, reached much sooner)',
          accuracy: null },
    }))),
  },
};

export const SWEEP_KINDS = Object.keys(SWEEPS);

/**
 * The configs of sweep `kind` from the current settings: epochs, batch and seed (the init
 * sweep's excepted) are the current ones, so a lecture or a test can choose how long it runs.
 * @returns {{ kind, title, dataset, runs: Array<{ index, key, label, name, config, book }> }}
 */
export function planSweep(kind, current = DEFAULT_CONFIG) {
  const sweep = SWEEPS[kind];
  if (!sweep) throw new Error(`Unknown sweep "${kind}": one of ${SWEEP_KINDS.join(', ')}.`);
  // The current dataset if it is one of images; anything else (a truth table) sweeps MNIST.
  const dataset = imageDataset(current.dataset);
  const base = { ...DEFAULT_CONFIG, ...current, ...sweep.base, dataset };
  const runs = sweep.runs.map((run, index) => {
    const config = { ...base, ...run.set };
    config.sizes = [...config.sizes];
    return { index, key: `${kind}-${index}`, name: run.label, label: runLabel(config), config,
      book: dataset === 'mnist' ? run.book : NO_BOOK };
  });
  return { kind, title: sweep.title, dataset, runs };
}

// How many sweep workers train at once: one core is left to the page (at least one worker).
export const parallelism = cores => Math.max(1, (Number(cores) || 1) - 1);
