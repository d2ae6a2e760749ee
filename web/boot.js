// The first thing the page runs: starts the training worker and asks it for the images the link's
// network needs, before main.js and its views have loaded (index.html runs this module first;
// main.js's graph is far larger). The worker then downloads while the page's scripts are still
// arriving and evaluating. Nothing else: main.js adopts the worker (takeWorker) and owns it.
// @ts-check
import { ToWorker } from './protocol.js';
import { parseHash, isImageDataset, dataFolder } from './config.js';

const { config, dataUrl } = parseHash(location.hash);
const worker = new Worker('worker.js');
// What the worker says before main.js listens (a dedicated worker's events are not queued): its
// messages and its errors (worker.js missing or broken), in order.
/** @type {(MessageEvent|ErrorEvent)[]} */
const held = [];
const hold = (/** @type {MessageEvent|ErrorEvent} */ e) => {
  if (e.type === 'error') e.preventDefault();   // main.js says what it means
  held.push(e);
};
worker.addEventListener('message', hold);
worker.addEventListener('error', hold);
// The folder as main.js asks for it (app.dataUrlFor), or null for a truth table (no images).
const loaded = !config.dataset || isImageDataset(config.dataset)
  ? new URL(dataFolder(config.dataset, dataUrl), location.href).href : null;
if (loaded) worker.postMessage({ type: ToWorker.LOAD, dataUrl: loaded });

let taken = false;
/**
 * The worker started above, once: with the folder its LOAD asked for (null: none was sent) and
 * the messages and errors it posted so far, which the caller handles (once its listeners are all
 * in place) before any later one. Null after the first call (a replacement worker is main.js's).
 * @returns {{worker: Worker, loaded: string|null, held: (MessageEvent|ErrorEvent)[]}|null}
 */
export function takeWorker() {
  if (taken) return null;
  taken = true;
  worker.removeEventListener('message', hold);
  worker.removeEventListener('error', hold);
  return { worker, loaded, held: held.splice(0) };
}
