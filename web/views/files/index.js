// The "Your network" panel's save and load: the current network downloaded as a model file
// (.bplm) or as network2.py's JSON, and a model file read from the file picker or dropped onto
// the page, then evaluated before any training. The worker writes and reads the files with the
// core (SAVE_MODEL, READ_MODEL): nothing here parses one. Not the autosave (views/session/) and
// not what a loaded network does to the run (main.js's app.useModel).
// @ts-check
import { ToWorker, FromWorker, MAX_MODEL_FILE_MB } from '../../protocol.js';
import { setText, download } from '../dom.js';
import { SaveMenu } from './menu.js';
import { FileDrop } from './drop.js';
import {
  FORMATS, modelFileName, savedText, loadedText, evaluatedText, refusedText, onlyFirstText,
} from './words.js';

/** @type {(id: string) => any} */   // the elements of index.html this view owns
const $ = id => document.getElementById(id);

// Where the run stands, for the file's name: epochs trained and mini-batches into the next.
function reached(state) {
  const epoch = state.epochs.length, perEpoch = state.run ? state.run.batchesPerEpoch : 0;
  return { epoch, batch: perEpoch ? Math.max(0, state.trainedBatches - epoch * perEpoch) : 0 };
}

/**
 * Wires the panel to the worker's messages and the page bridge.
 * @param {import('../../protocol.js').App} app  main.js's bridge: state, send, on, onRender, invalidate, useModel
 */
export function mount(app) {
  const { state } = app;
  const view = state.saveLoad = {
    reads: [],          // { name, size, note } of the READ_MODELs on their way, oldest first
    evaluating: null,   // { name, network } of the loaded file whose EVALUATION is awaited
    message: { text: '', detail: '', error: false },   // the panel's one message
    saved: null,        // { fileName, bytes } of the last download (tests read the name)
  };
  const ui = {
    status: $('model-status'), error: $('model-message'), detail: $('model-detail'),
    input: $('load-model'),
  };
  setText($('model-max-mb'), String(MAX_MODEL_FILE_MB));

  const say = (text, { detail = '', error = false } = {}) => {
    view.message = { text, detail, error };
    app.invalidate('save-load');
  };

  // --- saving ----------------------------------------------------------------------------------
  new SaveMenu($('save-model'), $('save-choices'), format => {
    say(`Saving the ${FORMATS[format].name}…`);
    app.send(ToWorker.SAVE_MODEL, { format });
  });

  app.on(FromWorker.MODEL_FILE, msg => {
    if (msg.error) {
      say(msg.error, { error: true });
      return;
    }
    const { epoch, batch } = reached(state);
    const fileName = modelFileName(state.run ? state.run.config : state.config, epoch, batch, msg.format);
    download(msg.bytes, fileName, FORMATS[msg.format].type);
    view.saved = { fileName, bytes: msg.bytes.length };
    say(savedText(fileName, msg.bytes.length, msg.ms));
  });

  // --- loading ---------------------------------------------------------------------------------
  // The first of the files chosen or dropped goes to the worker as it is (a File): the worker
  // checks its size before reading a byte, and reads it off the page's thread.
  function read(files) {
    const file = files[0];
    const note = files.length > 1 ? onlyFirstText(files) : '';
    view.reads.push({ name: file.name, size: file.size, note });
    say(`Reading ${file.name}…`, { detail: note });
    app.send(ToWorker.READ_MODEL, { file, name: file.name });
  }
  ui.input.addEventListener('change', () => {
    const files = [...ui.input.files];
    ui.input.value = '';   // so that choosing the same file again reads it again
    if (files.length) read(files);
  });
  new FileDrop($('drop-overlay'), read);

  app.on(FromWorker.MODEL_READ, msg => {
    const asked = view.reads.shift() || { size: 0, note: '' };
    if (view.reads.length) return;   // another file is on its way: the last one chosen counts
    if (msg.error) {   // the current network and run stay as they are
      say(refusedText(msg.name, msg.error), { error: true,
        detail: [asked.note, 'Your network and its run are as they were.'].filter(Boolean).join(' ') });
      return;
    }
    // Not an error, so the file's network (strictNullChecks is off: `if (msg.error)` narrows nothing).
    const read = /** @type {Exclude<typeof msg, {error: string}>} */ (msg);
    const { text, detail, network } = loadedText(read, asked.size);
    view.evaluating = { name: msg.name, network };
    say(text, { detail: [detail, asked.note].filter(Boolean).join(' ') });
    app.useModel({ name: msg.name, format: msg.format, model: msg.model, params: msg.params });
  });

  app.on(FromWorker.EVALUATION, evaluation => {
    // Not a file's (a resume's, say), or a network already replaced (Reset before it came).
    const loaded = view.evaluating;
    if (!loaded || state.configuring || !state.run || state.run.loadedFrom !== loaded.name) return;
    view.evaluating = null;
    say(evaluatedText(loaded.name, loaded.network, evaluation), { detail: view.message.detail });
  });

  // A crashed worker answers nothing more: the reads it had are gone with it.
  app.onRender('crash', () => {
    if (!state.crash || !(view.reads.length || view.evaluating)) return;
    view.reads = [];
    view.evaluating = null;
    say('The file being read was lost with the training worker: choose it again.', { error: true });
  });

  // --- drawing ---------------------------------------------------------------------------------
  app.onRender('save-load', () => {
    const { text, detail, error } = view.message;
    setText(ui.status, error ? '' : text);
    setText(ui.error, error ? text : '');
    ui.error.hidden = !error;
    setText(ui.detail, detail);
    ui.detail.hidden = !detail;
  });
}
