// Context-descriptor tables (2018 arm-smmu-v3-context.c; arm-smmu-v3.c arm_smmu_alloc_cd_tables,
// arm_smmu_get_cd_ptr, arm_smmu_write_ctx_desc / arm_smmu_write_cd_entry). Who owns a table is the
// era's choice (docs/research/eras.md §4): the domain, whose masters all point their STEs at it
// (RFCv2 … v6.6), or each master (v6.7+). A CdSite is one table with the StreamIDs a change of it
// must be announced to (arm_smmu_sync_cd). Linux: linear up to 1024 CDs or without CD2L, else
// 64 KB leaves of 1024 CDs.
import { buildCommand, CD_BYTES, type Command } from '../../engine/index.ts';
import { allocZeroed, log, type KCtx } from '../ctx.ts';
import { eraOf } from '../eras/index.ts';
import type { CdTable, Device, Domain } from '../state.ts';
import { submit } from './cmdq.ts';
import { writeCdEntry } from './cdwrite.ts';

const LEAF_BITS = 10; // CTXDESC_SPLIT: 1024 CDs per 64 KB leaf
const V = 1n << 31n;
const EPD0 = 1n << 14n;
const ASID = 0xffffn << 48n;

/** One CD table and the masters that read it. */
export interface CdSite {
  readonly table: CdTable;
  /** "domain media" or "gpu": for the log. */
  readonly label: string;
  /** StreamIDs whose configuration caches may hold its entries, in the driver's list order. */
  readonly sids: readonly number[];
}

/** The masters of a domain in the order the driver walks its device list. */
export function domainMasters(c: KCtx, d: Domain): Device[] {
  const devs = d.devices.map((n) => c.k.devices.get(n)!);
  return eraOf(c.k.era).config.domainOrder === 'newest-first' ? devs.reverse() : devs;
}

export const domainSite = (c: KCtx, d: Domain): CdSite => ({
  table: d.cdtable!,
  label: `domain ${d.name}`,
  sids: domainMasters(c, d).map((dev) => dev.sid),
});

export const masterSite = (dev: Device): CdSite => ({
  table: dev.cdtable!,
  label: dev.name,
  sids: [dev.sid],
});

/**
 * The CD table a device's PASIDs live in: its domain's (domain-owned eras) or its own. Undefined
 * when there is none yet.
 */
export function siteOf(c: KCtx, dev: Device): CdSite | undefined {
  if (eraOf(c.k.era).config.cdTables === 'master') return dev.cdtable ? masterSite(dev) : undefined;
  const d = dev.domain ? c.k.domains.get(dev.domain) : undefined;
  return d?.cdtable ? domainSite(c, d) : undefined;
}

/** Bytes allocCdTable takes for a master with `ssidBits`: the linear array, or L1 + leaf 0. */
export function cdTableBytes(cd2l: boolean, ssidBits: number): bigint {
  if (!(cd2l && ssidBits > LEAF_BITS)) return CD_BYTES << BigInt(ssidBits);
  return (8n << BigInt(ssidBits - LEAF_BITS)) + (CD_BYTES << BigInt(LEAF_BITS));
}

/** A table for `ssidBits` of SubstreamIDs; `owner` names it in the frame labels ("domain d"). */
export function allocCdTable(c: KCtx, owner: string, ssidBits: number): CdTable {
  const twoLevel = c.smmu.platform.cd2l && ssidBits > LEAF_BITS;
  if (!twoLevel) {
    const bytes = CD_BYTES << BigInt(ssidBits);
    const base = allocZeroed(c, bytes, 'cdtable', `CD table of ${owner} (${2 ** ssidBits} CDs)`);
    return { base, fmt: 'linear', s1cdmax: ssidBits, leaves: new Map(), blocks: [base] };
  }
  const l1Entries = 2 ** (ssidBits - LEAF_BITS);
  const base = allocZeroed(
    c,
    BigInt(l1Entries) * 8n,
    'cdtable',
    `L1 CD table of ${owner} (${l1Entries} L1CDs)`,
  );
  const t: CdTable = { base, fmt: '2level', s1cdmax: ssidBits, leaves: new Map(), blocks: [base] };
  // Leaf 0 comes with the table (it holds CD 0, the domain's own io-pgtable).
  addLeaf(c, t, owner, 0);
  return t;
}

function addLeaf(c: KCtx, t: CdTable, owner: string, index: number): bigint {
  const leaf = allocZeroed(
    c,
    CD_BYTES << BigInt(LEAF_BITS),
    'cdtable',
    `CD leaf ${index} of ${owner} (CDs ${index << LEAF_BITS}–${((index + 1) << LEAF_BITS) - 1})`,
  );
  t.leaves.set(index, leaf);
  t.blocks.push(leaf);
  c.mem.write64(t.base + BigInt(index) * 8n, leaf | 1n);
  return leaf;
}

/**
 * One CFGI_CD per StreamID of the site, then CMD_SYNC (arm_smmu_sync_cd). With no StreamID the
 * 2018/2017 writers send nothing; arm_smmu_cmdq_batch_submit still sends the lone CMD_SYNC
 * (`alwaysSync`, the v5.x–v6.8 writer).
 */
export function flushCd(
  c: KCtx,
  site: CdSite,
  ssid: number,
  leaf: boolean,
  alwaysSync = false,
): void {
  const cmds: Command[] = site.sids.map((sid) =>
    buildCommand('CMD_CFGI_CD', { StreamID: sid, SubstreamID: ssid, Leaf: leaf ? 1 : 0 }),
  );
  if (cmds.length > 0 || alwaysSync) submit(c, cmds, true);
}

const alwaysSync = (c: KCtx): boolean => eraOf(c.k.era).config.cdWriter === 'ctxdesc';

/** PA of CD[ssid]; a missing leaf is allocated and its L1CD published (Leaf=0 CFGI, "an invalid L1 entry may be cached"). */
export function cdSlot(c: KCtx, site: CdSite, ssid: number): bigint {
  const t = site.table;
  if (t.fmt === 'linear') return t.base + BigInt(ssid) * CD_BYTES;
  const idx = ssid >>> LEAF_BITS;
  let leaf = t.leaves.get(idx);
  if (leaf === undefined) {
    leaf = addLeaf(c, t, site.label, idx);
    log(
      c,
      `arm-smmu-v3: CD leaf ${idx} of ${site.label} allocated at 0x${leaf.toString(16)}; L1CD[${idx}] written`,
    );
    flushCd(c, site, idx << LEAF_BITS, false, alwaysSync(c));
  }
  return leaf + BigInt(ssid & ((1 << LEAF_BITS) - 1)) * CD_BYTES;
}

/**
 * Installs or replaces CD[ssid] the era's way. rfc2017 (2018 arm_smmu_write_ctx_desc): dwords
 * 1..3 (TTB0, TTB1, MAIR) if they changed, flush, then dword 0 (V), flush. v5.x–v6.8
 * (arm_smmu_write_ctx_desc): a CD that is not live gets words 1–3, sync, word 0, sync; a live one
 * only has its ASID field rewritten, sync (case (3)). v6.10+: arm_smmu_write_entry (cdwrite.ts).
 */
export function writeCd(c: KCtx, site: CdSite, ssid: number, words: readonly bigint[]): void {
  const writer = eraOf(c.k.era).config.cdWriter;
  if (writer === 'entry') return writeCdEntry(c, site, ssid, words);
  const pa = cdSlot(c, site, ssid);
  const cur = c.mem.readWords(pa, 4) ?? [0n, 0n, 0n, 0n];
  if (writer === 'ctxdesc') {
    if ((cur[0]! & V) !== 0n) {
      c.mem.write64(pa, (cur[0]! & ~ASID) | (words[0]! & ASID));
      flushCd(c, site, ssid, true, true);
      return;
    }
    c.mem.writeWords(pa + 8n, [words[1]!, 0n, words[3]!]);
    flushCd(c, site, ssid, true, true);
    c.mem.write64(pa, words[0]!);
    flushCd(c, site, ssid, true, true);
    return;
  }
  if (cur.slice(1).some((w, i) => w !== words[i + 1])) {
    c.mem.writeWords(pa + 8n, words.slice(1, 4));
    flushCd(c, site, ssid, true);
  }
  if (cur[0] !== words[0]) {
    c.mem.write64(pa, words[0]!);
    flushCd(c, site, ssid, true);
  }
}

/**
 * The exit-time quiet CD (arm_smmu_mm_release). v5.x–v6.7 quiet_cd (case (4)): word 0 gains EPD0,
 * V and everything else stay — also in a CD that is not valid (a master the CD was never
 * written to). v6.11+ writes arm_smmu_make_sva_cd(…, NULL): `quiet` is that target.
 */
export function quietCd(c: KCtx, site: CdSite, ssid: number, quiet: readonly bigint[]): void {
  if (eraOf(c.k.era).config.cdWriter !== 'ctxdesc') return writeCd(c, site, ssid, quiet);
  const pa = cdSlot(c, site, ssid);
  c.mem.write64(pa, (c.mem.read64(pa) ?? 0n) | EPD0);
  flushCd(c, site, ssid, true, true);
}

/**
 * Clears CD[ssid]. rfc2017, the 2018 way: dword 0 only (V=0), one flush; dwords 1..3 stay stale.
 * v5.x–v6.8 (case (5)): word 0 = 0 and one sync, whatever it held. v6.10+ arm_smmu_clear_cd: an
 * all-zero target through arm_smmu_write_entry — dword 0 (V=0), flush, then the rest, flush.
 */
export function clearCd(c: KCtx, site: CdSite, ssid: number): void {
  const writer = eraOf(c.k.era).config.cdWriter;
  if (writer === 'entry') return writeCdEntry(c, site, ssid, []);
  const pa = cdSlot(c, site, ssid);
  if (writer === 'ctxdesc') {
    c.mem.write64(pa, 0n);
    flushCd(c, site, ssid, true, true);
    return;
  }
  if ((c.mem.read64(pa) ?? 0n) === 0n) return;
  c.mem.write64(pa, 0n);
  flushCd(c, site, ssid, true);
}
