/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { csp } from './scripts/csp.ts';
import { offline } from './scripts/offline.ts';
import { singleFile } from './scripts/single.ts';

// `--mode single` (npm run build:single): one HTML file for file:// (scripts/single.ts);
// otherwise the served page, with its offline service worker (scripts/offline.ts).
export default defineConfig(({ mode }) => ({
  plugins: [react(), ...(mode === 'single' ? singleFile() : [csp(), offline()])],
  base: './',
  ...(mode === 'single' ? { publicDir: false, build: { outDir: 'dist-single' } } : {}),
  server: { host: '127.0.0.1', port: 5173, strictPort: true },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
  test: {
    include: ['src/**/*.test.{ts,tsx}'],
    // Property tests run thousands of cases; on a loaded 2-core CI machine 5 s is too tight.
    testTimeout: 30_000,
    environment: 'node', // DOM tests opt in with a `// @vitest-environment jsdom` first line
    reporters: ['default', 'json'],
    outputFile: { json: 'reports/vitest.json' }, // read by scripts/test-summary.mjs
  },
}));
