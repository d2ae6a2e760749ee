// One page of the misclassified test images: a button per image with its 28x28 thumbnail (an <img>
// of a PNG drawn from the t10k pixels through ImageData: a hundred canvases would be a hundred
// compositor layers, each frame), the true class, the network's answer and
// the output of that answer. The buttons are kept and refilled page after page, at most
// FILL_PER_FRAME a frame, so no frame pays for a page of DOM. Not which images (index.js).
import { el, setText, setAttr } from '../dom.js';
import { itemLabel } from './words.js';

export const SIDE = 28, PIXELS = SIDE * SIDE;
const FILL_PER_FRAME = 10;   // images (re)filled a frame: a page takes ten

// A test image's 784 bytes (0..255, row by row as in the file) on a 28x28 canvas: ink white on
// black, as the network is fed it.
export function drawImage(canvas, bytes) {
  const image = new ImageData(SIDE, SIDE);
  for (let i = 0; i < PIXELS; i++) {
    image.data[4 * i] = image.data[4 * i + 1] = image.data[4 * i + 2] = bytes[i];
    image.data[4 * i + 3] = 255;
  }
  canvas.getContext('2d').putImageData(image, 0, 0);
}

// The same image as a PNG data URL, drawn on one scratch canvas; kept per test index (a test
// image never changes), the oldest dropped past THUMBS_KEPT.
const THUMBS_KEPT = 2000;
const thumbs = new Map();
let scratch = null;
function thumbnail(index, bytes) {
  let url = thumbs.get(index);
  if (url) return url;
  scratch = scratch || Object.assign(document.createElement('canvas'), { width: SIDE, height: SIDE });
  drawImage(scratch, bytes);
  url = scratch.toDataURL('image/png');
  thumbs.set(index, url);
  if (thumbs.size > THUMBS_KEPT) thumbs.delete(thumbs.keys().next().value);
  return url;
}
export const forgetThumbnails = () => thumbs.clear();   // another dataset: other images

/**
 * @typedef {Object} Mistake  one entry of state.mistakes
 * @property {number} index  in the t10k files   @property {number} label  the true class
 * @property {number} predicted  the network's answer   @property {number} confidence  its output
 */

export class MistakeGrid {
  /**
   * @param {HTMLElement} list  the <ul> the items go in
   * @param {(item: Mistake) => void} onOpen  an image clicked (or Enter, Space)
   */
  constructor(list, onOpen) {
    this.list = list;
    this.slots = [];       // { li, button, img, truth, answer, confidence }, reused page after page
    this.items = [];       // the Mistake of each slot shown
    this.filled = 0;       // slots filled with this page so far
    this.painted = [];     // whether each slot's thumbnail shows its image
    this.key = '';         // what the page shows (index.js decides when it changed)
    this.focusable = 0;    // the slot holding the list's one tab stop
    this.refocus = false;  // the focus was on the page replaced: put it back once it is filled
    list.addEventListener('click', e => {
      const button = e.target.closest('.gallery-item');
      if (!button) return;
      this.moveFocus(this.slots.findIndex(s => s.button === button), false);
      onOpen(this.items[this.focusable]);
    });
    list.addEventListener('keydown', e => this.onKey(e));
  }

  /**
   * Shows a page (key: what it is; the same key goes on filling it). Returns whether it is all
   * there; if not, call again next frame. The focus and the tab stop stay on the same image if it is
   * still there, else go to the first one.
   * @param {string} key  @param {Mistake[]} items  at most a page
   * @param {string[]} names  the ten class names   @param {string} word  'output' | 'probability'
   */
  show(key, items, names, word) {
    if (key !== this.key) {
      const focused = this.list.contains(document.activeElement) ? document.activeElement.dataset.index : null;
      this.key = key;
      this.items = items;
      this.filled = 0;
      this.painted = items.map(() => false);
      this.refocus = focused !== null;
      this.focusable = Math.max(0, items.findIndex(m => String(m.index) === focused));
    }
    const upTo = Math.min(this.items.length, this.filled + FILL_PER_FRAME);
    for (; this.filled < upTo; this.filled++) {
      if (this.filled === this.slots.length) this.slots.push(this.makeSlot());
      this.fill(this.slots[this.filled], this.items[this.filled], names, word, this.filled);
    }
    const done = this.filled === this.items.length;
    this.slots.forEach((s, i) => this.hide(s, i >= this.filled, i >= this.items.length));
    if (done && this.refocus && this.items.length) {
      this.refocus = false;
      this.slots[this.focusable].button.focus({ preventScroll: true });
    }
    return done;
  }

  // A slot not filled yet is invisible but keeps its place (the grid does not reflow while a
  // page fills); one past the page's end takes none. Neither is an image shown (no test hook).
  hide(s, unfilled, unused) {
    if (s.li.hidden !== unused) s.li.hidden = unused;
    const visibility = unfilled ? 'hidden' : '';
    if (s.li.style.visibility !== visibility) s.li.style.visibility = visibility;
    if (unfilled) s.button.removeAttribute('data-testid');
    else setAttr(s.button, 'data-testid', 'misclassified-item');
  }

  makeSlot() {
    const img = el('img', { width: SIDE, height: SIDE, alt: '', 'aria-hidden': 'true' });
    const truth = el('span', 'truth'), answer = el('span', 'answer'), confidence = el('span', 'confidence');
    // The button's name is its visible text with a few unseen words around it ("Test image 8: 4
    // → 9, output 0.87"), so that what a voice-control user reads off the screen names it.
    const intro = el('span', 'gallery-hidden'), word = el('span', 'gallery-hidden');
    const button = el('button', { type: 'button', className: 'gallery-item' },
      img, intro, el('span', 'caption', truth, answer), word, confidence);
    const li = el('li', {}, button);
    this.list.append(li);
    return { li, button, img, intro, truth, answer, word, confidence };
  }

  fill(s, m, names, word, slot) {
    const label = itemLabel(m.index, m.label, m.predicted, m.confidence, names, word);
    setAttr(s.button, 'data-index', m.index);
    setAttr(s.button, 'data-label', m.label);
    setAttr(s.button, 'data-prediction', m.predicted);
    setAttr(s.button, 'title', label);
    setText(s.intro, `Test image ${m.index}: `);
    setText(s.word, `, ${word} `);
    s.button.tabIndex = slot === this.focusable ? 0 : -1;
    setText(s.truth, names[m.label]);
    setText(s.answer, `→ ${names[m.predicted]}`);
    setText(s.confidence, m.confidence.toFixed(2));
    s.img.removeAttribute('src');   // not the last page's image meanwhile
  }

  // The thumbnails of the slots filled whose pixels have come (pixels.get(index): 784 bytes), at
  // most FILL_PER_FRAME new ones a frame. Returns whether one whose pixels are in still waits.
  paint(pixels) {
    let made = 0;
    for (let slot = 0; slot < this.filled; slot++) {
      if (this.painted[slot]) continue;
      const index = this.items[slot].index, bytes = pixels.get(index);
      if (!bytes) continue;
      if (!thumbs.has(index) && made++ >= FILL_PER_FRAME) return true;
      this.slots[slot].img.src = thumbnail(index, bytes);
      this.painted[slot] = true;
    }
    return false;
  }

  // The test indices of the page whose pixels are still missing from `pixels`.
  missing(pixels) {
    return this.items.filter((m, slot) => !this.painted[slot] && !pixels.has(m.index)).map(m => m.index);
  }

  // Whether the page is filled and every thumbnail painted (for tests: the list's data-state).
  get complete() {
    return this.filled === this.items.length && this.painted.every(Boolean);
  }

  clear() {
    this.key = '';
    this.items = [];
    this.painted = [];
    this.filled = 0;
    for (const s of this.slots) this.hide(s, true, true);
  }

  // One tab stop for the page: the arrows move it (up and down by a row of the grid as laid out),
  // Home and End to the first and last image.
  onKey(e) {
    const i = this.slots.findIndex(s => s.button === e.target);
    if (i < 0) return;
    const top = this.slots[0].li.offsetTop;
    const columns = Math.max(1, this.slots.slice(0, this.filled).filter(s => s.li.offsetTop === top).length);
    const to = { ArrowLeft: i - 1, ArrowRight: i + 1, ArrowUp: i - columns, ArrowDown: i + columns,
      Home: 0, End: this.filled - 1 }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    this.moveFocus(Math.max(0, Math.min(this.filled - 1, to)));
  }

  moveFocus(slot, focus = true) {
    if (this.slots[this.focusable]) this.slots[this.focusable].button.tabIndex = -1;
    this.focusable = slot;
    this.slots[slot].button.tabIndex = 0;
    if (focus) this.slots[slot].button.focus();
  }
}
