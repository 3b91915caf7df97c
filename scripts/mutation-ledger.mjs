// The mutation ledger: per source file, the result of its last mutation run (Stryker's JSON
// report, mutation-testing-report-schema), with the SHA-256 of the source that was scored, so a
// layer's score can be built from runs over parts of it and still be honest: a file whose source
// changed since it was scored is reported stale and left out of the score, never silently counted.
//   node scripts/mutation-ledger.mjs add <report.json> [--command "..."]   record a run's files
//   node scripts/mutation-ledger.mjs [engine|kernel]                       print the layer's score
// (`npm run mutation -- score [engine|kernel]` runs the second.) The ledger is committed:
// scripts/mutation-ledger.json.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const LEDGER = 'scripts/mutation-ledger.json';
const sha = (text) => createHash('sha256').update(text).digest('hex');
const load = () => (existsSync(LEDGER) ? JSON.parse(readFileSync(LEDGER, 'utf8')) : { files: {} });

/** Counts one file's mutants by the schema's statuses. Detected = Killed + Timeout; the score's
 *  denominator adds Survived and NoCoverage; compile and runtime errors and ignored mutants are
 *  not valid mutants (the schema's definition of the mutation score). */
export function count(mutants) {
  const c = {
    mutants: mutants.length,
    killed: 0,
    timeout: 0,
    survived: 0,
    noCoverage: 0,
    invalid: 0,
  };
  for (const m of mutants) {
    if (m.status === 'Killed') c.killed++;
    else if (m.status === 'Timeout') c.timeout++;
    else if (m.status === 'Survived') c.survived++;
    else if (m.status === 'NoCoverage') c.noCoverage++;
    else if (m.status === 'Pending')
      throw new Error('the report has Pending mutants: the run did not finish');
    else c.invalid++;
  }
  return c;
}

function add(reportPath, command) {
  const report = JSON.parse(readFileSync(reportPath, 'utf8'));
  const ledger = load();
  const date = statSync(reportPath).mtime.toISOString().slice(0, 16).replace('T', ' ');
  let refused = 0;
  for (const [path, file] of Object.entries(report.files)) {
    const now = existsSync(path) ? sha(readFileSync(path, 'utf8')) : undefined;
    const scored = sha(file.source);
    if (now !== scored) {
      console.error(
        `mutation-ledger: ${path} changed while it was scored; not recorded, run it again`,
      );
      refused++;
      continue;
    }
    const c = count(file.mutants);
    ledger.files[path] = { sha256: scored, ...c, date, command };
    console.log(`mutation-ledger: ${path} ${line(c)}`);
  }
  ledger.files = Object.fromEntries(
    Object.entries(ledger.files).sort(([a], [b]) => a.localeCompare(b)),
  );
  writeFileSync(LEDGER, JSON.stringify(ledger, null, 2) + '\n');
  return refused ? 1 : 0;
}

const detected = (c) => c.killed + c.timeout;
const valid = (c) => detected(c) + c.survived + c.noCoverage;
const pct = (c) => (valid(c) ? ((100 * detected(c)) / valid(c)).toFixed(1) : '—');
const line = (c) =>
  `${pct(c)}% (${valid(c)} mutants: ${c.killed} killed, ${c.timeout} timeout, ${c.survived} survived, ${c.noCoverage} no coverage)`;

/** The files a layer's mutation run mutates (stryker.config.mjs: not tests, not test helpers). */
function layerFiles(layer) {
  const dir = `src/${layer}`;
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.tsx?$/.test(e.name) && !/\.test\.ts$|\.testkit\.ts$|^testkit\.ts$/.test(e.name))
        out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

function score(layer) {
  const ledger = load();
  const total = { killed: 0, timeout: 0, survived: 0, noCoverage: 0 };
  const stale = [];
  const missing = [];
  for (const path of layerFiles(layer)) {
    const e = ledger.files[path];
    if (!e) missing.push(path);
    else if (e.sha256 !== sha(readFileSync(path, 'utf8'))) stale.push(path);
    else {
      for (const k of Object.keys(total)) total[k] += e[k];
      console.log(`  ${path.padEnd(36)} ${line(e)}  ${e.date}`);
    }
  }
  for (const p of stale)
    console.log(`  ${p.padEnd(36)} STALE: the source changed since it was scored`);
  for (const p of missing) console.log(`  ${p.padEnd(36)} NOT SCORED`);
  const whole = !stale.length && !missing.length;
  console.log(
    `${layer}: ${line(total)}` +
      (whole
        ? ', every file scored on its current source'
        : `; INCOMPLETE: ${stale.length} stale, ${missing.length} not scored`),
  );
  return whole ? 0 : 1;
}

const [cmd, ...rest] = process.argv.slice(2);
if (cmd === 'add') {
  const ci = rest.indexOf('--command');
  const command = ci >= 0 ? rest[ci + 1] : '';
  const reports = rest.filter((_, i) => ci < 0 || (i !== ci && i !== ci + 1));
  let code = 0;
  for (const r of reports) code ||= add(r, command);
  process.exit(code);
}
process.exit(score(cmd ?? 'engine'));
