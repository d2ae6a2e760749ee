// The overlay colours: Tableau 10 (distinguishable, also for most colour-blind readers; its
// yellow darkened to read on white), ordered so the first overlays differ most from the live
// run's lines (test blue, validation orange, book grey, cost green), which come last.
// A run keeps its colour for as long as the page lives; a new run takes the first colour no
// listed run holds. Not where the colours are drawn (charts.js, the list).

export const PALETTE = [
  '#e15759', '#b07aa1', '#76b7b2', '#9c755f', '#ff9da7',
  '#b8960c', '#59a14f', '#4e79a7', '#f28e2b', '#7f7f7f',
];

export class Colors {
  constructor() {
    this.of = new Map();   // id -> palette index
  }

  // The colour of run `id` (given one now if it has none), with `held` the ids still listed:
  // colours of runs gone are free again.
  color(id, held = [...this.of.keys()]) {
    if (!this.of.has(id)) {
      const used = new Set(held.filter(h => this.of.has(h)).map(h => this.of.get(h)));
      let k = PALETTE.findIndex((_, i) => !used.has(i));
      if (k < 0) k = this.of.size % PALETTE.length;   // more runs than colours: they repeat
      this.of.set(id, k);
    }
    return PALETTE[this.of.get(id)];
  }

  forget(id) {
    this.of.delete(id);
  }
}
