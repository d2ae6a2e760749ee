// The run's status at a glance: the status line, error and alarm banners, the buttons' states
// and the big numbers (epoch, test accuracy, examples per second, epoch time), from the page's
// state, for MNIST and for the lecture's truth tables. Not the state itself (main.js) and not
// the charts.
import { isTruthTable, trainable, shape } from '../config.js';
import { setText, setHidden } from './dom.js';

const $ = id => document.getElementById(id);
const CHANCE = 0.2;   // below this test accuracy the network has not learned anything (yet)
const CRAWL_ETA = 0.01;   // at or below this η a near-chance network is learning, just slowly

// A fraction as the page writes it: 0.9542 -> "95.42%".
export const percent = v => `${(100 * v).toFixed(2)}%`;

// A count as the page writes it: 50000 -> "50,000", as Intl.NumberFormat('en') writes it (but
// -0 as "0"). Grouped by hand: the page's first Intl object loads ICU's data (~15 ms of the main
// thread at start-up, 60 at 4x throttling), and the page makes none until its charts load.
export function count(n) {
  const r = Math.round(n);
  if (!Number.isFinite(r)) return Number.isNaN(r) ? 'NaN' : `${r < 0 ? '-' : ''}∞`;
  const digits = wholeDigits(Math.abs(r)).replace(/\B(?=(\d{3})+$)/g, ',');
  return r < 0 ? `-${digits}` : digits;
}

// A whole number's digits as Intl writes them: past 2^53 the shortest digits that read back as
// the number, then zeros (2^70 -> 1180591620717411300000, where toFixed writes its exact binary
// value, and from 1e21 an exponent).
function wholeDigits(r) {
  if (r <= Number.MAX_SAFE_INTEGER) return r.toFixed(0);
  const [mantissa, exponent] = r.toExponential().split('e');
  const digits = mantissa.replace('.', '');
  return digits + '0'.repeat(Number(exponent) + 1 - digits.length);
}

// An EPOCH result's test accuracy, as a fraction.
export const accuracy = e => e.testCorrect / e.testTotal;

// Why Start and Step are off for a network of step units (Nielsen's perceptrons).
export const UNTRAINABLE = 'A step unit\'s derivative is 0 wherever it is defined, so gradient ' +
  'descent cannot train it: set its weights by hand in the diagram.';

// The epoch with the highest test accuracy so far: { accuracy, epoch (1-based) } or null.
export function bestEpoch(epochs) {
  let best = null;
  epochs.forEach((e, i) => {
    const a = accuracy(e);
    if (!best || a > best.accuracy) best = { accuracy: a, epoch: i + 1 };
  });
  return best;
}

function statusText(state) {
  if (state.error) {
    return ['error', state.error.retry ? `The ${shape(state.config.dataset).name} download failed: retry below.`
      : 'Stopped: see the message below.'];
  }
  if (!state.workerReady) {
    return state.crash ? ['starting', 'The training worker stopped: starting a new one…']
      : ['starting', 'Starting the training worker…'];
  }
  const then = state.startWhenReady ? ' Training starts as soon as it is in.' : '';
  const truth = isTruthTable(state.config.dataset);
  if (!state.data && !truth) {
    let received = 0, total = 0, known = true;
    for (const f of state.files.values()) {
      received += f.received;
      total += f.total;
      known = known && f.total > 0;
    }
    const mb = bytes => (bytes / 1e6).toFixed(1);
    return ['loading', `Downloading ${shape(state.config.dataset).name}: ${mb(received)} ` +
      `${known ? `of ${mb(total)} MB` : 'MB so far'}…${then}`];
  }
  if (state.crash && !state.run) {
    return ['crashed', 'A new training worker is ready: resume from the autosave or start fresh (above).'];
  }
  if (!state.run || state.configuring) return ['configuring', `Building the network…${then}`];
  const { epochs } = state.run.config, done = state.epochs.length;
  if (state.diverged) return ['diverged', 'Diverged: training stopped.'];
  const name = shape(state.run.config.dataset).name;
  if (truth && !trainable(state.run.config)) return ['ready', `${name}: 4 points ready. ${UNTRAINABLE}`];
  if (state.done) {
    const best = bestEpoch(state.epochs), last = state.epochs[done - 1];
    return ['done', truth
      ? `Done: ${done} epochs; ${last.testCorrect} of ${last.testTotal} points right. Reset to train again.`
      : `Done: ${done} epochs; best test accuracy ${percent(best.accuracy)} ` +
        `(epoch ${best.epoch}). Reset to train again.`];
  }
  if (state.running) {
    return ['running', `Training epoch ${done + 1} of ${epochs}` +
      `${truth ? ' (one gradient-descent step on the 4 points each)' : ''}…`];
  }
  const dataLine = truth ? `${name}: 4 points ready.`
    : `${name} ready: ${count(state.data.train)} training and ${count(state.data.test)} test images.`;
  // A weight typed in the diagram or the inspector's step applied (main.js marks the run).
  const byHand = state.run.handEdited ? ' Weights changed by hand: the run is off its seed\'s path.' : '';
  if (!state.progress && !done && state.run.loadedFrom) {
    const e = state.evaluation;
    return ['ready', `${dataLine} Network loaded from ${state.run.loadedFrom}` +
      `${e ? `: ${percent(e.testCorrect / e.testTotal)} on the test set before training` : ''}. ` +
      `Start trains on from it.${byHand}`];
  }
  if (!state.progress && !done) return ['ready', `${dataLine} Press Start.${byHand}`];
  return ['paused', `Paused in epoch ${done + 1} of ${epochs}. Resume, step or reset.${byHand}`];
}

// Near chance has two opposite causes; say which one η points to only when it is clear.
function nearChance(state, test) {
  const { eta } = state.run.config, n = state.epochs.length;
  const after = `after ${n} epoch${n === 1 ? '' : 's'}`;
  if (eta <= CRAWL_ETA) {
    return `Learning crawls at this η (${eta}): test accuracy ${percent(test)} ${after}, ` +
      'still near chance (10%). A larger η learns faster.';
  }
  return `Accuracy is near chance (${percent(test)}) ${after}: η is far too large ` +
    '(the weights saturate) or far too small (learning crawls).';
}

function setTitle(el, text) {
  if (el.title !== text) el.title = text;
}

const STEP_TITLE = {
  mnist: 'Train exactly one mini-batch',
  truth: 'Train exactly one mini-batch (with m = 4: one gradient-descent step on the 4 points)',
};

export function renderStatus(state) {
  const [phase, text] = statusText(state);
  const status = $('status');
  setText(status, text);
  status.dataset.state = phase;

  const error = $('error');
  setHidden(error, !state.error);
  setText($('error-message'), state.error ? state.error.message : '');
  setHidden($('retry'), !(state.error && state.error.retry));

  const last = state.epochs[state.epochs.length - 1];
  // Before the first epoch, a loaded network's evaluation (main.js: state.evaluation).
  const scored = last || (state.run && state.evaluation) || null;
  const test = scored ? accuracy(scored) : null;
  const alarm = $('alarm');
  // Near chance means something only for the ten digits.
  const truth = isTruthTable(state.config.dataset);
  setText(alarm, state.diverged
    ? state.diverged.charAt(0).toUpperCase() + state.diverged.slice(1)
    : last && test < CHANCE && state.run && !truth ? nearChance(state, test) : '');
  setHidden(alarm, !alarm.textContent);
  // Divergence is an alarm; near chance is a caution: with a tiny η it is what the book shows.
  alarm.classList.toggle('caution', !state.diverged);

  const ready = Boolean(state.run) && !state.configuring;
  const p = state.progress;
  // A step network is never trained: Start and Step stay off and say why (the status line too).
  const untrainable = !trainable(state.config);
  const canTrain = ready && !state.running && !state.done && !state.diverged && !untrainable;
  const early = !ready && !state.error && !state.startWhenReady && !untrainable;
  $('start').disabled = !(canTrain || early);
  // Without a network (after a crash) Start builds a fresh one: it resumes nothing.
  setText($('start'), state.done ? 'Done' : state.run && (p || state.epochs.length) ? 'Resume' : 'Start');
  $('pause').disabled = !(ready && state.running && !state.pausing);
  $('step').disabled = !canTrain;
  $('reset').disabled = !(state.data || (truth && state.workerReady));
  setTitle($('start'), untrainable ? UNTRAINABLE : '');
  setTitle($('step'), untrainable ? UNTRAINABLE : STEP_TITLE[truth ? 'truth' : 'mnist']);

  const epoch = $('epoch');
  epoch.dataset.value = String(state.epochs.length);
  // The charts' run stays on screen after a crash or a switch, its network gone: so does its count.
  setText(epoch, state.run ? `${state.epochs.length} / ${state.run.config.epochs}` : String(state.epochs.length));
  const testAccuracy = $('test-accuracy');
  setText(testAccuracy, test === null ? '–' : percent(test));
  setTitle(testAccuracy, !last && test !== null ? 'The loaded network, before any training' : '');
  if (test === null) delete testAccuracy.dataset.value;
  else testAccuracy.dataset.value = String(test);
  setText($('speed'), p && state.running && p.examplesPerSecond
    ? count(p.examplesPerSecond) : '–');
  setText($('epoch-time'), last ? `${last.seconds.toFixed(2)} s` : '–');

  const batch = $('batch');
  batch.dataset.value = String(state.trainedBatches);
  // A truth table's epoch is one full batch: nothing to count within it.
  setText(batch, p && state.run && !truth ? `mini-batch ${count(p.batch)} of ` +
    `${count(state.run.batchesPerEpoch)} in this epoch` : '');
}

