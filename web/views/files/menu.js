// The save button's small choice of formats: a disclosure (the button says whether it is open,
// the choices are ordinary buttons, reachable by Tab), with the keys a menu has too: the arrow
// keys move between the choices, Escape closes and gives the focus back to the button, and a
// click or the focus going anywhere else closes it. Not what a choice does (index.js).

export class SaveMenu {
  /**
   * @param {HTMLButtonElement} button  the toggle (aria-controls names the list)
   * @param {HTMLElement} list          the choices: buttons with data-format
   * @param {(format: string) => void} onChoose
   */
  constructor(button, list, onChoose) {
    this.button = button;
    this.list = list;
    this.box = button.parentElement;   // the button and its list
    button.setAttribute('aria-expanded', 'false');
    button.addEventListener('click', e => {
      if (this.isOpen()) this.close(false);
      else this.open(e.detail === 0);   // Enter or Space (no pointer): into the list at once
    });
    button.addEventListener('keydown', e => {
      if (e.key === 'Escape' && this.isOpen()) {
        e.preventDefault();
        this.close(true);
      } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        this.open(true, e.key === 'ArrowUp' ? -1 : 0);
      }
    });
    list.addEventListener('click', e => {
      const choice = e.target instanceof Element ? e.target.closest('button[data-format]') : null;
      if (!choice || choice.disabled) return;
      this.close(true);
      onChoose(choice.dataset.format);
    });
    list.addEventListener('keydown', e => this.key(e));
    document.addEventListener('pointerdown', e => {
      if (this.isOpen() && !this.box.contains(e.target)) this.close(false);
    });
    this.box.addEventListener('focusout', e => {
      if (this.isOpen() && e.relatedTarget && !this.box.contains(e.relatedTarget)) this.close(false);
    });
  }

  isOpen() {
    return !this.list.hidden;
  }

  choices() {
    return [...this.list.querySelectorAll('button[data-format]')].filter(b => !b.disabled);
  }

  // focus: move the focus into the list, onto choice `at` (0 the first, -1 the last).
  open(focus, at = 0) {
    this.list.hidden = false;
    this.button.setAttribute('aria-expanded', 'true');
    if (!focus) return;
    const choices = this.choices();
    if (choices.length) choices[at < 0 ? choices.length - 1 : at].focus();
  }

  close(refocus) {
    if (!this.isOpen()) return;
    this.list.hidden = true;
    this.button.setAttribute('aria-expanded', 'false');
    if (refocus) this.button.focus();
  }

  key(e) {
    const choices = this.choices(), i = choices.indexOf(document.activeElement);
    const go = j => {
      e.preventDefault();
      choices[(j + choices.length) % choices.length].focus();
    };
    if (e.key === 'Escape') {
      e.preventDefault();
      this.close(true);
    } else if (e.key === 'ArrowDown') go(i + 1);
    else if (e.key === 'ArrowUp') go(i - 1);
    else if (e.key === 'Home') go(0);
    else if (e.key === 'End') go(-1);
  }
}
