// The CLI: `npm run -s sva -- <command>` (scenario-format.md "CLI"). Reads FILE or stdin ("-"),
// prints to stdout; bad input gives a non-zero exit and one line on stderr naming what and where.
import { readFileSync } from 'node:fs';
import { decodeCommand, type CliOutput } from './decode.ts';
import { kernelsCommand } from './kernels.ts';
import { mapsCommand } from './maps.ts';
import { replayCommand } from './replay.ts';
import { runCommand } from './run.ts';
import { urlCommand } from './url.ts';
import { installOnDemand } from './install.ts';

const USAGE = `usage: sva <command> [options] FILE|-
  run FILE|- [--json] [--kernel ID]
                           run a scenario; print the results (JSON with --json, else a readable
                           log); --kernel runs it under that kernel era instead of its own
  kernels [--json]         list the kernel eras, oldest first
  url FILE|-               print the share-link fragment for a scenario
  url --decode URL         print the scenario a link holds, as JSON
  decode FILE|-            decode pasted arm-smmu-v3 kernel log text to JSON events
  replay FILE|-            print a scenario that reproduces the events of an arm-smmu-v3 log
  maps FILE|- [--ops NAME] parse /proc/PID/maps text to VMAs as JSON (--ops: the ops that
                           create process NAME with those VMAs)`;

function read(path: string | undefined): string {
  if (path === undefined) throw new Error('missing FILE (or - for standard input)');
  try {
    return readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (e) {
    throw new Error(
      `cannot read ${path === '-' ? 'standard input' : path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      { cause: e },
    );
  }
}

/** Options that take a value: `--kernel ID` or `--kernel=ID` (and `--ops NAME`). */
const VALUED = new Set(['--kernel', '--ops']);

export function main(argv: readonly string[]): CliOutput {
  // The schema and the link codec, which the page loads on demand.
  installOnDemand();
  const [cmd, ...given] = argv;
  const values = new Map<string, string>();
  const rest: string[] = [];
  for (let i = 0; i < given.length; i++) {
    const a = given[i]!;
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(0, eq) : a;
    if (!VALUED.has(name)) rest.push(a);
    else if (eq > 0) values.set(name, a.slice(eq + 1));
    else if (i + 1 < given.length) values.set(name, given[++i]!);
    else return { code: 2, stdout: '', stderr: `${cmd}: ${name} needs a value\n` };
  }
  const flags = new Set(rest.filter((a) => a.startsWith('--')));
  const args = rest.filter((a) => !a.startsWith('--') || a === '-');
  try {
    switch (cmd) {
      case 'run':
        return runCommand(read(args[0]), flags.has('--json'), values.get('--kernel'));
      case 'kernels':
        return kernelsCommand(flags.has('--json'));
      case 'decode':
        return decodeCommand(read(args[0]));
      case 'maps':
        return mapsCommand(read(args[0]), values.get('--ops'));
      case 'replay':
        return replayCommand(read(args[0]));
      case 'url':
        return flags.has('--decode')
          ? urlCommand(args[0] ?? '', true)
          : urlCommand(read(args[0]), false);
      case undefined:
      case '--help':
      case 'help':
        return {
          code: cmd === undefined ? 2 : 0,
          stdout: cmd === undefined ? '' : `${USAGE}\n`,
          stderr: cmd === undefined ? `${USAGE}\n` : '',
        };
      default:
        return { code: 2, stdout: '', stderr: `sva: unknown command "${cmd}"\n${USAGE}\n` };
    }
  } catch (e) {
    return { code: 1, stdout: '', stderr: `${cmd}: ${(e as Error).message}\n` };
  }
}

const isEntry =
  process.argv[1] !== undefined &&
  import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').pop() ?? '');
if (isEntry) {
  const r = main(process.argv.slice(2));
  process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  process.exitCode = r.code;
}
