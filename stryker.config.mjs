// Mutation testing (StrykerJS, vitest runner): `npm run mutation -- engine|engine-all|kernel`
// mutates a set of source files and runs that layer's tests against each mutant. The score says how many
// deliberate bugs the tests catch; README.md records it. The machine has two cores shared with
// other work: concurrency 2, and incremental mode (only mutants whose code or tests changed since
// the last run are tested again; reports/ keeps the incremental file, which is not committed).
const target = process.env.MUTATE ?? 'engine';

const notTests = (dir) => [`!${dir}/**/*.test.ts`, `!${dir}/**/*.testkit.ts`];
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
};

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...TARGETS[target],
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  coverageAnalysis: 'perTest',
  concurrency: 2,
  incremental: true,
  incrementalFile: `reports/stryker-incremental-${target}.json`,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${target}.html` },
  jsonReporter: { fileName: `reports/mutation/${target}.json` },
  tempDirName: `.stryker-tmp-${target}`,
  cleanTempDir: 'always',
  timeoutMS: 20_000,
  timeoutFactor: 2,
  thresholds: { high: 80, low: 60, break: null },
};
