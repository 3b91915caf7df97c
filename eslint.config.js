import path from 'node:path';
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

// The pure layers decide what happens; they must run the same in the browser, Vitest and the CLI.
const PURE = ['src/engine', 'src/kernel', 'src/scenario', 'src/share', 'src/logs'];
const pureFiles = PURE.map((dir) => `${dir}/**/*.{ts,tsx}`);
const testGlobs = (dir) => [`${dir}/**/*.test.{ts,tsx}`, `${dir}/**/*.testkit.ts`];
const pureTests = PURE.flatMap(testGlobs);

// Imports point one way (ARCHITECTURE.md "Layers"): engine <- kernel <- scenario <- share, logs
// <- diagram <- state <- ui, with cli beside state over scenario, share and logs. (diagram's view
// models are pure; state caches them per timeline and runs the stepper's clock over them.) Each
// layer may import the layers below it and none above or beside it. (A relative path is matched
// by its last folder name, so no layer may have a subfolder named like another layer.)
const LAYERS = ['engine', 'kernel', 'scenario', 'share', 'logs', 'diagram', 'state', 'ui', 'cli'];
const BELOW = {
  engine: [],
  kernel: ['engine'],
  scenario: ['engine', 'kernel'],
  share: ['engine', 'kernel', 'scenario'],
  logs: ['engine', 'kernel', 'scenario'],
  diagram: ['engine', 'kernel', 'scenario', 'share', 'logs'],
  state: ['engine', 'kernel', 'scenario', 'share', 'logs', 'diagram'],
  ui: ['engine', 'kernel', 'scenario', 'share', 'logs', 'diagram', 'state'],
  cli: ['engine', 'kernel', 'scenario', 'share', 'logs'],
};
const layerOrder = (layer) => {
  const banned = LAYERS.filter((l) => l !== layer && !BELOW[layer].includes(l)).join('|');
  return {
    regex: String.raw`^(\./)?(\.\./)+(${banned})(/|$)|(^|/)src/(${banned})(/|$)`,
    message: `src/${layer} imports only the layers below it (${BELOW[layer].join(', ') || 'none'}).`,
  };
};

const noUiLibraries = {
  group: ['react', 'react-dom', 'react-dom/*', 'd3', 'd3-*', 'zustand', 'zustand/*'],
  message: 'The pure layers (engine, kernel, scenario, share, logs) use no React, d3 or zustand.',
};
const noNode = {
  group: ['node:*'],
  message: 'Pure-layer source runs in the browser too: no Node built-ins (tests may use them).',
};
// The diagram's view models are functions of their inputs: no React, no store (d3's layout math
// is welcome).
const noReactOrStore = {
  group: ['react', 'react-dom', 'react-dom/*', 'zustand', 'zustand/*'],
  message: 'src/diagram is pure view models: no React or zustand (the UI renders, state caches).',
};
/** The import rules of one layer's source files, or of its tests (which may use Node). */
const importBans = (layer, tests) => ({
  patterns: [
    layerOrder(layer),
    ...(PURE.includes(`src/${layer}`) ? (tests ? [noUiLibraries] : [noUiLibraries, noNode]) : []),
    ...(layer === 'diagram' ? [noReactOrStore] : []),
  ],
});

// Host APIs that every runtime the pure layers meet (browsers, Node ≥ 20, Vitest) provides in
// the same form. Everything else from the browser or Node environments is off limits to them.
const HOST_SAFE = new Set([
  'TextEncoder',
  'TextDecoder',
  'atob',
  'btoa',
  'performance',
  // HTML structured clone, a global in Node ≥ 17 as in browsers: src/kernel/state.ts copies
  // checkpoints with it.
  'structuredClone',
]);
const builtin = new Set(Object.keys(globals.builtin));
const hostGlobals = (...envs) =>
  [...new Set(envs.flatMap((e) => Object.keys(e)))].filter(
    (name) => !builtin.has(name) && !HOST_SAFE.has(name),
  );
const restrict = (names, message) => names.sort().map((name) => ({ name, message }));
// Source files: neither browser (DOM, storage, timers, fetch …) nor Node (process, Buffer …).
const sourceBannedGlobals = restrict(
  hostGlobals(globals.browser, globals.node),
  'Pure layers use plain ES only (plus TextEncoder, atob/btoa, performance, structuredClone).',
);
// Their tests run in Node under Vitest: Node's globals are fine there, the DOM is not. Node 22+
// also defines navigator and localStorage; those stay banned.
const nodeOnly = new Set(Object.keys(globals.node));
['navigator', 'Navigator', 'localStorage', 'sessionStorage', 'Storage'].forEach((n) =>
  nodeOnly.delete(n),
);
const testBannedGlobals = restrict(
  hostGlobals(globals.browser).filter((name) => !nodeOnly.has(name)),
  'Pure-layer tests run in Node: no DOM or other browser-only globals.',
);

// ---- Front doors (architecture.md "Layers") ------------------------------------------------------
// Every folder of src/ is entered through its index.ts: a file of one folder imports another
// folder's files only as src/X/index.ts. Inside a folder anything goes; a test or testkit may
// also use another folder's *.testkit.ts (test support never ships in a front door).
const SRC = path.join(import.meta.dirname, 'src');
const TESTISH = /(\.test\.tsx?|(^|[/.])testkit\.tsx?)$/;
const frontDoor = {
  meta: {
    type: 'problem',
    schema: [],
    messages: {
      deep: "'{{spec}}' reaches inside src/{{folder}}: import it through src/{{folder}}/index.ts",
    },
  },
  create(context) {
    const file = context.filename;
    const rel = path.relative(SRC, file);
    if (rel.startsWith('..') || path.isAbsolute(rel)) return {};
    const parts = rel.split(path.sep);
    const own = parts.length > 1 ? parts[0] : '';
    const testish = TESTISH.test(file);
    const check = (node) => {
      const spec = node.source?.value;
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const target = path.resolve(path.dirname(file), spec);
      const to = path.relative(SRC, target).split(path.sep);
      if (to[0] === '..' || to.length < 2 || to[0] === own) return;
      if (to.length === 2 && to[1] === 'index.ts') return;
      if (testish && TESTISH.test(target)) return;
      context.report({ node: node.source, messageId: 'deep', data: { spec, folder: to[0] } });
    };
    return {
      ImportDeclaration: check,
      ExportAllDeclaration: check,
      ExportNamedDeclaration: check,
      ImportExpression: check,
    };
  },
};
const frontDoorConfig = {
  files: ['src/**/*.{ts,tsx}'],
  plugins: { sva: { rules: { 'front-door': frontDoor } } },
  rules: { 'sva/front-door': 'error' },
};

// ---- File length (README "How we build": files stay under 350 lines, split by concept) ----------
// Counted as `wc -l` counts them (ESLint's max-lines drops the empty line after a final newline).
const fileLengthConfig = {
  files: ['src/**/*.{ts,tsx}'],
  ignores: ['**/*.test.{ts,tsx}'],
  rules: { 'max-lines': ['error', { max: 350, skipBlankLines: false, skipComments: false }] },
};

export default defineConfig([
  globalIgnores([
    'dist',
    'dist-e2e-*',
    'test-results',
    'playwright-report',
    'coverage',
    'reports',
    '.stryker-tmp-*',
  ]),
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  reactHooks.configs.flat.recommended,
  // The UI, state, diagram, CLI and tooling run in a browser or in Node: both environments.
  { ignores: pureFiles, languageOptions: { globals: { ...globals.browser, ...globals.node } } },
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: pureFiles,
    languageOptions: { globals: Object.fromEntries([...HOST_SAFE].map((n) => [n, 'readonly'])) },
    rules: { 'no-restricted-globals': ['error', ...sourceBannedGlobals] },
  },
  {
    files: pureTests,
    languageOptions: { globals: { ...globals.node, ...globals.vitest } },
    rules: { 'no-restricted-globals': ['error', ...testBannedGlobals] },
  },
  // Per layer: the import order, and for the pure layers no UI libraries (nor Node, in source).
  ...LAYERS.flatMap((layer) => [
    {
      files: [`src/${layer}/**/*.{ts,tsx}`],
      rules: { '@typescript-eslint/no-restricted-imports': ['error', importBans(layer, false)] },
    },
    {
      files: testGlobs(`src/${layer}`),
      rules: { '@typescript-eslint/no-restricted-imports': ['error', importBans(layer, true)] },
    },
  ]),
  { files: ['**/*.{js,mjs,cjs}'], extends: [tseslint.configs.disableTypeChecked] },
  frontDoorConfig,
  fileLengthConfig,
]);
