// The v1 document schema (zod). Structural rules only — types, ranges, unknown fields and ops;
// parse.ts adds the rules that need context (alignment to a granule, command fields).
import { z } from 'zod';
import { parseU64 } from '../engine/index.ts';
import { FORMAT, VERSION } from './format.ts';

/** "0x7fff_dead_b000", "0b1010" or "4096": a 64-bit value written as a string. */
export const u64 = z
  .string({ error: 'must be a string holding a number, e.g. "0x1000"' })
  .refine((s) => parseU64(s) !== undefined, {
    error: 'must be a 64-bit number written as "0x…", "0b…" or decimal digits',
  });

const name = z
  .string({ error: 'must be a name (text)' })
  .regex(/^[A-Za-z0-9_.:+-]{1,40}$/, { error: 'must be 1–40 letters, digits or _ . : + -' });
const int = (min: number, max: number) =>
  z
    .number({ error: 'must be a number' })
    .int({ error: 'must be a whole number' })
    .min(min, { error: `must be ≥ ${min}` })
    .max(max, { error: `must be ≤ ${max}` });
const prot = z
  .string({ error: 'must be a protection string' })
  .regex(/^r?w?x?$/, { error: 'must be some of "r", "w", "x" in that order, e.g. "rw"' })
  .refine((s) => s.length > 0, { error: 'must not be empty' });
const access = z.enum(['r', 'w', 'x'], { error: 'must be "r", "w" or "x"' });
const granule = z.enum(['4K', '16K', '64K'], { error: 'must be "4K", "16K" or "64K"' });
const bool = z.boolean({ error: 'must be true or false' });

const range = { proc: name, addr: u64, size: u64 };

const opSchemas = [
  z.strictObject({
    op: z.literal('device'),
    name,
    sid: int(0, 2 ** 32 - 1),
    bus: z.enum(['pci', 'platform']).optional(),
    pasidBits: int(0, 20).optional(),
    ats: bool.optional(),
    pri: bool.optional(),
    stall: bool.optional(),
  }),
  z.strictObject({
    op: z.literal('domain'),
    name,
    type: z
      .enum(['dma', 'identity', 'blocked'], { error: 'must be "dma", "identity" or "blocked"' })
      .optional(),
    granule: granule.optional(),
  }),
  z.strictObject({ op: z.literal('attach'), dev: name, domain: name }),
  z.strictObject({
    op: z.literal('map'),
    domain: name.optional(),
    dev: name.optional(),
    proc: name.optional(),
    iova: u64,
    size: u64,
    prot,
    pa: u64.optional(),
  }),
  z.strictObject({
    op: z.literal('unmap'),
    domain: name.optional(),
    dev: name.optional(),
    proc: name.optional(),
    iova: u64,
    size: u64,
  }),
  z.strictObject({ op: z.literal('process'), name, pid: int(1, 4194304).optional() }),
  z.strictObject({ op: z.literal('mmap'), ...range, prot, populate: bool.optional() }),
  z.strictObject({ op: z.literal('munmap'), ...range }),
  z.strictObject({ op: z.literal('mprotect'), ...range, prot }),
  z.strictObject({ op: z.literal('touch'), proc: name, addr: u64, access }),
  z.strictObject({ op: z.literal('pin'), ...range }),
  z.strictObject({ op: z.literal('unpin'), ...range }),
  z.strictObject({ op: z.literal('reclaim'), ...range }),
  z.strictObject({
    op: z.literal('bind'),
    dev: name,
    proc: name,
    tables: z.enum(['shared', 'private'], { error: 'must be "shared" or "private"' }).optional(),
  }),
  z.strictObject({ op: z.literal('unbind'), dev: name, proc: name }),
  z.strictObject({ op: z.literal('exit'), proc: name }),
  z.strictObject({
    op: z.literal('dma'),
    dev: name.optional(),
    sid: int(0, 2 ** 32 - 1).optional(),
    pasid: int(0, 2 ** 20 - 1).optional(),
    ssid: int(0, 2 ** 20 - 1).optional(),
    addr: u64,
    access,
    priv: bool.optional(),
    count: int(1, 10_000_000).optional(),
    stride: u64.optional(),
  }),
  z.strictObject({ op: z.literal('write64'), pa: u64, value: u64 }),
  z.strictObject({
    op: z.literal('reg'),
    name: z.string({ error: 'must be a register name' }),
    value: u64,
  }),
  // Command fields depend on the opcode; parse.ts checks them against the command table.
  z.looseObject({
    op: z.literal('cmd'),
    name: z.string({ error: 'must be a command name, e.g. "CFGI_STE"' }),
  }),
] as const;

export const OP_NAMES = opSchemas.map((s) => s.shape.op.value);

export const opSchema = z.discriminatedUnion('op', opSchemas);

const smmuSchema = z.strictObject({
  sidBits: int(1, 32).optional(),
  ssidBits: int(0, 20).optional(),
  asidBits: z.union([z.literal(8), z.literal(16)], { error: 'must be 8 or 16' }).optional(),
  vmidBits: z.union([z.literal(8), z.literal(16)], { error: 'must be 8 or 16' }).optional(),
  oas: z
    .union(
      [32, 36, 40, 42, 44, 48].map((n) => z.literal(n)) as [
        z.ZodLiteral<number>,
        ...z.ZodLiteral<number>[],
      ],
      { error: 'must be one of 32, 36, 40, 42, 44, 48' },
    )
    .optional(),
  streamTable: z.enum(['linear', '2level'], { error: 'must be "linear" or "2level"' }).optional(),
  cd2l: bool.optional(),
  ats: bool.optional(),
  pri: bool.optional(),
  stall: z
    .enum(['none', 'supported', 'forced'], { error: 'must be "none", "supported" or "forced"' })
    .optional(),
  btm: bool.optional(),
  httu: z
    .enum(['none', 'af', 'af+dirty'], { error: 'must be "none", "af" or "af+dirty"' })
    .optional(),
  rangeInv: bool.optional(),
  tlbEntries: int(1, 65536).optional(),
  cmdqEntries: z
    .union(
      [2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096].map((n) => z.literal(n)) as [
        z.ZodLiteral<number>,
        ...z.ZodLiteral<number>[],
      ],
      { error: 'must be a power of two from 2 to 4096' },
    )
    .optional(),
  evtqEntries: z
    .union(
      [2, 4, 8, 16, 32, 64, 128, 256, 512, 1024].map((n) => z.literal(n)) as [
        z.ZodLiteral<number>,
        ...z.ZodLiteral<number>[],
      ],
      { error: 'must be a power of two from 2 to 1024' },
    )
    .optional(),
  priqEntries: z
    .union(
      [2, 4, 8, 16, 32, 64, 128, 256, 512, 1024].map((n) => z.literal(n)) as [
        z.ZodLiteral<number>,
        ...z.ZodLiteral<number>[],
      ],
      { error: 'must be a power of two from 2 to 1024' },
    )
    .optional(),
  cfgCacheEntries: int(1, 4096).optional(),
  atcEntries: int(1, 4096).optional(),
  ramBase: u64.optional(),
  ramSize: u64.optional(),
});

const cpuSchema = z.strictObject({
  granule: granule.optional(),
  vaBits: z
    .union([z.literal(39), z.literal(42), z.literal(47), z.literal(48)], {
      error: 'must be 39, 42, 47 or 48',
    })
    .optional(),
  asidBits: z.union([z.literal(8), z.literal(16)], { error: 'must be 8 or 16' }).optional(),
});

export const scenarioSchema = z.strictObject({
  format: z.literal(FORMAT, { error: `must be "${FORMAT}"` }),
  version: z.literal(VERSION, { error: `must be ${VERSION}` }),
  title: z
    .string({ error: 'must be text' })
    .max(200, { error: 'must be at most 200 characters' })
    .optional(),
  kernel: z.enum(['rfc2017', 'mainline'], { error: 'must be "rfc2017" or "mainline"' }).optional(),
  platform: z.strictObject({ smmu: smmuSchema.optional(), cpu: cpuSchema.optional() }).optional(),
  ops: z
    .array(opSchema, { error: 'must be a list of ops' })
    .max(100_000, { error: 'at most 100,000 ops' }),
  cursor: z.strictObject({ op: int(0, 1_000_000), step: int(0, 1_000_000) }).optional(),
});

/** `["ops", 3, "size"]` → `ops[3].size`. */
export function pathString(path: readonly PropertyKey[]): string {
  let s = '';
  for (const p of path)
    s += typeof p === 'number' ? `[${p}]` : s === '' ? String(p) : `.${String(p)}`;
  return s || '(document)';
}

/** The first problem zod found, as one line naming where. */
export function describeIssue(issues: readonly z.core.$ZodIssue[], input: unknown): string {
  const i = issues[0];
  if (!i) return '(document): invalid';
  if (i.code === 'unrecognized_keys')
    return `${pathString([...i.path, i.keys[0] ?? ''])}: unknown field`;
  if (i.code === 'invalid_union' && 'discriminator' in i) {
    const v = valueAt(input, i.path);
    if (v === undefined) return `${pathString(i.path)}: required (one of ${OP_NAMES.join(', ')})`;
    return `${pathString(i.path)}: unknown op ${JSON.stringify(v)} (expected one of ${OP_NAMES.join(', ')})`;
  }
  if (i.code === 'invalid_type' && valueAt(input, i.path) === undefined)
    return `${pathString(i.path)}: required`;
  return `${pathString(i.path)}: ${i.message}`;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = input;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}
