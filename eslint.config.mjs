// eslint's configuration (flat config) for the page (web/) and the JavaScript tests (tests/):
// the recommended rules, a few that catch real mistakes here, and the rule that keeps markup out
// of the page's data paths. Not a formatter: layout is left as written.
import js from '@eslint/js';
import globals from 'globals';

// Text from a URL, a file, storage or the network must never become markup: the page builds DOM
// nodes and sets textContent, so nothing it shows can run script or change the page around it.
// Forbidden everywhere in web/, reads included: no string markup to keep track of at all. KaTeX's
// render() builds DOM itself; its renderToString() would need innerHTML, so it is forbidden too.
const NO_MARKUP = 'turns a string into markup, and text from a URL, a file, storage or the network ' +
  'must never become markup: build DOM nodes and set textContent (equations: katex.render).';
const noMarkupProperties = ['innerHTML', 'outerHTML'].map(property => ({
  selector: `MemberExpression[property.name='${property}'], MemberExpression[property.value='${property}']`,
  message: `${property} ${NO_MARKUP}`,
}));
// Calls that parse a string as HTML (renderToString: KaTeX's, whose result only innerHTML can use).
const noMarkupCalls = ['insertAdjacentHTML', 'renderToString', 'createContextualFragment', 'setHTMLUnsafe',
  'parseHTMLUnsafe'].map(method => ({
  selector: `CallExpression[callee.property.name='${method}']`,
  message: `${method} ${NO_MARKUP}`,
}));

export default [
  { ignores: ['build/**', 'node_modules/**', 'data/**'] },
  js.configs.recommended,
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Unused names are usually a half-finished edit; `_`-prefixed arguments say "on purpose".
      'no-unused-vars': ['error', { args: 'after-used', argsIgnorePattern: '^_', caughtErrors: 'none' }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
      'no-var': 'error',
      'prefer-const': ['error', { destructuring: 'all' }],
      'no-shadow-restricted-names': 'error',
      'no-use-before-define': ['error', { functions: false, classes: false, variables: false }],
      'no-self-compare': 'error',
      'no-template-curly-in-string': 'error',
      'no-unmodified-loop-condition': 'error',
      'no-unreachable-loop': 'error',
      'no-constructor-return': 'error',
      'array-callback-return': 'error',
    },
  },
  {
    files: ['web/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-properties': ['error',
        { object: 'document', property: 'write', message: `document.write ${NO_MARKUP}` },
        { object: 'document', property: 'writeln', message: `document.writeln ${NO_MARKUP}` },
      ],
      'no-restricted-syntax': ['error', ...noMarkupProperties, ...noMarkupCalls],
    },
  },
  {
    // Classic scripts: the worker loads the Emscripten glue with importScripts, and a service
    // worker cannot be a module everywhere yet.
    files: ['web/worker.js'],
    languageOptions: {
      sourceType: 'script',
      globals: { ...globals.worker, createBackpropLab: 'readonly' },
    },
  },
  {
    files: ['web/sw.js'],
    languageOptions: { sourceType: 'script', globals: { ...globals.serviceworker } },
  },
  {
    files: ['web/serve.mjs', 'eslint.config.mjs'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // The tests run in Node; the functions they hand to page.evaluate run in the page.
    files: ['tests/**/*.mjs', 'tests/**/*.js'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
  },
];
