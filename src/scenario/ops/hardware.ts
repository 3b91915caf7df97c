// Hardware-level ops, below the kernel model: a raw memory write, an SMMU register write, and a
// command written to the command queue (its fields by the scenario format's names). The runner
// (run.ts) carries them out on the engine directly, with a device access by StreamID (dma.ts).
import {
  COMMAND_FIELD_ALIASES,
  COMMANDS,
  lookupCommand,
  parseU64,
  regName,
  WRITABLE_REGS,
} from '../../engine/index.ts';
import { big, defineOp, fail, noWork, type DocOf, type FieldSpec, type OpDef } from './def.ts';
import type { DmaBySid } from './dma.ts';
import { quote } from '../quote.ts';
import { addr } from './text.ts';

export type HardwareOp =
  | { readonly op: 'write64'; readonly pa: bigint; readonly value: bigint }
  | { readonly op: 'reg'; readonly name: string; readonly value: bigint }
  | {
      readonly op: 'cmd';
      readonly name: string;
      readonly fields: Readonly<Record<string, bigint>>;
    }
  | DmaBySid;

export const write64Op = defineOp('write64', {
  parse: (o, _at, c) => {
    const pa = big(o.pa);
    c.aligned('pa', pa, 8n);
    return { op: 'write64', pa, value: big(o.value) };
  },
  link: { fields: ['pa', 'value'] },
  work: noWork,
  runsIn: 'hardware',
  summary: (o) => `write64 [${addr(o.pa)}] ← ${addr(o.value)}`,
  form: {
    help: 'Writes one 64-bit word of memory (the kernel model is not told).',
    fields: () => [
      { key: 'pa', label: 'PA', kind: 'u64', wide: true, def: () => '0x4000_0000' },
      { key: 'value', label: 'Value', kind: 'u64', wide: true, def: () => '0x0' },
    ],
  },
});

export const regOp = defineOp('reg', {
  parse: (o, at) => {
    const n = regName(o.name);
    if (!n) fail(`${at}.name`, `unknown register ${quote(o.name)}`);
    if (!WRITABLE_REGS.includes(n!)) fail(`${at}.name`, `SMMU_${n} is read-only`);
    return { op: 'reg', name: n!, value: big(o.value) };
  },
  link: { fields: ['name', 'value'] },
  work: noWork,
  runsIn: 'hardware',
  summary: (o) => `reg ${o.name.toUpperCase().replace(/^SMMU_/, '')} ← ${addr(o.value)}`,
  form: {
    help: 'Writes an SMMU register.',
    fields: () => [
      {
        key: 'name',
        label: 'Register',
        kind: 'select',
        choices: () => WRITABLE_REGS.map((r) => ({ value: r, label: `SMMU_${r}` })),
        def: () => 'CR0',
      },
      { key: 'value', label: 'Value', kind: 'u64', wide: true, def: () => '0x0' },
    ],
  },
});

// Command fields depend on the opcode: the schema lets any through, parse checks them against
// the command table.
export const cmdOp: OpDef<DocOf<'cmd'>> = {
  op: 'cmd',
  parse: parseCmd,
  link: 'object',
  work: noWork,
  runsIn: 'hardware',
  summary: (o) => {
    const fields = Object.entries(o)
      .filter(([k]) => k !== 'op' && k !== 'name')
      .map(([k, v]) => `${k}=${typeof v === 'string' ? addr(v) : String(v)}`);
    return `cmd ${o.name.toUpperCase().replace(/^CMD_/, '')}${fields.length ? ' ' + fields.join(' ') : ''}`;
  },
  form: {
    help: 'Writes a command to the command queue; the SMMU consumes it.',
    fields: (v) => [
      {
        key: 'name',
        label: 'Command',
        kind: 'select',
        choices: () => [
          ...COMMANDS.map((c) => ({ value: c.name.replace(/^CMD_/, ''), label: c.name })),
          { value: 'CFGI_ALL', label: 'CMD_CFGI_ALL' },
        ],
        def: () => 'SYNC',
      },
      ...commandFields(String(v['name'] ?? 'SYNC')),
    ],
  },
};

function parseCmd(o: Record<string, unknown> & { name: string }, at: string) {
  return { op: 'cmd', name: o.name, fields: commandOf(o, at, []) } as const;
}

/**
 * A command's fields from a document that names it (`name`) and spells its fields by the
 * scenario format's names (sid, ssid, leaf, …): cmd, and a guest's command (ginv). `own` lists
 * the document's other fields, which are not the command's.
 */
export function commandOf(
  o: Record<string, unknown> & { name: string },
  at: string,
  own: readonly string[],
): Record<string, bigint> {
  const spec = lookupCommand(o.name);
  if (!spec) fail(`${at}.name`, `unknown command ${quote(o.name)}`);
  const fields: Record<string, bigint> = {};
  for (const [k, v] of Object.entries(o)) {
    if (k === 'op' || k === 'name' || own.includes(k)) continue;
    if (spec!.name === 'CMD_RESUME' && k === 'resp') {
      // Linux packs Ac/Ab as CMDQ_RESUME_0_RESP: TERM=0, RETRY=1, ABORT=2 (arm-smmu-v3.h).
      const i =
        typeof v === 'string'
          ? ['term', 'retry', 'abort'].indexOf(v.toLowerCase())
          : typeof v === 'number'
            ? v
            : -1;
      if (i < 0 || i > 2) fail(`${at}.resp`, 'must be "retry", "abort" or "term" (or 1, 2, 0)');
      fields['Ac'] = i === 1 ? 1n : 0n;
      fields['Ab'] = i === 2 ? 1n : 0n;
      continue;
    }
    const specName = COMMAND_FIELD_ALIASES[k] ?? k;
    const fd = spec!.fields[specName];
    if (!fd || specName === 'Opcode') fail(`${at}.${k}`, `${spec!.name} has no field ${quote(k)}`);
    let value: bigint | undefined;
    if (typeof v === 'boolean') value = v ? 1n : 0n;
    else if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) value = BigInt(v);
    else if (typeof v === 'string')
      value = specName === 'Resp' ? (respValue(spec!.name, v) ?? parseU64(v)) : parseU64(v);
    if (value === undefined) fail(`${at}.${k}`, 'must be a number, a "0x…" string or true/false');
    const shift = specName === 'Address' ? 12 : specName === 'MSIAddress' ? 2 : 0;
    const width = BigInt(fd!.hi - fd!.lo + 1 + shift);
    if (value! >= 1n << width)
      fail(`${at}.${k}`, `does not fit ${spec!.name}.${specName} (${fd!.hi - fd!.lo + 1} bits)`);
    fields[specName] = value!;
  }
  return fields;
}

/** PRI_RESP.Resp may be given by name: failure / invalid / success (§8.3). */
function respValue(cmd: string, v: string): bigint | undefined {
  if (cmd !== 'CMD_PRI_RESP') return undefined;
  const i = ['failure', 'invalid', 'success'].indexOf(v.toLowerCase());
  return i < 0 ? undefined : BigInt(i);
}

const ALIAS_OF = new Map<string, string>();
for (const [alias, spec] of Object.entries(COMMAND_FIELD_ALIASES))
  if (!ALIAS_OF.has(spec) && alias !== 'prgindex') ALIAS_OF.set(spec, alias);

/** The form fields of one command, by the names the scenario format uses (sid, ssid, leaf, …). */
export function commandFields(name: string): FieldSpec[] {
  const spec = lookupCommand(name);
  if (!spec) return [];
  const out: FieldSpec[] = [];
  const resume = spec.name === 'CMD_RESUME';
  for (const k of Object.keys(spec.fields)) {
    if (k === 'Opcode' || k === 'SSV' || (resume && (k === 'Ac' || k === 'Ab'))) continue;
    if (/CFGI_ALL$/i.test(name) && k === 'Range') continue;
    out.push({
      key: ALIAS_OF.get(k) ?? k,
      label: k,
      kind: 'u64',
      optional: true,
      wide: k === 'Address' || k === 'MSIAddress',
      def: () => '',
    });
  }
  if (resume)
    out.push({
      key: 'resp',
      label: 'Response',
      kind: 'select',
      choices: () => ['retry', 'abort', 'term'].map((r) => ({ value: r, label: r })),
      def: () => 'retry',
    });
  return out;
}
