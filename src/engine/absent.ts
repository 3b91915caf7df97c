// One home for "a field the ID registers say is absent behaves as absent": which STE/CD field
// needs which ID register feature, where the spec says so and what the SMMU does when the
// feature is not there (the field is IGNORED, RES0, a Reserved value, or it makes the structure
// ILLEGAL). The engine asks `present(p)` at each call site (stage1.ts E0PDx and HADx,
// translate.ts PRIVCFG/INSTCFG, checks.ts HA/HD and S2HA/S2HD), and what-if warns with the same
// rows before an edit is applied. Sources: Arm IHI 0070 §5.2 (STE fields), §5.4 (CD fields),
// §6.3.1/§6.3.2/§6.3.4 (IDR0/IDR1/IDR3).
import type { SmmuPlatform } from './platform.ts';

export type AbsentEffect = 'IGNORED' | 'RES0' | 'Reserved' | 'ILLEGAL';

export interface AbsentRule {
  readonly struct: 'STE' | 'CD';
  readonly fields: readonly string[];
  /** The value that needs the feature; undefined: any non-zero value. */
  readonly value?: bigint;
  /** The ID register field that says whether the feature is there, as the spec names it. */
  readonly feature: string;
  /** What that field says on `p`, as the spec writes it ("SMMU_IDR3.HAD=0"). */
  readonly says: (p: SmmuPlatform) => string;
  readonly section: string;
  readonly effect: AbsentEffect;
  /** What the SMMU does instead, when the feature is absent. */
  readonly instead: string;
  readonly present: (p: SmmuPlatform) => boolean;
}

const httuAf = (p: SmmuPlatform): boolean => p.httu !== 'none';
const httuDirty = (p: SmmuPlatform): boolean => p.httu === 'af+dirty';
const httu = (p: SmmuPlatform): string =>
  `SMMU_IDR0.HTTU=0b${p.httu === 'none' ? '00' : p.httu === 'af' ? '01' : '10'}`;
const bit = (name: string, on: (p: SmmuPlatform) => boolean) => (p: SmmuPlatform) =>
  `${name}=${on(p) ? 1 : 0}`;

const RULES = {
  // §5.2 PRIVCFG/INSTCFG: "If SMMU_IDR1.ATTR_PERMS_OVR == 0, this field is RES0 and the incoming
  // PRIV/INST attribute is used".
  attrPermsOvr: {
    struct: 'STE',
    fields: ['PRIVCFG', 'INSTCFG'],
    feature: 'SMMU_IDR1.ATTR_PERMS_OVR',
    says: bit('SMMU_IDR1.ATTR_PERMS_OVR', (p) => p.attrPermsOvr),
    section: '§5.2',
    effect: 'RES0',
    instead: 'the incoming PRIV and INST attributes are used',
    present: (p) => p.attrPermsOvr,
  },
  // §5.4 HAD0: "if SMMU_IDR3.HAD == 0, this field and CD.HAD1 are IGNORED".
  had: {
    struct: 'CD',
    fields: ['HAD0', 'HAD1'],
    feature: 'SMMU_IDR3.HAD',
    says: bit('SMMU_IDR3.HAD', (p) => p.had),
    section: '§5.4',
    effect: 'IGNORED',
    instead: "the table descriptors' APTable and XNTable limits still apply",
    present: (p) => p.had,
  },
  // §5.4 E0PD0: "If SMMU_IDR3.E0PD == 0 this field is RES0".
  e0pd: {
    struct: 'CD',
    fields: ['E0PD0', 'E0PD1'],
    feature: 'SMMU_IDR3.E0PD',
    says: bit('SMMU_IDR3.E0PD', (p) => p.e0pd),
    section: '§5.4',
    effect: 'RES0',
    instead: 'unprivileged accesses are translated as if it were 0',
    present: (p) => p.e0pd,
  },
  // §5.2 EATS: 0b11 needs SMMU_IDR3.DPT; otherwise Reserved and behaves as 0b00. DPT is not
  // modelled (idRegisters() leaves IDR3.DPT 0), so ste.ts effectiveEats() always treats 0b11
  // as 0b00.
  dpt: {
    struct: 'STE',
    fields: ['EATS'],
    value: 3n,
    feature: 'SMMU_IDR3.DPT',
    says: () => 'SMMU_IDR3.DPT=0',
    section: '§5.2',
    effect: 'Reserved',
    instead: 'it behaves as 0b00: ATS Translation Requests are refused (F_BAD_ATS_TREQ)',
    present: () => false,
  },
  // §5.4 HA/HD: "ILLEGAL to set HA if HTTU == 0b00; ILLEGAL to set HD if HTTU == 0b00 or 0b01".
  ha: {
    struct: 'CD',
    fields: ['HA'],
    feature: 'SMMU_IDR0.HTTU',
    says: httu,
    section: '§5.4',
    effect: 'ILLEGAL',
    instead: 'the next fetch of the CD raises C_BAD_CD',
    present: httuAf,
  },
  hd: {
    struct: 'CD',
    fields: ['HD'],
    feature: 'SMMU_IDR0.HTTU',
    says: httu,
    section: '§5.4',
    effect: 'ILLEGAL',
    instead: 'the next fetch of the CD raises C_BAD_CD',
    present: httuDirty,
  },
  // §5.2 S2HA/S2HD: the same rule for stage 2.
  s2ha: {
    struct: 'STE',
    fields: ['S2HA'],
    feature: 'SMMU_IDR0.HTTU',
    says: httu,
    section: '§5.2',
    effect: 'ILLEGAL',
    instead: 'the next fetch of the STE raises C_BAD_STE',
    present: httuAf,
  },
  s2hd: {
    struct: 'STE',
    fields: ['S2HD'],
    feature: 'SMMU_IDR0.HTTU',
    says: httu,
    section: '§5.2',
    effect: 'ILLEGAL',
    instead: 'the next fetch of the STE raises C_BAD_STE',
    present: httuDirty,
  },
} satisfies Record<string, AbsentRule>;

export type AbsentId = keyof typeof RULES;
export const ABSENT: { readonly [K in AbsentId]: AbsentRule } = RULES;

/** How the SMMU `p` reads the field of a structure: the rule that makes the value act as absent. */
export function absentRule(
  p: SmmuPlatform,
  struct: string,
  field: string,
  value: bigint,
): AbsentRule | undefined {
  for (const r of Object.values(ABSENT)) {
    if (r.struct !== struct.toUpperCase() || !r.fields.includes(field)) continue;
    if (r.value !== undefined ? value !== r.value : value === 0n) continue;
    if (!r.present(p)) return r;
  }
  return undefined;
}

/**
 * The what-if warning of a rule: "CD.HAD0 is IGNORED: SMMU_IDR3.HAD=0 on this SMMU; the table
 * descriptors' APTable and XNTable limits still apply" (its section goes beside it).
 */
export function absentText(r: AbsentRule, p: SmmuPlatform, field: string, value: bigint): string {
  const what =
    r.value !== undefined ? `${r.struct}.${field}=0b${value.toString(2)}` : `${r.struct}.${field}`;
  return `${what} is ${r.effect}: ${r.says(p)} on this SMMU; ${r.instead}`;
}
