// /proc/PID/maps → process + mmap ops: each sample's mappings, what the model cannot hold, and the
// ops run through the real runner into a process with exactly those VMAs.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openTimeline, parseScenario } from '../scenario/index.ts';
import { mapsToOps, programName } from './mapsOps.ts';
import { mapsOk } from './testkit.ts';

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

function run(ops: unknown[]) {
  const p = parseScenario(JSON.stringify({ format: 'sva-explorer/scenario', version: 1, ops }));
  if (!p.ok) throw new Error(p.error);
  const t = openTimeline(p.scenario);
  if (!t.ok) throw new Error(t.error);
  return t.timeline;
}

describe('maps → ops', () => {
  it('arm64 sample: 17 of 20 mappings, the three ---p guards listed with why', () => {
    const m = mapsToOps(mapsOk(fixture('01-arm64-v6.5-merge-test-hole.maps')).vmas);
    expect(m.name).toBe('merge');
    expect(m.ops[0]).toEqual({ op: 'process', name: 'merge' });
    expect(m.ops).toHaveLength(1 + 17);
    expect(m.vmas.filter((v) => !v.mapped).map((v) => [v.vma.line, v.label])).toEqual([
      [7, '/usr/lib/aarch64-linux-gnu/libc.so.6'],
      [12, 'anonymous'],
      [15, 'anonymous'],
    ]);
    expect(m.vmas.find((v) => !v.mapped)!.note).toMatch(/at least one of r, w, x/);
    // The stack ends exactly at 2^48 (0x1000000000000): inside a 48-bit address space.
    expect(m.ops.at(-1)).toEqual({
      op: 'mmap',
      proc: 'merge',
      addr: '0xfffffffdf000',
      size: '0x21000',
      prot: 'rw',
      name: '[stack]',
    });
    const heap = m.vmas.find((v) => v.label === '[heap]')!;
    expect(heap).toMatchObject({ mapped: true });
    expect(heap.note).toBeUndefined();
    expect(m.vmas[0]!.note).toMatch(/file-backed/);
  });

  it('the ops give the process those VMAs in the kernel model', () => {
    const m = mapsToOps(mapsOk(fixture('09-kernel-doc-proc-rst-i386.maps')).vmas, { name: 'test' });
    const t = run(m.ops);
    expect(t.records.every((r) => r.status === 'ok')).toBe(true);
    const proc = t.stateAt(t.length).kernel!.processes.get('test')!;
    // The i386 sample maps 08048000–aff4a000 and the vdso at ffffe000; its 2 ---p guard pages are not
    // created. Adjacent VMAs with the same protection may merge, so compare the covered pages.
    const covered = (vmas: { start: bigint; end: bigint }[]) =>
      vmas.reduce((n, v) => n + (v.end - v.start), 0n);
    const want = m.vmas
      .filter((v) => v.mapped)
      .map((v) => ({ start: BigInt(v.vma.start), end: BigInt(v.vma.end) }));
    expect(covered(proc.mm.vmas)).toBe(covered(want));
    expect(m.vmas.filter((v) => !v.mapped).map((v) => v.vma.start)).toEqual([
      '0xa7cb1000',
      '0xa7eb2000',
    ]);
  });

  it('beyond the CPU VA size, misaligned, shared', () => {
    const text = [
      'ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]',
      '7f0000000000-7f0000001000 rw-s 00000000 00:05 1234 /dev/shm/x',
      '7f0000002000-7f0000003000 r--p 00000000 00:00 0',
    ].join('\n');
    const m = mapsToOps(mapsOk(text).vmas, { name: 'p', pageSize: 0x4000n });
    expect(m.vmas.map((v) => [v.mapped, v.note])).toEqual([
      [false, 'beyond the CPU’s 48-bit user address space (ends at 0xffffffffff601000)'],
      [false, 'not aligned to the CPU’s 16 KB pages'],
      [false, 'not aligned to the CPU’s 16 KB pages'],
    ]);
    const four = mapsToOps(mapsOk(text).vmas, { name: 'p' });
    expect(four.vmas[1]).toMatchObject({ mapped: true });
    expect(four.vmas[1]!.note).toMatch(/MAP_SHARED: private here/);
  });

  it('program names', () => {
    expect(programName(mapsOk(fixture('09-kernel-doc-proc-rst-i386.maps')).vmas)).toBe('test');
    expect(programName(mapsOk('08048000-08049000 rw-p 00000000 00:00 0').vmas)).toBe('proc');
  });
});
