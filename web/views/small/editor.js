// The field for typing one weight or bias by hand (under the diagram). It only collects the text:
// the core parses and checks it (SET_PARAM), and its answer (PARAM_SET) closes the field or puts
// the core's message beside it, nothing changed.
import { full } from './format.js';

export class ParamEditor {
  // submit(index, text): send the typed text for params[index].
  constructor({ form, label, input, error, cancel }, submit) {
    Object.assign(this, { form, label, input, error });
    this.index = null;
    this.returnTo = null;
    form.addEventListener('submit', e => {
      e.preventDefault();
      if (this.index === null) return;
      this.showError('');   // the answer to this text replaces the last one's
      submit(this.index, this.input.value);
    });
    cancel.addEventListener('click', () => this.close());
    form.addEventListener('keydown', e => {
      if (e.key === 'Escape') {
        e.preventDefault();
        this.close();
      }
    });
  }

  get open() {
    return this.index !== null;
  }

  // returnTo(): the element to focus when the field closes (looked up then: a redraw may replace it).
  show({ index, label, value }, returnTo) {
    this.index = index;
    this.returnTo = returnTo;
    this.label.textContent = `${label} (now ${full(value)}):`;
    this.input.value = full(value);
    this.showError('');
    this.form.hidden = false;
    this.input.focus();
    this.input.select();
  }

  showError(message) {
    this.error.textContent = message;
    if (message) this.input.setAttribute('aria-invalid', 'true');
    else this.input.removeAttribute('aria-invalid');
  }

  // The core's answer about params[index]: an error stays beside the field; a value closes it.
  /** @param {{index: number, error?: string}} answer  PARAM_SET */
  answer({ index, error }) {
    if (index !== this.index) return;
    if (error) this.showError(error);
    else this.close();
  }

  close() {
    if (this.index === null) return;
    this.index = null;
    this.form.hidden = true;
    this.showError('');
    const back = this.returnTo && this.returnTo();
    if (back) back.focus();
  }
}
