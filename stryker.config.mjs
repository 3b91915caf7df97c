// Mutation testing (StrykerJS, vitest runner): `npm run mutation -- engine|engine-all|kernel`
// mutates a set of source files and runs that layer's tests against each mutant. The score says how many
// deliberate bugs the tests catch; README.md records it. The machine has two cores shared with
// other work: concurrency 2, and incremental mode (only mutants whose code or tests changed since
// the last run are tested again; reports/ keeps the incremental file, which is not committed).
const target = process.env.MUTATE ?? 'engine';

// Test code is not mutated: the tests themselves, their helpers (*.testkit.ts) and the engine's
// shared test builder src/engine/testkit.ts (imported only by tests; mutating it scores the tests'
// own scaffolding, not the simulator).
const notTests = (dir) => [
  `!${dir}/**/*.test.ts`,
  `!${dir}/**/*.testkit.ts`,
  `!${dir}/**/testkit.ts`,
];
// `engine-file` / `kernel-file`: a subset of one layer's files (MUTATE_FILES, comma-separated
// paths or globs, from scripts/mutation.mjs), against the same tests as the whole layer, so the
// per-subset reports add up to the layer's score (scripts/mutation-ledger.mjs). MUTATE_NAME
// names the subset's report and incremental file.
const files = (process.env.MUTATE_FILES ?? '').split(',').filter(Boolean);
const name = process.env.MUTATE_NAME ?? target;
const TARGETS = {
  // The default and the score README.md records: the engine's decoders and encoders of the
  // spec's structures — the bits every other layer and every view reads. Small enough to
  // measure in minutes on this machine; the full layers are there for a longer run.
  engine: {
    mutate: [
      'src/engine/bits.ts',
      'src/engine/descriptor.ts',
      'src/engine/ste.ts',
      'src/engine/cd.ts',
      'src/engine/permissions.ts',
      'src/engine/queues.ts',
    ],
  },
  'engine-all': { mutate: ['src/engine/**/*.ts', ...notTests('src/engine')] },
  kernel: { mutate: ['src/kernel/**/*.ts', ...notTests('src/kernel')] },
  'engine-file': { mutate: [...files, ...notTests('src/engine')] },
  'kernel-file': { mutate: [...files, ...notTests('src/kernel')] },
};

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...TARGETS[target],
  testRunner: 'vitest',
  // related: false: the dry run measures every test of the layer's set (vitest.mutation.config.ts),
  // not only those whose imports vite's module graph links to the mutated files, so no test that
  // could kill a mutant is left out of its per-test coverage.
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  coverageAnalysis: 'perTest',
  concurrency: 2,
  incremental: true,
  incrementalFile: `reports/stryker-incremental-${name}.json`,
  plugins: ['@stryker-mutator/vitest-runner', './scripts/stryker-live-reporter.mjs'],
  reporters: ['clear-text', 'progress', 'html', 'json', 'live'],
  htmlReporter: { fileName: `reports/mutation/${name}.html` },
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  tempDirName: `.stryker-tmp-${name}`,
  cleanTempDir: 'always',
  timeoutMS: 20_000,
  timeoutFactor: 2,
  thresholds: { high: 80, low: 60, break: null },
};
