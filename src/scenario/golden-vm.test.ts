// The VM ops through the runner: their errnos (each failing op changes nothing) and a stage-2
// fault on a guest CD fetch. Expected values derived by hand from arm-smmu-v3-iommufd.c and the
// event layout of spec §7.3 (docs/research/nesting.md); golden-vm-example.test.ts runs golden V1.
import { describe, expect, it } from 'vitest';
import type { OpDoc } from './index.ts';
import { failedUnchanged, opsTimeline } from './run.testkit.ts';

/** device, vm, vsmmu, vdevice: the setup of most errno cases. */
const SETUP: OpDoc[] = [
  { op: 'device', name: 'accel', sid: 768, pasidBits: 20 },
  { op: 'vm', name: 'g', size: '0x10_0000' },
  { op: 'vsmmu', name: 'vs', vm: 'g' },
  { op: 'vdevice', vsmmu: 'vs', dev: 'accel', vsid: 16 },
];
const mainline = (ops: OpDoc[], platform?: object) =>
  opsTimeline(ops, { kernel: 'mainline', ...(platform ? { platform } : {}) });

describe('VM ops: refusals, each changing nothing', () => {
  it('no nesting on a stage-1-only SMMU: vm -EOPNOTSUPP', () => {
    failedUnchanged(mainline(SETUP.slice(0, 2), { smmu: { s2: false } }), 1, '-EOPNOTSUPP');
  });

  it('the 2017 kernel has no vIOMMU: vsmmu -EOPNOTSUPP', () => {
    failedUnchanged(opsTimeline(SETUP.slice(0, 3)), 2, '-EOPNOTSUPP');
  });

  it('a second vDEVICE for the device, or a vSID taken: -EEXIST', () => {
    failedUnchanged(
      mainline([...SETUP, { op: 'vdevice', vsmmu: 'vs', dev: 'accel', vsid: 17 }]),
      4,
      '-EEXIST',
    );
    const two: OpDoc[] = [
      ...SETUP,
      { op: 'device', name: 'nic', sid: 769 },
      { op: 'vdevice', vsmmu: 'vs', dev: 'nic', vsid: 16 },
    ];
    failedUnchanged(mainline(two), 5, '-EEXIST');
  });

  it('a vSTE the guest may not write: -EIO (Config=6; MEV; EATS=0b10)', () => {
    const bad: [string, string][] = [
      ['0xd', '0x0'],
      ['0x2000_0000_0000_800b', '0x8_00d5'],
      ['0x2000_0000_0000_800b', '0x2000_00d5'],
    ];
    for (const ste of bad)
      failedUnchanged(
        mainline([...SETUP, { op: 'nest', dev: 'accel', vsmmu: 'vs', ste }]),
        4,
        '-EIO',
      );
  });

  it('a stage-1 vSTE without vDEVICE: -ENOENT; a bypass vSTE attaches without one', () => {
    const ops: OpDoc[] = [
      ...SETUP.slice(0, 3),
      { op: 'nest', dev: 'accel', vsmmu: 'vs', ste: ['0x2000_0000_0000_800b', '0xd5'] },
      { op: 'nest', dev: 'accel', vsmmu: 'vs', ste: ['0x9', '0x0'] },
      { op: 'dma', dev: 'accel', addr: '0x1234', access: 'r' },
    ];
    const tl = mainline(ops);
    failedUnchanged(tl, 3, '-ENOENT');
    expect(tl.records[4]!.status).toBe('ok');
    // Stage 2 only: the device's address is a guest IPA, at the same offset in the guest's RAM.
    expect(tl.records[5]!.dma).toMatchObject({
      outcome: 'translated',
      pa: tl.records[1]!.ram![0]!.pa + 0x1234n,
    });
  });

  it('PASIDs in use on the device: nest -EBUSY', () => {
    const ops: OpDoc[] = [
      ...SETUP,
      { op: 'domain', name: 'd' },
      { op: 'attach', dev: 'accel', domain: 'd' },
      { op: 'process', name: 'app' },
      { op: 'bind', dev: 'accel', proc: 'app' },
      { op: 'nest', dev: 'accel', vsmmu: 'vs', ste: ['0x9', '0x0'] },
    ];
    failedUnchanged(mainline(ops), 8, '-EBUSY');
  });

  it('ginv of an opcode the host does not forward, or of an unknown vSID: -EIO', () => {
    failedUnchanged(
      mainline([...SETUP, { op: 'ginv', vsmmu: 'vs', name: 'CFGI_STE', sid: 16 }]),
      4,
      '-EIO',
    );
    const cd = { op: 'ginv', vsmmu: 'vs', name: 'CFGI_CD_ALL', sid: 17 } as OpDoc;
    failedUnchanged(mainline([...SETUP, cd]), 4, '-EIO');
  });

  it('gwrite64 outside the guest RAM: -EFAULT', () => {
    const w = { op: 'gwrite64', vm: 'g', ipa: '0x10_0000', value: '0x1' } as const;
    failedUnchanged(mainline([...SETUP, w]), 4, '-EFAULT');
  });

  it('documents: a VM size off the granule, a guest STE that is not two words', () => {
    expect(() => mainline([{ op: 'vm', name: 'g', size: '0x1800' }])).toThrow(
      'ops[0].size: must be a multiple of 0x1000',
    );
    expect(() =>
      mainline([{ op: 'nest', dev: 'a', vsmmu: 'v', ste: ['0x1'] } as unknown as OpDoc]),
    ).toThrow(/ops\[0\]\.ste/);
  });
});

describe('a stage-2 fault on the guest CD fetch', () => {
  it('is reported S2=1, CLASS=CD, IPA of the CD, and stays with the host', () => {
    const ops: OpDoc[] = [
      ...SETUP,
      // The guest's STE points at a CD table at IPA 0x20_0000, beyond its 1 MB of RAM.
      { op: 'nest', dev: 'accel', vsmmu: 'vs', ste: ['0x2000_0000_0020_000b', '0xd5'] },
      { op: 'dma', dev: 'accel', pasid: 1, addr: '0x7fff_dead_b123', access: 'r' },
    ];
    const r = mainline(ops).records[5]!;
    // dword 1: RnW (bit 35) | S2 (bit 39) | CLASS=CD (0); dword 3: IPA[55:12] of CD 1 (0x20_0040):
    // the record holds only the page, so the event's ipa is 0x20_0000 (spec 7.3.13).
    expect(r.events.map((e) => e.raw)).toEqual([
      [0x0000_0300_0000_1810n, 0x0000_0088_0000_0000n, 0x7fff_dead_b123n, 0x20_0000n],
    ]);
    expect(r.events[0]!.event).toMatchObject({ s2: true, class: 'CD', ipa: 0x20_0000n });
    expect(r.vevents).toBeUndefined();
  });
});
