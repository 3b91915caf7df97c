// mmap's `name` labels a VMA (what /proc/PID/maps says it maps). It changes nothing the SMMU or
// the CPU sees; it only keeps VMAs with different labels apart, as Linux keeps a file mapping
// and the anonymous heap next to it apart (vma_merge needs the same file and anon name).
import { describe, expect, it } from 'vitest';
import { opsTimeline } from './run.testkit.ts';

const vmasOf = (ops: unknown[]) => {
  const t = opsTimeline(ops as never);
  expect(t.records.filter((r) => r.status !== 'ok').map((r) => r.message)).toEqual([]);
  const p = t.stateAt(t.length).kernel!.processes.get('p')!;
  return p.mm.vmas.map((v) => [v.start.toString(16), v.end.toString(16), v.name]);
};

describe('mmap names', () => {
  it('adjacent VMAs with the same protection merge only when their names agree', () => {
    expect(
      vmasOf([
        { op: 'process', name: 'p' },
        { op: 'mmap', proc: 'p', addr: '0x10000', size: '0x1000', prot: 'rw', name: '/bin/x' },
        { op: 'mmap', proc: 'p', addr: '0x11000', size: '0x1000', prot: 'rw', name: '[heap]' },
        { op: 'mmap', proc: 'p', addr: '0x12000', size: '0x1000', prot: 'rw', name: '[heap]' },
        { op: 'mmap', proc: 'p', addr: '0x13000', size: '0x1000', prot: 'rw' },
        { op: 'mmap', proc: 'p', addr: '0x14000', size: '0x1000', prot: 'rw' },
      ]),
    ).toEqual([
      ['10000', '11000', '/bin/x'],
      ['11000', '13000', '[heap]'],
      ['13000', '15000', undefined],
    ]);
  });

  it('mprotect across two labelled VMAs keeps each label; munmap splits keep it too', () => {
    expect(
      vmasOf([
        { op: 'process', name: 'p' },
        { op: 'mmap', proc: 'p', addr: '0x10000', size: '0x2000', prot: 'rw', name: 'a' },
        { op: 'mmap', proc: 'p', addr: '0x12000', size: '0x2000', prot: 'rw', name: 'b' },
        { op: 'mprotect', proc: 'p', addr: '0x11000', size: '0x2000', prot: 'r' },
        { op: 'munmap', proc: 'p', addr: '0x13000', size: '0x1000' },
      ]),
    ).toEqual([
      // a: rw 0x10000–0x11000, r 0x11000–0x12000; b: r 0x12000–0x13000 (0x13000 unmapped)
      ['10000', '11000', 'a'],
      ['11000', '12000', 'a'],
      ['12000', '13000', 'b'],
    ]);
  });

  it('a name must be printable text of 1–200 characters', () => {
    expect(() =>
      opsTimeline([
        { op: 'process', name: 'p' },
        { op: 'mmap', proc: 'p', addr: '0x10000', size: '0x1000', prot: 'r', name: 'a\nb' },
      ] as never),
    ).toThrow(/ops\[1\]\.name: must be printable text/);
  });
});
