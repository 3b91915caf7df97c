// `npm run fuzz [-- --seconds 300] [--seed 1] [--only kernel,link] [--case N] [--hang 10]
// [--jobs 2]`: property-based fuzzing (fast-check generators, targets.ts) of everything a user
// can hand the page or the CLI — links, scenario documents (with writes into live kernel
// structures, and bare-SMMU programs full of cycles), kernel logs, /proc/PID/maps — for a time
// budget. Worker processes run the cases (worker.ts; `--jobs`, one per core by default, job j
// taking cases j, j + jobs, j + 2·jobs … of every target); this one watches them, kills a worker
// when its case runs past the hang limit, and restarts it at its next case. Not part of
// `npm test`.
//
// Reported: cases per target, uncaught exceptions (each distinct one with its input in
// reports/fuzz/), hangs, cases over their limit (links and logs: 1 s of CPU), and the slowest
// cases with their size and why. The last line says it all; the exit code is 0 only when there
// were no exceptions, no hangs and no link or log over its limit.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { TARGETS } from './targets.ts';
import type { End, Msg, Start } from './worker.ts';

function args(argv: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) continue;
    const [k, v] = a.slice(2).split('=');
    out[k!] = v ?? (argv[i + 1]?.startsWith('--') === false ? argv[++i]! : 'true');
  }
  return out;
}

const opt = args(process.argv.slice(2));
const seconds = Number(opt['seconds'] ?? 60);
const seed = Number(opt['seed'] ?? Date.now() % 100_000);
const hangMs = Number(opt['hang'] ?? 10) * 1000;
const only = opt['only'] ? opt['only'].split(',') : [];
const single = opt['case'] !== undefined ? Number(opt['case']) : undefined;
const jobs =
  single !== undefined
    ? 1
    : Math.max(1, Number(opt['jobs'] ?? Math.min(2, availableParallelism())));
const OUT = 'reports/fuzz';
for (const t of only)
  if (!TARGETS.some((x) => x.name === t)) {
    console.error(`fuzz: unknown target "${t}" (${TARGETS.map((x) => x.name).join(', ')})`);
    process.exit(2);
  }

interface Slow {
  readonly target: string;
  readonly i: number;
  readonly cpuMs: number;
  readonly size: string;
  readonly why: string;
  readonly cold: boolean;
}
interface Failure {
  readonly target: string;
  readonly i: number;
  readonly message: string;
  readonly where: string;
  readonly file: string;
}

const stats = new Map<string, { cases: number; maxMs: number; over: number; cpuMs: number }>();
const slowest: Slow[] = [];
const failures = new Map<string, Failure>();
let failed = 0;
const hangs: { target: string; i: number }[] = [];
/** Per job, the next case of each target it runs. */
const nexts: Record<string, number>[] = Array.from({ length: jobs }, (_, j) =>
  Object.fromEntries(TARGETS.map((t) => [t.name, single ?? j])),
);
let running = 0;
/** Workers' CPU time (ms) as they report it when done: start-up, the loop, input generation. */
const cpu = { start: 0, loop: 0, gen: 0 };

mkdirSync(OUT, { recursive: true });
const started = Date.now();
const deadline = started + seconds * 1000;

/** The first frame in the project's source: where an exception came from. */
const whereOf = (stack: string): string =>
  /\((\/[^)]*\/src\/[^)]+)\)/.exec(stack)?.[1]?.replace(/^.*\/src\//, 'src/') ?? '?';

function onEnd(m: End, next: Record<string, number>): void {
  const s = stats.get(m.target) ?? { cases: 0, maxMs: 0, over: 0, cpuMs: 0 };
  s.cases++;
  s.cpuMs += m.cpuMs;
  s.maxMs = Math.max(s.maxMs, m.cpuMs);
  const limit = TARGETS.find((t) => t.name === m.target)!.limitMs;
  if (limit !== undefined && m.cpuMs > limit) s.over++;
  stats.set(m.target, s);
  next[m.target] = m.i + jobs;
  if (!m.error) {
    if (m.input !== undefined) {
      const file = `${OUT}/${m.target}-${seed}-${m.i}.case`;
      writeFileSync(file, m.input);
      console.log(`fuzz: ${m.target} case ${m.i}: input in ${file}`);
    }
    // Cases under the worker's DESCRIBE_MS come without a description: too fast to list.
    if (m.size === undefined) return;
    const why = m.why ?? '';
    slowest.push({
      target: m.target,
      i: m.i,
      cpuMs: m.cpuMs,
      size: m.size,
      why: m.cold ? `${why}; a fresh worker's first cases (V8 still compiling)` : why,
      cold: m.cold,
    });
    if (slowest.length > 200) slowest.sort((a, b) => b.cpuMs - a.cpuMs).splice(50);
    return;
  }
  failed++;
  const where = whereOf(m.error.stack);
  const key = `${m.target}|${m.error.message.slice(0, 120)}|${where}`;
  if (failures.has(key)) return;
  const file = `${OUT}/${m.target}-${seed}-${m.i}.case`;
  writeFileSync(file, m.error.input);
  failures.set(key, { target: m.target, i: m.i, message: m.error.message, where, file });
  console.log(
    `fuzz: ${m.target} case ${m.i}: ${m.error.message.slice(0, 200)} (at ${where}; input ${file})`,
  );
}

function start(job: number): ChildProcess {
  const next = nexts[job]!;
  running++;
  const child = fork(new URL('./worker.ts', import.meta.url), [], {
    execArgv: ['--import', 'tsx', '--stack-size=984'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  // The target whose slice the worker is in, and when it was last heard from: when it stops
  // answering, the case it is in is the one after the last it reported of that target.
  let slice: string | undefined;
  let heard = Date.now();
  let finished = false;
  const inCase = (): { target: string; i: number } | undefined =>
    slice !== undefined && !finished ? { target: slice, i: next[slice]! } : undefined;
  const timer = setInterval(() => {
    const c = inCase();
    if (c && Date.now() - heard > hangMs) {
      hangs.push(c);
      console.log(
        `fuzz: ${c.target} case ${c.i} ran past ${hangMs / 1000} s: a hang (replay: --only ${c.target} --case ${c.i} --seed ${seed})`,
      );
      next[c.target] = c.i + jobs;
      clearInterval(timer);
      child.removeAllListeners('exit');
      child.kill('SIGKILL');
      running--;
      if (Date.now() < deadline) start(job);
      else if (running === 0) report();
    }
  }, 250);
  child.on('message', (m: Msg) => {
    heard = Date.now();
    if (m.kind === 'done') {
      finished = true;
      cpu.start += m.startMs;
      cpu.loop += m.loopMs;
      cpu.gen += m.genMs;
    } else if (m.kind === 'slice') slice = m.target;
    else for (const e of m.ends) onEnd(e, next);
  });
  child.on('exit', (code, signal) => {
    clearInterval(timer);
    running--;
    const c = inCase();
    if (c && (code !== 0 || signal)) {
      // The process died inside a case (out of memory, a native stack overflow): a failure of
      // that case, and the worker goes on after it.
      failed++;
      const message = `the worker process died (${signal ?? `exit code ${code}`})`;
      failures.set(`${c.target}|${message}`, {
        target: c.target,
        i: c.i,
        message,
        where: '?',
        file: `replay: --only ${c.target} --case ${c.i} --seed ${seed}`,
      });
      console.log(`fuzz: ${c.target} case ${c.i}: ${message}`);
      next[c.target] = c.i + jobs;
      if (Date.now() < deadline) return void start(job);
    }
    if (running === 0) report();
  });
  const s: Start = {
    seed,
    only: single !== undefined && only.length === 0 ? [] : only,
    next: { ...next },
    stride: jobs,
    deadline,
    ...(single !== undefined ? { cases: single + 1 } : {}),
  };
  child.send(s);
  return child;
}

const progress = setInterval(() => {
  const cases = [...stats.values()].reduce((a, s) => a + s.cases, 0);
  console.log(
    `fuzz: ${Math.round((Date.now() - started) / 1000)} s, ${cases.toLocaleString('en')} cases, ${failed} exceptions, ${hangs.length} hangs`,
  );
}, 30_000);

const sec = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

let reported = false;
function report(): void {
  if (reported) return;
  reported = true;
  clearInterval(progress);
  const rows = TARGETS.filter((t) => stats.has(t.name)).map((t) => {
    const s = stats.get(t.name)!;
    return { t, s };
  });
  const total = rows.reduce((a, r) => a + r.s.cases, 0);
  console.log('');
  console.log('target     cases    max CPU   mean CPU  over limit');
  for (const { t, s } of rows)
    console.log(
      `${t.name.padEnd(9)} ${s.cases.toLocaleString('en').padStart(7)}  ${sec(s.maxMs).padStart(8)}  ${(s.cpuMs / s.cases).toFixed(2).padStart(6)} ms  ${t.limitMs !== undefined ? `${s.over} (> ${sec(t.limitMs)})` : '-'}`,
    );
  if (cpu.loop > 0) {
    const inCases = rows.reduce((a, r) => a + r.s.cpuMs, 0);
    console.log(
      `\nworkers' CPU: ${sec(cpu.start)} starting (imports, arbitraries), ${sec(cpu.loop)} in the loop: ${sec(inCases)} running cases, ${sec(cpu.gen)} generating inputs, ${sec(Math.max(0, cpu.loop - inCases - cpu.gen))} messages and bookkeeping`,
    );
  }
  slowest.sort((a, b) => b.cpuMs - a.cpuMs);
  console.log('\nslowest cases (CPU time; replay with --only TARGET --case N --seed S):');
  for (const s of slowest.slice(0, 10))
    console.log(`  ${sec(s.cpuMs)}  ${s.target} case ${s.i}: ${s.size}; ${s.why}`);
  if (failures.size) {
    console.log('\nuncaught exceptions:');
    for (const f of failures.values())
      console.log(
        `  ${f.target} case ${f.i}: ${f.message.slice(0, 160)} (at ${f.where}; ${f.file})`,
      );
  }
  const lim = (name: string): string => {
    const s = stats.get(name);
    if (!s) return `${name}s: not run`;
    return `every ${name} < 1 s: ${s.over === 0 ? 'yes' : `no (${s.over} over)`} (max ${sec(s.maxMs)})`;
  };
  const scen = slowest
    .filter(
      (s) =>
        !s.cold && (s.target === 'kernel' || s.target === 'hardware' || s.target === 'document'),
    )
    .slice(0, 3)
    .map((s) => `${sec(s.cpuMs)} ${s.target} #${s.i} (${s.size}: ${s.why})`);
  const summary = {
    seed,
    jobs,
    workerCpuMs: cpu,
    seconds: Math.round((Date.now() - started) / 1000),
    cases: total,
    exceptions: failed,
    distinctExceptions: failures.size,
    hangs,
    targets: Object.fromEntries(rows.map(({ t, s }) => [t.name, s])),
    slowest: slowest.slice(0, 20),
    failures: [...failures.values()],
  };
  writeFileSync(`${OUT}/report.json`, JSON.stringify(summary, null, 2));
  // How much of the machine the workers had: case CPU time over wall time, beside the load.
  const caseCpu = rows.reduce((a, r) => a + r.s.cpuMs, 0) / 1000;
  const share = `${((100 * caseCpu) / Math.max(1, summary.seconds)).toFixed(0)}% of a core in cases, load ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`;
  const ok =
    total > 0 &&
    failed === 0 &&
    hangs.length === 0 &&
    (stats.get('link')?.over ?? 0) === 0 &&
    (stats.get('log')?.over ?? 0) === 0;
  console.log(
    `\nfuzz: ${total.toLocaleString('en')} cases in ${summary.seconds} s (seed ${seed}, ${jobs} job${jobs > 1 ? 's' : ''}, ${share}): ${failed} uncaught exceptions, ${hangs.length} hangs (${hangMs / 1000} s); ${lim('link')}; ${lim('log')}; slowest scenarios: ${scen.join('; ') || 'none'}`,
  );
  process.exitCode = ok ? 0 : 1;
}

for (let j = 0; j < jobs; j++) start(j);
