// Dropping a file anywhere onto the page: an overlay says where it goes while files are dragged
// over the page, and a drop hands the files over. Drags of anything else (text, a link, a
// picture from the page) are left to the browser. Not what happens to the file (index.js).

const carriesFiles = e => Boolean(e.dataTransfer) && [...e.dataTransfer.types].includes('Files');

export class FileDrop {
  /**
   * @param {HTMLElement} overlay  shown while files are dragged over the page
   * @param {(files: File[]) => void} onDrop  every file dropped, in order (at least one)
   */
  constructor(overlay, onDrop) {
    this.overlay = overlay;
    // dragenter and dragleave come in pairs for every element the pointer crosses: the page is
    // left when as many have been left as entered.
    this.depth = 0;
    const target = document.documentElement;
    target.addEventListener('dragenter', e => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      this.depth++;
      this.show(true);
    });
    target.addEventListener('dragover', e => {
      if (!carriesFiles(e)) return;
      e.preventDefault();   // allows the drop (and stops the browser opening the file)
      e.dataTransfer.dropEffect = 'copy';
      this.show(true);
    });
    target.addEventListener('dragleave', e => {
      if (!carriesFiles(e)) return;
      this.depth = Math.max(0, this.depth - 1);
      if (this.depth === 0) this.show(false);
    });
    target.addEventListener('drop', e => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      this.depth = 0;
      this.show(false);
      const files = [...e.dataTransfer.files];
      if (files.length) onDrop(files);
    });
    // A drag that started on the page and was cancelled.
    window.addEventListener('dragend', () => this.reset());
  }

  reset() {
    this.depth = 0;
    this.show(false);
  }

  show(on) {
    if (this.overlay.hidden === on) this.overlay.hidden = !on;
  }
}
