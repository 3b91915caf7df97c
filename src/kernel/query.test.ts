// The kernel query module on hand-built kernel states: each answer is derived from the records
// by the rules the query's comment cites (linux-sva §1.7 for exit; the IDR for PASID owners).
import { describe, expect, it } from 'vitest';
import {
  asidOwner,
  bondState,
  cdTableS1Fmt,
  deviceBySid,
  heldByExitedMm,
  isStale,
  liveIommuProcess,
  pasidOwner,
  steAddress,
} from './query.ts';
import type { IommuProcess, KernelState } from './state.ts';

const proc = (name: string, pid: number, asid: number) => ({
  name,
  pid,
  mm: { pgd: 0n, asid, asidPinned: false, vmas: [], pages: new Map(), pins: new Map(), tables: [] },
});
const ip = (pasid: number, p: string, pid: number, extra: Partial<IommuProcess> = {}) =>
  [pasid, { pasid, proc: p, pid, domains: [], ...extra }] as const;

/** gpu bound "app" (PASID 1, live), "old" (PASID 2, exited: mainline keeps it), a private PASID 3
 * of (gpu, cam), and "gone" whose PASID 4 was freed at exit (rfc2017). */
function world(): KernelState {
  return {
    idr: {
      cursor: 5,
      used: new Map<number, unknown>([
        [1, { kind: 'process', proc: 'app' }],
        [2, { kind: 'process', proc: 'old' }],
        [3, { kind: 'private', dev: 'gpu', proc: 'cam' }],
      ]),
    },
    iommuProcesses: new Map([
      ip(1, 'app', 100, { sva: { asid: 7, users: 1 } }),
      ip(2, 'old', 101, { exited: true, sva: { asid: 8, users: 1 } }),
    ]),
    processes: new Map([
      ['app', proc('app', 100, 64)],
      ['cam', proc('cam', 102, 65)],
    ]),
    domains: new Map([
      [
        'dom',
        {
          name: 'dom',
          pgtable: { asid: 1 },
          contexts: new Map([['app', { pasid: 1, ref: 1, asid: 9, devices: ['gpu'] }]]),
        },
      ],
    ]),
    privates: new Map([['gpu/cam', { dev: 'gpu', proc: 'cam', pasid: 3, pgtable: { asid: 2 } }]]),
    devices: new Map([
      ['gpu', { name: 'gpu', sid: 0x10 }],
      ['dsp', { name: 'dsp', sid: 0x305 }],
    ]),
    driver: { strtab: { base: 0x8000n, fmt: '2level', split: 8, l2: new Map([[3, 0x4_0000n]]) } },
  } as unknown as KernelState;
}

describe('kernel queries', () => {
  it('the live iommu_process of a name skips an exited namesake', () => {
    const k = world();
    k.iommuProcesses.set(5, { pasid: 5, proc: 'old', pid: 103, domains: [] });
    expect(liveIommuProcess(k, 'old')?.pasid).toBe(5);
    expect(liveIommuProcess(k, 'app')?.pasid).toBe(1);
    expect(liveIommuProcess(k, 'gone')).toBeUndefined();
  });

  it('bonds: live, exited (mainline holds the PASID), stale (freed or reused)', () => {
    const k = world();
    const shared = (pasid: number) => ({ pasid, tables: 'shared' as const });
    expect(bondState(k, 'gpu', 'app', shared(1))).toBe('live');
    expect(bondState(k, 'gpu', 'old', shared(2))).toBe('exited');
    expect(bondState(k, 'gpu', 'gone', shared(4))).toBe('stale');
    // PASID 1 now belongs to another process: the bond that held it for "old" is stale.
    expect(bondState(k, 'gpu', 'old', shared(1))).toBe('stale');
    const priv = (pasid: number) => ({ pasid, tables: 'private' as const });
    expect(bondState(k, 'gpu', 'cam', priv(3))).toBe('live');
    expect(bondState(k, 'dsp', 'cam', priv(3))).toBe('stale');
    // The kernel's -EEXIST test: anything but live, for shared bonds only.
    expect([1, 2, 4].map((p) => isStale(k, p === 1 ? 'app' : 'old', shared(p)))).toEqual([
      false,
      true,
      true,
    ]);
    expect(isStale(k, 'cam', priv(3))).toBe(false);
  });

  it('PASID owners by the IDR and the mm records', () => {
    const k = world();
    expect(pasidOwner(k, 1)).toEqual({ kind: 'process', proc: 'app', pid: 100 });
    expect(pasidOwner(k, 2)).toEqual({ kind: 'exited', proc: 'old', pid: 101 });
    expect(pasidOwner(k, 3)).toEqual({ kind: 'private', dev: 'gpu', proc: 'cam' });
    expect(pasidOwner(k, 4)).toBeUndefined();
    expect([1, 2, 4].map((p) => heldByExitedMm(k, p))).toEqual([false, true, false]);
  });

  it('ASID owners: SVA domains, io-pgtables, contexts, private tables, CPU, none', () => {
    const k = world();
    expect([8, 1, 9, 2, 65, 3].map((a) => asidOwner(k, a))).toEqual([
      { kind: 'sva-domain', proc: 'old', exited: true },
      { kind: 'io-pgtable', domain: 'dom' },
      { kind: 'context', domain: 'dom', proc: 'app' },
      { kind: 'private', dev: 'gpu', proc: 'cam' },
      { kind: 'cpu', proc: 'cam' },
      { kind: 'none' },
    ]);
  });

  it('STE addresses: 2-level by L1STD[sid >> split] + (sid mod 2^split) × 64', () => {
    const k = world();
    expect(steAddress(k, 0x305)).toBe(0x4_0000n + 5n * 64n);
    expect(steAddress(k, 0x10)).toBeUndefined();
    k.driver.strtab = { ...k.driver.strtab, fmt: 'linear' };
    expect(steAddress(k, 0x10)).toBe(0x8000n + 0x10n * 64n);
    expect(deviceBySid(k, 0x305)?.name).toBe('dsp');
    expect(deviceBySid(k, 0x306)).toBeUndefined();
  });

  it('the driver programs linear CD tables as S1Fmt 0b00, two-level ones with 64 KB leaves', () => {
    const t = { base: 0n, s1cdmax: 20, leaves: new Map(), blocks: [] };
    expect(cdTableS1Fmt({ ...t, fmt: 'linear' })).toBe(0);
    expect(cdTableS1Fmt({ ...t, fmt: '2level' })).toBe(2);
  });
});
