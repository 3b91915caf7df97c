// `npm run mutation [-- engine|engine-all|kernel ...]`: StrykerJS over each named target
// (default: engine, the structure codecs), one after the other, with stryker.config.mjs.
// `npm run mutation -- engine-file <path|glob>...` (or kernel-file) mutates only those files of
// the layer but runs the layer's whole test set, so each file's result is the one a full-layer run
// would give it; the run's per-file results then go into the committed ledger
// (scripts/mutation-ledger.json, `node scripts/mutation-ledger.mjs` prints the layer's score).
// Reports in reports/mutation/. Not part of `npm test`.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';

const KNOWN = ['engine', 'engine-all', 'kernel'];
const SUBSET = ['engine-file', 'kernel-file'];
const targets = [];
const extra = [];
let subset;
const files = [];
// Stryker's own options pass through, with their values (`--concurrency 1`, `--logLevel=info`).
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (SUBSET.includes(a)) subset = a;
  else if (!a.startsWith('-')) (subset ? files : targets).push(a);
  else {
    extra.push(a);
    const v = argv[i + 1];
    if (!a.includes('=') && v !== undefined && !v.startsWith('-') && !KNOWN.includes(v))
      extra.push(argv[++i]);
  }
}

function stryker(target, env) {
  const r = spawnSync('npx', ['stryker', 'run', 'stryker.config.mjs', ...extra], {
    stdio: 'inherit',
    env: { ...process.env, MUTATE: target, ...env },
  });
  return r.status ?? 1;
}

let code = 0;
if (targets[0] === 'score') {
  // The layer's score from the committed ledger (no mutation run).
  const r = spawnSync('node', ['scripts/mutation-ledger.mjs', targets[1] ?? 'engine'], {
    stdio: 'inherit',
  });
  process.exit(r.status ?? 1);
}
if (subset) {
  if (targets.length || !files.length) {
    console.error(`mutation: ${subset} takes only file paths or globs (src/...), nothing else`);
    process.exit(2);
  }
  // One report per distinct subset: its name is the files' list, hashed (short and stable).
  const name = `${subset}-${createHash('sha256').update(files.join(',')).digest('hex').slice(0, 10)}`;
  console.log(`mutation: ${subset} ${files.join(' ')} (reports/mutation/${name}.json)`);
  code = stryker(subset, { MUTATE_FILES: files.join(','), MUTATE_NAME: name });
  if (code === 0) {
    const cmd = `npm run mutation -- ${argv.join(' ')}`;
    const r = spawnSync(
      'node',
      ['scripts/mutation-ledger.mjs', 'add', `reports/mutation/${name}.json`, '--command', cmd],
      { stdio: 'inherit' },
    );
    code = r.status ?? 1;
  }
  process.exit(code);
}
for (const t of targets.length ? targets : ['engine']) {
  if (!KNOWN.includes(t)) {
    console.error(
      `mutation: unknown target "${t}" (engine, engine-all, kernel, engine-file, kernel-file)`,
    );
    process.exit(2);
  }
  console.log(`mutation: ${t}`);
  code ||= stryker(t, {});
}
process.exit(code);
