// What the resume offer, the crash notice and the autosave line say: pure functions of an
// autosave record and the time (no DOM), so Node can test them. Not the policy (index.js).
import { count } from '../status.js';

let relative = null;   // made at the first use: the page makes no Intl object at start-up (status.js count)
const UNITS = [['day', 86400], ['hour', 3600], ['minute', 60]];

/**
 * How long ago a time was: "just now", "5 minutes ago", "1 hour ago", "3 days ago".
 * @param {number} then  ms since the epoch  @param {number} now  @returns {string}
 */
export function ago(then, now) {
  const seconds = Math.max(0, (now - then) / 1000);
  for (const [unit, size] of UNITS) {
    if (seconds < size) continue;
    relative = relative || new Intl.RelativeTimeFormat('en', { numeric: 'always' });
    return relative.format(-Math.floor(seconds / size), unit);
  }
  return 'just now';
}

// "epoch 12 of 30", "epoch 12 of 30 + 1,200 mini-batches", "epoch 30 of 30 (finished)".
function reached(record) {
  const { epoch, batch, done } = record, epochs = record.config.epochs;
  return `epoch ${count(epoch)} of ${count(epochs)}${batch > 0 ? ` + ${count(batch)} mini-batches` : ''}` +
    `${done ? ' (finished)' : ''}`;
}

// ", started from NAME; weights changed by hand": what else a record's run went through.
function history(record) {
  const parts = [];
  if (record.loadedFrom) parts.push(`started from ${record.loadedFrom}`);
  if (record.handEdited) parts.push('weights changed by hand');
  return parts.length ? ` (${parts.join('; ')})` : '';
}

/**
 * The resume offer: "Your last run was saved: [784,30,10] eta 3 seed 1, epoch 12 of 30, saved
 * 5 minutes ago."
 * @param {Object} record  an autosave record  @param {number} now  @returns {string}
 */
export function offerText(record, now) {
  return `Your last run was saved: ${record.label}${history(record)}, ${reached(record)}, ` +
    `saved ${ago(record.savedAt, now)}.`;
}

/**
 * The crash notice. record: the autosave to resume from, or null.
 * @param {string} message  what the worker said  @param {Object|null} record  @returns {string}
 */
export function crashText(message, record) {
  const why = String(message || 'no reason given').trim().replace(/[.\s]+$/, '');
  const kept = `The training worker stopped (${why}). A new one has started; your drawing, settings ` +
    'and charts are kept.';
  if (!record) return `${kept} Nothing had been autosaved yet, so there is no run to resume: start fresh.`;
  const into = record.batch > 0 ? ` + ${count(record.batch)} mini-batches` : '';
  return `${kept} Resume from the autosave of epoch ${count(record.epoch)}${into}?`;
}

/** After Resume: what was resumed and what Start does now. */
export function resumedText(record) {
  return `Resumed ${record.label} at ${reached(record)}` +
    `${record.done ? '.' : ': Start trains on from there.'}`;
}

/** After the first epoch of a new run while the offer was open: the saved run is replaced. */
export function replacedText(old) {
  return `Your new run has trained an epoch, so it is the autosaved run now (the saved ${old.label} ` +
    `at ${reached(old)} was replaced).`;
}

/**
 * The autosave line of the "Your network" panel.
 * @param {{stored: Object|null, waiting: boolean, failed: boolean}} s  stored: { epoch, batch,
 *   savedAt } of the last record stored; waiting: the resume offer is open; failed: storage failed
 * @returns {string}
 */
export function autosaveText({ stored, waiting, failed }) {
  if (waiting) return 'Autosave waits until you resume the saved run or start fresh (or train an epoch).';
  if (stored) {
    const time = new Date(stored.savedAt).toLocaleTimeString('en-GB');
    const into = stored.batch > 0 ? ` + ${count(stored.batch)} mini-batches` : '';
    return `Autosaved in this browser at epoch ${count(stored.epoch)}${into} (${time}).`;
  }
  if (failed) return 'Autosave is not working in this browser (see the message at the top).';
  return 'Autosave: after every epoch and on pause, in this browser.';
}
