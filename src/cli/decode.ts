// `sva decode FILE|-` (scenario-format.md "CLI"): pasted arm-smmu-v3 kernel log text → JSON,
// one object per event in the run-results event shape, plus the other driver lines and warnings.
// Pure: main.ts reads the input and writes these strings; tests call this directly.
import { dmesgJson, parseDmesg } from '../logs/index.ts';

export interface CliOutput {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Exit 0 with pretty JSON, or exit 1 with one line on stderr naming the problem and its line. */
export function decodeCommand(text: string): CliOutput {
  const r = parseDmesg(text);
  if (!r.ok) return { code: 1, stdout: '', stderr: `decode: ${r.message}\n` };
  return { code: 0, stdout: `${JSON.stringify(dmesgJson(r), null, 2)}\n`, stderr: '' };
}
