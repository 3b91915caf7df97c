// Helpers for the golden scenarios (src/scenario/golden/*.json): run a committed document through
// the Timeline, and the hand encoders the expectations are written with. Every encoder is the
// reference's formula spelled out (smmuv3.md §3.2 CD fields, §5.1 events, §6.1 commands with the
// E14 worked values, §7.1 PRI records; linux-facts.md §1.3 io-pgtable PTEs) — never the engine's
// field tables, so a wrong table in the engine cannot make a golden test pass.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { ConsumedCommand } from '../engine/index.ts';
import type { KernelState } from '../kernel/index.ts';
import { parseScenario } from './parse.ts';
import type { OpRecord } from './run.ts';
import { Timeline } from './timeline.ts';
import type { World } from './world.ts';

export const goldenPath = (name: string): string =>
  fileURLToPath(new URL(`./golden/${name}.json`, import.meta.url));

export interface Golden {
  readonly t: Timeline;
  /** The record of op i. */
  readonly rec: (i: number) => OpRecord;
  /** The world after op i has run. */
  readonly after: (i: number) => World;
  /** The kernel after op i has run. */
  readonly k: (i: number) => KernelState;
}

export function loadGolden(name: string): Golden {
  const parsed = parseScenario(readFileSync(goldenPath(name), 'utf8'));
  if (!parsed.ok) throw new Error(`${name}: ${parsed.error}`);
  const t = new Timeline(parsed.scenario);
  const after = (i: number): World => t.stateAt(i + 1);
  return { t, rec: (i) => t.records[i]!, after, k: (i) => after(i).kernel! };
}

const b = (n: number | bigint): bigint => BigInt(n);
const mask = (hi: number, lo: number): bigint => ((1n << b(hi - lo + 1)) - 1n) << b(lo);

// ---- Commands (smmuv3.md §6.1; dw0 common: opcode [7:0], SSV [11], SSID [31:12], SID [63:32]) ----

export type Dw2 = readonly [bigint, bigint];

export const cmd = {
  /** CFGI_STE: opcode 0x03, Leaf dw1[0] (E14: SID 0x100 leaf = 0x0000010000000003 / 1). */
  cfgiSte: (sid: number): Dw2 => [0x03n | (b(sid) << 32n), 1n],
  prefetchCfg: (sid: number): Dw2 => [0x01n | (b(sid) << 32n), 0n],
  /** CFGI_CD: opcode 0x05, SSID [31:12] (no SSV), Leaf dw1[0] (E14: 0x0000010000005005 / 1). */
  cfgiCd: (sid: number, ssid: number, leaf = true): Dw2 => [
    0x05n | (b(ssid) << 12n) | (b(sid) << 32n),
    leaf ? 1n : 0n,
  ],
  /** CMD_SYNC as Linux builds it without MSI: CS=SEV (2) [13:12], MSH=ISH (3) [23:22], MSIAttr=0xF [27:24]. */
  sync: (): Dw2 => [0x46n | (2n << 12n) | (3n << 22n) | (0xfn << 24n), 0n],
  /** TLBI_NH_ASID: opcode 0x11, VMID [47:32] = 0, ASID [63:48] (E14: ASID 0x42 → 0x0042000000000011). */
  tlbiNhAsid: (asid: number): Dw2 => [0x11n | (b(asid) << 48n), 0n],
  /** TLBI_NH_VA without range: dw1 = Addr[63:12] | Leaf [0] (E14). */
  tlbiNhVa: (asid: number, va: bigint, leaf: boolean): Dw2 => [
    0x12n | (b(asid) << 48n),
    va | (leaf ? 1n : 0n),
  ],
  /** ATC_INV: opcode 0x40, SSV/SSID when a PASID is given; dw1 = Addr[63:12] | Size [5:0] (52 = all). */
  atcInv: (sid: number, ssid: number | undefined, addr: bigint, size: number): Dw2 => [
    0x40n | (ssid !== undefined ? (1n << 11n) | (b(ssid) << 12n) : 0n) | (b(sid) << 32n),
    addr | b(size),
  ],
  /** PRI_RESP: opcode 0x41, SSV/SSID; dw1 = PRGIndex [8:0] | Resp [13:12] (0 fail, 1 invalid, 2 success). */
  priResp: (sid: number, ssid: number, prg: number, resp: 0 | 1 | 2): Dw2 => [
    0x41n | (1n << 11n) | (b(ssid) << 12n) | (b(sid) << 32n),
    b(prg) | (b(resp) << 12n),
  ],
  /** RESUME: opcode 0x44, Ac [12] retry / Ab [13] abort; dw1 = STAG [15:0] (E14). */
  resume: (sid: number, stag: number, retry: boolean): Dw2 => [
    0x44n | (retry ? 1n << 12n : 1n << 13n) | (b(sid) << 32n),
    b(stag),
  ],
};

/** The raw dwords of every command an op's record shows, in the order the SMMU consumed them. */
export const raws = (r: OpRecord): Dw2[] => r.commands.map((c: ConsumedCommand) => c.raw);
export const names = (r: OpRecord): string[] => r.commands.map((c) => c.command?.name ?? '?');

// ---- Context descriptors (smmuv3.md §3.2 field table) ----

export interface CdDw0 {
  readonly asid: number;
  /** ASET [47]: 0 = shared with the PE (rfc2017 mm CDs), 1 = SMMU-private (io-pgtables). */
  readonly aset: 0 | 1;
  /** S [44]: stall. */
  readonly stall?: boolean;
}

/**
 * dw0 of a 4 KB-granule, 48-bit-VA, 48-bit-IPS CD as Linux writes it (smmuv3.md §3.3,
 * linux-facts.md §5): T0SZ=16 [5:0], TG0=0 [7:6], IR0=OR0=01 WBWA [9:8]/[11:10], SH0=11 ISH [13:12],
 * EPD1 [30], V [31], IPS=101 (48 bits) [34:32], AA64 [41], S [44], R [45], A [46], ASET [47],
 * ASID [63:48]. EPD0, TBI0, HA/HD all 0.
 */
export function cdDw0(o: CdDw0): bigint {
  return (
    16n | // T0SZ = 64 − 48
    (0n << 6n) | // TG0 4 KB
    (1n << 8n) | // IR0 WBWA
    (1n << 10n) | // OR0 WBWA
    (3n << 12n) | // SH0 inner shareable
    (1n << 30n) | // EPD1: no TTB1 walks
    (1n << 31n) | // V
    (5n << 32n) | // IPS 48-bit
    (1n << 41n) | // AA64
    ((o.stall ? 1n : 0n) << 44n) | // S
    (1n << 45n) | // R: record faults
    (1n << 46n) | // A: abort terminated transactions
    (b(o.aset) << 47n) |
    (b(o.asid) << 48n)
  );
}

/** CPU MAIR_EL1 of v4.14 (linux-facts.md §3.4): Attr0..5 = 00 04 0C 44 FF BB. */
export const MAIR_V414 = 0x0000_bbff_440c_0400n;
/** CPU MAIR_EL1 today without MTE (linux-facts.md §3.4): Attr0..4 = FF FF 44 00 04. */
export const MAIR_NOW = 0x0000_0004_0044_ffffn;
/** io-pgtable stage-1 MAIR of 2018 (linux-facts.md §1.3): idx0 NC 0x44, idx1 WBRWA 0xFF, idx2 Device 0x04. */
export const IOPGTABLE_MAIR_2018 = 0x0004_ff44n;
/** CD dword 1 = TTB0 masked to [51:4] (smmuv3.md §3.2). */
export const cdTtb0 = (pa: bigint): bigint => pa & mask(51, 4);

// ---- Events (smmuv3.md §5.1) and PRI records (§7.1) ----

export interface EventFields {
  readonly id: number;
  readonly sid: number;
  readonly ssid?: number;
  readonly stall?: boolean;
  readonly stag?: number;
  /** RnW [35]: 1 = read. */
  readonly read: boolean;
  /** CLASS [41:40]: 0 CD, 1 TT, 2 IN. */
  readonly cls: number;
  readonly addr: bigint;
}

export function eventRaw(e: EventFields): bigint[] {
  const dw0 =
    b(e.id) | (e.ssid !== undefined ? (1n << 11n) | (b(e.ssid) << 12n) : 0n) | (b(e.sid) << 32n);
  const dw1 =
    b(e.stag ?? 0) | ((e.stall ? 1n : 0n) << 31n) | ((e.read ? 1n : 0n) << 35n) | (b(e.cls) << 40n);
  return [dw0, dw1, e.addr, 0n];
}

/** PRI record: SID [31:0], SSID [51:32], R [60], W [61], Last [62], SSV [63]; dw1 = page | PRG [8:0]. */
export function priRaw(sid: number, ssid: number, write: boolean, prg: number, page: bigint): Dw2 {
  const perm = write ? 1n << 61n : 1n << 60n;
  return [b(sid) | (b(ssid) << 32n) | perm | (1n << 62n) | (1n << 63n), page | b(prg)];
}

// ---- Walking the structures in memory by hand (smmuv3.md §1.2, §1.3, §3.1; E12, E13) ----

export function steAddr(w: World, sid: number): bigint {
  const base = w.smmu.regs.STRTAB_BASE & mask(51, 6);
  const cfg = w.smmu.regs.STRTAB_BASE_CFG;
  if (((cfg >> 16n) & 3n) !== 1n) return base + b(sid) * 64n;
  const split = Number((cfg >> 6n) & 0x1fn);
  const l1std = w.mem.read64(base + b(sid >>> split) * 8n)!;
  expect(l1std & 0x1fn, 'L1STD.Span = SPLIT + 1').toBe(b(split + 1));
  return (l1std & mask(51, 6)) + b(sid & ((1 << split) - 1)) * 64n;
}

export const ste = (w: World, sid: number): bigint[] => w.mem.readWords(steAddr(w, sid), 8)!;

/** The PA of CD[ssid] reached from an STE dword 0 (S1Fmt 0 linear, 2 = 64 KB leaves of 1024 CDs). */
export function cdAddr(w: World, steDw0: bigint, ssid: number): bigint {
  const ptr = steDw0 & mask(51, 6);
  const fmt = (steDw0 >> 4n) & 3n;
  if (fmt === 0n) return ptr + b(ssid) * 64n;
  expect(fmt, 'S1Fmt').toBe(2n);
  const l1cd = w.mem.read64(ptr + b(ssid >>> 10) * 8n)!;
  expect(l1cd & 1n, 'L1CD.V').toBe(1n);
  return (l1cd & mask(51, 12)) + b(ssid & 0x3ff) * 64n;
}

export const cd = (w: World, sid: number, ssid: number): bigint[] =>
  w.mem.readWords(cdAddr(w, ste(w, sid)[0]!, ssid), 4)!;

/**
 * A 4 KB, 48-bit VMSAv8-64 walk by hand (smmuv3.md §4.1, E1): L0..L3 indices are VA[47:39],
 * [38:30], [29:21], [20:12]; returns every descriptor read, the last one being the leaf.
 */
export function walk4k(w: World, root: bigint, va: bigint): bigint[] {
  const descs: bigint[] = [];
  let table = root;
  for (const shift of [39n, 30n, 21n, 12n]) {
    const d = w.mem.read64(table + ((va >> shift) & 0x1ffn) * 8n)!;
    descs.push(d);
    if (shift === 12n || (d & 3n) !== 3n) break;
    table = d & mask(47, 12);
  }
  return descs;
}

// ---- io-pgtable leaves (linux-facts.md §1.3, 2018 column) ----

/**
 * A level-3 page as io-pgtable-arm (2018) writes it for IOMMU_READ [|WRITE] | CACHE | NOEXEC:
 * TYPE_PAGE 3 [1:0], AttrIndx 1 (cacheable) [4:2], AP[1] unprivileged [6], AP[2] read-only [7]
 * when not writable, SH ISH [9:8], AF [10], nG [11], XN 3<<53.
 * RW = PA | 0xF47, read-only = PA | 0xFC7, + 0x0060_0000_0000_0000 for no-exec.
 */
export const ioPage = (pa: bigint, writable: boolean): bigint =>
  pa | (writable ? 0xf47n : 0xfc7n) | 0x0060_0000_0000_0000n;
