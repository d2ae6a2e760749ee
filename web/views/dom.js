// The few DOM helpers every view uses: elements built in one call, and writes that touch the
// DOM only when the value changes (a view redraws every frame while training). No state.
// @ts-check

const SVG = 'http://www.w3.org/2000/svg';

// An HTML element: el('p', 'hint', 'text') or el('div', { className, text, 'data-x': 1 }, ...children).
export function el(tag, props, ...children) {
  const node = document.createElement(tag);
  if (typeof props === 'string') {
    node.className = props;
    if (children.length === 1 && typeof children[0] !== 'object') node.textContent = String(children[0]);
    else node.append(...children);
    return node;
  }
  for (const [k, v] of Object.entries(props || {})) {
    if (v === undefined || v === null) continue;
    if (k === 'className') node.className = v;
    else if (k === 'text') node.textContent = v;
    else node.setAttribute(k, String(v));
  }
  node.append(...children);
  return node;
}

// An SVG element with attributes, appended to parent if one is given.
export function svgEl(tag, attrs = {}, parent = null) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (parent) parent.append(node);
  return node;
}

// A node that holds one text node keeps it (its data changes): replacing it, as textContent does,
// costs the page a style recalc and a new layout object for every counter, every frame.
export function setText(node, text) {
  if (node.textContent === text) return;
  const only = node.firstChild;
  if (only && only.nodeType === Node.TEXT_NODE && !only.nextSibling && text !== '') only.data = text;
  else node.textContent = text;
}

// hidden set again to the same value still invalidates the element's style.
export function setHidden(node, hidden) {
  if (node.hidden !== hidden) node.hidden = hidden;
}

export function setAttr(node, name, value) {
  const v = String(value);
  if (node.getAttribute(name) !== v) node.setAttribute(name, v);
}

// Subscript digits: sub(12) -> "₁₂".
export const sub = n => String(n).replace(/\d/g, d => '₀₁₂₃₄₅₆₇₈₉'[d]);

// Hands bytes or text to the browser as a download of that name (a temporary link, its object URL
// revoked once the download has the bytes).
export function download(data, fileName, type) {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
