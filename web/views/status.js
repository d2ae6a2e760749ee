// The run's status at a glance: the status line, error and alarm banners, the buttons' states
// and the big numbers (epoch, test accuracy, examples per second, epoch time), from the page's
// state. Not the state itself (main.js) and not the charts.

const $ = id => document.getElementById(id);
const CHANCE = 0.2;   // below this test accuracy the network has not learned anything (yet)
const CRAWL_ETA = 0.01;   // at or below this η a near-chance network is learning, just slowly

// A fraction as the page writes it: 0.9542 -> "95.42%".
export const percent = v => `${(100 * v).toFixed(2)}%`;

// An EPOCH result's test accuracy, as a fraction.
export const accuracy = e => e.testCorrect / e.testTotal;

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
    return ['error', state.error.retry ? 'The MNIST download failed: retry below.' : 'Stopped: see the message below.'];
  }
  if (!state.workerReady) return ['starting', 'Starting the training worker…'];
  const then = state.startWhenReady ? ' Training starts as soon as it is in.' : '';
  if (!state.data) {
    let received = 0, total = 0, known = true;
    for (const f of state.files.values()) {
      received += f.received;
      total += f.total;
      known = known && f.total > 0;
    }
    const mb = bytes => (bytes / 1e6).toFixed(1);
    return ['loading', `Downloading MNIST: ${mb(received)} ` +
      `${known ? `of ${mb(total)} MB` : 'MB so far'}…${then}`];
  }
  if (!state.run || state.configuring) return ['configuring', `Building the network…${then}`];
  const { epochs } = state.run.config, done = state.epochs.length;
  if (state.diverged) return ['diverged', 'Diverged: training stopped.'];
  if (state.done) {
    const best = bestEpoch(state.epochs);
    return ['done', `Done: ${done} epochs; best test accuracy ${percent(best.accuracy)} ` +
      `(epoch ${best.epoch}). Reset to train again.`];
  }
  if (state.running) return ['running', `Training epoch ${done + 1} of ${epochs}…`];
  const dataLine = `MNIST ready: ${state.data.train.toLocaleString('en')} training and ` +
    `${state.data.test.toLocaleString('en')} test images.`;
  if (!state.progress && !done) return ['ready', `${dataLine} Press Start.`];
  return ['paused', `Paused in epoch ${done + 1} of ${epochs}. Resume, step or reset.`];
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

// Writes only what changed: every text write would make the browser lay the page out again.
function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

export function renderStatus(state) {
  const [phase, text] = statusText(state);
  const status = $('status');
  setText(status, text);
  status.dataset.state = phase;

  const error = $('error');
  error.hidden = !state.error;
  setText($('error-message'), state.error ? state.error.message : '');
  $('retry').hidden = !(state.error && state.error.retry);

  const last = state.epochs[state.epochs.length - 1];
  const test = last ? accuracy(last) : null;
  const alarm = $('alarm');
  setText(alarm, state.diverged
    ? state.diverged.charAt(0).toUpperCase() + state.diverged.slice(1)
    : test !== null && test < CHANCE && state.run ? nearChance(state, test) : '');
  alarm.hidden = !alarm.textContent;
  // Divergence is an alarm; near chance is a caution: with a tiny η it is what the book shows.
  alarm.classList.toggle('caution', !state.diverged);

  const ready = Boolean(state.run) && !state.configuring;
  const p = state.progress;
  const canTrain = ready && !state.running && !state.done && !state.diverged;
  const early = !ready && !state.error && !state.startWhenReady;
  $('start').disabled = !(canTrain || early);
  setText($('start'), state.done ? 'Done' : p || state.epochs.length ? 'Resume' : 'Start');
  $('pause').disabled = !(ready && state.running);
  $('step').disabled = !canTrain;
  $('reset').disabled = !state.data;

  const epoch = $('epoch');
  epoch.dataset.value = String(state.epochs.length);
  setText(epoch, state.run ? `${state.epochs.length} / ${state.run.config.epochs}` : '0');
  const testAccuracy = $('test-accuracy');
  setText(testAccuracy, test === null ? '–' : percent(test));
  if (test === null) delete testAccuracy.dataset.value;
  else testAccuracy.dataset.value = String(test);
  setText($('speed'), p && state.running && p.examplesPerSecond
    ? Math.round(p.examplesPerSecond).toLocaleString('en') : '–');
  setText($('epoch-time'), last ? `${last.seconds.toFixed(2)} s` : '–');

  const batch = $('batch');
  batch.dataset.value = String(state.trainedBatches);
  setText(batch, p && state.run ? `mini-batch ${p.batch.toLocaleString('en')} of ` +
    `${state.run.batchesPerEpoch.toLocaleString('en')} in this epoch` : '');
}

