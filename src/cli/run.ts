// `sva run FILE|- [--json] [--kernel ID]`: runs a scenario — under its own kernel era or the one
// --kernel names — and prints the results in the contract's shape, or a readable log. Pure:
// main.ts reads the input and writes these strings.
import { hex } from '../engine/index.ts';
import { ERA_IDS, isEraId } from '../kernel/index.ts';
import {
  openTimeline,
  parseScenario,
  recordJson,
  VERSION,
  type OpRecord,
  type Parsed,
} from '../scenario/index.ts';
import type { CliOutput } from './decode.ts';

export function runCommand(text: string, json: boolean, kernel?: string): CliOutput {
  if (kernel !== undefined && !isEraId(kernel))
    return {
      code: 1,
      stdout: '',
      stderr: `run: --kernel: no kernel era "${kernel}" (one of ${ERA_IDS.join(', ')}; sva kernels lists them)\n`,
    };
  let parsed: Parsed = parseScenario(text);
  // The document as its version means it (a version-1 "mainline" is v6.11), then the era asked for.
  if (parsed.ok && kernel !== undefined)
    parsed = parseScenario({ ...parsed.doc, version: VERSION, kernel });
  if (!parsed.ok) return { code: 1, stdout: '', stderr: `run: ${parsed.error}\n` };
  // A platform the kernel cannot boot on (the SMMU probe fails) is an error, not a crash.
  const opened = openTimeline(parsed.scenario);
  if (!opened.ok) return { code: 1, stdout: '', stderr: `run: ${opened.error}\n` };
  const t = opened.timeline;
  if (json) {
    const out = {
      ok: true,
      kernel: parsed.scenario.kernel,
      boot: t.bootNotes,
      results: t.records.map(recordJson),
    };
    return { code: 0, stdout: `${JSON.stringify(out, null, 2)}\n`, stderr: '' };
  }
  const lines: string[] = [
    `# ${parsed.scenario.title ?? 'scenario'} (kernel ${parsed.scenario.kernel})`,
    ...t.bootNotes.map((n) => `  boot: ${n}`),
  ];
  for (const r of t.records) lines.push(...describe(r));
  return { code: 0, stdout: `${lines.join('\n')}\n`, stderr: '' };
}

function describe(r: OpRecord): string[] {
  const head = `[${r.index}] ${r.op.op}: ${r.status === 'ok' ? 'ok' : `${r.error} ${r.message ?? ''}`}${r.pasid !== undefined ? ` pasid=${r.pasid}` : ''}${r.pa !== undefined ? ` pa=${hex(r.pa)}` : ''}${r.dma ? ` dma=${r.dma.outcome}${r.dma.pa !== undefined ? ` ${hex(r.dma.pa)}` : ''}` : ''}`;
  const out = [head];
  for (const n of r.notes) out.push(`    ${n}`);
  for (const c of r.commands) out.push(`    cmd  ${c.command?.name ?? '?'}  ${c.effect}`);
  for (const e of r.events)
    out.push(
      `    evt  ${e.event.name} sid=${hex(e.event.sid)}${e.event.ssv ? ` ssid=${e.event.ssid}` : ''} addr=${hex(e.event.addr)}${e.written ? ` (slot ${e.slot})` : ` (${e.reason ?? 'not written'})`}`,
    );
  for (const p of r.pageRequests)
    out.push(
      `    pri  sid=${hex(p.request.sid)} prg=${p.request.prgIndex} addr=${hex(p.request.addr)}${p.written ? ` (slot ${p.slot})` : ' (auto-response)'}`,
    );
  if (r.writes.length) out.push(`    mem  ${r.writes.length} word(s) written`);
  return out;
}
