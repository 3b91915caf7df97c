// The stream table as the driver builds it (arm-smmu-v3.c arm_smmu_init_strtab*,
// arm_smmu_init_l2_strtab, arm_smmu_write_strtab_ent; docs/research/linux-facts.md §5, §8).
import {
  buildCommand,
  encode,
  STE,
  STE_BYTES,
  STE_CONFIG,
  S1DSS,
  type Command,
} from '../../engine/index.ts';
import { allocZeroed, log, type KCtx } from '../ctx.ts';
import type { CdTable, Device } from '../state.ts';
import { cdTableS1Fmt, steAddress } from '../query.ts';
import { submit } from './cmdq.ts';

/** Linux STRTAB_SPLIT: 256 STEs (16 KB) per level-2 table. */
export const SPLIT = 8;

export const abortSte = (): bigint[] => encode(STE, 8, { V: 1, Config: STE_CONFIG.ABORT });
export const bypassSte = (): bigint[] => encode(STE, 8, { V: 1, Config: STE_CONFIG.BYPASS });

/**
 * arm_smmu_make_cdtable_ste: stage 1 through a CD table. Traffic without a PASID uses CD 0
 * (S1DSS=SSID0, a paging RID domain) or, v6.11+ with an identity/blocked RID domain and PASIDs
 * in use, bypasses stage 1 or is terminated (S1DSS=BYPASS/TERMINATE).
 */
export function cdtableSte(
  c: KCtx,
  cd: CdTable,
  dev: Device,
  s1dss: 'ssid0' | 'bypass' | 'terminate' = 'ssid0',
): bigint[] {
  const p = c.smmu.platform;
  return encode(STE, 8, {
    V: 1,
    Config: STE_CONFIG.S1_TRANS,
    S1Fmt: cdTableS1Fmt(cd),
    S1ContextPtr: cd.base >> 6n,
    S1CDMax: cd.s1cdmax,
    S1DSS: s1dss === 'ssid0' ? S1DSS.SSID0 : s1dss === 'bypass' ? S1DSS.BYPASS : S1DSS.TERMINATE,
    S1CIR: 1,
    S1COR: 1,
    S1CSH: 3,
    // A master that cannot stall must not be stalled by a CD.S=1 (S1STALLD), unless stalls are forced.
    S1STALLD: p.stall === 'supported' && !dev.stall ? 1 : 0,
    EATS: p.ats && dev.ats ? 1 : 0,
    STRW: 0,
  });
}

/** PA of the STE for `sid`, allocating its level-2 table on first use (arm_smmu_init_l2_strtab). */
export function steSlot(c: KCtx, sid: number): bigint {
  const t = c.k.driver.strtab;
  const l1 = sid >>> SPLIT;
  if (t.fmt === '2level' && !t.l2.has(l1)) {
    const l2 = allocZeroed(
      c,
      STE_BYTES << BigInt(SPLIT),
      'strtab',
      `level-2 stream table for StreamIDs ${hexSid(l1 << SPLIT)}–${hexSid(((l1 + 1) << SPLIT) - 1)}`,
    );
    for (let i = 0; i < 1 << SPLIT; i++) c.mem.writeWords(l2 + BigInt(i) * STE_BYTES, abortSte());
    // L1STD: L2Ptr | Span = SPLIT + 1; Linux issues no CFGI for it (the STEs are not live yet).
    c.mem.write64(t.base + BigInt(l1) * 8n, l2 | BigInt(SPLIT + 1));
    t.l2.set(l1, l2);
    log(
      c,
      `arm-smmu-v3: level-2 stream table for L1STD[${l1}] at 0x${l2.toString(16)}, 256 abort STEs, Span=9`,
    );
  }
  return steAddress(c.k, sid)!;
}

const hexSid = (n: number): string => `0x${n.toString(16)}`;

/**
 * Writes an STE the 2018 way: dwords 1..7, CFGI_STE + SYNC, then dword 0 (V, Config, pointer),
 * CFGI_STE + SYNC, then a PREFETCH_CONFIG hint.
 */
export function writeSte(c: KCtx, sid: number, target: readonly bigint[]): void {
  const pa = steSlot(c, sid);
  const cur = c.mem.readWords(pa, 8) ?? [];
  if (cur.every((w, i) => w === target[i])) return;
  const cfgi = (): Command[] => [buildCommand('CMD_CFGI_STE', { StreamID: sid, Leaf: 1 })];
  if (cur.slice(1).some((w, i) => w !== target[i + 1])) {
    c.mem.writeWords(pa + 8n, target.slice(1));
    submit(c, cfgi(), true);
  }
  c.mem.write64(pa, target[0]!);
  submit(c, cfgi(), true);
  submit(c, [buildCommand('CMD_PREFETCH_CONFIG', { StreamID: sid })], false);
}
