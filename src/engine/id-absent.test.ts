// Hardware the ID registers say is absent behaves as absent (issue 15). Each expected value is
// read off the spec text: §5.2 STE.PRIVCFG/INSTCFG ("If SMMU_IDR1.ATTR_PERMS_OVR == 0, this
// field is RES0 and the incoming PRIV/INST attribute is used"), §5.4 CD.HAD0 ("if
// SMMU_IDR3.HAD == 0, this field and CD.HAD1 are IGNORED"), §5.4 CD.E0PD0 ("If SMMU_IDR3.E0PD
// == 0 this field is RES0"; "the fault should take the same time to generate, whether the
// address is present in the TLB or not"), §7.3.13 (PnU/InD are the post-override values).
import { describe, expect, it } from 'vitest';
import type { SmmuPlatform } from './platform.ts';
import type { Smmu } from './smmu.ts';
import {
  AF,
  AP_EL0,
  APT_RO,
  CDTAB,
  PAGE,
  PXN,
  Tables,
  env,
  eventAt,
  putCd,
  putSte,
  txn,
  type CdOpts,
  type SteOpts,
} from './tables.testkit.ts';
import { translate } from './translate.ts';

const VA = 0x0000_7fff_dead_b000n;
const PA = 0x8765_4000n;

function world(
  leaf: bigint,
  o: { cd?: CdOpts; ste?: Partial<SteOpts>; platform?: Partial<SmmuPlatform> } = {},
) {
  const s = env({ platform: o.platform ?? {} });
  const t = new Tables(s.mem, 12);
  const root = t.alloc();
  putSte(s, 1, { config: 5, s1ctx: CDTAB, ...o.ste });
  putCd(s, CDTAB, { ttb0: root, ...o.cd });
  t.map(root, 0, 48, VA, 3, PA | leaf | PAGE);
  return { s, root };
}

const kind = (s: Smmu, access: 'r' | 'w' | 'x', priv: boolean): string => {
  const o = translate(s, txn(1, VA, access, { priv })).outcome;
  return o.type === 'translated' ? 'ok' : (o.event?.name ?? o.type);
};

describe('STE.PRIVCFG / INSTCFG need SMMU_IDR1.ATTR_PERMS_OVR (§5.2)', () => {
  // AP=00: privileged only. PRIVCFG=0b11 makes an unprivileged access privileged.
  it('ATTR_PERMS_OVR=1: PRIVCFG=0b11 lets an unprivileged access use a privileged page', () => {
    const { s } = world(AF, { ste: { privcfg: 3 }, platform: { attrPermsOvr: true } });
    expect(kind(s, 'r', false)).toBe('ok');
  });

  it('ATTR_PERMS_OVR=0: PRIVCFG is RES0, the incoming (unprivileged) attribute is used', () => {
    const { s } = world(AF, { ste: { privcfg: 3 }, platform: { attrPermsOvr: false } });
    expect(kind(s, 'r', false)).toBe('F_PERMISSION');
    // The record's PnU (dw1 bit 33) is the incoming value, 0 (§7.3.13: post-override values).
    expect((eventAt(s, 0)[1]! >> 33n) & 1n).toBe(0n);
  });

  it('with the override, the record shows the overridden PnU=1 (§7.3.13)', () => {
    // PRIVCFG=0b11 on an AP=10 read-only page: the write still faults, now as privileged.
    const { s } = world(AF | (1n << 7n), { ste: { privcfg: 3 } });
    expect(kind(s, 'w', false)).toBe('F_PERMISSION');
    expect((eventAt(s, 0)[1]! >> 33n) & 1n).toBe(1n);
  });

  it('INSTCFG=0b11 turns a privileged read into an instruction fetch only with the override', () => {
    // PXN page: a privileged data read is allowed, a privileged instruction fetch is not.
    const on = world(AF | PXN, { ste: { instcfg: 3 } }).s;
    expect(kind(on, 'r', true)).toBe('F_PERMISSION');
    const off = world(AF | PXN, { ste: { instcfg: 3 }, platform: { attrPermsOvr: false } }).s;
    expect(kind(off, 'r', true)).toBe('ok');
  });

  it('INSTCFG never makes a write an instruction (§5.2): InD=0 in the record', () => {
    const { s } = world(AF | (1n << 7n), { ste: { instcfg: 3 } });
    expect(kind(s, 'w', true)).toBe('F_PERMISSION');
    expect((eventAt(s, 0)[1]! >> 34n) & 1n).toBe(0n);
  });
});

describe('CD.HAD0 needs SMMU_IDR3.HAD (§5.4)', () => {
  const limited = (platform: Partial<SmmuPlatform>) => {
    const w = world(AF | AP_EL0, { cd: { had0: true }, platform });
    const l0 = w.root + 0xffn * 8n; // VA[47:39] = 0xFF
    w.s.mem.write64(l0, (w.s.mem.read64(l0) ?? 0n) | APT_RO);
    return w.s;
  };

  it('HAD=1: HAD0 disables APTable, the write is allowed', () => {
    expect(kind(limited({ had: true }), 'w', false)).toBe('ok');
  });

  it('HAD=0: HAD0 is IGNORED, APTable[1] still makes the page read-only', () => {
    expect(kind(limited({ had: false }), 'w', false)).toBe('F_PERMISSION');
  });
});

describe('CD.E0PD0 needs SMMU_IDR3.E0PD (§5.4)', () => {
  it('E0PD=1: an unprivileged access through TTB0 is a translation fault', () => {
    const { s } = world(AF | AP_EL0, { cd: { e0pd0: true } });
    expect(kind(s, 'r', false)).toBe('F_TRANSLATION');
    expect(kind(s, 'r', true)).toBe('ok');
  });

  it('E0PD=0: E0PD0 is RES0, the unprivileged access translates', () => {
    const { s } = world(AF | AP_EL0, { cd: { e0pd0: true }, platform: { e0pd: false } });
    expect(kind(s, 'r', false)).toBe('ok');
  });

  it('a TLB hit does not skip the E0PD fault', () => {
    const { s } = world(AF | AP_EL0, { cd: { e0pd0: true } });
    expect(translate(s, txn(1, VA, 'r', { priv: true })).tlb).toBe('miss'); // fills the TLB
    expect(s.tlb.size).toBe(1);
    expect(kind(s, 'r', false)).toBe('F_TRANSLATION');
  });

  it('E0PD does not apply in the EL2 StreamWorld (every access is privileged there)', () => {
    // STRW=0b10 (EL2, CR2.E2H=0): a non-E2H EL2 world has one VA range and no unprivileged level.
    const { s } = world(AF | AP_EL0, { cd: { e0pd0: true }, ste: { strw: 2 } });
    expect(kind(s, 'r', false)).toBe('ok');
  });
});

describe('CD.HD without HA (§5.4 HA/HD)', () => {
  it('{HD,HA}=0b10 on HTTU=0b10 is reserved but legal: HTTU disabled, F_ACCESS, AF not set', () => {
    // "0b10: Reserved. If CD.HD == 1 is not ILLEGAL, behaves as though this field is 0 and
    // CD.HD is 0." The leaf has AF=0 and AFFD=0, so the access takes F_ACCESS.
    const { s, root } = world(AP_EL0, { cd: { hd: true }, platform: { httu: 'af+dirty' } });
    expect(kind(s, 'r', false)).toBe('F_ACCESS');
    const l3 = s.mem.read64(root + 0xffn * 8n)!; // walk down to the leaf: L0 → L1 → L2 → L3
    const l2 = s.mem.read64((l3 & 0xffff_ffff_f000n) + 0x1ffn * 8n)!;
    const l1 = s.mem.read64((l2 & 0xffff_ffff_f000n) + 0xf5n * 8n)!;
    expect(s.mem.read64((l1 & 0xffff_ffff_f000n) + 0xdbn * 8n)).toBe(PA | AP_EL0 | PAGE);
  });

  it('the same CD on HTTU=0b01 is ILLEGAL: C_BAD_CD', () => {
    const { s } = world(AP_EL0, { cd: { hd: true }, platform: { httu: 'af' } });
    expect(kind(s, 'r', false)).toBe('C_BAD_CD');
  });
});
