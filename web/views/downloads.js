// One progress bar per MNIST file (compressed bytes received of total), so a slow or stuck
// download is visible; once the data is in, the panel shrinks to one line (screen space is for
// the network). Not the fetching: the worker streams the files and reports bytes.
import { MNIST_FILES } from '../protocol.js';

const LABELS = {
  'train-images-idx3-ubyte': 'training images',
  'train-labels-idx1-ubyte': 'training labels',
  't10k-images-idx3-ubyte': 'test images',
  't10k-labels-idx1-ubyte': 'test labels',
};

function size(bytes) {
  return bytes < 1e6 ? `${(bytes / 1e3).toFixed(0)} kB` : `${(bytes / 1e6).toFixed(1)} MB`;
}

export class DownloadBars {
  // list: the <ul> of bars; summary: the one line shown instead once the data is in; panel: the
  // section, marked .compact then.
  constructor(list, summary, panel) {
    Object.assign(this, { list, summary, panel });
    this.bars = new Map();
    for (const name of MNIST_FILES) {
      const li = document.createElement('li');
      const label = document.createElement('label');
      const progress = document.createElement('progress');
      const amount = document.createElement('span');
      progress.id = `download-${name}`;
      progress.max = 1;
      progress.value = 0;
      label.htmlFor = progress.id;
      label.textContent = LABELS[name];
      label.title = `${name}.gz`;
      amount.className = 'amount';
      li.append(label, progress, amount);
      list.append(li);
      this.bars.set(name, { li, progress, amount });
    }
  }

  compact(on) {
    this.list.hidden = on;
    this.summary.hidden = !on;
    this.panel.classList.toggle('compact', on);
  }

  // files: Map name -> { received, total, failed, cancelled }; complete: the data is in; stored:
  // how many files were this browser's copy (no download: the summary says so).
  draw(files, complete, stored = 0) {
    let bytes = 0;
    for (const [name, f] of files) {
      const bar = this.bars.get(name);
      if (!bar) continue;
      const waiting = !f.total && !f.received;
      if (f.total > 0) {
        bar.progress.max = f.total;
        bar.progress.value = Math.min(f.received, f.total);
      } else if (waiting) {
        bar.progress.max = 1;
        bar.progress.value = 0;
      } else {
        bar.progress.removeAttribute('value');   // size unknown: indeterminate
      }
      const done = f.total > 0 && f.received >= f.total;
      bar.amount.textContent = f.failed ? 'failed' : f.cancelled ? 'cancelled' : waiting ? 'waiting'
        : f.total > 0 ? `${size(f.received)} / ${size(f.total)}` : size(f.received);
      bar.li.classList.toggle('failed', Boolean(f.failed));
      bar.li.classList.toggle('cancelled', Boolean(f.cancelled) && !f.failed);
      bar.li.classList.toggle('done', done && !f.failed);
      bytes += f.received;
    }
    // bytes: gzipped, or inflated from this browser's copy
    const from = !stored ? '' : stored >= files.size ? ", from this browser's copy" : `, ${stored} from this browser's copy`;
    this.summary.textContent = `all ${files.size} files in (${size(bytes)}${from})`;
    this.compact(complete);
  }
}
