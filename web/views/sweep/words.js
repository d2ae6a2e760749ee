// The sweep view's texts: a run's state, times, accuracies and the sweep's summary line. Pure
// (no DOM), so Node can test them; the figures themselves come from the workers' EPOCH messages.

export const percent = a => (a === null || a === undefined ? '–' : `${(100 * a).toFixed(2)}%`);

// 7.4 -> "7.4 s", 83 -> "1 min 23 s", 3725 -> "1 h 02 min". A running clock (`ticking`) shows
// whole seconds: its text, and so the page's layout, changes once a second, not every frame.
export function duration(seconds, ticking = false) {
  if (!Number.isFinite(seconds) || seconds <= 0) return '–';
  if (ticking && seconds < 60) return `${Math.floor(seconds)} s`;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const s = Math.round(seconds);
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

// The epoch a training run is in (1-based, at most the last): PROGRESS counts completed epochs.
const current = run => Math.min((run.progress ? run.progress.epoch : run.epochs.length) + 1, run.config.epochs);

// What the state column says about a run (pool.js's SweepRun).
export function stateText(run) {
  const n = run.config.epochs;
  switch (run.phase) {
    case 'queued': return run.epochs.length ? `queued (at epoch ${run.epochs.length}/${n})` : 'queued';
    case 'loading': return 'loading the data';
    case 'configuring': return 'building the network';
    case 'training': return `training epoch ${current(run)}/${n}`;
    case 'paused': return `paused in epoch ${current(run)}/${n}`;
    case 'done': return run.message ? `done (${run.message})` : 'done';
    case 'failed': return `failed: ${run.message}`;
    default: return run.phase;
  }
}

// The state as a test hook sees it: loading and configuring are "starting".
export const stateHook = phase => (phase === 'loading' || phase === 'configuring' ? 'starting' : phase);

// The line under the table: the sweep's wall time, how many workers at once and why.
export function summaryText({ phase, seconds, limit, cores, counts }) {
  const parts = [];
  const what = { ready: 'Not started', running: 'Running', pausing: 'Pausing', paused: 'Paused',
    done: 'Finished', closed: 'Closed' }[phase] || phase;
  parts.push(`${what}: wall time ${duration(seconds, phase === 'running')}`);
  parts.push(`${limit} worker${limit === 1 ? '' : 's'} at a time (this browser reports ${cores} ` +
    `core${cores === 1 ? '' : 's'}; one is left to the page)`);
  const bits = [];
  if (counts.training) bits.push(`${counts.training} training`);
  if (counts.queued) bits.push(`${counts.queued} queued`);
  if (counts.done) bits.push(`${counts.done} done`);
  if (counts.failed) bits.push(`${counts.failed} failed`);
  if (bits.length) parts.push(bits.join(', '));
  return parts.join('; ') + '.';
}
