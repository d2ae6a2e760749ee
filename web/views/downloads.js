// One progress bar per MNIST file (compressed bytes received of total), so a slow or stuck
// download is visible. Not the fetching: the worker streams the files and reports bytes.
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

export function fileKey(file) {
  return String(file).replace(/^.*\//, '').replace(/\.gz$/, '');
}

export class DownloadBars {
  constructor(list) {
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

  reset() {
    for (const { li, progress, amount } of this.bars.values()) {
      progress.max = 1;
      progress.value = 0;
      amount.textContent = 'waiting';
      li.classList.remove('failed', 'done');
    }
  }

  // files: Map name -> { received, total, failed }.
  draw(files) {
    for (const [name, f] of files) {
      const bar = this.bars.get(name);
      if (!bar) continue;
      if (f.total > 0) {
        bar.progress.max = f.total;
        bar.progress.value = Math.min(f.received, f.total);
      } else if (f.received > 0) {
        bar.progress.removeAttribute('value');   // size unknown: indeterminate
      }
      const done = f.total > 0 && f.received >= f.total;
      bar.amount.textContent = f.failed ? 'failed'
        : f.total > 0 ? `${size(f.received)} / ${size(f.total)}` : size(f.received);
      bar.li.classList.toggle('failed', Boolean(f.failed));
      bar.li.classList.toggle('done', done && !f.failed);
    }
  }
}
