// The SMMU's state as the translation path needs it, derived from the registers whenever one is
// written (§6.3): enables, CR2 controls, and the stream table's effective base and format.
import { bit, bitsOf } from './bits.ts';
import type { SmmuPlatform } from './platform.ts';
import type { RegName } from './registers.ts';

/** Derived from the registers whenever one is written (keeps the translation path cheap). */
export interface SmmuDerived {
  readonly smmuen: boolean;
  readonly gbpaAbort: boolean;
  readonly recinvsid: boolean;
  readonly e2h: boolean;
  readonly ptm: boolean;
  readonly strtabBase: bigint;
  readonly strtabFmt: 'linear' | '2level';
  /** Effective LOG2SIZE = min(STRTAB_BASE_CFG.LOG2SIZE, IDR1.SIDSIZE). */
  readonly sidBits: number;
  readonly split: number;
  readonly cmdqen: boolean;
  readonly evtqen: boolean;
  readonly priqen: boolean;
  /** CR0.ATSCHK: ATS Translated traffic is checked against STE.EATS (§6.3.9). */
  readonly atschk: boolean;
}

export function deriveState(
  r: Readonly<Record<RegName, bigint>>,
  platform: SmmuPlatform,
): SmmuDerived {
  const cfg = r.STRTAB_BASE_CFG;
  // §6.3.25: FMT and SPLIT exist only when IDR0.ST_LEVEL != 0b00; otherwise they are RES0 and
  // the table is linear. FMT values other than 0b01 are reserved and behave as 0b00 (linear).
  const twoLevel = platform.streamTable === '2level' && bitsOf(cfg, 17, 16) === 1n;
  const s = Number(bitsOf(cfg, 10, 6));
  const split = s === 8 || s === 10 ? s : 6; // other SPLIT values behave as 6 (§6.3.25)
  // §6.3.24: the SMMU aligns the effective base, from the literal LOG2SIZE (not capped by
  // SIDSIZE). Linear: ADDR[LOG2SIZE+5:0] = 0, the table's size. 2-level:
  // ADDR[MAX(5, LOG2SIZE−SPLIT−1+3):0] = 0, the L1 table's size but at least 64 bytes.
  const log2size = Number(bitsOf(cfg, 5, 0));
  const zeroBits = twoLevel ? Math.max(6, log2size - split + 3) : log2size + 6;
  return {
    smmuen: bit(r.CR0, 0),
    gbpaAbort: bit(r.GBPA, 20),
    recinvsid: bit(r.CR2, 1),
    e2h: bit(r.CR2, 0),
    ptm: bit(r.CR2, 2),
    strtabBase: (bitsOf(r.STRTAB_BASE, 55, 6) << 6n) & ~((1n << BigInt(zeroBits)) - 1n),
    strtabFmt: twoLevel ? '2level' : 'linear',
    sidBits: Math.min(log2size, platform.sidBits),
    split,
    cmdqen: bit(r.CR0, 3),
    evtqen: bit(r.CR0, 2),
    priqen: bit(r.CR0, 1),
    atschk: bit(r.CR0, 4),
  };
}
