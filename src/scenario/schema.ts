// The v1 document schema (zod). Structural rules only — types, ranges, unknown fields and ops;
// parse.ts adds the rules that need context (alignment to a granule, command fields). Each op's
// schema is declared with its definition (ops/).
import { z } from './zod.ts';
import { ERA_IDS, isEraId } from '../kernel/index.ts';
import { FORMAT, VERSION } from './format.ts';
import { cut, quote, QUOTE_MAX } from './quote.ts';
import { bool, granule, int, u64 } from './ops/fields.ts';
import { OP_NAMES } from './ops/index.ts';
import { opSchema } from './ops/schemas.ts';
import { notesSchema, toursSchema } from './notesSchema.ts';

/** A power of two from `min` to `max` entries (queue sizes). */
const pow2 = (min: number, max: number) => {
  const sizes: number[] = [];
  for (let n = min; n <= max; n *= 2) sizes.push(n);
  return oneOf(sizes, `must be a power of two from ${min} to ${max}`);
};
const oneOf = (values: readonly number[], error: string) =>
  z.union(values.map((n) => z.literal(n)) as [z.ZodLiteral<number>, ...z.ZodLiteral<number>[]], {
    error,
  });

/** platform.smmu (platformFields.ts lists its fields for the page's Platform dialog). */
export const smmuSchema = z.strictObject({
  sidBits: int(1, 32).optional(),
  ssidBits: int(0, 20).optional(),
  asidBits: z.union([z.literal(8), z.literal(16)], { error: 'must be 8 or 16' }).optional(),
  vmidBits: z.union([z.literal(8), z.literal(16)], { error: 'must be 8 or 16' }).optional(),
  oas: oneOf([32, 36, 40, 42, 44, 48], 'must be one of 32, 36, 40, 42, 44, 48').optional(),
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
  attrPermsOvr: bool.optional(),
  had: bool.optional(),
  e0pd: bool.optional(),
  pps: bool.optional(),
  stallMax: int(1, 65535).optional(),
  s2: bool.optional(),
  tlbEntries: int(1, 65536).optional(),
  cmdqEntries: pow2(2, 4096).optional(),
  evtqEntries: pow2(2, 1024).optional(),
  priqEntries: pow2(2, 1024).optional(),
  cfgCacheEntries: int(1, 4096).optional(),
  atcEntries: int(1, 4096).optional(),
  ramBase: u64.optional(),
  ramSize: u64.optional(),
});

export const cpuSchema = z.strictObject({
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
  version: z.union([z.literal(1), z.literal(VERSION)], { error: `must be 1 or ${VERSION}` }),
  title: z
    .string({ error: 'must be text' })
    .max(200, { error: 'must be at most 200 characters' })
    .optional(),
  kernel: z
    .string({ error: 'must be a kernel era id' })
    .refine(isEraId, { error: `must be one of ${ERA_IDS.map((e) => `"${e}"`).join(', ')}` })
    .optional(),
  platform: z.strictObject({ smmu: smmuSchema.optional(), cpu: cpuSchema.optional() }).optional(),
  ops: z
    .array(opSchema, { error: 'must be a list of ops' })
    .max(100_000, { error: 'at most 100,000 ops' }),
  cursor: z.strictObject({ op: int(0, 1_000_000), step: int(0, 1_000_000) }).optional(),
  notes: notesSchema.optional(),
  tours: toursSchema.optional(),
});

/** `["ops", 3, "size"]` → `ops[3].size` (a key from the input cut short). */
export function pathString(path: readonly PropertyKey[]): string {
  let s = '';
  for (const p of path) {
    const key = cut(String(p), QUOTE_MAX);
    s += typeof p === 'number' ? `[${p}]` : s === '' ? key : `.${key}`;
  }
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
    return `${pathString(i.path)}: unknown op ${quote(v)} (expected one of ${OP_NAMES.join(', ')})`;
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
