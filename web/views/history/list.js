// The run history's list: one item per run (its overlay checkbox in the run's colour, its name or
// label, best accuracy and epoch, epochs done, wall time, Rename and Delete), updated in place
// by run id so a redraw while training keeps the focus and an open rename field. Not the
// storage nor the state: the view (index.js) decides and this draws and reports clicks.
import { el, setText, setAttr, setHidden } from '../dom.js';
import { summaryText } from './record.js';

export const titleOf = record => record.name || record.label;

export class RunList {
  /**
   * @param {HTMLElement} ul  the list (data-testid="runs")
   * @param {{overlay(id, on), rename(id, name), remove(id)}} actions
   */
  constructor(ul, actions) {
    this.ul = ul;
    this.actions = actions;
    this.items = new Map();   // id -> { li, box, swatch, name, label, current, stats, rename, remove }
    this.editing = null;      // { id, input } while a run is being renamed
  }

  /**
   * @param {Object[]} runs  records, in the order shown
   * @param {{current: string|null, overlaid: Set<string>, colorOf: (id) => string}} how
   */
  draw(runs, { current, overlaid, colorOf }) {
    const ids = new Set(runs.map(r => r.id));
    for (const [id, item] of this.items) {
      if (!ids.has(id)) {
        item.li.remove();
        this.items.delete(id);
        if (this.editing && this.editing.id === id) this.editing = null;
      }
    }
    runs.forEach((r, i) => {
      const item = this.items.get(r.id) || this.create(r.id);
      this.fill(item, r, r.id === current, overlaid.has(r.id), colorOf(r.id));
      if (this.ul.children[i] !== item.li) this.ul.insertBefore(item.li, this.ul.children[i] || null);
    });
    setAttr(this.ul, 'data-value', runs.length);
  }

  create(id) {
    const box = el('input', { type: 'checkbox', 'data-testid': 'overlay' });
    const swatch = el('span', { className: 'run-swatch', 'aria-hidden': 'true' });
    const name = el('span', 'run-name', '');
    const label = el('span', 'run-label', '');
    const current = el('span', 'run-current', 'current');
    const stats = el('span', 'run-stats', '');
    const rename = el('button', { type: 'button', className: 'run-rename', text: 'Rename' });
    const remove = el('button', { type: 'button', className: 'run-delete', text: 'Delete' });
    const li = el('li', { className: 'run-item', 'data-testid': 'run-item', 'data-run-id': id },
      el('label', 'run-overlay', box, swatch),
      el('span', 'run-text', el('span', 'run-title', name, label, current), stats),
      el('span', 'run-buttons', rename, remove));
    box.addEventListener('change', () => this.actions.overlay(id, box.checked));
    rename.addEventListener('click', () => this.startRename(id));
    remove.addEventListener('click', () => this.actions.remove(id));
    const item = { li, box, swatch, name, label, current, stats, rename, remove, record: null };
    this.items.set(id, item);
    return item;
  }

  fill(item, r, isCurrent, isOverlaid, color) {
    item.record = r;
    const title = titleOf(r);
    setText(item.name, title);
    setText(item.label, r.name ? r.label : '');
    setHidden(item.label, !r.name);
    setHidden(item.current, !isCurrent);
    item.li.classList.toggle('is-current', isCurrent);
    setAttr(item.li, 'data-current', isCurrent);
    setText(item.stats, summaryText(r));
    item.box.checked = isOverlaid;
    setAttr(item.box, 'aria-label', `Overlay ${title} on the charts`);
    if (item.color !== color) {   // (the style reads back as rgb(), never as the hex given)
      item.color = color;
      item.swatch.style.background = color;
    }
    setAttr(item.rename, 'aria-label', `Rename ${title}`);
    setAttr(item.remove, 'aria-label', `Delete ${title}`);
  }

  // An inline field in place of the name: Enter (or leaving it) names the run, Escape keeps the
  // old name; an empty name goes back to the label.
  startRename(id) {
    const item = this.items.get(id);
    if (!item || this.editing) return;
    const input = el('input', { type: 'text', className: 'run-rename-field', maxlength: 80,
      'aria-label': `New name for ${item.record.label}`, 'data-testid': 'rename-field' });
    input.value = item.record.name || '';
    input.placeholder = item.record.label;
    const editing = this.editing = { id, input };
    const finish = commit => {
      if (this.editing !== editing) return;
      this.editing = null;
      const name = input.value.trim() || null;
      if (commit && name !== item.record.name) {
        setText(item.name, name || item.record.label);   // at once, not a frame later
        this.actions.rename(id, name);
      }
      input.replaceWith(item.name);
      item.rename.focus();
    };
    input.addEventListener('keydown', e => {
      if (e.key === 'Enter') finish(true);
      else if (e.key === 'Escape') finish(false);
      else return;
      e.preventDefault();
      e.stopPropagation();   // not the page's run keys
    });
    input.addEventListener('blur', () => finish(true));
    item.name.replaceWith(input);
    input.focus();
    input.select();
  }

  // Where the focus goes once run `id` is deleted: the next item's Delete, the previous one's, or null.
  focusAfter(id) {
    const lis = [...this.ul.children], i = lis.findIndex(li => li.dataset.runId === id);
    const next = lis[i + 1] || lis[i - 1];
    return next ? this.items.get(next.dataset.runId).remove : null;
  }
}
