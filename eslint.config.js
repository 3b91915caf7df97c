import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

// The pure layers decide what happens; they must run the same in the browser, Vitest and the CLI.
const PURE = ['src/engine', 'src/kernel', 'src/scenario', 'src/share', 'src/logs'];
const pureFiles = PURE.map((dir) => `${dir}/**/*.{ts,tsx}`);
const pureTests = PURE.flatMap((dir) => [`${dir}/**/*.test.{ts,tsx}`, `${dir}/**/*.testkit.ts`]);

const pureLayerBan = {
  patterns: [
    {
      group: ['react', 'react-dom', 'react-dom/*', 'd3', 'd3-*', 'zustand', 'zustand/*'],
      message:
        'The pure layers (engine, kernel, scenario, share, logs) use no React, d3 or zustand.',
    },
    {
      // Imports point one way (README "Layers"): nothing below state may reach back up to it.
      regex: String.raw`^(\./)?(\.\./)+(ui|state|diagram)(/|$)|(^|/)src/(ui|state|diagram)(/|$)`,
      message: 'The pure layers must not import src/ui, src/state or src/diagram.',
    },
  ],
};
const pureSourceBan = {
  ...pureLayerBan,
  patterns: [
    ...pureLayerBan.patterns,
    {
      group: ['node:*'],
      message: 'Pure-layer source runs in the browser too: no Node built-ins (tests may use them).',
    },
  ],
};

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

export default defineConfig([
  globalIgnores(['dist', 'dist-e2e-*', 'test-results', 'playwright-report', 'coverage', 'reports']),
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
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', pureSourceBan],
      'no-restricted-globals': ['error', ...sourceBannedGlobals],
    },
  },
  {
    files: pureTests,
    languageOptions: { globals: { ...globals.node, ...globals.vitest } },
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', pureLayerBan],
      'no-restricted-globals': ['error', ...testBannedGlobals],
    },
  },
  { files: ['**/*.{js,mjs,cjs}'], extends: [tseslint.configs.disableTypeChecked] },
]);
