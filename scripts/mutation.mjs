// `npm run mutation [-- engine|engine-all|kernel ...]`: StrykerJS over each named target
// (default: engine, the small set README.md scores), one after the other, with
// stryker.config.mjs. Reports in reports/mutation/. Not part of `npm test`.
import { spawnSync } from 'node:child_process';

const KNOWN = ['engine', 'engine-all', 'kernel'];
const targets = [];
const extra = [];
// Stryker's own options pass through, with their values (`--concurrency 1`, `--logLevel=info`).
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (!a.startsWith('-')) targets.push(a);
  else {
    extra.push(a);
    const v = argv[i + 1];
    if (!a.includes('=') && v !== undefined && !v.startsWith('-') && !KNOWN.includes(v))
      extra.push(argv[++i]);
  }
}
let code = 0;
for (const t of targets.length ? targets : ['engine']) {
  if (!KNOWN.includes(t)) {
    console.error(`mutation: unknown target "${t}" (engine, engine-all or kernel)`);
    process.exit(2);
  }
  console.log(`mutation: ${t}`);
  const r = spawnSync('npx', ['stryker', 'run', 'stryker.config.mjs', ...extra], {
    stdio: 'inherit',
    env: { ...process.env, MUTATE: t },
  });
  code ||= r.status ?? 1;
}
process.exit(code);
