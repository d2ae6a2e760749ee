// uPlot (the page's line and bar charts), imported when the page asks for it rather than with its
// scripts: uPlot's module top level (its Intl formatters, the page's first) and the two charts'
// construction were half of the main thread's longest start-up task (49-59 -> 23-26 ms of CPU).
// Not the charts themselves (charts.js, saturation/charts.js).
// @ts-check

/** @typedef {typeof import('uplot')} UPlot (its types: the npm package's, which the site copies) */

/** @type {UPlot|null} */
let loaded = null;
/** @type {Promise<UPlot>|null} */
let loading = null;
let failure = '';

/** uPlot once imported, else null (then loadUPlot() it). */
export const uPlot = () => loaded;

/** Why the import failed ('' if it has not). */
export const uPlotFailure = () => failure;

/**
 * Imports uPlot, once; resolves to it. A failed import (a site missing the file, an offline
 * browser without it cached) rejects with a message a person can act on, every time asked
 * (the import is not tried again: a module that failed to load stays failed in the page).
 * @returns {Promise<UPlot>}
 */
export function loadUPlot() {
  // @ts-ignore -- the site's copy of the package's module (build.sh), typed by the typedef above
  loading = loading || import('../vendor/uPlot.esm.js').then(m => {
    loaded = m.default;
    return loaded;
  }, e => {
    console.warn('uPlot:', e);   // the cause for a developer; the page says what to do
    failure = 'The charts could not be loaded: reload the page.';
    throw new Error(failure);
  });
  return loading;
}
