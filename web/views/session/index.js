// The run outliving the tab: every CHECKPOINT of the worker autosaved (storage/autosave.js), the
// offer to resume a saved run after a reload, the notice of a crashed worker with the same
// offer, and a storage failure said once. The policy:
// - On load, a saved run is offered (Resume, Start fresh). While an offer is open, CHECKPOINTs
//   are not saved, except that the first after a trained epoch replaces the saved run, closes
//   the offer and says so. Until the saved run has been read, nothing is saved either.
// - Otherwise every CHECKPOINT is saved (app.runRecord(msg); null means nothing worth saving).
// - A storage failure is shown once and never stops training; later saves keep trying.
// Not what a record holds or how a run is rebuilt (main.js's app.runRecord and app.resume).
// @ts-check
import { FromWorker } from '../../protocol.js';
import { loadRun, saveRun, clearRun } from '../../storage/autosave.js';
import { setText, setHidden } from '../dom.js';
import { offerText, crashText, resumedText, replacedText, autosaveText } from './words.js';

/** @type {(id: string) => any} */   // the elements of index.html this view owns
const $ = id => document.getElementById(id);

/**
 * Wires the autosave to the worker's CHECKPOINTs and draws the offer, the notices and the line.
 * @param {import('../../protocol.js').App} app  main.js's bridge: state, on, onRender, invalidate, runRecord, resume,
 *   startFresh
 */
export function mount(app) {
  const { state } = app;
  const session = state.session = {
    loaded: false,        // loadRun() has answered (or failed)
    offer: null,          // { kind: 'saved'|'crash', record, message? }: the banner with its buttons
    notice: '',           // the banner's text without buttons (a run resumed, replaced)
    early: null,          // { record, epoch } that came before loadRun() answered (the latest)
    latest: null,         // the newest record handed to saveRun(): what a crash resumes from
    stored: null,         // { epoch, batch, savedAt } of the last record stored
    storageProblem: '',   // the first storage failure (shown once)
    problemDismissed: false,
    crash: null,          // the state.crash shown
    generation: 0,        // +1 at every Start fresh: a save begun before it does not count after
  };
  const ui = {
    banner: $('session'), text: $('session-text'), resume: $('resume'), fresh: $('start-fresh'),
    dismiss: $('session-dismiss'), storage: $('storage-status'), storageText: $('storage-status-text'),
    storageDismiss: $('storage-dismiss'), autosave: $('autosave'),
  };
  const redraw = () => app.invalidate('session');

  function failed(e) {
    if (!session.storageProblem) {
      session.storageProblem = `${(e && e.message) || String(e)} Training goes on, but a reload ` +
        'or a closed tab loses this run: save it as a file to keep it.';
      redraw();
    }
  }

  function save(record) {
    session.latest = record;
    const generation = session.generation;
    saveRun(record).then(stored => {
      // A Start fresh came first, or since (its clearRun runs after this put: nothing is stored).
      if (!stored || generation !== session.generation) return;
      session.stored = { epoch: stored.epoch, batch: stored.batch, savedAt: stored.savedAt };
      redraw();
    }, failed);
  }

  // A record of the current run, with whether a trained epoch made it (the policy's exception).
  function take(record, epoch) {
    if (session.offer) {
      if (!epoch) return;
      if (session.offer.record) session.notice = replacedText(session.offer.record);
      session.offer = null;
      redraw();
    }
    save(record);
  }

  app.on(FromWorker.CHECKPOINT, msg => {
    const record = app.runRecord(msg);
    if (!record) return;
    const epoch = msg.why === 'epoch';
    if (!session.loaded) {
      session.early = { record, epoch: epoch || Boolean(session.early && session.early.epoch) };
      return;
    }
    take(record, epoch);
  });

  loadRun().then(record => {
    if (record) session.offer = { kind: 'saved', record };
  }, failed).finally(() => {
    session.loaded = true;
    const early = session.early;
    session.early = null;
    if (early) take(early.record, early.epoch);
    redraw();
  });

  // --- the buttons -----------------------------------------------------------------------------
  ui.resume.addEventListener('click', () => {
    const record = session.offer && session.offer.record;
    if (!record) return;
    session.offer = null;
    session.notice = resumedText(record);
    app.resume(record);
    redraw();
    ui.text.focus();   // the buttons go: the focus stays on the banner, which says what happened
  });
  ui.fresh.addEventListener('click', () => {
    const crashed = Boolean(session.offer && session.offer.kind === 'crash');
    session.offer = null;
    session.notice = '';
    session.latest = null;
    session.stored = null;
    session.generation++;
    clearRun().catch(failed);
    if (crashed) app.startFresh();   // after a crash no network is built until now
    redraw();
    const start = $('start');
    if (!start.disabled) start.focus();
  });
  ui.dismiss.addEventListener('click', () => {
    session.notice = '';
    redraw();
  });
  ui.storageDismiss.addEventListener('click', () => {
    session.problemDismissed = true;
    redraw();
  });

  // A resume the core refused (a checkpoint of another build, say): the network is a fresh one.
  app.on(FromWorker.CONFIGURED, ({ resumeError }) => {
    if (!resumeError) return;
    session.notice = `The saved run could not be resumed (${resumeError}); this is a fresh network ` +
      'with its settings.';
    redraw();
  });

  // A notice is about the moment: training again closes it.
  app.on(FromWorker.STATE, ({ running }) => {
    if (running && session.notice) {
      session.notice = '';
      redraw();
    }
  });

  // The worker died: main.js has started a new one. Offered: the run as last autosaved (or the
  // saved run still on offer), even when storage failed (the record is kept in memory too).
  app.onRender('crash', () => {
    if (!state.crash) {   // the person moved on (a new network was asked for): the notice goes
      if (session.offer && session.offer.kind === 'crash') session.offer = null;
      redraw();
      return;
    }
    if (state.crash === session.crash) return;
    session.crash = state.crash;
    const record = (session.offer && session.offer.record) || session.latest;
    session.offer = { kind: 'crash', record, message: state.crash.message };
    session.notice = '';
    redraw();
  });

  // --- drawing ---------------------------------------------------------------------------------
  app.onRender('session', () => {
    const { offer, notice } = session;
    setHidden(ui.banner, !offer && !notice);
    ui.banner.dataset.kind = offer ? offer.kind : 'notice';
    setText(ui.text, offer
      ? offer.kind === 'crash' ? crashText(offer.message, offer.record) : offerText(offer.record, Date.now())
      : notice);
    setHidden(ui.resume, !(offer && offer.record));
    setHidden(ui.fresh, !offer);   // after a crash with nothing saved: the only way on (or Start)
    setHidden(ui.dismiss, Boolean(offer));

    setHidden(ui.storage, !session.storageProblem || session.problemDismissed);
    setText(ui.storageText, session.storageProblem);

    const { stored } = session;
    setText(ui.autosave, autosaveText({ stored, waiting: Boolean(offer && offer.record),
      failed: Boolean(session.storageProblem) }));
    // For tests: where the autosave stands (reading: the saved run is not read yet).
    ui.autosave.dataset.state = !session.loaded ? 'reading' : offer && offer.record ? 'waiting'
      : stored ? 'saved' : session.storageProblem ? 'failed' : 'idle';
    if (stored) {
      ui.autosave.dataset.value = String(stored.epoch);
      ui.autosave.dataset.batch = String(stored.batch);
    } else {
      delete ui.autosave.dataset.value;
      delete ui.autosave.dataset.batch;
    }
  });
  redraw();
}
