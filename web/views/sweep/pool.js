// Runs a sweep's configs in parallel workers (each a worker.js of its own, as the main run's):
// at most `limit` at once, the rest queued; a worker that finishes a run takes the next one (its
// data is loaded already). Pause keeps each unfinished run's last CHECKPOINT and ends every
// worker; resume continues each run exactly from it. No DOM: index.js draws, from onChange.
// @ts-check
import { ToWorker, FromWorker } from '../../protocol.js';
import { epochEntry, bestOf } from '../history/record.js';

/** @typedef {import('../../protocol.js').ToWorkerMessage} ToWorkerMessage */
/** @param {Worker} worker  @param {ToWorkerMessage} message  one of protocol.js's */
const post = (worker, message) => worker.postMessage(message);

const PAUSE_GRACE_MS = 2000;   // how long a paused worker may take to hand over its checkpoint

/**
 * @typedef {Object} SweepRun  one config of the sweep and how it stands
 * @property {string} phase  queued | loading | configuring | training | paused | done | failed
 * @property {Array} epochs  per epoch: { epoch (1-based), testAccuracy, validationAccuracy,
 *   testCost, validationCost, trainCost, seconds }, from the worker's EPOCH messages
 * @property {{epoch: number, accuracy: number}|null} best  the best test accuracy so far
 * @property {{epoch: number, batch: number}|null} progress  the last PROGRESS (epochs completed)
 */
export class SweepPool {
  /**
   * @param {Object} o
   * @param {Array} o.runs  planSweep()'s runs (index, key, label, name, config, book)
   * @param {string} o.dataUrl  absolute URL of the dataset's folder
   * @param {number} o.limit  workers at once (at least 1)
   * @param {Function} o.onChange  (run|null, what): what = progress | epoch | done | failed | phase
   * @param {Function} [o.createWorker]  () => Worker
   */
  constructor({ runs, dataUrl, limit, onChange, createWorker = () => new Worker('worker.js') }) {
    this.runs = runs.map(r => ({ ...r, phase: 'queued', message: '', epochs: [], best: null,
      progress: null, checkpoint: null, confusion: null, diverged: null, trainMs: 0, since: null,
      color: null }));   // color: the run history's, set by index.js once the run is stored
    this.dataUrl = dataUrl;
    this.limit = Math.max(1, limit);
    this.onChange = onChange;
    this.createWorker = createWorker;
    this.phase = 'ready';   // ready | running | pausing | paused | done | closed
    this.slots = [];        // { worker, run, data, closing, dead }
    this.queue = [];
    this.wallMs = 0;
    this.since = null;      // when the sweep last started training (null while it is not)
    this.problem = '';      // a data download that failed (the sweep pauses on it)
    this.graceTimer = 0;
  }

  get live() {
    return this.slots.length;
  }

  wallSeconds(now = performance.now()) {
    return (this.wallMs + (this.since === null ? 0 : now - this.since)) / 1000;
  }

  // Start, or resume after a pause: every unfinished run, in the plan's order.
  start() {
    if (this.phase !== 'ready' && this.phase !== 'paused') return;
    this.phase = 'running';
    this.problem = '';
    this.since = performance.now();
    this.queue = this.runs.filter(r => r.phase === 'queued' || r.phase === 'paused');
    for (const run of this.queue) run.phase = 'queued';
    this.fill();
    this.changed(null, 'phase');
    this.checkEnd();
  }

  // Every worker ends; a training run first hands over a checkpoint of where it stands.
  pause(problem = '') {
    if (this.phase !== 'running') return;
    this.phase = 'pausing';
    this.problem = problem;
    this.stopClock();
    for (const slot of [...this.slots]) {
      const run = slot.run;
      this.stopRunClock(run);
      if (run && run.phase === 'training') {
        slot.closing = true;
        post(slot.worker, { type: ToWorker.PAUSE });
        post(slot.worker, { type: ToWorker.CHECKPOINT });
      } else this.retire(slot);
    }
    this.changed(null, 'phase');
    if (this.phase === 'pausing') {   // a worker that does not answer in time ends all the same
      this.graceTimer = setTimeout(() => this.slots.slice().forEach(s => this.retire(s)), PAUSE_GRACE_MS);
    }
    this.checkEnd();
  }

  // The sweep is left: its workers end at once (what they trained is kept in the runs).
  close() {
    this.stopClock();
    this.phase = 'closed';
    clearTimeout(this.graceTimer);
    for (const slot of [...this.slots]) {
      this.stopRunClock(slot.run);
      this.retire(slot);
    }
  }

  // --- workers -----------------------------------------------------------------------------------
  fill() {
    while (this.phase === 'running' && this.slots.length < this.limit && this.queue.length) {
      this.spawn(this.queue.shift());
    }
  }

  spawn(run) {
    const slot = { worker: this.createWorker(), run, data: false, closing: false, dead: false };
    run.phase = 'loading';
    this.slots.push(slot);
    slot.worker.addEventListener('message', e => this.handle(slot, e.data || {}));
    slot.worker.addEventListener('error', e => {
      e.preventDefault();
      this.fail(slot, `the worker stopped (${e.message || 'an uncaught error'})`, true);
    });
    this.changed(run, 'progress');
  }

  // One message of one worker: O(1) bookkeeping, never DOM work (index.js redraws per frame).
  /** @param {Object} slot  @param {import('../../protocol.js').FromWorkerMessage} msg */
  handle(slot, msg) {
    if (slot.dead) return;
    const run = slot.run, training = run && run.phase === 'training';
    switch (msg.type) {
      case FromWorker.READY:
        post(slot.worker, { type: ToWorker.LOAD, dataUrl: this.dataUrl });
        break;
      case FromWorker.DATA_READY:
        slot.data = true;
        if (run) this.configure(slot);
        break;
      case FromWorker.DATA_ERROR:
        this.pause(`The data could not be loaded: ${msg.message}. The sweep is paused: Resume tries again.`);
        break;
      case FromWorker.CONFIGURED:
        if (!run || run.phase !== 'configuring') break;
        run.phase = 'training';
        run.message = msg.resumeError ? `not resumed (${msg.resumeError}): trained afresh` : '';
        if (msg.resumeError) {
          run.epochs = [];
          run.best = null;
        }
        run.progress = { epoch: msg.epoch, batch: msg.batch };
        run.since = performance.now();
        post(slot.worker, { type: ToWorker.START });
        this.changed(run, 'progress');
        break;
      case FromWorker.PROGRESS:
        if (!training) break;
        run.progress = { epoch: msg.epoch, batch: msg.batch };
        this.changed(run, 'progress');
        break;
      case FromWorker.EPOCH:
        if (training) this.epoch(run, msg);
        break;
      case FromWorker.CHECKPOINT:
        if (training) run.checkpoint = { bytes: msg.bytes, epoch: msg.epoch, batch: msg.batch };
        if (slot.closing) this.retire(slot);
        break;
      case FromWorker.STATE:
        if (training && !msg.running && msg.done) this.finish(slot, 'done', '');
        break;
      case FromWorker.DIVERGED:
        if (!training) break;
        run.diverged = msg.message;
        this.finish(slot, 'failed', msg.message);
        break;
      case FromWorker.ERROR:
        if (run && (training || run.phase === 'configuring' || !slot.data)) {
          this.fail(slot, msg.message, !slot.data);
        }
        break;
      case FromWorker.CRASHED:
        this.fail(slot, `the worker crashed (${msg.message})`, true);
        break;
      default:
    }
  }

  configure(slot) {
    const run = slot.run;
    run.phase = 'configuring';
    /** @type {Extract<ToWorkerMessage, {type: 'configure'}>} */
    const payload = { type: ToWorker.CONFIGURE, config: run.config, quiet: true };
    if (run.checkpoint) {   // copied, not transferred: a second pause may need it again
      payload.checkpoint = run.checkpoint.bytes;
      run.epochs.length = Math.min(run.epochs.length, run.checkpoint.epoch);
    } else run.epochs = [];
    run.best = bestOf(run.epochs);
    post(slot.worker, payload);
  }

  epoch(run, e) {
    const entry = epochEntry(e, run.epochs.length);   // the run history's own epoch entry
    run.epochs.push(entry);
    if (!run.best || entry.testAccuracy > run.best.accuracy) {
      run.best = { epoch: entry.epoch, accuracy: entry.testAccuracy };
    }
    run.confusion = e.confusion || null;
    this.changed(run, 'epoch');
  }

  // A run ended (done, or diverged: the worker is fine) and its worker takes the next one.
  finish(slot, phase, message) {
    const run = slot.run;
    this.stopRunClock(run);
    run.phase = phase;
    run.message = message;
    this.changed(run, phase);
    this.next(slot);
  }

  // A run failed; a worker without its data (or dead) is replaced rather than reused.
  fail(slot, message, replace) {
    if (slot.dead) return;
    const run = slot.run;
    if (!run) return this.retire(slot);
    this.stopRunClock(run);
    run.phase = 'failed';
    run.message = message;
    this.changed(run, 'failed');
    if (replace || !slot.data) {
      this.retire(slot);
      this.fill();
    } else this.next(slot);
  }

  next(slot) {
    slot.run = this.phase === 'running' ? this.queue.shift() || null : null;
    if (!slot.run) return this.retire(slot);
    slot.run.phase = 'loading';
    if (slot.data) this.configure(slot);
    this.changed(slot.run, 'progress');
  }

  retire(slot) {
    if (slot.dead) return;
    slot.dead = true;
    slot.worker.terminate();
    const run = slot.run;
    if (run && (run.phase === 'loading' || run.phase === 'configuring')) run.phase = 'queued';
    if (run && run.phase === 'training') run.phase = 'paused';
    this.slots = this.slots.filter(s => s !== slot);
    this.checkEnd();
  }

  checkEnd() {
    if (this.slots.length) return;
    if (this.phase === 'pausing') {
      clearTimeout(this.graceTimer);
      this.phase = 'paused';
      this.changed(null, 'phase');
    } else if (this.phase === 'running' && !this.queue.length) {
      this.stopClock();
      this.phase = 'done';
      this.changed(null, 'phase');
    }
  }

  stopClock() {
    if (this.since !== null) this.wallMs += performance.now() - this.since;
    this.since = null;
  }

  stopRunClock(run) {
    if (!run || run.since === null) return;
    run.trainMs += performance.now() - run.since;
    run.since = null;
  }

  changed(run, what) {
    if (this.onChange) this.onChange(run, what);
  }
}
