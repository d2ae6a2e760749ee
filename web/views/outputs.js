// The network's ten output activations for the drawn digit as bars, and its answer (the largest),
// named by the dataset's classes (digits; Fashion-MNIST's when a loaded network is drawn on).
// Not the prediction request: main.js sends PREDICT and hands the outputs over.

export class OutputBars {
  constructor(list, prediction) {
    this.prediction = prediction;
    this.rows = [];
    for (let d = 0; d < 10; d++) {
      const li = document.createElement('li');
      const label = document.createElement('span');
      label.className = 'digit';
      label.textContent = String(d);
      const track = document.createElement('span');
      track.className = 'track';
      const bar = document.createElement('span');
      bar.className = 'bar';
      track.append(bar);
      const value = document.createElement('span');
      value.className = 'value';
      li.append(label, track, value);
      list.append(li);
      this.rows.push({ li, bar, value, label });
    }
    this.names = this.rows.map((_, d) => String(d));
    this.clear();
  }

  // The ten class names (config.js classNames).
  setNames(names) {
    if (names.join() === this.names.join()) return;
    this.names = names.slice();
    this.rows.forEach(({ label }, d) => { label.textContent = names[d]; });
  }

  // outputs: 10 activations (sigmoid in [0,1] or softmax summing to 1).
  draw(outputs) {
    let best = 0;
    for (let d = 1; d < 10; d++) if (outputs[d] > outputs[best]) best = d;
    this.rows.forEach(({ li, bar, value }, d) => {
      const v = Math.max(0, Math.min(1, outputs[d]));
      bar.style.width = `${(100 * v).toFixed(1)}%`;
      value.textContent = outputs[d].toFixed(2);
      li.classList.toggle('best', d === best);
    });
    this.prediction.textContent = this.names[best];
    this.prediction.dataset.value = String(best);
  }

  clear() {
    for (const { li, bar, value } of this.rows) {
      bar.style.width = '0%';
      value.textContent = '';
      li.classList.remove('best');
    }
    this.prediction.textContent = '–';
    delete this.prediction.dataset.value;
  }
}
