// The tests a mutation run (stryker.config.mjs) runs against each mutant: the mutated layer's
// own unit tests (engine, engine-all), and for the kernel the scenario tests that drive it (goldens, errnos, atomic
// ops, hostile memory) — not the model-based property test, which takes minutes per run.
import { defineConfig } from 'vitest/config';

const target = process.env['MUTATE'] ?? 'engine';
const kernel = target === 'kernel' || target === 'kernel-file';
const include = kernel
  ? [
      'src/kernel/**/*.test.ts',
      'src/scenario/golden*.test.ts',
      'src/scenario/errno*.test.ts',
      'src/scenario/atomic.test.ts',
      'src/scenario/robustness.test.ts',
      'src/scenario/tampered.test.ts',
    ]
  : ['src/engine/**/*.test.ts'];

// isolate: false for the engine: the test files of one run share one module graph instead of
// importing the engine again per file (the whole engine set: 15 s instead of 45 s here), and a
// mutant runs its covering tests from many files. It stays honest: vitest builds a fresh module
// graph for every run, i.e. every mutant (checked with a module-level counter over three
// createVitest().start runs), so nothing a mutant does outlives its own run; Stryker's dry run
// checks the set passes unmutated this way. The kernel's set keeps per-file isolation (not
// checked without it).
export default defineConfig({
  test: { include, testTimeout: 60_000, environment: 'node', isolate: kernel },
});
