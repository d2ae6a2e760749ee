// KaTeX for the inspector: loaded the first time the inspector opens (the training page does not
// pay for it), equations typeset in the background in slices of a few milliseconds (a step with a
// dozen new equations must not block the page), each typeset once and cloned after that.
// Not the equations themselves (equations.js).

// The minified UMD build (76 KB gzipped, against 149 KB for the unminified katex.mjs), loaded
// by a script element: it defines self.katex.
const KATEX = new URL('../../vendor/katex/katex.min.js', import.meta.url).href;
const KATEX_CSS = new URL('../../vendor/katex/katex.min.css', import.meta.url).href;
// Typeset equations kept, the least recently used dropped first: one trace's seven steps have about
// a hundred, of about 200 DOM nodes each (600 kept 120,000 nodes after 45 fresh traces).
const CACHE_LIMIT = 200;
const SLICE_MS = 12;       // typesetting per task, then the page gets the main thread back

let katex = null, loading = null;
let failed = false;          // KaTeX could not be loaded: equations stay TeX source for good
const cache = new Map();     // key -> typeset node, cloned on each use
const waiting = new Map();   // key -> placeholders to replace once it is typeset
const idle = [];             // callbacks for when nothing waits (whenTypeset)
let scheduled = false;

const keyOf = (source, display) => (display ? 'D' : 'I') + source;

// Starts loading KaTeX (once). Resolves true once it is in, false if it could not be loaded
// (the equations are then left as their TeX source, marked `source`); the same promise each call.
export function loadTex() {
  if (loading) return loading;
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = KATEX_CSS;
  document.head.append(link);
  loading = new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = KATEX;
    script.onload = () => (self.katex ? resolve(self.katex) : reject(new Error('katex.min.js defined no katex')));
    script.onerror = () => reject(new Error(`could not load ${KATEX}`));
    document.head.append(script);
  }).then(k => {
    katex = k;
    schedule();
    return true;
  }, () => {
    failed = true;
    for (const placeholders of waiting.values()) for (const p of placeholders) asSource(p);
    waiting.clear();
    for (const fn of idle.splice(0)) fn();
    return false;
  });
  return loading;
}

// A placeholder that will never be typeset: its TeX source stays, shown as source.
function asSource(node) {
  node.classList.remove('pending');
  node.classList.add('source');
  return node;
}

// The equation as a DOM node: the typeset equation if it was typeset before, else its TeX
// source, which is replaced in place (attached or not) as soon as the background has typeset it.
export function texNode(source, { display = false } = {}) {
  const key = keyOf(source, display);
  const node = cache.get(key);
  if (node) {
    cache.delete(key);   // a Map keeps insertion order: this use moves it to the end
    cache.set(key, node);
    return node.cloneNode(true);
  }
  const pending = document.createElement(display ? 'div' : 'span');
  pending.className = 'inspector-tex pending';
  pending.textContent = source;
  if (failed) return asSource(pending);
  if (!waiting.has(key)) waiting.set(key, []);
  waiting.get(key).push(pending);
  schedule();
  return pending;
}

// Calls fn once every equation asked for so far is typeset (or left as source: KaTeX failed).
export function whenTypeset(fn) {
  if (!waiting.size) fn();
  else idle.push(fn);
}

function schedule() {
  if (scheduled || !katex || !waiting.size) return;
  scheduled = true;
  setTimeout(typesetSome, 0);
}

// Typesets waiting equations for about SLICE_MS, most recently asked for first (the step on
// screen asks last), and puts each where its placeholders are.
function typesetSome() {
  scheduled = false;
  const start = performance.now();
  const keys = [...waiting.keys()].reverse();
  for (const key of keys) {
    const node = document.createElement('span');
    node.className = 'inspector-tex';
    katex.render(key.slice(1), node, { displayMode: key[0] === 'D', throwOnError: false, strict: 'ignore' });
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value);
    cache.set(key, node);
    for (const placeholder of waiting.get(key)) placeholder.replaceWith(node.cloneNode(true));
    waiting.delete(key);
    if (performance.now() - start > SLICE_MS) break;
  }
  if (!waiting.size) for (const fn of idle.splice(0)) fn();
  schedule();
}
