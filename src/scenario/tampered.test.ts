// Memory changed behind the kernel's back by hardware-level ops (write64 into live page tables
// and io-pgtables), then kernel ops and device accesses on it. Each case was an exception or a
// stall retried thousands of times; each is now a result that says what the CPU, the SMMU and
// the kernel did. Expected values come from the kernel code the model follows: mm/memory.c
// handle_pte_fault (pte_none → do_anonymous_page: a new page), do_wp_page / pte_mkyoung (a
// present PTE is made what the VMA allows), mm/pgtable-generic.c pmd_clear_bad (a bad table
// entry is reported and cleared), kernel/fork.c check_mm ("BUG: Bad rss-counter state"),
// io-pgtable-arm.c __arm_lpae_map (a leaf where none is expected: -EEXIST), and the Arm ARM's
// hierarchical permissions (APTable in a table descriptor limits every access below it).
import { describe, expect, it } from 'vitest';
import { hex } from '../engine/index.ts';
import type { OpDoc } from './format.ts';
import { failedUnchanged, opsTimeline } from './run.testkit.ts';
import type { Timeline } from './timeline.ts';
import type { World } from './world.ts';

const VA = 0x7fff_0000_0000n;
const base: OpDoc[] = [
  { op: 'device', name: 'acc', sid: 17, bus: 'platform', pasidBits: 3, stall: true },
  { op: 'domain', name: 'd' },
  { op: 'attach', dev: 'acc', domain: 'd' },
  { op: 'process', name: 'app' },
  { op: 'mmap', proc: 'app', addr: hex(VA), size: '0x2000', prot: 'rw' },
  { op: 'touch', proc: 'app', addr: hex(VA), access: 'w' },
];

/** Runs `base`, then the ops `more` builds from the world it left (PAs of live tables). */
function tamper(
  more: (w: World, t: Timeline) => OpDoc[],
  extra: OpDoc[] = [],
  header: { platform?: object } = {},
): Timeline {
  const first = opsTimeline([...base, ...extra], header);
  const w = first.stateAt(first.length);
  return opsTimeline([...base, ...extra, ...more(w, first)], header);
}

/** The PTE write of the first touch: its slot, and the descriptor the kernel wrote. */
const firstPte = (t: Timeline): { pa: bigint; pte: bigint } => {
  const w = t.records[5]!.writes.at(-1)!;
  return { pa: w.pa, pte: w.new };
};
/** The level-2 slot of the walk to VA (pgd → pud → pmd): the third table write of the touch. */
const pmdSlot = (t: Timeline): { pa: bigint; desc: bigint } => {
  const w = t.records[5]!.writes[2]!;
  return { pa: w.pa, desc: w.new };
};
const OA = 0xffff_ffff_f000n; // bits [47:12]

describe('a PTE cleared by write64 while the kernel believes the page present', () => {
  it('touch: the fault handler sees pte_none and faults in a new page (was: an exception)', () => {
    const t = tamper((_, t0) => [
      { op: 'write64', pa: hex(firstPte(t0).pa), value: '0' },
      { op: 'touch', proc: 'app', addr: hex(VA), access: 'w' },
      { op: 'exit', proc: 'app' },
    ]);
    const { pa: slot, pte } = firstPte(t);
    const r = t.records[7]!;
    expect(r.status).toBe('ok');
    const old = pte & OA;
    expect(r.pa).not.toBe(old);
    // The new PTE sits in the same slot with the same attributes (same VMA, a dirty page).
    const now = t.stateAt(8).mem.read64(slot)!;
    expect(now & ~OA).toBe(pte & ~OA);
    expect(now & OA).toBe(r.pa);
    expect(r.notes.join('\n')).toMatch(
      `its PTE at ${hex(slot)} is empty, though the kernel mapped page ${hex(old)} there`,
    );
    // The old page was never unmapped by the kernel: it stays allocated, and exit says so.
    expect(t.records[8]!.notes).toContain(
      'BUG: Bad rss-counter state mm:app type:MM_ANONPAGES val:1',
    );
    expect(t.stateAt(9).kernel!.frames.used.get(old)?.use).toBe('user');
  });

  it('a stalling device: the handler faults the page in and the retry translates', () => {
    const t = tamper(
      (_, t0) => [
        { op: 'write64', pa: hex(firstPte(t0).pa), value: '0' },
        { op: 'dma', dev: 'acc', pasid: 1, addr: hex(VA), access: 'r' },
      ],
      [{ op: 'bind', dev: 'acc', proc: 'app' }],
    );
    const r = t.records.at(-1)!;
    expect(r.dma!.outcome).toBe('translated');
    expect(r.events.map((e) => e.event.name)).toEqual(['F_TRANSLATION']);
    expect(r.resumes.map((x) => x.retried)).toEqual([true]);
  });
});

describe('a present PTE changed by write64 so that it no longer allows the access', () => {
  it('read-only (AP[2]=1): a write fault makes it writable again, same page', () => {
    const t = tamper((_, t0) => {
      const { pa, pte } = firstPte(t0);
      return [
        { op: 'write64', pa: hex(pa), value: hex(pte | (1n << 7n)) },
        { op: 'touch', proc: 'app', addr: hex(VA), access: 'w' },
      ];
    });
    const { pa, pte } = firstPte(t);
    expect(t.records[7]).toMatchObject({ status: 'ok', pa: pte & OA });
    expect(t.stateAt(8).mem.read64(pa)).toBe(pte);
  });
});

describe('a block descriptor written where the kernel has a table (a bad pmd)', () => {
  it('touch: pmd_clear_bad reports and clears it, new tables and a new page follow', () => {
    const t = tamper((_, t0) => [
      // A 2 MB block (type 0b01) with AF, at the level-2 slot of the walk.
      { op: 'write64', pa: hex(pmdSlot(t0).pa), value: '0x4060_0401' },
      { op: 'touch', proc: 'app', addr: hex(VA), access: 'r' },
    ]);
    const { pa } = pmdSlot(t);
    const r = t.records[7]!;
    expect(r.status).toBe('ok');
    expect(r.notes.join('\n')).toMatch(
      `mm: bad level-2 descriptor 0x0000000040600401 at ${hex(pa)} (not a table`,
    );
    // A new level-3 table is linked there (a table descriptor, bits[1:0] = 0b11).
    expect(t.stateAt(8).mem.read64(pa)! & 3n).toBe(3n);
  });
});

describe('table limits the CPU and the SMMU apply but the kernel never looks at', () => {
  // APTable = 0b01 (bit 61) in the pmd's table descriptor: no EL0 (unprivileged) access below it
  // (Arm ARM, hierarchical permissions). Linux never sets it and its fault handler does not read
  // it: handle_mm_fault finds the PTE present and allowing the access, and returns (spurious).
  const noEl0 = (t0: Timeline): OpDoc => {
    const { pa, desc } = pmdSlot(t0);
    return { op: 'write64', pa: hex(pa), value: hex(desc | (1n << 61n)) };
  };
  it('touch: the CPU faults again after the handler; the op fails and changes nothing', () => {
    const t = tamper((_, t0) => [
      noEl0(t0),
      { op: 'touch', proc: 'app', addr: hex(VA), access: 'r' },
    ]);
    const msg = failedUnchanged(t, 7, 'SIGSEGV');
    expect(msg).toMatch(
      /^app: read at 0x7fff00000000 faults again after the kernel handled the fault: the CPU's walk reaches PTE 0x[0-9a-f]{16}, and the PTE or the tables above it do not allow it/,
    );
  });

  it('a stalling device: one retry, then CMD_RESUME abort (was: 20,480 retries per access)', () => {
    const t = tamper(
      (_, t0) => [noEl0(t0), { op: 'dma', dev: 'acc', pasid: 1, addr: hex(VA), access: 'r' }],
      [{ op: 'bind', dev: 'acc', proc: 'app' }],
    );
    const r = t.records.at(-1)!;
    expect(r.dma!.outcome).toBe('aborted');
    expect(r.events.map((e) => [e.event.name, e.event.stall])).toEqual([
      ['F_PERMISSION', true],
      ['F_PERMISSION', true],
    ]);
    // CMD_RESUME Ac=1 (retry) for the first, Ab=1 (abort) for the second (arm_smmu_page_response:
    // RESP_RETRY for SUCCESS, RESP_ABORT for INVALID).
    expect(r.resumes.map((x) => [x.retried, x.abort])).toEqual([
      [true, false],
      [false, true],
    ]);
    expect(r.notes.join('\n')).toMatch(/the fault cannot be resolved/);
  });
});

describe('io-pgtables changed by write64', () => {
  const iova = 0x4000_0000n;
  const mapped: OpDoc[] = [{ op: 'map', domain: 'd', iova: hex(iova), size: '0x2000', prot: 'rw' }];
  /** The level-1 entry for `iova` in the domain's io-pgtable (root = level 0, 4 KB granule). */
  const l1Slot = (w: World): bigint => {
    const root = w.kernel!.domains.get('d')!.pgtable!.root;
    const l1 = w.mem.read64(root)! & OA; // iova < 512 GB: root index 0
    return l1 + ((iova >> 30n) & 511n) * 8n;
  };

  it('an L1 entry pointing into the stream table: unmap frees none of it', () => {
    // Range invalidation: the 1 GB walk flush is one TLBI, not 262,144 (robustness.test.ts).
    const t = tamper(
      (w) => [
        { op: 'write64', pa: hex(l1Slot(w)), value: hex(w.kernel!.driver.strtab.base | 3n) },
        { op: 'unmap', domain: 'd', iova: hex(iova), size: '0x4000_0000' },
      ],
      mapped,
      { platform: { smmu: { rangeInv: true } } },
    );
    const r = t.records.at(-1)!;
    expect(r.status).toBe('ok');
    const w = t.stateAt(t.length);
    const st = w.kernel!.driver.strtab.base;
    expect(w.kernel!.frames.used.get(st)?.use).toBe('strtab');
    expect(r.notes.join('\n')).toMatch(
      `a table descriptor points at ${hex(st)}, which is not a table of this io-pgtable`,
    );
  });

  it('a leaf the kernel did not map: map there fails -EEXIST and changes nothing', () => {
    const t = tamper(
      (w) => [
        { op: 'write64', pa: hex(l1Slot(w) + 8n), value: '0x8000_0701' }, // a 1 GB block
        { op: 'map', domain: 'd', iova: hex(iova + 0x4000_0000n), size: '0x1000', prot: 'r' },
      ],
      mapped,
    );
    expect(failedUnchanged(t, t.length - 1, '-EEXIST')).toMatch(
      /already has a level-1 leaf 0x0000000080000701 .* __arm_lpae_map WARNs and refuses/,
    );
  });
});

describe('a pgd entry pointing at the pgd itself (a cycle)', () => {
  it('touch and a device access finish; nothing hangs', () => {
    const t = tamper(
      (w) => {
        const pgd = w.kernel!.processes.get('app')!.mm.pgd;
        const slot = pgd + ((VA >> 39n) & 511n) * 8n;
        return [
          { op: 'write64', pa: hex(slot), value: hex(pgd | 3n) },
          { op: 'touch', proc: 'app', addr: hex(VA + 0x1000n), access: 'w' },
          { op: 'dma', dev: 'acc', pasid: 1, addr: hex(VA), access: 'w', count: 4 },
          { op: 'munmap', proc: 'app', addr: hex(VA), size: '0x2000' },
          { op: 'exit', proc: 'app' },
        ];
      },
      [{ op: 'bind', dev: 'acc', proc: 'app' }],
    );
    expect(t.length).toBe(12);
    for (const r of t.records) expect(['ok', 'error']).toContain(r.status);
  });
});
