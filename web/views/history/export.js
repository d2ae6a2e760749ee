// The run history as files: CSV (one row per run per epoch, every config key a column) and JSON
// (the records themselves). Pure functions, so Node can test them; the download is dom.js's.

export const CSV_TYPE = 'text/csv';
export const JSON_TYPE = 'application/json';

// The config keys every run has first, in protocol.js's order; any others after them, sorted.
const CONFIG_ORDER = ['dataset', 'sizes', 'activation', 'cost', 'init', 'eta', 'batch', 'epochs',
  'lambda', 'seed'];
const EPOCH_COLUMNS = [
  ['epoch', 'epoch'], ['test_accuracy', 'testAccuracy'], ['validation_accuracy', 'validationAccuracy'],
  ['test_cost', 'testCost'], ['validation_cost', 'validationCost'], ['train_cost', 'trainCost'],
  ['seconds', 'seconds'],
];

function configKeys(runs) {
  const seen = new Set(runs.flatMap(r => Object.keys(r.config)));
  const extra = [...seen].filter(k => !CONFIG_ORDER.includes(k)).sort();
  return [...CONFIG_ORDER.filter(k => seen.has(k)), ...extra];
}

// A cell: numbers as they are, arrays joined by commas, text quoted when it must be; text a
// spreadsheet would run as a formula (=, +, -, @ first) gets a leading apostrophe.
export function cell(v) {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return String(v);   // a diverged cost stays NaN or Infinity
  let s = Array.isArray(v) ? v.join(',') : typeof v === 'object' ? JSON.stringify(v) : String(v);
  if (!Array.isArray(v) && /^[=+\-@]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * @param {Object[]} runs  run records
 * @returns {string} CSV with a header row; a run without epochs has no rows
 */
export function toCsv(runs) {
  const keys = configKeys(runs);
  const header = ['id', 'name', 'label', 'source', ...keys, ...EPOCH_COLUMNS.map(c => c[0])];
  const rows = [header.map(cell).join(',')];
  for (const r of runs) {
    const head = [r.id, r.name, r.label, r.source, ...keys.map(k => r.config[k])];
    for (const e of r.epochs) rows.push([...head, ...EPOCH_COLUMNS.map(c => e[c[1]])].map(cell).join(','));
  }
  return `${rows.join('\r\n')}\r\n`;
}

/**
 * @param {Object[]} runs  run records
 * @param {number} now  ms since the epoch
 * @returns {string} { format, schema, exportedAt, runs } as indented JSON
 */
export function toJson(runs, now) {
  return `${JSON.stringify({ format: 'backprop-lab-runs', schema: 1, exportedAt: new Date(now).toISOString(),
    runs }, null, 1)}\n`;
}

export const exportName = (ext, now) => `backprop-lab-runs-${new Date(now).toISOString().slice(0, 10)}.${ext}`;
