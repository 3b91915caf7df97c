// One field spec per op: what the "Add an op" form shows, its defaults (computed from the world at
// the end of the scenario, where the new op goes), and how the values become an OpDoc. The store
// validates; the form only shapes text into the document's types.
import {
  COMMAND_FIELD_ALIASES,
  COMMANDS,
  lookupCommand,
  parseU64,
  WRITABLE_REGS,
} from '../../engine/index.ts';
import { privateKey, type KernelState } from '../../kernel/index.ts';
import type { OpDoc, OpName } from '../../scenario/index.ts';
import { groupHex } from '../timeline/describe.ts';

export type Value = string | boolean;
export type Values = Readonly<Record<string, Value>>;

/** What defaults and choices are computed from: the kernel after the last op. */
export interface FormCtx {
  readonly kernel: KernelState | undefined;
}

export interface Choice {
  readonly value: string;
  readonly label: string;
}

export interface FieldSpec {
  /** The OpDoc field (validation errors name it: `ops[7].size`). */
  readonly key: string;
  readonly label: string;
  /**
   * text: a string as typed; name: a reference to a device/domain/process (free text with
   * suggestions); number: a JSON number ("0x100" accepted); u64: an address/size string;
   * select: fixed choices; bool: a checkbox.
   */
  readonly kind: 'text' | 'name' | 'number' | 'u64' | 'select' | 'bool';
  readonly optional?: boolean;
  /** Choices of a select, or suggestions of a name field. */
  readonly choices?: (c: FormCtx, v: Values) => readonly Choice[];
  readonly def?: (c: FormCtx, v: Values) => Value;
  /** Shown only when this holds (e.g. map's domain vs dev+proc). */
  readonly when?: (v: Values) => boolean;
  /** Not part of the document (a switch between field sets). */
  readonly virtual?: boolean;
  readonly hint?: string;
  /** Takes the form's full width (64-bit addresses). */
  readonly wide?: boolean;
}

export interface OpSpec {
  readonly op: OpName;
  readonly group: 'kernel' | 'hardware';
  readonly help: string;
  readonly fields: (v: Values) => readonly FieldSpec[];
}

// ---- the world, as choices and defaults ----

const devices = (c: FormCtx) => [...(c.kernel?.devices.values() ?? [])];
const domains = (c: FormCtx) => [...(c.kernel?.domains.values() ?? [])];
const procs = (c: FormCtx) => [...(c.kernel?.processes.values() ?? [])];
const names = (xs: readonly { name: string }[]): Choice[] =>
  xs.map((x) => ({ value: x.name, label: x.name }));
const last = <T>(xs: readonly T[]): T | undefined => xs[xs.length - 1];

/** "dev0", "dev1", … the first not taken. */
function freshName(prefix: string, taken: readonly { name: string }[]): string {
  const set = new Set(taken.map((t) => t.name));
  for (let i = 0; ; i++) if (!set.has(`${prefix}${i}`)) return `${prefix}${i}`;
}

/** Bonds (device ↔ process) in the order the devices were added. */
function bonds(c: FormCtx) {
  return devices(c).flatMap((d) =>
    [...d.bonds].map(([proc, b]) => ({ dev: d.name, proc, pasid: b.pasid, tables: b.tables })),
  );
}

const DEFAULT_VA = 0x7f00_0000_0000n;
const vmasOf = (c: FormCtx, proc: Value) =>
  c.kernel?.processes
    .get(String(proc))
    ?.mm.vmas.slice()
    .sort((a, b) => Number(a.start - b.start)) ?? [];

/** The next free page-aligned address above the process's VMAs. */
function nextVa(c: FormCtx, proc: Value): bigint {
  const vmas = vmasOf(c, proc);
  const top = vmas.reduce((m, v) => (v.end > m ? v.end : m), 0n);
  return top === 0n ? DEFAULT_VA : top;
}

function firstVma(c: FormCtx, proc: Value): { start: bigint; size: bigint } | undefined {
  const v = vmasOf(c, proc)[0];
  return v ? { start: v.start, size: v.end - v.start } : undefined;
}

/** The io-pgtable a map/unmap names (a domain's, or a private PASID context's). */
function pgtableOf(c: FormCtx, v: Values) {
  if (v['target'] === 'private')
    return c.kernel?.privates.get(privateKey(String(v['dev']), String(v['proc'])))?.pgtable;
  return c.kernel?.domains.get(String(v['domain']))?.pgtable;
}

function leaves(c: FormCtx, v: Values) {
  return [...(pgtableOf(c, v)?.leaves ?? [])].sort((a, b) => Number(a[0] - b[0]));
}

function nextIova(c: FormCtx, v: Values): bigint {
  const ls = leaves(c, v);
  if (ls.length === 0) return v['target'] === 'private' ? 0x10_0000n : 0x1000_0000n;
  const [iova, leaf] = ls[ls.length - 1]!;
  return iova + leaf.size;
}

/** Where a device's DMA would land by default: its latest bond's memory, or its domain's. */
function dmaTarget(c: FormCtx, dev: Value): { pasid: number | undefined; addr: bigint } {
  const d = c.kernel?.devices.get(String(dev));
  if (!d) return { pasid: undefined, addr: 0n };
  const bond = last([...d.bonds]);
  if (bond) {
    const [proc, b] = bond;
    if (b.tables === 'private') {
      const first = [...(c.kernel?.privates.get(privateKey(d.name, proc))?.pgtable.leaves ?? [])]
        .map(([iova]) => iova)
        .sort((x, y) => Number(x - y))[0];
      return { pasid: b.pasid, addr: first ?? 0x10_0000n };
    }
    return { pasid: b.pasid, addr: firstVma(c, proc)?.start ?? DEFAULT_VA };
  }
  const iovas = [...(c.kernel?.domains.get(d.domain ?? '')?.pgtable?.leaves.keys() ?? [])].sort(
    (x, y) => Number(x - y),
  );
  return { pasid: undefined, addr: iovas[0] ?? 0n };
}

// ---- reusable fields ----

const PROT: Choice[] = ['r', 'rw', 'rx', 'rwx', 'w', 'x', 'wx'].map((p) => ({
  value: p,
  label: p,
}));
const ACCESS: Choice[] = [
  { value: 'r', label: 'r (read)' },
  { value: 'w', label: 'w (write)' },
  { value: 'x', label: 'x (instruction fetch)' },
];

const devField = (def: (c: FormCtx) => string | undefined = (c) => last(devices(c))?.name) =>
  ({
    key: 'dev',
    label: 'Device',
    kind: 'name',
    choices: (c) => names(devices(c)),
    def: (c) => def(c) ?? '',
  }) satisfies FieldSpec;

const procField = (def: (c: FormCtx) => string | undefined = (c) => last(procs(c))?.name) =>
  ({
    key: 'proc',
    label: 'Process',
    kind: 'name',
    choices: (c) => names(procs(c)),
    def: (c) => def(c) ?? '',
  }) satisfies FieldSpec;

const protField = (def = 'rw'): FieldSpec => ({
  key: 'prot',
  label: 'Protection',
  kind: 'select',
  choices: () => PROT,
  def: () => def,
});

/** proc + addr + size over an existing VMA (munmap, mprotect, pin, unpin, reclaim). */
const vmaFields: FieldSpec[] = [
  procField(),
  {
    key: 'addr',
    label: 'Address',
    kind: 'u64',
    wide: true,
    def: (c, v) => groupHex(firstVma(c, v['proc'] ?? '')?.start ?? DEFAULT_VA),
  },
  {
    key: 'size',
    label: 'Size',
    kind: 'u64',
    def: (c, v) => groupHex(firstVma(c, v['proc'] ?? '')?.size ?? 0x1000n),
  },
];

const mapTargetFields: FieldSpec[] = [
  {
    key: 'target',
    label: 'Tables',
    kind: 'select',
    virtual: true,
    choices: () => [
      { value: 'domain', label: "a domain's io-pgtable" },
      { value: 'private', label: 'a private PASID context (dev + proc)' },
    ],
    def: (c) =>
      domains(c).some((d) => d.type === 'dma') || !c.kernel?.privates.size ? 'domain' : 'private',
  },
  {
    key: 'domain',
    label: 'Domain',
    kind: 'name',
    when: (v) => v['target'] !== 'private',
    choices: (c) => names(domains(c)),
    def: (c) => last(domains(c).filter((d) => d.type === 'dma'))?.name ?? '',
  },
  {
    ...devField((c) => last([...(c.kernel?.privates.values() ?? [])])?.dev),
    when: (v) => v['target'] === 'private',
  },
  {
    ...procField((c) => last([...(c.kernel?.privates.values() ?? [])])?.proc),
    when: (v) => v['target'] === 'private',
  },
];

// ---- the ops ----

const KERNEL: OpSpec[] = [
  {
    op: 'device',
    group: 'kernel',
    help: 'A device probed behind the SMMU: its STE is written.',
    fields: () => [
      { key: 'name', label: 'Name', kind: 'text', def: (c) => freshName('dev', devices(c)) },
      {
        key: 'sid',
        label: 'StreamID',
        kind: 'number',
        def: (c) => {
          const sids = devices(c).map((d) => d.sid);
          return groupHex(sids.length ? Math.max(...sids) + 1 : 0x10);
        },
      },
      {
        key: 'bus',
        label: 'Bus',
        kind: 'select',
        choices: () => [
          { value: 'pci', label: 'PCI' },
          { value: 'platform', label: 'platform' },
        ],
        def: () => 'pci',
      },
      {
        key: 'pasidBits',
        label: 'PASID bits',
        kind: 'number',
        optional: true,
        def: () => '20',
        hint: '0–20; 0: no PASIDs',
      },
      { key: 'ats', label: 'ATS', kind: 'bool', def: () => false },
      { key: 'pri', label: 'PRI', kind: 'bool', def: () => false },
      { key: 'stall', label: 'Stall', kind: 'bool', def: () => false },
    ],
  },
  {
    op: 'domain',
    group: 'kernel',
    help: 'An iommu_domain; a DMA domain gets an io-pgtable.',
    fields: () => [
      { key: 'name', label: 'Name', kind: 'text', def: (c) => freshName('dom', domains(c)) },
      {
        key: 'type',
        label: 'Type',
        kind: 'select',
        choices: () => ['dma', 'identity', 'blocked'].map((t) => ({ value: t, label: t })),
        def: () => 'dma',
      },
      {
        key: 'granule',
        label: 'Granule',
        kind: 'select',
        optional: true,
        choices: () => [
          { value: '', label: "CPU's (default)" },
          ...['4K', '16K', '64K'].map((g) => ({ value: g, label: g })),
        ],
        def: () => '',
      },
    ],
  },
  {
    op: 'attach',
    group: 'kernel',
    help: "Attaches a device's RID to a domain.",
    fields: () => [
      devField(
        (c) =>
          last(devices(c).filter((d) => d.domain === undefined))?.name ?? last(devices(c))?.name,
      ),
      {
        key: 'domain',
        label: 'Domain',
        kind: 'name',
        choices: (c) => names(domains(c)),
        def: (c) => last(domains(c))?.name ?? '',
      },
    ],
  },
  {
    op: 'process',
    group: 'kernel',
    help: 'A process: its mm (pgd, ASID) is created.',
    fields: () => [
      { key: 'name', label: 'Name', kind: 'text', def: (c) => freshName('proc', procs(c)) },
      { key: 'pid', label: 'PID', kind: 'number', optional: true, def: () => '' },
    ],
  },
  {
    op: 'mmap',
    group: 'kernel',
    help: 'Adds a VMA to the process.',
    fields: () => [
      procField(),
      {
        key: 'addr',
        label: 'Address',
        kind: 'u64',
        wide: true,
        def: (c, v) => groupHex(nextVa(c, v['proc'] ?? '')),
      },
      { key: 'size', label: 'Size', kind: 'u64', def: () => '0x1_0000' },
      protField(),
      { key: 'populate', label: 'Populate', kind: 'bool', def: () => false },
    ],
  },
  {
    op: 'munmap',
    group: 'kernel',
    help: 'Removes VMAs; the MMU notifier invalidates the SMMU.',
    fields: () => vmaFields,
  },
  {
    op: 'mprotect',
    group: 'kernel',
    help: 'Changes the protection of a range; notifier invalidations follow.',
    fields: () => [...vmaFields, protField('r')],
  },
  {
    op: 'touch',
    group: 'kernel',
    help: 'A CPU access: a demand fault if the page is absent; returns the PA.',
    fields: () => [
      procField(),
      {
        key: 'addr',
        label: 'Address',
        kind: 'u64',
        wide: true,
        def: (c, v) => groupHex(firstVma(c, v['proc'] ?? '')?.start ?? DEFAULT_VA),
      },
      { key: 'access', label: 'Access', kind: 'select', choices: () => ACCESS, def: () => 'r' },
    ],
  },
  {
    op: 'pin',
    group: 'kernel',
    help: 'get_user_pages: faults pages in and holds them.',
    fields: () => vmaFields,
  },
  { op: 'unpin', group: 'kernel', help: 'Releases pinned pages.', fields: () => vmaFields },
  {
    op: 'reclaim',
    group: 'kernel',
    help: 'Evicts unpinned pages; notifier invalidations follow.',
    fields: () => vmaFields,
  },
  {
    op: 'bind',
    group: 'kernel',
    help: 'Binds a process to a device: returns a PASID.',
    fields: () => [
      devField(
        (c) => last(devices(c).filter((d) => d.ssidBits > 0))?.name ?? last(devices(c))?.name,
      ),
      procField(),
      {
        key: 'tables',
        label: 'Page tables',
        kind: 'select',
        choices: () => [
          { value: 'shared', label: "shared (the process's own: SVA)" },
          { value: 'private', label: 'private (a new io-pgtable)' },
        ],
        def: () => 'shared',
      },
    ],
  },
  {
    op: 'unbind',
    group: 'kernel',
    help: 'Unbinds a process from a device: its PASID is freed.',
    fields: () => [
      devField((c) => last(bonds(c))?.dev ?? last(devices(c))?.name),
      procField((c) => last(bonds(c))?.proc ?? last(procs(c))?.name),
    ],
  },
  {
    op: 'map',
    group: 'kernel',
    help: 'iommu_map: io-pgtable entries are written.',
    fields: () => [
      ...mapTargetFields,
      {
        key: 'iova',
        label: 'IOVA',
        kind: 'u64',
        wide: true,
        def: (c, v) => groupHex(nextIova(c, v)),
      },
      { key: 'size', label: 'Size', kind: 'u64', def: () => '0x4000' },
      protField(),
      {
        key: 'pa',
        label: 'PA',
        kind: 'u64',
        wide: true,
        optional: true,
        def: () => '',
        hint: 'empty: the kernel allocates',
      },
    ],
  },
  {
    op: 'unmap',
    group: 'kernel',
    help: 'iommu_unmap: entries cleared, invalidations queued.',
    fields: () => [
      ...mapTargetFields,
      {
        key: 'iova',
        label: 'IOVA',
        kind: 'u64',
        wide: true,
        def: (c, v) => groupHex(leaves(c, v)[0]?.[0] ?? 0x1000_0000n),
      },
      {
        key: 'size',
        label: 'Size',
        kind: 'u64',
        def: (c, v) => groupHex(leaves(c, v)[0]?.[1].size ?? 0x1000n),
      },
    ],
  },
  {
    op: 'dma',
    group: 'kernel',
    help: 'A device access: translated, or a fault (PRI / stall retries included).',
    fields: () => [
      devField(),
      {
        key: 'pasid',
        label: 'PASID',
        kind: 'number',
        optional: true,
        def: (c, v) => {
          const p = dmaTarget(c, v['dev'] ?? '').pasid;
          return p === undefined ? '' : String(p);
        },
        hint: 'empty: no PASID',
      },
      {
        key: 'addr',
        label: 'Address',
        kind: 'u64',
        wide: true,
        def: (c, v) => groupHex(dmaTarget(c, v['dev'] ?? '').addr),
      },
      { key: 'access', label: 'Access', kind: 'select', choices: () => ACCESS, def: () => 'r' },
      { key: 'priv', label: 'Privileged', kind: 'bool', def: () => false },
      { key: 'count', label: 'Count', kind: 'number', optional: true, def: () => '', hint: '1' },
      {
        key: 'stride',
        label: 'Stride',
        kind: 'u64',
        optional: true,
        def: () => '',
        hint: 'a page',
      },
    ],
  },
  {
    op: 'exit',
    group: 'kernel',
    help: 'The process exits: its mm is torn down as the profile does it.',
    fields: () => [procField()],
  },
];

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

const HARDWARE: OpSpec[] = [
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

export const OP_SPECS: readonly OpSpec[] = [...KERNEL, ...HARDWARE];
export const specOf = (op: OpName): OpSpec => OP_SPECS.find((s) => s.op === op) ?? OP_SPECS[0]!;

/**
 * The values the form shows: what the user typed where they typed, the defaults elsewhere
 * (computed in field order, so a default may depend on an earlier field), and the fields shown.
 */
export function resolve(
  spec: OpSpec,
  c: FormCtx,
  typed: Values,
): { values: Values; fields: readonly FieldSpec[] } {
  // Fields can depend on values (cmd's fields on its name): resolve twice, the second time with
  // the values of the first.
  let values: Record<string, Value> = {};
  let fields: readonly FieldSpec[] = [];
  for (let pass = 0; pass < 2; pass++) {
    const next: Record<string, Value> = {};
    fields = spec.fields({ ...values, ...typed });
    for (const f of fields) {
      if (f.when && !f.when(next)) continue;
      next[f.key] = typed[f.key] ?? f.def?.(c, next) ?? (f.kind === 'bool' ? false : '');
    }
    values = next;
  }
  return { values, fields: fields.filter((f) => !f.when || f.when(values)) };
}

/** "0x100" or "256" → 256; anything else is passed on as typed, for validation to name. */
function toNumber(s: string): number | string {
  const t = s.trim().replace(/_/g, '');
  if (/^0x[0-9a-f]+$/i.test(t) || /^\d+$/.test(t)) {
    const v = parseU64(t);
    if (v !== undefined && v <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(v);
  }
  return s.trim();
}

/** The op document the values describe (empty optional fields and false flags left out). */
export function buildOp(spec: OpSpec, fields: readonly FieldSpec[], values: Values): OpDoc {
  const o: Record<string, unknown> = { op: spec.op };
  for (const f of fields) {
    if (f.virtual) continue;
    const v = values[f.key];
    if (f.kind === 'bool') {
      if (v === true) o[f.key] = true;
      continue;
    }
    const s = typeof v === 'string' ? v.trim() : '';
    if (s === '') continue;
    o[f.key] = f.kind === 'number' ? toNumber(s) : s;
  }
  return o as OpDoc;
}

/** `ops[7].size: must be a multiple of 0x1000` → field "size" of op 7 and the message. */
export function fieldError(
  error: string,
  index: number,
): { field: string | undefined; message: string } {
  const m = /^ops\[(\d+)\](?:\.([A-Za-z0-9_]+))?[^:]*: (.*)$/s.exec(error);
  if (!m || Number(m[1]) !== index) return { field: undefined, message: error };
  return { field: m[2], message: m[3]! };
}
