// `sva maps FILE|- [--ops NAME]` (scenario-format.md "CLI"): /proc/PID/maps text → JSON list of
// VMAs, or with --ops the ops that create process NAME with those VMAs (mapsToOps); mappings the
// model cannot represent are named on stderr, one line each, with the reason.
import { mapsToOps, parseMaps } from '../logs/index.ts';
import type { CliOutput } from './decode.ts';

const NAME = /^[A-Za-z0-9_.:+-]{1,40}$/;

/** Exit 0 with `{ vmas, warnings }` (or the ops) as pretty JSON, or exit 1 with one line. */
export function mapsCommand(text: string, opsName?: string): CliOutput {
  if (opsName !== undefined && !NAME.test(opsName))
    return {
      code: 2,
      stdout: '',
      stderr: `maps: --ops needs a process name of 1–40 letters, digits or _ . : + - (got ${JSON.stringify(opsName.slice(0, 60))})\n`,
    };
  const r = parseMaps(text);
  if (!r.ok) return { code: 1, stdout: '', stderr: `maps: ${r.message}\n` };
  if (opsName === undefined) {
    const out = { vmas: r.vmas, warnings: r.warnings };
    return { code: 0, stdout: `${JSON.stringify(out, null, 2)}\n`, stderr: '' };
  }
  const m = mapsToOps(r.vmas, { name: opsName });
  const notes = m.vmas
    .filter((v) => !v.mapped)
    .map(
      (v) =>
        `maps: line ${v.vma.line}: ${v.vma.start}-${v.vma.end} ${v.label}: not created: ${v.note ?? ''}\n`,
    );
  return { code: 0, stdout: `${JSON.stringify(m.ops, null, 2)}\n`, stderr: notes.join('') };
}
