// Stale entries and since which op, on hand-derived scenarios: a CD rewritten by write64 without
// CMD_CFGI_CD (the next access hits the old CD in the configuration cache), a PTE rewritten
// without TLBI, and the write history's "since" search on a history written by hand.
import { describe, expect, it } from 'vitest';
import type { ScenarioDoc } from '../scenario/index.ts';
import { timelineOf, worldAt } from './testkit.ts';
import { sinceOp, staleEntries, staleHitsOf, writeHistory, type WordWrite } from './stale.ts';

/** gpu (SID 0x100, ATS off) shares app's tables through PASID 1; op 7 is the first access. */
const base = (more: ScenarioDoc['ops']): ScenarioDoc => ({
  format: 'sva-explorer/scenario',
  version: 1,
  kernel: 'rfc2017',
  ops: [
    { op: 'device', name: 'gpu', sid: 256, bus: 'pci', pasidBits: 20 },
    { op: 'domain', name: 'gpu-dom' },
    { op: 'attach', dev: 'gpu', domain: 'gpu-dom' },
    { op: 'process', name: 'app' },
    { op: 'mmap', proc: 'app', addr: '0x7fff_0000_0000', size: '0x4000', prot: 'rw' },
    { op: 'touch', proc: 'app', addr: '0x7fff_0000_1000', access: 'w' },
    { op: 'bind', dev: 'gpu', proc: 'app' },
    { op: 'dma', dev: 'gpu', pasid: 1, addr: '0x7fff_0000_1000', access: 'r' },
    ...more,
  ],
});
const hex = (v: bigint) => `0x${v.toString(16)}`;
const none = () => undefined;

describe('stale entries after hand-made changes', () => {
  const t0 = timelineOf(base([]));
  const w0 = worldAt(t0, 7);
  const cd = w0.smmu.cfg.entries().find((e) => e.kind === 'cd' && e.ssid === 1)!;
  const tlb = w0.smmu.tlb.entries().find((e) => e.sid === 256)!;

  it('the first access cached the STE, the CD and one TLB entry; none is stale', () => {
    expect(cd).toBeDefined();
    expect(tlb.src).toHaveLength(4); // 48-bit VA, 4 KB granule: L0–L3
    expect(staleEntries(w0, none)).toEqual([]);
  });

  it('write64 to the CD without CFGI_CD: the cached CD is stale since that op; the dma says so', () => {
    // Dword 0 with another ASID (bits [63:48]): the CD now differs from the cached copy.
    const asid = cd.kind === 'cd' ? cd.view.ASID : 0;
    const was = cd.kind === 'cd' ? cd.raw[0]! : 0n;
    const now = (was & ~(0xffffn << 48n)) | (BigInt(asid + 1) << 48n);
    expect(now).not.toBe(was);
    const t = timelineOf(
      base([
        { op: 'write64', pa: hex(cd.pa), value: hex(now) },
        { op: 'dma', dev: 'gpu', pasid: 1, addr: '0x7fff_0000_1000', access: 'r' },
      ]),
    );
    const history = writeHistory(t.records);
    const stale = staleEntries(worldAt(t, 8), (w) => sinceOp(history, w, 8));
    expect(stale).toEqual([
      {
        cache: 'cfg',
        key: 'cd|256|1',
        words: [{ pa: cd.pa, role: 'config', was, now }],
        since: 8,
      },
    ]);
    // The access hits the old CD (no CMD_CFGI_CD): its trace step and the op's hits say so.
    const hits = staleHitsOf(t.records[9]!);
    expect(hits).toEqual([
      {
        cache: 'cfg',
        what: 'config cache (CD)',
        words: [{ pa: cd.pa, role: 'config', was, now }],
        attempt: 0,
        step: hits[0]!.step,
      },
    ]);
    expect(t.records[9]!.dma!.steps[hits[0]!.step!]).toMatchObject({
      kind: 'cfg-hit',
      struct: 'cd',
    });
    expect(t.records[9]!.dma!.outcome).toBe('translated');
  });

  it('write64 to the leaf PTE without TLBI: the TLB entry is stale since that op', () => {
    const leaf = tlb.src[3]!;
    const remapped = leaf.value + 0x1000n; // the next frame
    const t = timelineOf(base([{ op: 'write64', pa: hex(leaf.pa), value: hex(remapped) }]));
    const history = writeHistory(t.records);
    const stale = staleEntries(worldAt(t, 8), (w) => sinceOp(history, w, 8));
    expect(stale[0]!.key).toMatch(/^s1\|/);
    expect(stale).toEqual([
      {
        cache: 'tlb',
        key: stale[0]!.key,
        words: [{ pa: leaf.pa, role: 's1-leaf', was: leaf.value, now: remapped }],
        since: 8,
      },
    ]);
  });

  it('munmap invalidates what it unmaps: nothing stale (rfc2017, BTM)', () => {
    const t = timelineOf(
      base([{ op: 'munmap', proc: 'app', addr: '0x7fff_0000_0000', size: '0x4000' }]),
    );
    expect(staleEntries(worldAt(t, 8), none)).toEqual([]);
  });
});

describe('since which op', () => {
  const word = { pa: 0x100n, role: 'config' as const, was: 0xan, now: 0xcn };
  const h = (list: WordWrite[]) => new Map([[0x100n, list]]);

  it('the write that took the word away from the cached value', () => {
    expect(sinceOp(h([{ op: 3, old: 0xan, new: 0xcn }]), word, 9)).toBe(3);
  });

  it('the latest departure when the value came back in between', () => {
    const list = [
      { op: 2, old: 0xan, new: 0xbn },
      { op: 4, old: 0xbn, new: 0xan },
      { op: 6, old: 0xan, new: 0xcn },
    ];
    expect(sinceOp(h(list), word, 9)).toBe(6);
  });

  it('writes after the moment asked about do not count; no write: undefined', () => {
    const list = [
      { op: 2, old: 0xan, new: 0xcn },
      { op: 7, old: 0xcn, new: 0xan },
      { op: 8, old: 0xan, new: 0xcn },
    ];
    expect(sinceOp(h(list), word, 7)).toBe(2);
    expect(sinceOp(h([]), word, 7)).toBeUndefined();
  });

  it('a leaf: a write that only set AF is not where it went stale', () => {
    const AF = 1n << 10n;
    const leafWord = { pa: 0x100n, role: 's1-leaf' as const, was: 0x9000_0443n, now: 0n };
    const list = [
      { op: 3, old: 0x9000_0443n, new: 0x9000_0443n | AF },
      { op: 5, old: 0x9000_0443n | AF, new: 0n },
    ];
    expect(sinceOp(h(list), leafWord, 9)).toBe(5);
  });

  it('writeHistory: per word, in order, with the op', () => {
    const hist = writeHistory([
      { writes: [{ pa: 8n, old: 0n, new: 1n }] },
      { writes: [] },
      {
        writes: [
          { pa: 8n, old: 1n, new: 2n },
          { pa: 16n, old: 0n, new: 5n },
        ],
      },
    ]);
    expect(hist.get(8n)).toEqual([
      { op: 0, old: 0n, new: 1n },
      { op: 2, old: 1n, new: 2n },
    ]);
    expect(hist.get(16n)).toEqual([{ op: 2, old: 0n, new: 5n }]);
  });
});
