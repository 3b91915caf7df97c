// Encoding and decoding of command queue entries (the field tables are in commands.ts).
import {
  ADDRESS_SHIFT,
  COMMANDS,
  lookupCommand,
  type Command,
  type CommandSpec,
} from './commands.ts';

// Encoding and decoding run once per command a driver issues — 262,144 for a 1 GB unmap of 4 KB
// pages without range invalidation — so each opcode's field table is compiled once into the
// shifts and masks it needs, and decoding reads the two dwords as 32-bit halves (numbers, no
// BigInt per bit operation). The field tables above stay the one description of the layout.

/** A field compiled for one opcode: where it lies, and the implied low bits of an address. */
interface Slot {
  readonly name: string;
  readonly dw: number;
  readonly lo: number;
  readonly width: number;
  /** For encoding: the field's mask in place, its position, and the address shift. */
  readonly clear: bigint;
  readonly loB: bigint;
  readonly maskB: bigint;
  readonly shiftB: bigint;
  readonly shift: number;
  /** Wider than 52 bits (CMD_SYNC's MSIAddress[55:2]): decoded with BigInt, not as halves. */
  readonly wide: boolean;
}

interface Plan {
  readonly spec: CommandSpec;
  /** Every field but Opcode, in the table's order (the order `fields` lists them). */
  readonly slots: readonly Slot[];
  readonly byName: ReadonlyMap<string, Slot>;
}

const compile = (cs: CommandSpec): Plan => {
  const slots: Slot[] = [];
  for (const [name, fd] of Object.entries(cs.fields)) {
    if (name === 'Opcode') continue;
    const width = fd.hi - fd.lo + 1;
    const shift = ADDRESS_SHIFT[name] ?? 0;
    slots.push({
      name,
      dw: fd.dw,
      lo: fd.lo,
      width,
      clear: BigInt.asUintN(64, ~(((1n << BigInt(width)) - 1n) << BigInt(fd.lo))),
      loB: BigInt(fd.lo),
      maskB: (1n << BigInt(width)) - 1n,
      shiftB: BigInt(shift),
      shift,
      wide: width > 52,
    });
  }
  return { spec: cs, slots, byName: new Map(slots.map((x) => [x.name, x])) };
};

// Built on first use: commands.ts re-exports this module, so COMMANDS is not ready while it loads.
let plans: Map<number, Plan> | undefined;
const plansByOpcode = (): Map<number, Plan> =>
  (plans ??= new Map(COMMANDS.map((c) => [c.opcode, compile(c)])));
/** Plans by the names callers use (`CMD_TLBI_NH_VA`, `tlbi_nh_va`, …), filled on first use. */
const PLAN_BY_NAME = new Map<string, { plan: Plan; cfgiAll: boolean } | null>();

function planFor(name: string): { plan: Plan; cfgiAll: boolean } | null {
  let p = PLAN_BY_NAME.get(name);
  if (p === undefined) {
    const cs = lookupCommand(name);
    p = cs ? { plan: plansByOpcode().get(cs.opcode)!, cfgiAll: /CFGI_ALL$/i.test(name) } : null;
    PLAN_BY_NAME.set(name, p);
  }
  return p;
}

/** Field values as bigints: the small ones (flags, VMIDs, sizes) shared, not allocated each time. */
const SMALL: readonly bigint[] = Array.from({ length: 1024 }, (_, i) => BigInt(i));
const big = (v: number): bigint => (v < 1024 ? SMALL[v]! : BigInt(v));

/** Bits [lo + width - 1 : lo] of the 64-bit word whose halves are `l` and `h` (width ≤ 52). */
function bitsOfHalves(l: number, h: number, lo: number, width: number): number {
  if (lo >= 32) return width >= 32 ? h >>> (lo - 32) : (h >>> (lo - 32)) & ((1 << width) - 1);
  const low = l >>> lo;
  const lowBits = 32 - lo;
  if (width <= lowBits) return width >= 32 ? low : low & ((1 << width) - 1);
  const highBits = width - lowBits;
  const high = highBits >= 32 ? h : h & ((1 << highBits) - 1);
  return high * 2 ** lowBits + low;
}

/** Writes `v` into slot `x` of `w` (in place); wider values are truncated, as setField does. */
function put(w: [bigint, bigint], x: Slot, v: bigint): void {
  w[x.dw] = (w[x.dw]! & x.clear) | ((v & x.maskB) << x.loB);
}

/** Builds a command from spec-named fields (SSV is set when a SubstreamID is given). */
export function buildCommand(
  name: string,
  values: Readonly<Record<string, bigint | number | boolean>>,
): Command {
  const p = planFor(name);
  if (!p) throw new Error(`unknown command ${name}`);
  const { plan, cfgiAll } = p;
  const w: [bigint, bigint] = [BigInt(plan.spec.opcode), 0n];
  if (cfgiAll) put(w, plan.byName.get('Range')!, 31n);
  for (const k in values) {
    const x = plan.byName.get(k);
    if (!x) throw new Error(`${plan.spec.name} has no field ${k}`);
    const v = values[k]!;
    put(w, x, (typeof v === 'bigint' ? v : BigInt(Number(v))) >> x.shiftB);
  }
  if ('SubstreamID' in values && !('SSV' in values)) {
    const ssv = plan.byName.get('SSV');
    if (ssv) put(w, ssv, 1n);
  }
  return decodeWords(w[0], w[1])!;
}

/** Commands read one at a time: an array, or a series made as it is read (commandSeries). */
export interface CommandList {
  readonly length: number;
  at(i: number): Command | undefined;
}

/** The commands of a series, each made when it is read (see commandSeries). */
class Series implements CommandList {
  constructor(
    private readonly t: Command,
    private readonly x: Slot,
    private readonly first: bigint,
    private readonly step: bigint,
    readonly length: number,
  ) {}

  /** Command `i` (0 ≤ i < length; anything else: undefined). */
  at(i: number): Command | undefined {
    if (!Number.isInteger(i) || i < 0 || i >= this.length) return undefined;
    const { t, x } = this;
    const v = this.first + this.step * BigInt(i);
    const w: [bigint, bigint] = [t.raw[0], t.raw[1]];
    let f: bigint;
    // An address field sits where its implied low bits would (Address [63:12] of an address): its
    // bits in the word are the field's value itself.
    if (x.shift === x.lo) {
      f = v & (x.maskB << x.loB);
      w[x.dw] = (w[x.dw]! & x.clear) | f;
    } else {
      put(w, x, v >> x.shiftB);
      f = ((w[x.dw]! >> x.loB) & x.maskB) << x.shiftB;
    }
    // The template's fields, in the same order, with this one's value.
    const fields = { ...t.fields };
    fields[x.name] = f;
    return { name: t.name, opcode: t.opcode, fields, raw: w };
  }
}

/**
 * `count` commands equal but for one field, which takes `first`, `first + step`, … (a TLBI per
 * granule over a range): the words and fields decodeCommand would give each, the template
 * encoded and decoded once, each command made only when it is read — a 1 GB unmap of 4 KB pages
 * queues 262,144 of them, and holding them all until the last is written cost more in garbage
 * collection than making them.
 */
export function commandSeries(
  name: string,
  values: Readonly<Record<string, bigint | number | boolean>>,
  field: string,
  first: bigint,
  step: bigint,
  count: number,
): CommandList {
  const t = buildCommand(name, { ...values, [field]: first });
  const x = plansByOpcode().get(t.opcode)!.byName.get(field);
  if (!x) throw new Error(`${t.name} has no field ${field}`);
  return new Series(t, x, first, step, count);
}

/** commandSeries as an array. */
export function buildCommandSeries(
  name: string,
  values: Readonly<Record<string, bigint | number | boolean>>,
  field: string,
  first: bigint,
  step: bigint,
  count: number,
): Command[] {
  const s = commandSeries(name, values, field, first, step, count);
  return Array.from({ length: count }, (_, i) => s.at(i)!);
}

/** Decodes raw dwords; undefined for an opcode the model does not know (→ CERROR_ILL). */
export function decodeCommand(raw: readonly bigint[]): Command | undefined {
  return decodeWords(raw[0] ?? 0n, raw[1] ?? 0n);
}

function decodeWords(w0: bigint, w1: bigint): Command | undefined {
  const l0 = Number(w0 & 0xffff_ffffn);
  const plan = plansByOpcode().get(l0 & 0xff);
  if (!plan) return undefined;
  const h0 = Number(w0 >> 32n);
  const l1 = Number(w1 & 0xffff_ffffn);
  const h1 = Number(w1 >> 32n);
  const fields: Record<string, bigint> = {};
  for (const x of plan.slots) {
    if (x.wide) {
      fields[x.name] = (((x.dw === 0 ? w0 : w1) >> x.loB) & x.maskB) << x.shiftB;
      continue;
    }
    const v =
      x.dw === 0 ? bitsOfHalves(l0, h0, x.lo, x.width) : bitsOfHalves(l1, h1, x.lo, x.width);
    fields[x.name] =
      x.shift === 0
        ? big(v)
        : v * 2 ** x.shift < 2 ** 53
          ? BigInt(v * 2 ** x.shift)
          : BigInt(v) << x.shiftB;
  }
  const cs = plan.spec;
  const name = cs.opcode === 0x04 && fields['Range'] === 31n ? 'CMD_CFGI_ALL' : cs.name;
  return { name, opcode: cs.opcode, fields, raw: [w0, w1] };
}
