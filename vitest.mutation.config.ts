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

// isolate: false — the test files of one run share one module graph instead of importing the
// engine again per file: the whole engine set runs in 15 s instead of 45 s here, and each mutant
// runs its covering tests from many files. It stays honest: vitest starts a fresh module graph
// for every run (each mutant; checked with a module-level counter over three runs of
// createVitest().start), so nothing a mutant does outlives its own run, and the set passes
// unmutated in any file order (Stryker's dry run checks that before each run).
export default defineConfig({
  test: { include, testTimeout: 60_000, environment: 'node', isolate: false },
});
