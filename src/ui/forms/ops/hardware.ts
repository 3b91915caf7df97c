// Hardware-level ops, below the kernel model: a raw memory write, an SMMU register write, and a
// command written to the command queue (its fields by the scenario format's names).
import {
  COMMAND_FIELD_ALIASES,
  COMMANDS,
  lookupCommand,
  WRITABLE_REGS,
} from '../../../engine/index.ts';
import type { FieldSpec, OpSpec } from './spec.ts';

const ALIAS_OF = new Map<string, string>();
for (const [alias, spec] of Object.entries(COMMAND_FIELD_ALIASES))
  if (!ALIAS_OF.has(spec) && alias !== 'prgindex') ALIAS_OF.set(spec, alias);

/** The fields of one command, by the names the scenario format uses (sid, ssid, leaf, …). */
function commandFields(name: string): FieldSpec[] {
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

export const HARDWARE_OPS: OpSpec[] = [
  {
    op: 'write64',
    group: 'hardware',
    help: 'Writes one 64-bit word of memory (the kernel model is not told).',
    fields: () => [
      { key: 'pa', label: 'PA', kind: 'u64', wide: true, def: () => '0x4000_0000' },
      { key: 'value', label: 'Value', kind: 'u64', wide: true, def: () => '0x0' },
    ],
  },
  {
    op: 'reg',
    group: 'hardware',
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
  {
    op: 'cmd',
    group: 'hardware',
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
];
