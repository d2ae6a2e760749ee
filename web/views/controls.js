// The settings form (every run-config field, checked as typed) and the book's presets, each with
// the book's figure beside ours. Both stay usable while training. Not where a config is applied:
// main.js decides that.
import { FIELD_PARSERS, sizesFromHidden, PRESETS } from '../config.js';
import { percent } from './status.js';

// config key -> id of its form element (hidden layers are typed without 784 and 10). Each
// element's message goes in the span #<its name>-error.
const FIELDS = {
  sizes: 'hidden', activation: 'activation', cost: 'cost', init: 'init', eta: 'eta',
  batch: 'batch-size', epochs: 'epochs', lambda: 'lambda', seed: 'seed',
};

export class SettingsForm {
  // onChange(config): called with a complete, valid config after the user changes a field.
  constructor(form, onChange) {
    this.form = form;
    this.sizesView = form.querySelector('#sizes-view');
    this.onChange = onChange;
    form.addEventListener('change', () => {
      const config = this.read();
      if (config) onChange(config);
    });
    form.addEventListener('submit', e => e.preventDefault());
  }

  element(key) {
    return this.form.querySelector(`#${FIELDS[key]}`);
  }

  fill(config) {
    for (const key of Object.keys(FIELDS)) {
      this.element(key).value = key === 'sizes' ? config.sizes.slice(1, -1).join(',')
        : String(config[key]);
      this.showError(key, '');
    }
    this.showSizes(config.sizes);
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
    for (const key of Object.keys(FIELDS)) {
      const text = this.element(key).value;
      try {
        config[key] = key === 'sizes' ? sizesFromHidden(text) : FIELD_PARSERS[key](text);
        this.showError(key, '');
      } catch (why) {
        if (typeof why !== 'string') throw why;
        this.showError(key, why);
        ok = false;
      }
    }
    if (config.sizes) this.showSizes(config.sizes);
    return ok ? config : null;
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
      button.setAttribute('aria-pressed', String(on));
      li.classList.toggle('active', on);
      ours.textContent = on && best
        ? `ours: ${percent(best.accuracy)} (best, epoch ${best.epoch})`
        : on ? 'ours: not trained yet' : '';
    }
  }
}
