// Keyboard help for the run buttons: when the focused button becomes disabled (Enter on Start
// disables Start) focus moves to the next sensible action instead of falling to the body, and
// Space starts or pauses while the keyboard is not busy in a field. Not the buttons' states
// (status.js sets those) and not what the buttons do (main.js).

const $ = id => document.getElementById(id);
const RUN_BUTTONS = ['start', 'pause', 'step', 'reset'];
// Space means something of its own on these: a field's character, a button's or a note's
// (<summary>) activation, and on anything focusable by Tab (a diagram's weight or neuron, an
// inspector picture) what that element makes of it. Elsewhere (the page itself) it is ours.
const KEEPS_SPACE = 'input, select, textarea, button, summary, a[href], [contenteditable], ' +
  '[role="button"], [tabindex]:not([tabindex="-1"])';

export class RunKeys {
  // isRunning(): whether the network is training right now. isOver(): whether there is nothing to
  // start or pause (a finished or diverged run, an error, a network that cannot train).
  constructor(isRunning, isOver) {
    this.isRunning = isRunning;
    this.isOver = isOver;
    this.lost = false;   // a run button lost focus and no next action was enabled yet
    document.addEventListener('keydown', e => this.space(e));
  }

  space(e) {
    if (e.key !== ' ' || e.repeat || e.ctrlKey || e.metaKey || e.altKey || e.shiftKey) return;
    if (e.target instanceof Element && e.target.closest(KEEPS_SPACE)) return;
    // With nothing to start or pause, Space scrolls the page. Otherwise it is ours even while the
    // button is disabled: a Pause or a Start on its way (the worker has not answered, or the
    // frame that shows its answer has not come yet), or a Start pressed before the data came.
    if (this.isOver()) return;
    e.preventDefault();   // not a page scroll
    const button = this.isRunning() ? $('pause') : $('start');
    if (button.disabled) return;
    button.click();
  }

  // Pause while running; otherwise Start (or Resume), Step, Reset: the first one enabled.
  next() {
    const ids = this.isRunning() ? ['pause'] : ['start', 'step', 'reset'];
    return ids.map($).find(b => !b.disabled) || null;
  }

  // Runs update() (which enables and disables the buttons) and then moves the focus if the
  // focused run button was disabled by it. If nothing is enabled yet, the focus moves on a later
  // update, unless the user has put it somewhere else meanwhile. The page never scrolls for it:
  // a student who pressed Start and scrolled down to watch the matrix stays there when the run
  // ends (the buttons are at the top).
  track(update) {
    const before = document.activeElement;
    update();
    if (before && RUN_BUTTONS.includes(before.id) && before.disabled) this.lost = true;
    const active = document.activeElement;
    if (active && active !== document.body && !active.disabled) this.lost = false;
    if (!this.lost) return;
    const next = this.next();
    if (next) {
      next.focus({ preventScroll: true });
      this.lost = false;
    }
  }
}
