// Context-descriptor tables (2018 arm-smmu-v3-context.c: arm_smmu_alloc_cd_tables,
// arm_smmu_get_cd_ptr, arm_smmu_write_ctx_desc). In the RFCv2 design the table belongs to the
// domain: every device of the domain points its STE at it, so a PASID means one address space
// on all of them. Linux: linear up to 1024 CDs or without CD2L, else 64 KB leaves of 1024 CDs.
import { buildCommand, CD_BYTES, type Command } from '../../engine/index.ts';
import { allocZeroed, log, type KCtx } from '../ctx.ts';
import type { CdTable, Domain } from '../state.ts';
import { submit } from './cmdq.ts';
import { writeCdEntry } from './cdwrite.ts';

const LEAF_BITS = 10; // CTXDESC_SPLIT: 1024 CDs per 64 KB leaf

/** Bytes allocCdTable takes for a master with `ssidBits`: the linear array, or L1 + leaf 0. */
export function cdTableBytes(cd2l: boolean, ssidBits: number): bigint {
  if (!(cd2l && ssidBits > LEAF_BITS)) return CD_BYTES << BigInt(ssidBits);
  return (8n << BigInt(ssidBits - LEAF_BITS)) + (CD_BYTES << BigInt(LEAF_BITS));
}

export function allocCdTable(c: KCtx, domain: string, ssidBits: number): CdTable {
  const twoLevel = c.smmu.platform.cd2l && ssidBits > LEAF_BITS;
  if (!twoLevel) {
    const bytes = CD_BYTES << BigInt(ssidBits);
    const base = allocZeroed(
      c,
      bytes,
      'cdtable',
      `CD table of domain ${domain} (${2 ** ssidBits} CDs)`,
    );
    return { base, fmt: 'linear', s1cdmax: ssidBits, leaves: new Map(), blocks: [base] };
  }
  const l1Entries = 2 ** (ssidBits - LEAF_BITS);
  const base = allocZeroed(
    c,
    BigInt(l1Entries) * 8n,
    'cdtable',
    `L1 CD table of domain ${domain} (${l1Entries} L1CDs)`,
  );
  const t: CdTable = { base, fmt: '2level', s1cdmax: ssidBits, leaves: new Map(), blocks: [base] };
  // Leaf 0 comes with the table (it holds CD 0, the domain's own io-pgtable).
  addLeaf(c, t, domain, 0);
  return t;
}

function addLeaf(c: KCtx, t: CdTable, domain: string, index: number): bigint {
  const leaf = allocZeroed(
    c,
    CD_BYTES << BigInt(LEAF_BITS),
    'cdtable',
    `CD leaf ${index} of domain ${domain} (CDs ${index << LEAF_BITS}–${((index + 1) << LEAF_BITS) - 1})`,
  );
  t.leaves.set(index, leaf);
  t.blocks.push(leaf);
  c.mem.write64(t.base + BigInt(index) * 8n, leaf | 1n);
  return leaf;
}

/** One CFGI_CD per StreamID of every master in the domain, then CMD_SYNC (arm_smmu_sync_cd). */
export function flushCd(c: KCtx, d: Domain, ssid: number, leaf: boolean): void {
  const cmds: Command[] = [];
  for (const name of d.devices) {
    const dev = c.k.devices.get(name);
    if (dev)
      cmds.push(
        buildCommand('CMD_CFGI_CD', { StreamID: dev.sid, SubstreamID: ssid, Leaf: leaf ? 1 : 0 }),
      );
  }
  if (cmds.length > 0) submit(c, cmds, true);
}

/** PA of CD[ssid]; a missing leaf is allocated and its L1CD published (Leaf=0 CFGI, "an invalid L1 entry may be cached"). */
export function cdSlot(c: KCtx, d: Domain, ssid: number): bigint {
  const t = d.cdtable!;
  if (t.fmt === 'linear') return t.base + BigInt(ssid) * CD_BYTES;
  const idx = ssid >>> LEAF_BITS;
  let leaf = t.leaves.get(idx);
  if (leaf === undefined) {
    leaf = addLeaf(c, t, d.name, idx);
    log(
      c,
      `arm-smmu-v3: CD leaf ${idx} of domain ${d.name} allocated at 0x${leaf.toString(16)}; L1CD[${idx}] written`,
    );
    flushCd(c, d, idx << LEAF_BITS, false);
  }
  return leaf + BigInt(ssid & ((1 << LEAF_BITS) - 1)) * CD_BYTES;
}

/**
 * Installs or replaces CD[ssid]. rfc2017 (2018 arm_smmu_write_ctx_desc): dwords 1..3 (TTB0,
 * TTB1, MAIR), flush, then dword 0 (V), flush. mainline: arm_smmu_write_entry (cdwrite.ts).
 */
export function writeCd(c: KCtx, d: Domain, ssid: number, words: readonly bigint[]): void {
  if (c.k.profile === 'mainline') return writeCdEntry(c, d, ssid, words);
  const pa = cdSlot(c, d, ssid);
  const cur = c.mem.readWords(pa, 4) ?? [0n, 0n, 0n, 0n];
  if (cur.slice(1).some((w, i) => w !== words[i + 1])) {
    c.mem.writeWords(pa + 8n, words.slice(1, 4));
    flushCd(c, d, ssid, true);
  }
  if (cur[0] !== words[0]) {
    c.mem.write64(pa, words[0]!);
    flushCd(c, d, ssid, true);
  }
}

/**
 * Clears CD[ssid]. rfc2017, the 2018 way: dword 0 only (V=0), one flush; dwords 1..3 stay stale.
 * mainline arm_smmu_clear_cd: an all-zero target through arm_smmu_write_entry — dword 0 (V=0),
 * flush, then the other dwords zeroed, flush (linux-sva §3.6).
 */
export function clearCd(c: KCtx, d: Domain, ssid: number): void {
  if (c.k.profile === 'mainline') return writeCdEntry(c, d, ssid, []);
  const pa = cdSlot(c, d, ssid);
  if ((c.mem.read64(pa) ?? 0n) === 0n) return;
  c.mem.write64(pa, 0n);
  flushCd(c, d, ssid, true);
}

export function freeCdTable(c: KCtx, t: CdTable): bigint[] {
  return t.blocks;
}
