// An op that fails changes nothing, even when it runs out of memory half-way (atomic.ts): the
// runner undoes the writes, the SMMU and the kernel state. Memory is filled first with DMA
// buffers (model.testkit.ts filler) on a 16 MB platform (platform.smmu.ramSize), so the op under
// test finds only `leave` bytes. Expected outcomes follow the kernel's order of allocation
// (mm.ts handleMmFault: page tables, then the page; private.ts bindPrivate: ASID and PASID, then
// the io-pgtable root; cdtable.ts: a new CD leaf on first use) and linux-sva §3.5 for faults.
import { describe, expect, it } from 'vitest';
import { mayRunOutOfMemory } from '../kernel/index.ts';
import type { OpDoc, ScenarioDoc } from './format.ts';
import { cmd, raws } from './golden.testkit.ts';
import { digestParts } from './invariants.ts';
import { filler } from './model.testkit.ts';
import type { Op } from './index.ts';
import { parseScenario } from './parse.ts';
import { runOp, type OpRecord } from './run.ts';
import { createWorld, type World } from './world.ts';

const GPU = 0x100;

const SETUP: OpDoc[] = [
  { op: 'device', name: 'gpu', sid: GPU, bus: 'pci', pasidBits: 20, ats: true, pri: true },
  { op: 'device', name: 'hogdev', sid: 0x200, bus: 'pci' },
  { op: 'domain', name: 'dom' },
  { op: 'domain', name: 'hog' },
  { op: 'attach', dev: 'gpu', domain: 'dom' },
  { op: 'attach', dev: 'hogdev', domain: 'hog' },
  { op: 'process', name: 'p0' },
  { op: 'process', name: 'p1' },
  { op: 'process', name: 'p2' },
  { op: 'mmap', proc: 'p0', addr: '0x10000', size: '0x1000', prot: 'rw' },
  { op: 'bind', dev: 'gpu', proc: 'p0' },
];

interface Bench {
  readonly w: World;
  readonly doc: ScenarioDoc;
  readonly run: (o: OpDoc) => OpRecord;
}

/** The setup on 16 MB of RAM, then filled until only `leave` bytes are free. */
function full(leave: bigint): Bench {
  const doc: ScenarioDoc = {
    format: 'sva-explorer/scenario',
    version: 1,
    kernel: 'rfc2017',
    platform: { smmu: { ramSize: '0x1000000' } },
    ops: [],
  };
  const parsed = parseScenario({ ...doc, ops: SETUP });
  if (!parsed.ok) throw new Error(parsed.error);
  const w = createWorld(parsed.scenario).world;
  const run = (o: OpDoc): OpRecord => {
    const p = parseScenario({ ...doc, ops: [...SETUP.filter((d) => d.op === 'domain'), o] });
    if (!p.ok) throw new Error(p.error);
    doc.ops.push(o);
    return runOp(w, p.scenario.ops.at(-1)!, doc.ops.length - 1);
  };
  for (const o of SETUP) expect(run(o).status, o.op).toBe('ok');
  const classes = [
    { min: 0x20_0000n, domain: 'hog', base: 0x1_0000_0000n },
    { min: 0x1000n, domain: 'hog', base: 0x1_4000_0000n },
  ];
  for (let f = filler(w, leave, classes); f; f = filler(w, leave, classes))
    if (run(f).status !== 'ok') break;
  return { w, doc, run };
}

/** Runs `o` and checks it failed with -ENOMEM half-way and left the world as it found it. */
function failsAtomically(b: Bench, o: OpDoc): OpRecord {
  const before = digestParts(b.w);
  const r = b.run(o);
  expect(r).toMatchObject({ status: 'error', error: '-ENOMEM' });
  expect(r.notes.some((n) => n.startsWith('undone:'))).toBe(true);
  expect(r.writes).toEqual([]);
  expect(r.commands).toEqual([]);
  expect(digestParts(b.w)).toEqual(before);
  return r;
}

describe('an op that runs out of memory half-way changes nothing', () => {
  it('a populated mmap: the page tables and 15 pages fit, the 16th page does not', () => {
    // 72 KB free: at least 16 pages (64 KB) are needed, so the op starts (mm.ts
    // checkFaultInFits), but p1 has only its pgd: the first fault also allocates the L1, L2 and
    // L3 tables (4 KB each), and the 16th page finds no frame.
    const b = full(0x12000n);
    failsAtomically(b, {
      op: 'mmap',
      proc: 'p1',
      addr: '0x40_0000',
      size: '0x10000',
      prot: 'rw',
      populate: true,
    });
    const mm = b.w.kernel!.processes.get('p1')!.mm;
    expect(mm.vmas).toEqual([]);
    expect(mm.tables).toHaveLength(1);
    // With room for the tables and the 16 pages it succeeds.
    const roomy = full(0x13000n);
    expect(
      roomy.run({
        op: 'mmap',
        proc: 'p1',
        addr: '0x40_0000',
        size: '0x10000',
        prot: 'rw',
        populate: true,
      }).status,
    ).toBe('ok');
  });

  it('a populated mmap that cannot fit fails before faulting anything in', () => {
    // 12 KB free for 16 writable pages: -ENOMEM at once, with nothing to undo.
    const b = full(0x3000n);
    const before = digestParts(b.w);
    const r = b.run({
      op: 'mmap',
      proc: 'p1',
      addr: '0x40_0000',
      size: '0x10000',
      prot: 'rw',
      populate: true,
    });
    expect(r).toMatchObject({ status: 'error', error: '-ENOMEM' });
    expect(r.message).toMatch(/MAP_POPULATE: .* needs at least 0x10000 bytes/);
    expect(r.notes.some((n) => n.startsWith('undone:'))).toBe(false);
    expect(r.writes).toEqual([]);
    expect(digestParts(b.w)).toEqual(before);
  });

  it('two private binds: the SMMU ASID and the PASID are taken before the io-pgtable root', () => {
    const b = full(0n);
    const k = b.w.kernel!;
    const asids = [...k.driver.asids.used];
    failsAtomically(b, { op: 'bind', dev: 'gpu', proc: 'p1', tables: 'private' });
    failsAtomically(b, { op: 'bind', dev: 'gpu', proc: 'p2', tables: 'private' });
    expect([...k.idr.used.keys()]).toEqual([1]);
    expect(k.idr.cursor).toBe(2);
    expect([...k.driver.asids.used]).toEqual(asids);
    expect([...k.devices.get('gpu')!.bonds.keys()]).toEqual(['p0']);
    expect(k.privates.size).toBe(0);
  });

  it('a shared bind whose PASID needs a new CD leaf (64 KB) after the IDR and the ASID pin', () => {
    const b = full(0x1_0000n - 0x1000n);
    const k = b.w.kernel!;
    // State tweak: the cyclic IDR's cursor at 1024, the first PASID of L1 index 1 (1024 / 1024).
    k.idr.cursor = 1024;
    failsAtomically(b, { op: 'bind', dev: 'gpu', proc: 'p1' });
    expect(k.idr.used.has(1024)).toBe(false);
    expect(k.processes.get('p1')!.mm.asidPinned).toBe(false);
    expect([...k.iommuProcesses.values()].map((ip) => ip.proc)).toEqual(['p0']);
    expect([...k.domains.get('dom')!.contexts.keys()]).toEqual(['p0']);
    expect(k.domains.get('dom')!.cdtable!.leaves.has(1)).toBe(false);
  });

  it('an I/O page fault out of memory is answered INVALID; the dma op itself succeeds', () => {
    const b = full(0n);
    // p0's VMA at 0x10000 has no page tables yet: handle_mm_fault's first table allocation fails
    // → VM_FAULT_OOM ⊂ VM_FAULT_ERROR → IOMMU_PAGE_RESP_INVALID (linux-sva §3.5 step 5) → PRI
    // response InvalidRequest, Resp 1 (linux-facts §6.2), the first page request group (PRG 0).
    const r = b.run({ op: 'dma', dev: 'gpu', pasid: 1, addr: '0x10000', access: 'w' });
    expect(r.status).toBe('ok');
    expect(r.dma?.outcome).toBe('aborted');
    expect(raws(r)).toEqual([cmd.priResp(GPU, 1, 0, 1)]);
    expect(r.notes.some((n) => /VM_FAULT_OOM/.test(n))).toBe(true);
  });
});

describe('savepoints only where memory can run out (kernel/bound.ts)', () => {
  const touch: Op = { op: 'touch', proc: 'p0', addr: 0x10000n, access: 'w' };
  const bind: Op = { op: 'bind', dev: 'gpu', proc: 'p1', tables: 'private' };

  it('on the default 3 GB nothing can; on a full 16 MB everything that allocates can', () => {
    const parsed = parseScenario({ format: 'sva-explorer/scenario', version: 1, ops: SETUP });
    if (!parsed.ok) throw new Error(parsed.error);
    const w = createWorld(parsed.scenario).world;
    parsed.scenario.ops.forEach((o, i) => runOp(w, o, i));
    expect(mayRunOutOfMemory(w.kernel!, w.smmu.platform, touch)).toBe(false);
    expect(mayRunOutOfMemory(w.kernel!, w.smmu.platform, bind)).toBe(false);
    const b = full(0n);
    expect(mayRunOutOfMemory(b.w.kernel!, b.w.smmu.platform, touch)).toBe(true);
    expect(mayRunOutOfMemory(b.w.kernel!, b.w.smmu.platform, bind)).toBe(true);
  });
});
