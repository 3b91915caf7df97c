// `npm run mutation [-- engine|engine-all|kernel ...]`: StrykerJS over each named target
// (default: engine, the small set README.md scores), one after the other, with
// stryker.config.mjs. Reports in reports/mutation/. Not part of `npm test`.
import { spawnSync } from 'node:child_process';

const targets = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const extra = process.argv.slice(2).filter((a) => a.startsWith('-'));
let code = 0;
for (const t of targets.length ? targets : ['engine']) {
  if (!['engine', 'engine-all', 'kernel'].includes(t)) {
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
