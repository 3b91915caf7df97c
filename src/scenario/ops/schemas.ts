// Every op's document schema (zod), keyed by op name: structural rules only — types, ranges,
// unknown fields. The op's definition (ops/*.ts) names its schema by its own name and takes its
// document type from here (type-only), so this module, and zod with it, is loaded only when a
// document from outside is validated (validate.ts, loaded on demand: parse.ts loadValidation).
// The `satisfies` below makes a missing op, an extra one or one filed under another name a
// compile error: a new op must add its schema here.
import { z } from '../zod.ts';
import type { OpName } from './def.ts';
import { OP_NAMES } from './index.ts';
import { access, bool, granule, int, name, prot, u64, vmaName, vmaRange } from './fields.ts';

/** An op's schema: `shape` plus `op: K`, unknown fields rejected. */
const strict = <K extends OpName, Shape extends z.ZodRawShape>(op: K, shape: Shape) =>
  z.strictObject({ op: z.literal(op), ...shape });

/** map and unmap: a domain's io-pgtable, or a private PASID context's (dev + proc). */
const targetShape = { domain: name.optional(), dev: name.optional(), proc: name.optional() };

export const OP_SCHEMAS = {
  device: strict('device', {
    name,
    sid: int(0, 2 ** 32 - 1),
    bus: z.enum(['pci', 'platform']).optional(),
    pasidBits: int(0, 20).optional(),
    ats: bool.optional(),
    pri: bool.optional(),
    stall: bool.optional(),
  }),
  domain: strict('domain', {
    name,
    type: z
      .enum(['dma', 'identity', 'blocked'], { error: 'must be "dma", "identity" or "blocked"' })
      .optional(),
    granule: granule.optional(),
  }),
  attach: strict('attach', { dev: name, domain: name }),
  map: strict('map', { ...targetShape, iova: u64, size: u64, prot, pa: u64.optional() }),
  unmap: strict('unmap', { ...targetShape, iova: u64, size: u64 }),
  process: strict('process', { name, pid: int(1, 4194304).optional() }),
  mmap: strict('mmap', { ...vmaRange, prot, populate: bool.optional(), name: vmaName.optional() }),
  munmap: strict('munmap', vmaRange),
  mprotect: strict('mprotect', { ...vmaRange, prot }),
  touch: strict('touch', { proc: name, addr: u64, access }),
  pin: strict('pin', vmaRange),
  unpin: strict('unpin', vmaRange),
  reclaim: strict('reclaim', vmaRange),
  bind: strict('bind', {
    dev: name,
    proc: name,
    tables: z.enum(['shared', 'private'], { error: 'must be "shared" or "private"' }).optional(),
  }),
  unbind: strict('unbind', { dev: name, proc: name }),
  exit: strict('exit', { proc: name }),
  dma: strict('dma', {
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
  vm: strict('vm', { name, size: u64, pa: u64.optional(), granule: granule.optional() }),
  vsmmu: strict('vsmmu', { name, vm: name }),
  vdevice: strict('vdevice', { vsmmu: name, dev: name, vsid: int(0, 2 ** 32 - 1) }),
  gwrite64: strict('gwrite64', { vm: name, ipa: u64, value: u64 }),
  nest: strict('nest', {
    dev: name,
    vsmmu: name,
    ste: z.tuple([u64, u64], { error: 'must be the guest STE as two words, ["dw0", "dw1"]' }),
  }),
  // A guest's command: written like cmd (its fields depend on the opcode), plus the vSMMU.
  ginv: z.looseObject({
    op: z.literal('ginv'),
    vsmmu: name,
    name: z.string({ error: 'must be a command name, e.g. "TLBI_NH_ASID"' }),
  }),
  write64: strict('write64', { pa: u64, value: u64 }),
  reg: strict('reg', { name: z.string({ error: 'must be a register name' }), value: u64 }),
  // Command fields depend on the opcode: the schema lets any through, parse checks them
  // against the command table.
  cmd: z.looseObject({
    op: z.literal('cmd'),
    name: z.string({ error: 'must be a command name, e.g. "CFGI_STE"' }),
  }),
} satisfies { readonly [K in OpName]: z.ZodType<{ op: K }> };

/** An op's document as its schema reads it, per op name. */
export type OpDocs = { [K in OpName]: z.output<(typeof OP_SCHEMAS)[K]> };

/** The v1 op schema: a discriminated union on `op` of every op's schema, in the format's order. */
export const opSchema = z.discriminatedUnion(
  'op',
  OP_NAMES.map((n) => OP_SCHEMAS[n]) as unknown as [z.ZodObject, ...z.ZodObject[]],
);
