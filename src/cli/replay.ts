// `sva replay FILE|-` (scenario-format.md "CLI"): a pasted arm-smmu-v3 log → a scenario document
// in which the simulated SMMU raises the same events (replayLog checks each one by running it).
// stdout holds the document only, so it can be piped into `run`; stderr says, one line per
// distinct event, which op reproduces it or why the model cannot.
import { hex } from '../engine/index.ts';
import { parseDmesg, replayLog } from '../logs/index.ts';
import type { CliOutput } from './decode.ts';

export function replayCommand(text: string): CliOutput {
  const r = parseDmesg(text);
  if (!r.ok) return { code: 1, stdout: '', stderr: `replay: ${r.message}\n` };
  if (r.events.length === 0)
    return {
      code: 1,
      stdout: '',
      stderr: 'replay: the log holds no event records to reproduce (only other driver messages)\n',
    };
  const rp = replayLog(r);
  const lines = rp.items.map((i) => {
    const e = i.event.record;
    const what = `line ${i.event.line}: ${e.name} SID ${hex(e.sid)}${e.ssv ? ` SSID ${e.ssid}` : ''}`;
    return i.reproduced
      ? `replay: ${what}: reproduced by op ${i.op}\n`
      : `replay: ${what}: not reproduced: ${i.why ?? ''}\n`;
  });
  for (const n of rp.notes) lines.push(`replay: note: ${n}\n`);
  if (!rp.doc) return { code: 1, stdout: '', stderr: lines.join('') };
  return { code: 0, stdout: `${JSON.stringify(rp.doc, null, 2)}\n`, stderr: lines.join('') };
}
