// Page request groups and PRI-queue overflow (issue 15), rfc2017 profile. A burst from an ATS+PRI
// device asks for the pages it was denied in one Page Request Group: a PPR per page, one PRG
// index, Last only on the final request (SMMU spec §8; PCIe PRI), at most 16 outstanding
// (arm_smmu_enable_pri: pci_enable_pri(pdev, 16), RFCv2 39/40). The PRI thread runs once the
// group is in the queue. The 2018 io-pgfault.c holds non-last requests on a partial list; the
// last one collects them, each inserted before the last (so they run in reverse order), errors
// are sticky, and one CMD_PRI_RESP answers the group (linux-facts.md §6.2–6.3). Overflow follows
// spec §8.1: once the queue is full nothing is written until software acknowledges; a dropped
// Last=1 PPR gets an automatic Success (with the PASID: IDR3.PPS=1 by default).
import { describe, expect, it } from 'vitest';
import type { OpDoc } from './format.ts';
import { cmd, raws } from './golden.testkit.ts';
import { opsTimeline } from './run.testkit.ts';

const GPU = 0x100;
const BASE = 0x7fff_0000_0000n;
const page = (n: number): bigint => BASE + BigInt(n) * 0x1000n;

/** PRI record (§8): SID [31:0], SSID [51:32], W [61], Last [62], SSV [63]; dw1 = page | PRG. */
const ppr = (prg: number, addr: bigint, last: boolean): readonly [bigint, bigint] => [
  BigInt(GPU) | (1n << 32n) | (1n << 61n) | (last ? 1n << 62n : 0n) | (1n << 63n),
  addr | BigInt(prg),
];

const setup = (vmas: readonly [number, number][]): OpDoc[] => [
  { op: 'device', name: 'gpu', sid: GPU, bus: 'pci', pasidBits: 20, ats: true, pri: true },
  { op: 'domain', name: 'gpu-dom' },
  { op: 'attach', dev: 'gpu', domain: 'gpu-dom' },
  { op: 'process', name: 'app' },
  ...vmas.map(([first, pages]): OpDoc => ({
    op: 'mmap',
    proc: 'app',
    addr: `0x${page(first).toString(16)}`,
    size: `0x${(pages * 0x1000).toString(16)}`,
    prot: 'rw',
  })),
  { op: 'bind', dev: 'gpu', proc: 'app' },
];

const burst = (count: number): OpDoc => ({
  op: 'dma',
  dev: 'gpu',
  pasid: 1,
  addr: `0x${BASE.toString(16)}`,
  access: 'w',
  count,
  stride: '0x1000',
});

describe('a page request group: Last only on the final request', () => {
  const ops = [...setup([[0, 8]]), burst(5)];
  const t = opsTimeline(ops);
  const r = t.records[ops.length - 1]!;

  it('the first access asks alone (PRG 0); the other four form PRG 1, Last on the fourth', () => {
    expect(r.pageRequests.map((p) => p.raw)).toEqual([
      ppr(0, page(0), true),
      ppr(1, page(1), false),
      ppr(1, page(2), false),
      ppr(1, page(3), false),
      ppr(1, page(4), true),
    ]);
    expect(r.pageRequests.every((p) => p.written)).toBe(true);
  });

  it('one CMD_PRI_RESP Success per group; every access then translates', () => {
    expect(raws(r)).toEqual([cmd.priResp(GPU, 1, 0, 2), cmd.priResp(GPU, 1, 1, 2)]);
    expect(r.dma!.totals).toMatchObject({ translated: 5, faults: 0 });
  });

  it('the kernel held the three non-last requests until the last one; none remain', () => {
    expect(r.notes).toContain(
      "gpu: 4 page request(s) in 1 page request group(s) of at most 16 (the device's outstanding PRI allocation)",
    );
    expect(t.stateAt(ops.length).kernel!.partialFaults).toEqual([]);
  });
});

describe('a group holds at most 16 requests (the device has 16 PRI credits)', () => {
  const ops = [...setup([[0, 32]]), burst(21)];
  const r = opsTimeline(ops).records[ops.length - 1]!;

  it('20 denied pages after the first: PRG 1 of 16 (Last on page 16), then PRG 2 of 4', () => {
    const prs = r.pageRequests.slice(1).map((p) => p.raw);
    const want = [
      ...Array.from({ length: 16 }, (_, i) => ppr(1, page(i + 1), i === 15)),
      ...Array.from({ length: 4 }, (_, i) => ppr(2, page(i + 17), i === 3)),
    ];
    expect(prs).toEqual(want);
    expect(raws(r)).toEqual([
      cmd.priResp(GPU, 1, 0, 2),
      cmd.priResp(GPU, 1, 1, 2),
      cmd.priResp(GPU, 1, 2, 2),
    ]);
    expect(r.dma!.totals).toMatchObject({ translated: 21, faults: 0 });
  });
});

describe('errors are sticky inside a group (iommu_fault_handle_group)', () => {
  // Pages 0, 2, 3 mapped; page 1 is a hole. PRG 1 = [page 1, page 2, page 3 (Last)]: the group
  // runs page 2 (the partials, newest first), page 1 (no VMA → INVALID), and skips page 3.
  const ops = [
    ...setup([
      [0, 1],
      [2, 2],
    ]),
    burst(4),
  ];
  const t = opsTimeline(ops);
  const r = t.records[ops.length - 1]!;

  it('the group is answered InvalidRequest (Resp 1) and its three accesses fail', () => {
    expect(raws(r)).toEqual([cmd.priResp(GPU, 1, 0, 2), cmd.priResp(GPU, 1, 1, 1)]);
    expect(r.dma!.totals).toMatchObject({ translated: 1, faults: 3 });
  });

  it('page 2 was faulted in before the error; page 3, after it, was not', () => {
    const pages = t.stateAt(ops.length).kernel!.processes.get('app')!.mm.pages;
    expect([pages.has(page(0)), pages.has(page(2)), pages.has(page(3))]).toEqual([
      true,
      true,
      false,
    ]);
  });
});

describe('PRI-queue overflow: a group larger than the queue (priqEntries 4)', () => {
  const ops = [...setup([[0, 16]]), burst(9)];
  const t = opsTimeline(ops, { platform: { smmu: { priqEntries: 4 } } });
  const r = t.records[ops.length - 1]!;
  const rounds = [1, 2, 3, 4]; // the device tries a group four times (MAX_ROUNDS)

  it('each group of 8: four written, the queue fills, the rest dropped; the Last auto-answered', () => {
    const prs = r.pageRequests.slice(1); // after the first access's own group
    expect(prs).toHaveLength(32);
    for (const [k, prg] of rounds.entries()) {
      const g = prs.slice(k * 8, k * 8 + 8);
      expect(g.map((p) => p.raw)).toEqual(
        [1, 2, 3, 4, 5, 6, 7, 8].map((n) => ppr(prg, page(n), n === 8)),
      );
      expect(g.map((p) => p.written)).toEqual([true, true, true, true, false, false, false, false]);
      // §8.1: Last=0 silently dropped; the dropped Last answered Success (Resp 2).
      expect(g.map((p) => p.autoResponse)).toEqual([...Array<undefined>(7).fill(undefined), 2]);
    }
  });

  it('the kernel never sees a Last: it answers nothing, and the accesses fail after four tries', () => {
    expect(raws(r)).toEqual([cmd.priResp(GPU, 1, 0, 2)]); // only the first access's group
    expect(r.dma!.totals).toMatchObject({ translated: 1, faults: 8 });
  });

  it('each round leaves four partial requests behind (the RFC never flushes them)', () => {
    const partial = t.stateAt(ops.length).kernel!.partialFaults;
    expect(partial.map((p) => [p.grpid, p.addr])).toEqual(
      rounds.flatMap((prg) => [1, 2, 3, 4].map((n) => [prg, page(n)])),
    );
  });

  it('the PRI thread prints the overflow (arm_smmu_priq_thread dev_err)', () => {
    expect(r.notes).toContain(
      'arm-smmu-v3 arm-smmu-v3.0.auto: PRIQ overflow detected -- requests lost (4 times)',
    );
  });

  it('the PRI thread acknowledges the overflow: OVACKFLG = OVFLG afterwards', () => {
    const s = t.stateAt(ops.length).smmu;
    expect(s.regs.PRIQ_CONS >> 31n).toBe(s.regs.PRIQ_PROD >> 31n);
    expect(s.regs.PRIQ_PROD & 0xfffffn).toBe(s.regs.PRIQ_CONS & 0xfffffn); // drained
  });
});

describe('PRIQEN=0: the SMMU answers every request of a group itself (§8.2)', () => {
  // Page 0 is touched first, so the first access translates without PRI; the other four pages
  // form PRG 0. With PRIQEN cleared, each of the four PPRs gets an automatic Response Failure.
  const ops: OpDoc[] = [
    ...setup([[0, 8]]),
    { op: 'touch', proc: 'app', addr: `0x${BASE.toString(16)}`, access: 'w' },
    { op: 'reg', name: 'CR0', value: '0xd' }, // SMMUEN | EVENTQEN | CMDQEN; PRIQEN [1] clear
    burst(5),
  ];
  const t = opsTimeline(ops);
  const r = t.records[ops.length - 1]!;

  it('four requests, none written, each answered Response Failure (0) by the SMMU', () => {
    expect(r.pageRequests.map((p) => p.raw)).toEqual(
      [1, 2, 3, 4].map((n) => ppr(0, page(n), n === 4)),
    );
    expect(r.pageRequests.map((p) => [p.written, p.autoResponse])).toEqual(
      Array<[boolean, number]>(4).fill([false, 0]),
    );
    expect(raws(r)).toEqual([]); // the kernel sends nothing: its PRI thread saw no request
  });

  it('the device takes one response, ignores the rest, and stops using PRI', () => {
    const w = t.stateAt(ops.length);
    expect(w.kernel!.devices.get('gpu')!.pri).toBe(false);
    expect(w.smmu.inbox.filter((m) => m.kind === 'pri-resp')).toEqual([]);
    expect(r.dma!.totals).toMatchObject({ translated: 1, faults: 4 });
  });
});
