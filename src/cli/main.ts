// The CLI: `npm run -s sva -- <command>` (scenario-format.md "CLI"). Reads FILE or stdin ("-"),
// prints to stdout; bad input gives a non-zero exit and one line on stderr naming what and where.
import { readFileSync } from 'node:fs';
import { decodeCommand, type CliOutput } from './decode.ts';
import { mapsCommand } from './maps.ts';
import { runCommand } from './run.ts';
import { urlCommand } from './url.ts';

const USAGE = `usage: sva <command> [options] FILE|-
  run FILE|- [--json]      run a scenario; print the results (JSON with --json, else a readable log)
  url FILE|-               print the share-link fragment for a scenario
  url --decode URL         print the scenario a link holds, as JSON
  decode FILE|-            decode pasted arm-smmu-v3 kernel log text to JSON events
  maps FILE|-              parse /proc/PID/maps text to VMAs as JSON`;

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

export function main(argv: readonly string[]): CliOutput {
  const [cmd, ...rest] = argv;
  const flags = new Set(rest.filter((a) => a.startsWith('--')));
  const args = rest.filter((a) => !a.startsWith('--') || a === '-');
  try {
    switch (cmd) {
      case 'run':
        return runCommand(read(args[0]), flags.has('--json'));
      case 'decode':
        return decodeCommand(read(args[0]));
      case 'maps':
        return mapsCommand(read(args[0]));
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
