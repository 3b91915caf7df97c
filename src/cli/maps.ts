// `sva maps FILE|-` (scenario-format.md "CLI"): /proc/PID/maps text → JSON list of VMAs.
import { parseMaps } from '../logs/index.ts';
import type { CliOutput } from './decode.ts';

/** Exit 0 with `{ vmas, warnings }` as pretty JSON, or exit 1 with one line on stderr. */
export function mapsCommand(text: string): CliOutput {
  const r = parseMaps(text);
  if (!r.ok) return { code: 1, stdout: '', stderr: `maps: ${r.message}\n` };
  const out = { vmas: r.vmas, warnings: r.warnings };
  return { code: 0, stdout: `${JSON.stringify(out, null, 2)}\n`, stderr: '' };
}
