// What an op is, declared once: its document (its zod schema is OP_SCHEMAS[op] in schemas.ts,
// loaded only to validate outside documents; the TypeScript type is derived from it), how the
// document becomes the runner's typed op, how a link spells it, what opening a link
// with it costs, whether the kernel or the bare hardware runs it, its one-line summary and its
// "Add an op" form. index.ts keys one definition per op name; every layer reads it from there.
import { parseU64, type GranuleShift, type SmmuPlatform } from '../../engine/index.ts';
import type { CpuPlatform, KernelOp, KernelState } from '../../kernel/index.ts';
import type { HardwareOp } from './hardware.ts';
import type { OpDocs } from './schemas.ts';

/** An op as the runner sees it: defaults filled in, numbers as bigints. */
export type Op = KernelOp | HardwareOp;
export type OpName = Op['op'];
export type OpOf<K extends OpName> = Extract<Op, { readonly op: K }>;

/** A document error: `where` names the op and field (`ops[3].size`), parse.ts reports it. */
export class DocError extends Error {}
export const fail = (where: string, msg: string): never => {
  throw new DocError(`${where}: ${msg}`);
};
/** A u64 string the schema has already checked. */
export const big = (s: string): bigint => parseU64(s)!;

/** What parsing an op may need beyond the op itself: the platform and the ops before it. */
export interface ParseCtx {
  readonly platform: { readonly smmu: SmmuPlatform; readonly cpu: CpuPlatform };
  /** A non-empty, page-aligned range of the user address space; fails naming the field. */
  readonly cpuRange: (addr: string, size: string) => [bigint, bigint];
  /** Fails `ops[i].field` unless `v` is a multiple of `unit`. */
  readonly aligned: (field: string, v: bigint, unit: bigint) => void;
  readonly nonZero: (field: string, v: bigint) => void;
  /** Domain granules by name, as the ops so far declared them (for map/unmap alignment). */
  readonly domainGranule: Map<string, GranuleShift>;
}

/** What one op asks of the runner beyond its own step (scenario/cost.ts prices it). */
export interface Work {
  /** Device accesses (a dma's count). */
  readonly accesses?: number;
  /** The accesses go to the bare SMMU (no kernel: no fault is serviced, nothing is retried). */
  readonly bare?: boolean;
  /** 4 KB pages of address range the op walks. */
  readonly pages?: bigint;
}
export const noWork = (): Work => ({});
/** An op whose work grows with its range. */
export const rangeWork = (d: { size: string }): Work => ({
  pages: ((parseU64(d.size) ?? 0n) + 0xfffn) >> 12n,
});

type LinkField<D> = Exclude<keyof D, 'op'> & string;
/**
 * Link version 1 spells the op as a list: its name, then these fields' values in this order, a
 * value equal to its default left out (null). The order is frozen: never reorder, only append.
 */
export interface LinkSpec<D> {
  readonly fields: readonly LinkField<D>[];
  readonly defaults?: { readonly [F in LinkField<D>]?: D[F] };
}

/**
 * Whether the kernel runs the op: follows from which union its parsed type is in (kernel/ops.ts
 * or hardware.ts); an op in both (dma: by device, or by StreamID alone) decides per op.
 */
export type RunsIn<K extends OpName> = [OpOf<K>] extends [KernelOp]
  ? 'kernel'
  : [OpOf<K>] extends [HardwareOp]
    ? 'hardware'
    : (op: OpOf<K>) => 'kernel' | 'hardware';

export type Value = string | boolean;
export type Values = Readonly<Record<string, Value>>;

/** What form defaults and choices are computed from: the kernel after the last op. */
export interface FormCtx {
  readonly kernel: KernelState | undefined;
}

export interface Choice {
  readonly value: string;
  readonly label: string;
}

export interface FieldSpec {
  /** The document field (validation errors name it: `ops[7].size`). */
  readonly key: string;
  readonly label: string;
  /**
   * text: a string as typed; name: a reference to a device/domain/process (free text with
   * suggestions); number: a JSON number ("0x100" accepted); u64: an address/size string;
   * select: fixed choices; bool: a checkbox; u64list: several u64 strings typed in one box,
   * separated by commas or spaces (a list in the document).
   */
  readonly kind: 'text' | 'name' | 'number' | 'u64' | 'u64list' | 'select' | 'bool';
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

/** The "Add an op" form: a line of help and the fields (which may depend on the values). */
export interface OpForm {
  readonly help: string;
  readonly fields: (v: Values) => readonly FieldSpec[];
}

export interface OpDef<D extends { readonly op: OpName }> {
  /** Also names its schema: OP_SCHEMAS[op] (schemas.ts; structural rules only). */
  readonly op: D['op'];
  /** The rules that need context (alignment, names), then the typed op; fails via `fail`. */
  readonly parse: (doc: D, at: string, c: ParseCtx) => OpOf<D['op']>;
  /** 'object': the link keeps the op as an object (cmd: its fields depend on the opcode). */
  readonly link: LinkSpec<D> | 'object';
  readonly work: (doc: D) => Work;
  readonly runsIn: RunsIn<D['op']>;
  /** "bind gpu ↔ game": the op in a few words, from the document as the user wrote it. */
  readonly summary: (doc: D) => string;
  readonly form: OpForm;
}

/** The document of the op named K, as its schema (schemas.ts) reads it. */
export type DocOf<K extends OpName> = OpDocs[K];

/** An op's definition; its document type comes from its schema, OP_SCHEMAS[op]. */
export function defineOp<K extends OpName>(
  op: K,
  def: Omit<OpDef<DocOf<K>>, 'op'>,
): OpDef<DocOf<K>> {
  return { op, ...def };
}
