// The drawing pad: pointer events (mouse, pen and touch) draw a thick white stroke on black;
// each change is preprocessed as MNIST was and shown as the 28x28 image the network sees.
// Not the prediction itself: the page sends the pixels to the worker.
import { preprocess } from './preprocess.js';

const PEN = 0.08;          // stroke width as a fraction of the pad: about MNIST's pen at 20x20
const LIVE_MS = 120;       // while a stroke is under way, re-preprocess at most this often

export class DrawPad {
  // onChange(pixels | null): Float32Array(784) after a change, null when cleared.
  constructor(canvas, preview, onChange) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d', { willReadFrequently: true });
    this.previewCtx = preview.getContext('2d');
    // One 28x28 image for every preview, written a pixel (one 32-bit RGBA word) at a time.
    this.previewImage = this.previewCtx.createImageData(28, 28);
    this.previewWords = new Uint32Array(this.previewImage.data.buffer);
    this.onChange = onChange;
    this.pixels = null;
    this.last = null;      // last point of the stroke under way
    this.lastLive = 0;
    canvas.addEventListener('pointerdown', e => this.down(e));
    canvas.addEventListener('pointermove', e => this.move(e));
    canvas.addEventListener('pointerup', e => this.up(e));
    canvas.addEventListener('pointercancel', e => this.up(e));
    this.wipe();
  }

  point(e) {
    const r = this.canvas.getBoundingClientRect();
    return [(e.clientX - r.left) * this.canvas.width / r.width,
            (e.clientY - r.top) * this.canvas.height / r.height];
  }

  down(e) {
    if (e.button !== 0) return;
    e.preventDefault();
    this.canvas.setPointerCapture(e.pointerId);
    this.last = this.point(e);
    this.stroke(this.last, this.last);
  }

  move(e) {
    if (!this.last) return;
    e.preventDefault();
    const events = e.getCoalescedEvents ? e.getCoalescedEvents() : [e];
    for (const c of events.length ? events : [e]) {
      const p = this.point(c);
      this.stroke(this.last, p);
      this.last = p;
    }
    if (performance.now() - this.lastLive > LIVE_MS) this.update();
  }

  up(e) {
    if (!this.last) return;
    this.last = null;
    if (this.canvas.hasPointerCapture(e.pointerId)) this.canvas.releasePointerCapture(e.pointerId);
    this.update();
  }

  stroke([x0, y0], [x1, y1]) {
    const ctx = this.ctx;
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = PEN * this.canvas.width;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(x0, y0);
    ctx.lineTo(x1, y1);
    ctx.stroke();
  }

  wipe() {
    this.ctx.fillStyle = '#000';
    this.ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    this.pixels = null;
    this.drawPreview(new Float32Array(784));
  }

  clear() {
    this.wipe();
    this.onChange(null);
  }

  update() {
    this.lastLive = performance.now();
    const { width, height } = this.canvas;
    const rgba = this.ctx.getImageData(0, 0, width, height).data;
    const gray = new Float32Array(width * height);
    for (let i = 0; i < gray.length; i++) gray[i] = rgba[4 * i] / 255;
    const pixels = preprocess(gray, width, height);
    this.pixels = pixels.some(v => v > 0) ? pixels : null;
    this.drawPreview(pixels);
    this.onChange(this.pixels);
  }

  // pixels: preprocess's 784 values in [0, 1], drawn as opaque greys.
  drawPreview(pixels) {
    for (let i = 0; i < 784; i++) {
      const v = Math.round(255 * pixels[i]);
      this.previewWords[i] = ((255 << 24) | (v << 16) | (v << 8) | v) >>> 0;   // A B G R, little-endian
    }
    this.previewCtx.putImageData(this.previewImage, 0, 0);
  }
}
