// The op registry: one definition per op name (def.ts says what a definition declares), and what
// every layer asks of ops, answered from it — the document union and its schema, parsing, the
// link spelling, link work, kernel or hardware, the summary line and the "Add an op" form.
// Adding an op: ARCHITECTURE.md "Recipe: add an op".
import type { KernelOp } from '../../kernel/index.ts';
import { bindOp, unbindOp } from './binding.ts';
import type { LinkSpec, Op, OpDef, OpForm, OpName, ParseCtx, Work } from './def.ts';
import { attachOp, deviceOp, domainOp } from './devices.ts';
import { dmaOp } from './dma.ts';
import { cmdOp, regOp, write64Op } from './hardware.ts';
import { mapOp, unmapOp } from './mapping.ts';
import { mmapOp, mprotectOp, munmapOp, pinOp, reclaimOp, touchOp, unpinOp } from './mm.ts';
import { exitOp, processOp } from './processes.ts';
import { gwrite64Op, ginvOp, nestOp, vdeviceOp, vmOp, vsmmuOp } from './vm.ts';

export type * from './def.ts';
export type { HardwareOp } from './hardware.ts';
export type { DmaBySid } from './dma.ts';
export { groupHex } from './text.ts';

/**
 * Every op, in the order the format lists them (error messages name them in this order). The
 * `satisfies` makes a missing op, an extra one, or one filed under another name a compile error.
 */
export const OPS = {
  device: deviceOp,
  domain: domainOp,
  attach: attachOp,
  map: mapOp,
  unmap: unmapOp,
  process: processOp,
  mmap: mmapOp,
  munmap: munmapOp,
  mprotect: mprotectOp,
  touch: touchOp,
  pin: pinOp,
  unpin: unpinOp,
  reclaim: reclaimOp,
  bind: bindOp,
  unbind: unbindOp,
  exit: exitOp,
  dma: dmaOp,
  vm: vmOp,
  vsmmu: vsmmuOp,
  vdevice: vdeviceOp,
  gwrite64: gwrite64Op,
  nest: nestOp,
  ginv: ginvOp,
  write64: write64Op,
  reg: regOp,
  cmd: cmdOp,
} satisfies { readonly [K in OpName]: { readonly op: K } };

type DocOfDef<D> = D extends OpDef<infer Doc> ? Doc : never;
/** An op as the document spells it (scenario-format.md "Ops"): derived from the schemas. */
export type OpDoc = { [K in OpName]: DocOfDef<(typeof OPS)[K]> }[OpName];
export type OpDocOf<K extends OpName> = Extract<OpDoc, { op: K }>;

/** The registry seen per name, for lookups that start from a document or a parsed op. */
const DEFS: { readonly [K in OpName]: OpDef<OpDocOf<K>> } = OPS;
const defOf = <K extends OpName>(op: K): OpDef<OpDocOf<K>> => DEFS[op];

export const OP_NAMES = Object.keys(OPS) as OpName[];
export const isOpName = (s: unknown): s is OpName => typeof s === 'string' && Object.hasOwn(OPS, s);

/** Document → the runner's op; throws DocError naming `at` and the field. */
export const parseOp = <K extends OpName>(o: OpDocOf<K>, at: string, c: ParseCtx): Op =>
  defOf(o.op).parse(o, at, c);

/** Whether the kernel runs this op (false: the bare hardware does, run.ts). */
export function isKernelOp(op: Op): op is KernelOp {
  return runsIn(op) === 'kernel';
}
function runsIn(op: Op): 'kernel' | 'hardware' {
  // The per-op form (dma) takes the op of its own name, which `op` is.
  const r = DEFS[op.op].runsIn as 'kernel' | 'hardware' | ((op: Op) => 'kernel' | 'hardware');
  return typeof r === 'function' ? r(op) : r;
}
/** A scenario with any kernel op boots the kernel before op 0 (world.ts). */
export const needsKernel = (ops: readonly Op[]): boolean => ops.some(isKernelOp);

/** Ops always run by the kernel, and always by the bare hardware (dma is either: by dev or sid). */
export const KERNEL_OPS: readonly OpName[] = OP_NAMES.filter((n) => DEFS[n].runsIn === 'kernel');
export const HARDWARE_OPS: readonly OpName[] = OP_NAMES.filter(
  (n) => DEFS[n].runsIn === 'hardware',
);

/** "bind gpu ↔ game", "mmap ml 0x7f00_0000_0000 +0x1_0000 rw", … */
export const opSummary = <K extends OpName>(o: OpDocOf<K>): string => defOf(o.op).summary(o);

/** What opening a link with this op costs (share/work.ts). */
export const opWork = <K extends OpName>(o: OpDocOf<K>): Work => defOf(o.op).work(o);

/** How link v1 spells an op: field order and defaults, or 'object' (share/compact.ts). */
export const linkSpec = (op: OpName): LinkSpec<Record<string, unknown>> | 'object' => DEFS[op].link;

/** The "Add an op" form of one op, and its group in the op picker. */
export interface OpSpec extends OpForm {
  readonly op: OpName;
  readonly group: 'kernel' | 'hardware';
}

/**
 * The op picker's order: the kernel's ops from setting up to tearing down, then the hardware's.
 * Every op must be listed (checked below), so a new op cannot go missing from the form.
 */
const FORM_ORDER = [
  'device',
  'domain',
  'attach',
  'process',
  'mmap',
  'munmap',
  'mprotect',
  'touch',
  'pin',
  'unpin',
  'reclaim',
  'bind',
  'unbind',
  'map',
  'unmap',
  'dma',
  'exit',
  'vm',
  'vsmmu',
  'vdevice',
  'gwrite64',
  'nest',
  'ginv',
  'write64',
  'reg',
  'cmd',
] as const satisfies readonly OpName[];
type Unlisted = Exclude<OpName, (typeof FORM_ORDER)[number]>;
/** A compile error naming the ops FORM_ORDER leaves out, if any. */
const _everyOpListed: [Unlisted] extends [never] ? true : Unlisted = true;

export const OP_SPECS: readonly OpSpec[] = FORM_ORDER.map((op) => ({
  op,
  group: DEFS[op].runsIn === 'hardware' ? 'hardware' : 'kernel',
  ...DEFS[op].form,
}));
const SPEC_OF = new Map(OP_SPECS.map((s) => [s.op, s]));
/** The form of `op`; every op has one (FORM_ORDER is checked to list them all). */
export const specOf = (op: OpName): OpSpec => SPEC_OF.get(op)!;
