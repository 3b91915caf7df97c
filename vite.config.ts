/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { csp } from './scripts/csp.ts';
import { offline } from './scripts/offline.ts';
import { singleFile } from './scripts/single.ts';

// `--mode single` (npm run build:single): one HTML file for file:// (scripts/single.ts);
// otherwise the served page, with its offline service worker (scripts/offline.ts).

/**
 * Our modules are imported for their exports only (the folders' index.ts front doors re-export
 * whole layers). Saying so lets the bundler drop a module none of whose exports the page uses:
 * without it every module a front door names lands in the first download (field docs, tours,
 * the stress generator…), since top-level tables built by calls look like side effects. The
 * exceptions run code for its effect: the entry, the stylesheets, and the modules that set a
 * library up before re-exporting it (zod's jitless switch: see scenario/zod.ts). It re-exports
 * only, so without the exception the bundler would bind its importers straight to the library
 * and drop the set-up.
 */
const EFFECTFUL = /\/src\/(main\.tsx|scenario\/zod\.ts)$/;
export const hasSideEffects = (id: string): boolean =>
  !/\/src\/.*\.tsx?$/.test(id) || EFFECTFUL.test(id);

export default defineConfig(({ mode }) => ({
  plugins: [react(), ...(mode === 'single' ? singleFile() : [csp(), offline()])],
  base: './',
  build: {
    ...(mode === 'single' ? { outDir: 'dist-single' } : {}),
    rolldownOptions: { treeshake: { moduleSideEffects: hasSideEffects } },
  },
  ...(mode === 'single' ? { publicDir: false } : {}),
  server: { host: '127.0.0.1', port: 5173, strictPort: true },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
  test: {
    include: ['src/**/*.test.{ts,tsx}'],
    // Property tests run thousands of cases; on a loaded 2-core CI machine 5 s is too tight.
    testTimeout: 30_000,
    // Tests read documents and links as the CLI does: src/cli/install.ts, installed up front.
    setupFiles: ['src/cli/onDemand.testkit.ts'],
    environment: 'node', // DOM tests opt in with a `// @vitest-environment jsdom` first line
    reporters: ['default', 'json'],
    outputFile: { json: 'reports/vitest.json' }, // read by scripts/test-summary.mjs
  },
}));
