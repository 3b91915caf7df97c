// The kernel-world fuzzer: op sequences of the model-based property test (src/scenario/model.*:
// devices, domains, processes, binds, maps, touches, pins, device accesses, exits …) mixed with
// hardware-level writes into the live structures the kernel owns — the processes' page tables,
// io-pgtables, CD tables, the stream table, the queues, the zero page, user pages — with values
// chosen to hurt: zero, a pointer back at the same table (a cycle), a pointer into another
// owner's structure, a flipped bit, a cleared valid bit, random bits. Then kernel ops and
// device accesses on top. A write is resolved against the world it is about to run in, so the
// document is concrete and replays exactly (the report prints it).
import fc from 'fast-check';
import {
  cloneWorld,
  createWorld,
  parseScenario,
  runOp,
  type OpDoc,
  type ScenarioDoc,
  type World,
} from '../../src/scenario/index.ts';
import { opArb, resolve, type GenOp } from '../../src/scenario/model.ops.testkit.ts';
import { drawn } from './view.ts';
import { PREFIX, toDoc, VARIANTS, x } from '../../src/scenario/model.testkit.ts';

export interface Corrupt {
  readonly op: 'corrupt';
  /** Which kind of structure (TARGETS), which one of them, which slot, which value. */
  readonly target: number;
  readonly k: number;
  readonly slot: number;
  readonly value: number;
  readonly bits: bigint;
}

const corruptArb: fc.Arbitrary<Corrupt> = fc.record({
  op: fc.constant('corrupt' as const),
  target: fc.nat(9),
  k: fc.nat(31),
  slot: fc.nat(1023),
  value: fc.nat(11),
  bits: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
});

/** Frames of live structures, by kind (each a list of base addresses). */
function structures(w: World): bigint[][] {
  const k = w.kernel!;
  const procs = [...k.processes.values()];
  const doms = [...k.domains.values()];
  return [
    procs.map((p) => p.mm.pgd),
    procs.flatMap((p) => p.mm.tables),
    doms.flatMap((d) => d.pgtable?.tables ?? []),
    [...k.privates.values()].flatMap((p) => p.pgtable.tables),
    doms.flatMap((d) => (d.cdtable ? [d.cdtable.base, ...d.cdtable.leaves.values()] : [])),
    [k.driver.strtab.base, ...k.driver.strtab.l2.values()],
    [k.driver.cmdq.base, k.driver.evtq.base, k.driver.priq.base],
    doms.flatMap((d) => (d.pgtable ? [d.pgtable.root] : [])),
    [k.zeroPage],
    procs.flatMap((p) => [...p.mm.pages.values()].map((q) => q.pa)),
  ];
}

/** The write64 a corruption stands for, in the world it is about to run in. */
export function resolveCorrupt(w: World, o: Corrupt): OpDoc {
  const all = structures(w);
  const flat = all.flat();
  const group = all[o.target % all.length]!.length > 0 ? all[o.target % all.length]! : flat;
  const table = group[o.k % group.length] ?? 0x4000_0000n;
  // A slot that holds something, most of the time.
  const live: bigint[] = [];
  for (let i = 0; i < 512; i++) {
    const pa = table + BigInt(i * 8);
    if ((w.mem.read64(pa) ?? 0n) !== 0n) live.push(pa);
  }
  const pa =
    live.length > 0 && o.slot % 4 !== 0
      ? live[o.slot % live.length]!
      : table + BigInt((o.slot % 512) * 8);
  const old = w.mem.read64(pa) ?? 0n;
  const other = flat[o.k % Math.max(1, flat.length)] ?? 0n;
  const values = [
    0n,
    table | 3n, // the table points at itself
    pa | 3n, // … at its own slot
    other | 3n, // … into another owner's structure
    o.bits,
    old ^ (1n << (o.bits % 64n)),
    old & ~1n, // valid bit cleared
    w.kernel!.driver.strtab.base | 3n,
    old | 1n,
    (old & ~0xfffn) | 3n,
    old | (1n << 61n), // APTable: no EL0 access below
    (old & ~0xfffn) | 0x401n, // a block with AF where a table was
  ];
  return { op: 'write64', pa: x(pa), value: x(values[o.value % values.length]!) };
}

export type KernelCase = readonly [number, readonly (GenOp | Corrupt)[]];

export const kernelCaseArb: fc.Arbitrary<KernelCase> = fc.tuple(
  fc.nat(VARIANTS.length - 1),
  fc.array(fc.oneof({ weight: 3, arbitrary: opArb }, { weight: 1, arbitrary: corruptArb }), {
    minLength: 1,
    maxLength: 30,
  }),
);

/** The world after each variant's prefix, built once and cloned per case. */
const prefixWorlds = new Map<number, World>();

function prefixWorld(vi: number): World {
  let w = prefixWorlds.get(vi);
  if (!w) {
    const p = parseScenario(toDoc(VARIANTS[vi]!, []));
    if (!p.ok) throw new Error(`fuzz: prefix does not parse: ${p.error}`);
    w = createWorld(p.scenario).world;
    p.scenario.ops.forEach((op, i) => runOp(w!, op, i));
    prefixWorlds.set(vi, w);
  }
  return w;
}

export interface KernelRun {
  readonly doc: ScenarioDoc;
  readonly writes: number;
  readonly accesses: number;
  /** The op that took longest, and how long (CPU ms are measured by the caller). */
  readonly slowest: { readonly op: string; readonly ms: number };
}

/**
 * Runs a case op by op on a copy of the prefix world; returns the concrete document. An op the
 * runner refuses to parse ends the case (the sequence is generated, not every op fits). `draw`:
 * build what the page draws at the end (the diagram, the last op's steps).
 */
export function runKernelCase([vi, gen]: KernelCase, draw = true): KernelRun {
  const v = VARIANTS[vi]!;
  const w = cloneWorld(prefixWorld(vi));
  const header = toDoc(v, []);
  const prefix = PREFIX(v);
  // The ops' parse needs the prefix only for the domains' granules (map/unmap alignment).
  const domains = prefix.filter((o) => o.op === 'domain');
  const ops: OpDoc[] = [];
  let writes = 0;
  let accesses = 0;
  let slowest = { op: '', ms: 0 };
  let last: { before: World; record: ReturnType<typeof runOp> } | undefined;
  for (const g of gen) {
    const o = g.op === 'corrupt' ? resolveCorrupt(w, g) : resolve(v, w, g);
    const p = parseScenario({ ...header, ops: [...domains, o] });
    if (!p.ok) break;
    ops.push(o);
    if (o.op === 'write64') writes++;
    if (o.op === 'dma') accesses += o.count ?? 1;
    const t = performance.now();
    // The world before the op, for the steps of the last one: only when the case draws.
    const before = draw ? cloneWorld(w) : undefined;
    try {
      const record = runOp(w, p.scenario.ops.at(-1)!, prefix.length + ops.length - 1);
      if (before) last = { before, record };
    } catch (e) {
      // The document up to the op that threw: what the failure file holds, to replay it.
      if (e instanceof Error) Object.assign(e, { fuzzInput: JSON.stringify(toDoc(v, ops)) });
      throw e;
    }
    const ms = performance.now() - t;
    if (ms > slowest.ms) slowest = { op: o.op, ms };
  }
  try {
    // What the page shows at the end: the diagram, and the last op's steps (walks included).
    if (draw) drawn(w, last?.before, last?.record);
  } catch (e) {
    if (e instanceof Error) Object.assign(e, { fuzzInput: JSON.stringify(toDoc(v, ops)) });
    throw e;
  }
  return { doc: toDoc(v, ops), writes, accesses, slowest };
}
