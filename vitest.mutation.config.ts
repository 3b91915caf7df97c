// The tests a mutation run (stryker.config.mjs) runs against each mutant: the mutated layer's
// own unit tests (engine, engine-all), and for the kernel the scenario tests that drive it (goldens, errnos, atomic
// ops, hostile memory) — not the model-based property test, which takes minutes per run.
import { defineConfig } from 'vitest/config';

const target = process.env['MUTATE'] ?? 'engine';
const include =
  target === 'kernel' || target === 'kernel-file'
    ? [
        'src/kernel/**/*.test.ts',
        'src/scenario/golden*.test.ts',
        'src/scenario/errno*.test.ts',
        'src/scenario/atomic.test.ts',
        'src/scenario/robustness.test.ts',
        'src/scenario/tampered.test.ts',
      ]
    : ['src/engine/**/*.test.ts'];

export default defineConfig({
  test: { include, testTimeout: 60_000, environment: 'node' },
});
