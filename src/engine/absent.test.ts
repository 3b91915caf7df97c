// The one table of fields the ID registers can make absent (absent.ts). Expected rules and
// sentences are read off the spec text quoted in absent.ts (§5.2 PRIVCFG/INSTCFG/EATS/S2HA/S2HD,
// §5.4 HAD0/E0PD0/HA/HD), and each rule's `present` must agree with the ID register bit the
// platform advertises (§6.3.2 IDR1.ATTR_PERMS_OVR, §6.3.4 IDR3.HAD / IDR3.E0PD, §6.3.1 HTTU).
import { describe, expect, it } from 'vitest';
import { ABSENT, absentRule, absentText } from './absent.ts';
import { getField } from './bits.ts';
import { DEFAULT_SMMU, idRegisters, type SmmuPlatform } from './platform.ts';
import { REG_FIELDS } from './registers.ts';

const smmu = (o: Partial<SmmuPlatform>): SmmuPlatform => ({ ...DEFAULT_SMMU, ...o });

describe('absentRule: which value of which field the SMMU reads as absent', () => {
  it('CD.HAD0/HAD1 are IGNORED without IDR3.HAD, and only a non-zero value matters', () => {
    const off = smmu({ had: false });
    expect(absentRule(off, 'cd', 'HAD0', 1n)).toBe(ABSENT.had);
    expect(absentRule(off, 'CD', 'HAD1', 1n)).toBe(ABSENT.had);
    expect(absentRule(off, 'cd', 'HAD0', 0n)).toBeUndefined();
    expect(absentRule(smmu({ had: true }), 'cd', 'HAD0', 1n)).toBeUndefined();
    // The same field name in another structure is not this rule.
    expect(absentRule(off, 'ste', 'HAD0', 1n)).toBeUndefined();
  });

  it('says what the SMMU does instead, as the spec words it', () => {
    const off = smmu({ had: false, e0pd: false, attrPermsOvr: false });
    expect(absentText(ABSENT.had, off, 'HAD0', 1n)).toBe(
      "CD.HAD0 is IGNORED: SMMU_IDR3.HAD=0 on this SMMU; the table descriptors' APTable and XNTable limits still apply",
    );
    expect(absentText(ABSENT.e0pd, off, 'E0PD1', 1n)).toBe(
      'CD.E0PD1 is RES0: SMMU_IDR3.E0PD=0 on this SMMU; unprivileged accesses are translated as if it were 0',
    );
    expect(absentRule(off, 'ste', 'PRIVCFG', 3n)?.effect).toBe('RES0');
    expect(absentRule(off, 'ste', 'INSTCFG', 2n)?.section).toBe('§5.2');
  });

  it('STE.EATS=0b11 is Reserved (no DPT on this model); 0b01 needs nothing', () => {
    const p = smmu({});
    const r = absentRule(p, 'ste', 'EATS', 3n);
    expect(r).toBe(ABSENT.dpt);
    expect(absentText(r!, p, 'EATS', 3n)).toBe(
      'STE.EATS=0b11 is Reserved: SMMU_IDR3.DPT=0 on this SMMU; it behaves as 0b00: ATS Translation Requests are refused (F_BAD_ATS_TREQ)',
    );
    expect(absentRule(p, 'ste', 'EATS', 1n)).toBeUndefined();
  });

  it('HA needs HTTU≥0b01 and HD needs HTTU=0b10 (ILLEGAL otherwise), stage 1 and 2 alike', () => {
    expect(absentRule(smmu({ httu: 'none' }), 'cd', 'HA', 1n)).toBe(ABSENT.ha);
    expect(absentRule(smmu({ httu: 'af' }), 'cd', 'HA', 1n)).toBeUndefined();
    expect(absentRule(smmu({ httu: 'af' }), 'cd', 'HD', 1n)).toBe(ABSENT.hd);
    expect(absentRule(smmu({ httu: 'af+dirty' }), 'cd', 'HD', 1n)).toBeUndefined();
    expect(absentRule(smmu({ httu: 'af' }), 'ste', 'S2HD', 1n)).toBe(ABSENT.s2hd);
    expect(absentRule(smmu({ httu: 'none' }), 'ste', 'S2HA', 1n)?.effect).toBe('ILLEGAL');
    expect(ABSENT.hd.says(smmu({ httu: 'af' }))).toBe('SMMU_IDR0.HTTU=0b01');
  });
});

describe('each rule agrees with the ID registers the platform advertises', () => {
  const bit = (p: SmmuPlatform, reg: 'IDR0' | 'IDR1' | 'IDR3', f: string): bigint => {
    const fields = REG_FIELDS[reg] as Record<string, Parameters<typeof getField>[1]>;
    return getField([idRegisters(p)[reg]], fields[f]!);
  };
  for (const on of [false, true]) {
    it(`with every feature ${on ? 'on' : 'off'}`, () => {
      const p = smmu({ had: on, e0pd: on, attrPermsOvr: on, httu: on ? 'af+dirty' : 'none' });
      expect(ABSENT.had.present(p)).toBe(bit(p, 'IDR3', 'HAD') === 1n);
      expect(ABSENT.e0pd.present(p)).toBe(bit(p, 'IDR3', 'E0PD') === 1n);
      expect(ABSENT.attrPermsOvr.present(p)).toBe(bit(p, 'IDR1', 'ATTR_PERMS_OVR') === 1n);
      expect(ABSENT.ha.present(p)).toBe(bit(p, 'IDR0', 'HTTU') >= 1n);
      expect(ABSENT.hd.present(p)).toBe(bit(p, 'IDR0', 'HTTU') === 2n);
      expect(ABSENT.dpt.present(p)).toBe(bit(p, 'IDR3', 'DPT') === 1n);
    });
  }
});
