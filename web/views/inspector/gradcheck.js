// The gradient check's result as a table: for each parameter the core picked, backprop's
// derivative, the central finite difference of the core's independent double-precision forward
// pass, and their relative error. Not the check itself (cpp/gradcheck.cpp, through the worker).
import { el } from '../dom.js';
import { num, sub, sup, bookLayer } from './format.js';

// "w²₇,₄₀₅" or "b³₄": the parameter in Nielsen's notation.
export function parameterName(e) {
  const n = sup(bookLayer(e.layer));
  return e.kind === 'b' ? `b${n}${sub(e.row)}` : `w${n}${sub(e.row)},${sub(e.col)}`;
}

// check: the GradCheck of protocol.js. Returns the table (largest relative error first).
export function gradCheckTable(check) {
  const table = el('table', 'inspector-table inspector-gradcheck');
  table.append(el('caption', '', `Central differences (C(θ + h) − C(θ − h)) / 2h with h = ${num(check.h)}, ` +
    'from a double-precision forward pass that shares no code with the training network.'));
  const head = el('tr');
  for (const h of ['parameter', 'picked', 'backprop', 'finite difference', 'relative error']) head.append(el('th', '', h));
  table.append(el('thead'), el('tbody'));
  table.tHead.append(head);
  const entries = [...check.entries].sort((a, b) => b.relError - a.relError);
  for (const e of entries) {
    const row = el('tr', e.relError > check.tolerance ? 'bad' : '');
    for (const text of [parameterName(e), e.why === 'largest' ? 'largest |∂C/∂θ|' : 'at random',
      num(e.backprop, 6), num(e.numeric, 6), num(e.relError, 2)]) {
      row.append(el('td', '', text));
    }
    table.tBodies[0].append(row);
  }
  return table;
}
