// ILLEGAL structures (§5.2.2 SteIllegal(), §5.4.2 CdIllegal(); docs/research/spec-facts.md Q3/Q4).
// An ILLEGAL STE behaves like V=0 (C_BAD_STE); an ILLEGAL CD like V=0 (C_BAD_CD).
// Each function returns the first rule broken, in the spec's order, or undefined.
import { ABSENT } from './absent.ts';
import type { CdView } from './cd.ts';
import { paSizeBits } from './cd.ts';
import { MAX_TXSZ, MIN_TXSZ, s2StartBits, s2StartLevel, s2tgShift, stride } from './granule.ts';
import { tg0Shift, tg1Shift } from './cd.ts';
import type { SmmuPlatform } from './platform.ts';
import { s1Enabled, s2Enabled, type SteView } from './ste.ts';

const stallModel = (p: SmmuPlatform): number =>
  p.stall === 'supported' ? 0 : p.stall === 'none' ? 1 : 2;

export function steIllegal(s: SteView, p: SmmuPlatform): string | undefined {
  if (!s.V) return 'V=0: the STE is invalid';
  if (s.Config < 4) return undefined; // abort configurations are legal; traffic aborts silently
  if (s1Enabled(s.Config) && !p.s1) return 'Config enables stage 1 but IDR0.S1P=0';
  if (s2Enabled(s.Config) && !p.s2) return 'Config enables stage 2 but IDR0.S2P=0';
  if (p.ats && s.Config !== 4) {
    if (s.EATS === 2) return 'EATS=0b10 (split-stage ATS) with IDR0.NS1ATS=1';
    if (s.EATS === 1 && s2Enabled(s.Config) && s.S2S)
      return 'EATS=0b01 with stage 2 stalling (S2S=1)';
  }
  if (s.Config === 5 && (s.STRW & 1) === 1)
    return `STRW=0b${s.STRW.toString(2).padStart(2, '0')} is reserved for a Non-secure stream`;
  if (s1Enabled(s.Config)) {
    if (s.S1STALLD && stallModel(p) !== 0) return 'S1STALLD=1 but IDR0.STALL_MODEL is not 0b00';
    if (p.ssidBits !== 0) {
      if (s.S1CDMax > p.ssidBits) return `S1CDMax=${s.S1CDMax} exceeds IDR1.SSIDSIZE=${p.ssidBits}`;
      if (s.S1CDMax !== 0 && (s.S1Fmt === 1 || s.S1Fmt === 2) && !p.cd2l)
        return 'two-level CD table (S1Fmt) but IDR0.CD2L=0';
    }
    const limit = 1n << BigInt(p.oas);
    if (s.S1ContextPtr >= limit) return `S1ContextPtr beyond the ${p.oas}-bit address size`;
  }
  if (s2Enabled(s.Config)) {
    if (s.S2S && stallModel(p) === 1) return 'S2S=1 but the SMMU cannot stall (STALL_MODEL=0b01)';
    if (!s.S2S && stallModel(p) === 2) return 'S2S=0 but stalls are forced (STALL_MODEL=0b10)';
    if (!s.S2AA64) return 'S2AA64=0: AArch32 stage-2 tables are not supported (IDR0.TTF=AArch64)';
    if ((s.S2HA || s.S2HD) && !ABSENT.s2ha.present(p)) return 'S2HA/S2HD set but IDR0.HTTU=0b00';
    if (s.S2HD && !ABSENT.s2hd.present(p))
      return 'S2HD set but IDR0.HTTU only updates the access flag';
    const g = s2tgShift(s.S2TG);
    if (g === undefined) return 'S2TG=0b11 is reserved';
    const ips = Math.min(paSizeBits(s.S2PS), p.oas);
    if (s.S2T0SZ > MAX_TXSZ || s.S2T0SZ < Math.max(MIN_TXSZ, 64 - p.oas))
      return `S2T0SZ=${s.S2T0SZ} is out of range ${Math.max(MIN_TXSZ, 64 - p.oas)}..${MAX_TXSZ}`;
    const sl = s2StartLevel(g, s.S2SL0);
    if (sl === undefined) return `S2SL0=${s.S2SL0} is reserved for this granule`;
    const bits = s2StartBits(g, sl, 64 - s.S2T0SZ);
    if (bits < 1 || bits > stride(g) + 4)
      return `S2T0SZ=${s.S2T0SZ}, S2SL0=${s.S2SL0} and S2TG are inconsistent (start level L${sl} would resolve ${bits} bits)`;
    if (s.S2TTB >= 1n << BigInt(ips)) return `S2TTB beyond the effective S2PS (${ips} bits)`;
  }
  if (
    p.s2 &&
    p.vmidBits === 8 &&
    s.S2VMID > 0xff &&
    (s2Enabled(s.Config) || (s.Config === 5 && s.STRW === 0))
  )
    return 'S2VMID[15:8] non-zero without IDR0.VMID16';
  return undefined;
}

export interface CdCheckContext {
  readonly ste: SteView;
  /** The StreamWorld has no second VA range (EL2 without E2H): EPDx read as 0, TTB1 unused. */
  readonly singleRange: boolean;
  readonly hasAsid: boolean;
}

/**
 * The context a CD is checked in, from the STE that selects it (its StreamWorld: STRW only counts
 * for Config=0b101; EL2 without E2H has one VA range and no ASID). One home for cdFetch and for
 * anything that checks a CD before writing it (the what-if editor).
 */
export function cdCheckContext(ste: SteView, e2h: boolean): CdCheckContext {
  const el2 = ste.Config === 5 && ste.STRW === 2 && !e2h;
  return { ste, singleRange: el2, hasAsid: !el2 };
}

/**
 * An L1STD that cannot lead to an STE (§5.1, §6.3.25): Span=0 is invalid; Span above 11 is
 * reserved; Span above SPLIT+1 describes more STEs than a level-2 array holds. A lookup of any
 * StreamID under it raises C_BAD_STREAMID.
 */
export function l1stdIllegal(desc: bigint, split: number): string | undefined {
  const span = Number(desc & 0x1fn);
  if (span === 0) return 'Span=0: the L1STD is invalid';
  if (span > 11 || span > split + 1)
    return `Span=${span} is reserved or exceeds SPLIT+1 (SPLIT=${split})`;
  return undefined;
}

export function cdIllegal(c: CdView, p: SmmuPlatform, ctx: CdCheckContext): string | undefined {
  if (!c.V) return 'V=0: the CD is invalid';
  if (ctx.ste.S1STALLD && c.S) return 'CD.S=1 but the STE forbids stalls (S1STALLD=1)';
  const sm = stallModel(p);
  if (sm === 1 && c.S) return 'CD.S=1 but the SMMU cannot stall (STALL_MODEL=0b01)';
  if (sm === 2 && !c.S) return 'CD.S=0 but stalls are forced (STALL_MODEL=0b10)';
  const epd0 = ctx.singleRange ? false : c.EPD0;
  const epd1 = ctx.singleRange ? true : c.EPD1;
  if (c.ENDI && !(epd0 && epd1))
    return 'ENDI=1 (big-endian walks) but IDR0.TTENDIAN is little-endian only';
  if (!c.AA64) return 'AA64=0: AArch32 translation tables are not supported (IDR0.TTF=AArch64)';
  // §5.4 HA/HD: "ILLEGAL to set HA if HTTU == 0b00; ILLEGAL to set HD if HTTU == 0b00 or 0b01"
  // — whatever HA says. {HD,HA}=0b10 on HTTU≥0b10 is reserved but legal: it disables HTTU.
  if ((c.HA || c.HD) && !ABSENT.ha.present(p)) return 'HA/HD set but IDR0.HTTU=0b00';
  if (c.HD && !ABSENT.hd.present(p)) return 'HD set but IDR0.HTTU only updates the access flag';
  if (ctx.hasAsid && p.asidBits === 8 && c.ASID > 0xff)
    return 'ASID[15:8] non-zero without IDR0.ASID16';
  const ips = Math.min(paSizeBits(c.IPS), p.oas);
  const ranges: [boolean, number, number | undefined, bigint, string][] = [
    [epd0, c.T0SZ, tg0Shift(c.TG0), c.TTB0, '0'],
    [epd1, c.T1SZ, tg1Shift(c.TG1), c.TTB1, '1'],
  ];
  for (const [disabled, txsz, g, ttb, n] of ranges) {
    if (disabled) continue;
    if (txsz < MIN_TXSZ || txsz > MAX_TXSZ)
      return `T${n}SZ=${txsz} is out of range ${MIN_TXSZ}..${MAX_TXSZ}`;
    if (g === undefined) return `TG${n} is a reserved encoding`;
    if (ttb >= 1n << BigInt(ips))
      return `TTB${n} is beyond the effective IPS (${ips} bits): C_BAD_CD, not F_ADDR_SIZE`;
  }
  return undefined;
}
