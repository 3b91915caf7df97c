// The error paths of linux-sva.md §3.7's RFCv2 rows (iommu-process.c, linux-facts.md §4): each
// returns its errno and changes nothing. The errnos are the table's, not the program's.
import { describe, expect, it } from 'vitest';
import type { OpDoc } from './format.ts';
import { failedUnchanged as failed, opsTimeline } from './run.testkit.ts';

const timeline = (ops: OpDoc[]) => opsTimeline(ops, { kernel: 'rfc2017' });

const BASE: OpDoc[] = [
  { op: 'device', name: 'gpu', sid: 0x100, bus: 'pci', pasidBits: 8 },
  { op: 'device', name: 'dsp', sid: 0x200, bus: 'pci', pasidBits: 2 },
  { op: 'device', name: 'lone', sid: 0x300, bus: 'pci', pasidBits: 8 },
  { op: 'domain', name: 'a' },
  { op: 'domain', name: 'b' },
  { op: 'attach', dev: 'gpu', domain: 'a' },
  { op: 'attach', dev: 'dsp', domain: 'b' },
  { op: 'process', name: 'p0' },
];

describe('RFCv2 bind and unbind errors (linux-sva §3.7)', () => {
  it('bind: a task without a pid or mm is -EINVAL (not -ESRCH), shared or private', () => {
    const t = timeline([
      ...BASE,
      { op: 'bind', dev: 'gpu', proc: 'ghost' },
      { op: 'bind', dev: 'gpu', proc: 'ghost', tables: 'private' },
    ]);
    expect(failed(t, 8, '-EINVAL')).toMatch(/no task named ghost/);
    failed(t, 9, '-EINVAL');
  });

  it('bind: a device without a domain is -EINVAL', () => {
    const t = timeline([...BASE, { op: 'bind', dev: 'lone', proc: 'p0' }]);
    failed(t, 8, '-EINVAL');
  });

  it("bind: an existing PASID outside the new domain's range is -ENOSPC", () => {
    // Cyclic IDR in a's range 1–255: p0..p3 get PASIDs 1..4; b's device has 2-bit PASIDs (1–3).
    const procs = ['p1', 'p2', 'p3'].map((name): OpDoc => ({ op: 'process', name }));
    const binds = ['p0', 'p1', 'p2', 'p3'].map((proc): OpDoc => ({ op: 'bind', dev: 'gpu', proc }));
    const t = timeline([...BASE, ...procs, ...binds, { op: 'bind', dev: 'dsp', proc: 'p3' }]);
    expect(t.records[14]!.pasid).toBe(4);
    expect(failed(t, 15, '-ENOSPC')).toMatch(/PASID 4 .* outside b's range 1–3/);
  });

  it("unbind: a process not bound in the device's domain is -ESRCH (not -EINVAL)", () => {
    const t = timeline([...BASE, { op: 'unbind', dev: 'gpu', proc: 'p0' }]);
    failed(t, 8, '-ESRCH');
  });

  it('unbind: a PASID no longer in the IDR (the process exited) is -ESRCH', () => {
    const t = timeline([
      ...BASE,
      { op: 'bind', dev: 'gpu', proc: 'p0' },
      { op: 'exit', proc: 'p0' },
      { op: 'unbind', dev: 'gpu', proc: 'p0' },
    ]);
    expect(t.records[10]).toMatchObject({ status: 'error', error: '-ESRCH' });
    expect(t.records[10]!.message).toMatch(/PASID 1 is not in the IDR/);
  });
});

describe('a driver still holding the PASID of an exited process (linux-sva §1.7)', () => {
  it('must unbind before its device moves or binds the name anew; that unbind releases it', () => {
    const t = timeline([
      ...BASE,
      { op: 'bind', dev: 'gpu', proc: 'p0' },
      { op: 'exit', proc: 'p0' },
      { op: 'process', name: 'p0' },
      { op: 'bind', dev: 'gpu', proc: 'p0' },
      { op: 'attach', dev: 'gpu', domain: 'b' },
      { op: 'unbind', dev: 'gpu', proc: 'p0' },
      { op: 'bind', dev: 'gpu', proc: 'p0', tables: 'private' },
    ]);
    expect(failed(t, 11, '-EEXIST')).toMatch(/still holds PASID 1 of the p0 that exited/);
    failed(t, 12, '-EBUSY');
    expect(t.records[13]).toMatchObject({ status: 'error', error: '-ESRCH' });
    expect(t.stateAt(14).kernel!.devices.get('gpu')!.bonds.size).toBe(0);
    // Cyclic IDR: 1 was handed out and freed at exit; the cursor is at 2.
    expect(t.records[14]).toMatchObject({ status: 'ok', pasid: 2 });
  });
});
