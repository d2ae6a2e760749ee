// Offline use: registers the service worker (sw.js) and decides when a new build takes over. A page
// keeps the build it was loaded from: a new build's service worker installs and waits, and takes
// over only when this page is idle (then it reloads at once, before anything was done) or when the
// student presses Reload in the notice. Not the caching itself (sw.js).
// @ts-check
import { FromWorker, MNIST_FILES } from './protocol.js';

const TEXT = {
  ready: 'A new version of the lab is ready: reload the page to use it.',
  others: 'A new version of the lab is ready. It takes over once the lab is open in this tab ' +
    'only: close its other tabs, then reload.',
  replaced: 'This page comes from an older version of the lab, which another tab has just ' +
    'replaced: reload the page to use the new one.',
};

// Nothing to lose by a reload: no run trains, and none has trained, been loaded from a file or
// edited by hand since the page opened (and Start was not pressed while the data came in).
function idle(state) {
  if (state.running || state.startWhenReady) return false;
  const run = state.run;
  return !run || (state.epochs.length === 0 && !state.progress && !run.loadedFrom && !run.handEdited);
}

// Where the worker fetched the images from (DATA_READY's folder, download.js's file names).
function dataUrls(folder) {
  const base = new URL(folder, location.href).href;
  return MNIST_FILES.map(name => `${base}${name}.gz`);
}

/** @param {import('./protocol.js').App} app  main.js's bridge */
export function registerOffline(app) {
  // Absent outside secure contexts (http:// other than localhost) and in some private windows.
  const container = navigator.serviceWorker;
  if (!container) return;
  const { state } = app;
  // The service worker this page's files came from; null when they came from the network (the
  // first visit, Shift+Reload).
  const loadedFrom = container.controller;
  state.offline = { notice: null };
  let waiting = null;            // a new build's service worker, installed and waiting
  let reloadOnSwitch = false;    // this page asked the waiting one to take over

  const show = notice => {
    state.offline = { notice };
    app.invalidate('offline');
  };
  app.onRender('offline', draw);
  document.getElementById('update-reload')?.addEventListener('click', () => {
    if (waiting && waiting.state === 'installed') takeOver(waiting);
    else location.reload();
  });

  // Asks the waiting service worker to take over; it does only if no other tab of the lab is open.
  function takeOver(worker) {
    reloadOnSwitch = true;
    const channel = new MessageChannel();
    channel.port1.onmessage = e => {
      if (e.data && e.data.skipped) return;   // controllerchange follows
      reloadOnSwitch = false;
      show('others');
    };
    worker.postMessage({ type: 'skip-waiting' }, [channel.port2]);
  }

  function found(worker) {
    // An uncontrolled page came from the network, not from the old build's cache: nothing to switch.
    if (!container.controller || worker === waiting) return;
    waiting = worker;
    if (idle(state)) takeOver(worker);
    else show('ready');
  }

  function track(worker) {
    if (!worker) return;
    if (worker.state === 'installed') found(worker);
    else worker.addEventListener('statechange', () => { if (worker.state === 'installed') found(worker); });
  }

  container.addEventListener('controllerchange', () => {
    if (reloadOnSwitch) {
      reloadOnSwitch = false;
      location.reload();
    } else if (loadedFrom) {
      show('replaced');   // another page let a new build take over: this one runs the old files
    }
  });

  container.register(new URL('sw.js', import.meta.url), { updateViaCache: 'none' }).then(registration => {
    if (registration.waiting) track(registration.waiting);
    track(registration.installing);
    registration.addEventListener('updatefound', () => track(registration.installing));
  }, e => {
    console.warn(loadedFrom
      ? `Backprop Lab could not check for a new version (${e.message}).`
      : `Backprop Lab will not work offline: the service worker did not register (${e.message}).`);
  });

  // The first visit downloads MNIST before the service worker controls the page's worker: once both
  // are there, the service worker caches the files (it skips those it has).
  app.on(FromWorker.DATA_READY, ({ dataUrl }) => {
    const urls = dataUrls(dataUrl);
    container.ready.then(registration => {
      if (registration.active) registration.active.postMessage({ type: 'cache-data', urls });
    });
  });
}

function draw(state) {
  const notice = state.offline && state.offline.notice;
  const box = document.getElementById('update-ready');
  if (!box) return;
  box.hidden = !notice;
  if (notice) document.getElementById('update-ready-text').textContent = TEXT[notice];
}
