// Weight pictures drawn straight into ImageData: the first layer as one 28x28 tile per neuron,
// the other layers as heatmaps (row = neuron, column = input). Diverging map, symmetric scale:
// blue = negative, white = 0, red = positive (palette.js). Not a chart library; reads params via
// layout only.
import { diverging, rgbaWord, words } from './palette.js';

const TILE = 28, GAP = 1;
const BACKGROUND = rgbaWord([40, 44, 52]);   // the gaps between tiles

// 257 colours for t in [-1, 1]; lookups keep a redraw of every weight to a few milliseconds.
const LUT = words(diverging, -1, 1, 256);

function colour(value, scale) {
  const t = scale > 0 ? Math.max(-1, Math.min(1, value / scale)) : 0;
  return LUT[Math.round((t + 1) * 128)];
}

// The canvas at the given size and an ImageData kept with it (allocated once per size).
function surface(canvas, width, height) {
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
  let s = canvas.bplSurface;
  if (!s || s.image.width !== width || s.image.height !== height) {
    const ctx = canvas.getContext('2d');
    const image = ctx.createImageData(width, height);
    s = canvas.bplSurface = { ctx, image, words: new Uint32Array(image.data.buffer) };
  }
  return s;
}

function tileGrid(neurons) {
  const cols = Math.ceil(Math.sqrt(neurons));
  return { cols, rows: Math.ceil(neurons / cols) };
}

// Shown smaller than its pixels (100 neurons in a projector-sized box), nearest-neighbour
// scaling drops whole gap lines between tiles; smooth scaling keeps them. Shown larger, the
// .pixelated class keeps each weight a crisp square. Checked when the box or the grid changes.
function watchScale(canvas) {
  if (!canvas.bplScale) {
    canvas.bplScale = () => {
      const shown = Math.min(canvas.clientWidth / canvas.width, canvas.clientHeight / canvas.height);
      canvas.classList.toggle('pixelated', shown * devicePixelRatio >= 1);
    };
    new ResizeObserver(canvas.bplScale).observe(canvas);
  }
  canvas.bplScale();
}

// First weight layer: layer = { rows: neurons, cols: 784, wOffset }. Each tile gets its own
// symmetric scale (its largest |w|), so every neuron's pattern is visible, not just the loudest.
export function drawTiles(canvas, params, layer) {
  const n = layer.rows, grid = tileGrid(n), step = TILE + GAP;
  const width = grid.cols * step + GAP, height = grid.rows * step + GAP;
  const resized = canvas.width !== width || canvas.height !== height || !canvas.bplScale;
  const { ctx, image, words } = surface(canvas, width, height);
  if (resized) watchScale(canvas);
  words.fill(BACKGROUND);
  const scales = new Float32Array(n);
  // w is column-major (one column per input pixel j): walk it in memory order.
  for (let j = 0, o = layer.wOffset; j < TILE * TILE; j++, o += n) {
    for (let i = 0; i < n; i++) scales[i] = Math.max(scales[i], Math.abs(params[o + i]));
  }
  // colour() inlined, the hottest loop of the page's drawing (78,400 weights for 100 neurons, a few
  // times a second): LUT index Math.round((w / scale + 1) * 128), |w| <= scale in each tile. What
  // that leaves NaN (a diverged network's NaN or infinite weights) goes through colour() itself.
  const inverse = scales.map(m => (m > 0 ? 128 / m : 0));
  const corner = new Int32Array(n);   // each tile's top-left pixel
  for (let i = 0; i < n; i++) corner[i] = (GAP + ((i / grid.cols) | 0) * step) * width + GAP + (i % grid.cols) * step;
  for (let j = 0, o = layer.wOffset; j < TILE * TILE; j++, o += n) {
    const at = ((j / TILE) | 0) * width + (j % TILE);
    for (let i = 0; i < n; i++) {
      const w = params[o + i], k = w * inverse[i] + 128.5;
      words[corner[i] + at] = Number.isNaN(k) ? colour(w, scales[i]) : LUT[k | 0];
    }
  }
  ctx.putImageData(image, 0, 0);
}

// Any weight layer as a rows x cols heatmap, one pixel per weight, one scale for the layer.
function drawHeatmap(canvas, params, layer) {
  const { rows, cols, wOffset } = layer;
  const { ctx, image, words } = surface(canvas, cols, rows);
  let scale = 0;
  for (let k = 0; k < rows * cols; k++) scale = Math.max(scale, Math.abs(params[wOffset + k]));
  for (let j = 0; j < cols; j++) {
    for (let i = 0; i < rows; i++) words[i * cols + j] = colour(params[wOffset + j * rows + i], scale);
  }
  ctx.putImageData(image, 0, 0);
}

// The deeper layers' canvases, rebuilt when the network's shape changes.
export class LayerHeatmaps {
  constructor(container) {
    this.container = container;
    this.items = [];
  }

  setLayout(layout) {
    this.container.replaceChildren();
    this.items = layout.slice(1).map((layer, k) => {
      const figure = document.createElement('figure');
      const canvas = document.createElement('canvas');
      const caption = document.createElement('figcaption');
      const l = k + 1;
      caption.textContent = `w[${l}]: ${layer.rows} × ${layer.cols} ` +
        `(row: neuron of layer ${l + 1}, column: input from layer ${l})`;
      canvas.setAttribute('role', 'img');
      canvas.setAttribute('aria-label', `Heatmap of the weights w[${l}]`);
      // Cells of at least a few CSS pixels, the whole map at most the panel's width.
      const cell = Math.max(2, Math.min(14, Math.floor(560 / layer.cols)));
      canvas.style.width = `${layer.cols * cell}px`;
      canvas.style.height = `${layer.rows * cell}px`;
      figure.append(canvas, caption);
      this.container.append(figure);
      return { canvas, layer };
    });
    if (!this.items.length) {
      const p = document.createElement('p');
      p.className = 'hint';
      p.textContent = 'No deeper layers: this network has one weight layer.';
      this.container.append(p);
    }
  }

  draw(params) {
    for (const { canvas, layer } of this.items) drawHeatmap(canvas, params, layer);
  }
}
