import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

// The pure layers decide what happens; they must run the same in the browser, Vitest and the CLI.
const pureLayerBan = {
  patterns: [
    {
      group: ['react', 'react-dom', 'react-dom/*', 'd3', 'd3-*', 'zustand', 'zustand/*'],
      message: 'src/engine and src/kernel are pure TypeScript: no React, d3 or zustand.',
    },
  ],
};
const domGlobals = [
  'window',
  'document',
  'localStorage',
  'navigator',
  'location',
  'HTMLElement',
].map((name) => ({ name, message: 'Pure layers must not touch the DOM.' }));

export default defineConfig([
  globalIgnores(['dist', 'dist-e2e-*', 'test-results', 'playwright-report', 'coverage', 'reports']),
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  reactHooks.configs.flat.recommended,
  {
    languageOptions: {
      globals: { ...globals.browser, ...globals.node },
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
    files: [
      'src/engine/**/*.{ts,tsx}',
      'src/kernel/**/*.{ts,tsx}',
      'src/scenario/**/*.{ts,tsx}',
      'src/share/**/*.{ts,tsx}',
      'src/logs/**/*.{ts,tsx}',
    ],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', pureLayerBan],
      'no-restricted-globals': ['error', ...domGlobals],
    },
  },
  { files: ['**/*.{js,mjs,cjs}'], extends: [tseslint.configs.disableTypeChecked] },
]);
