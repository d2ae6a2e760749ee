// The settings form (every run-config field, checked as typed, then against the dataset) and the
// presets, each with the book's figure beside ours. Both stay usable while training. Not where a
// config is applied: main.js decides that.
import {
  FIELD_PARSERS, sizesFromHidden, checkConfig, defaultConfig, isTruthTable, trainable, PRESETS,
} from '../config.js';
import { percent } from './status.js';
import { setAttr, setText } from './dom.js';

// config key -> id of its form element (hidden layers are typed without the dataset's inputs
// and outputs). Each element's message goes in the span #<its name>-error.
const FIELDS = {
  dataset: 'dataset', sizes: 'hidden', activation: 'activation', cost: 'cost', init: 'init',
  eta: 'eta', batch: 'batch-size', epochs: 'epochs', lambda: 'lambda', seed: 'seed',
};

export class SettingsForm {
  // onChange(config): called with a complete, valid config after the user changes a field.
  constructor(form, onChange) {
    this.form = form;
    this.sizesView = form.querySelector('#sizes-view');
    this.onChange = onChange;
    this.dataset = 'mnist';   // the dataset the fields were last filled for
    form.addEventListener('change', e => {
      if (e.target === this.element('dataset')) this.switchDataset(e.target.value);
      const config = this.read();
      if (config) onChange(config);
    });
    form.addEventListener('submit', e => e.preventDefault());
  }

  element(key) {
    return this.form.querySelector(`#${FIELDS[key]}`);
  }

  fill(config) {
    this.allowFor(config.dataset);
    for (const key of Object.keys(FIELDS)) {
      this.element(key).value = key === 'sizes' ? config.sizes.slice(1, -1).join(',')
        : String(config[key]);
      this.showError(key, '');
    }
    this.showSizes(config.sizes);
  }

  // From MNIST to a truth table or back, the other fields would not fit: the dataset's defaults
  // (the XOR network, Nielsen's ch. 1 network) replace them. Between truth tables they all fit.
  switchDataset(dataset) {
    // MNIST and Fashion-MNIST take the same networks, as do the four truth tables.
    if (isTruthTable(dataset) === isTruthTable(this.dataset)) this.allowFor(dataset);
    else this.fill(defaultConfig(dataset));
  }

  // The choices a dataset rules out are greyed out: step units (untrainable) are for the truth
  // tables, softmax needs more than their one output.
  allowFor(dataset) {
    this.dataset = dataset;
    const truth = isTruthTable(dataset);
    this.option('activation', 'step').disabled = !truth;
    this.option('cost', 'log-likelihood').disabled = truth;
  }

  option(key, value) {
    return this.element(key).querySelector(`option[value="${value}"]`);
  }

  // The whole network beside the hidden-layers field, e.g. "[784, 30, 10]".
  showSizes(sizes) {
    this.sizesView.textContent = `[${sizes.join(', ')}]`;
  }

  showError(key, message) {
    const input = this.element(key);
    const span = this.form.querySelector(`#${input.name}-error`);
    span.textContent = message;
    if (message) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  }

  // The config in the fields, or null (with each bad field's message shown) if any is invalid.
  read() {
    const config = {};
    let ok = true;
    const dataset = this.element('dataset').value;
    for (const key of Object.keys(FIELDS)) {
      const text = this.element(key).value;
      try {
        config[key] = key === 'sizes' ? sizesFromHidden(text, dataset) : FIELD_PARSERS[key](text);
        this.showError(key, '');
      } catch (why) {
        if (typeof why !== 'string') throw why;
        this.showError(key, why);
        ok = false;
      }
    }
    if (config.sizes) this.showSizes(config.sizes);
    if (!ok) return null;
    const problems = checkConfig(config);
    for (const [key, why] of problems) this.showError(key, why);
    return problems.length ? null : config;
  }
}

export class PresetList {
  // onSelect(preset): the user picked a preset.
  constructor(list, onSelect) {
    this.items = PRESETS.map(preset => {
      const li = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = preset.name;
      button.dataset.testid = `preset-${preset.id}`;
      button.setAttribute('aria-pressed', 'false');
      button.addEventListener('click', () => onSelect(preset));
      const book = document.createElement('span');
      book.className = 'book';
      book.textContent = preset.book;
      li.append(button, book);
      if (preset.note) {
        const note = document.createElement('span');
        note.className = 'note';
        note.textContent = preset.note;
        li.append(note);
      }
      const ours = document.createElement('span');
      ours.className = 'ours';
      li.append(ours);
      list.append(li);
      return { preset, li, button, ours };
    });
  }

  // active: the preset the trained network matches (or null); best: { accuracy, epoch } or null.
  draw(active, best) {
    for (const { preset, li, button, ours } of this.items) {
      const on = preset === active;
      setAttr(button, 'aria-pressed', on);
      li.classList.toggle('active', on);
      setText(ours, !on ? ''
        : !trainable(preset.config) ? 'ours: weights set by hand (see the diagram)'
        : best ? `ours: ${percent(best.accuracy)} (best, epoch ${best.epoch})`
        : 'ours: not trained yet');
    }
  }
}
