// Test helper: STEs, CDs and translation tables written into simulated memory from explicit bit
// positions. Every constant below is typed in from the field tables of
// /work/shared/reference/smmuv3.md (§2.1 STE, §3.2 CD, §4.2 descriptors, §5.1 event records);
// nothing here calls the engine's encoders, so expected values never echo the code under test.
import type { PhysMem } from './memory.ts';
import type { SmmuPlatform } from './platform.ts';
import type { Smmu } from './smmu.ts';
import { bringUp, EVTQ_PA, makeSmmu, type BringUp } from './testkit.ts';
import type { Access, Transaction } from './transaction.ts';
import { writeRegister } from './regwrite.ts';

export const STRTAB = 0x4010_0000n; // linear stream table, 256 STEs (16 KB)
export const CDTAB = 0x4020_0000n; // CDs and CD tables
export const PT = 0x4100_0000n; // translation tables are allocated upward from here

const u = (v: bigint | number | boolean | undefined): bigint =>
  typeof v === 'bigint' ? v : BigInt(Number(v ?? 0));
const at = (v: bigint | number | boolean | undefined, pos: number): bigint => u(v) << BigInt(pos);
const mask = (hi: number, lo: number): bigint => ((1n << BigInt(hi - lo + 1)) - 1n) << BigInt(lo);

// ---- Descriptor bits (§4.2) ----
export const INVALID = 0n;
export const TABLE = 0b11n;
export const PAGE = 0b11n;
export const BLOCK = 0b01n;
export const AP_EL0 = 1n << 6n; // AP[1]
export const AP_RO = 1n << 7n; // AP[2]
export const AF = 1n << 10n;
export const NG = 1n << 11n;
export const DBM = 1n << 51n;
export const PXN = 1n << 53n;
export const UXN = 1n << 54n;
export const PXN_TABLE = 1n << 59n;
export const UXN_TABLE = 1n << 60n;
export const APT_NO_EL0 = 1n << 61n;
export const APT_RO = 1n << 62n;
export const S2AP_R = 1n << 6n;
export const S2AP_W = 1n << 7n;
export const S2XN = 1n << 54n;
/** A stage-1 page/block with AF=1 and AP=01 (read/write at both privileges). */
export const RW = AF | AP_EL0;
/** A stage-2 leaf with AF=1 and S2AP=11. */
export const S2RW = AF | S2AP_R | S2AP_W;

// ---- STE (§2.1) ----
export interface SteOpts {
  readonly v?: boolean;
  readonly config: number;
  readonly s1fmt?: number;
  readonly s1ctx?: bigint;
  readonly s1cdmax?: number;
  readonly s1dss?: number;
  readonly s1stalld?: boolean;
  readonly eats?: number;
  readonly strw?: number;
  readonly privcfg?: number;
  readonly instcfg?: number;
  readonly s2vmid?: number;
  readonly s2t0sz?: number;
  readonly s2sl0?: number;
  readonly s2tg?: number;
  readonly s2ps?: number;
  readonly s2aa64?: boolean;
  readonly s2affd?: boolean;
  readonly s2hd?: boolean;
  readonly s2ha?: boolean;
  readonly s2s?: boolean;
  readonly s2r?: boolean;
  readonly s2ttb?: bigint;
}

export function steWords(o: SteOpts): bigint[] {
  const dw0 =
    at(o.v ?? true, 0) |
    at(o.config, 1) |
    at(o.s1fmt, 4) |
    ((o.s1ctx ?? 0n) & mask(55, 6)) |
    at(o.s1cdmax, 59);
  const dw1 =
    at(o.s1dss, 0) |
    at(o.s1stalld, 27) |
    at(o.eats, 28) |
    at(o.strw, 30) |
    at(o.privcfg, 48) |
    at(o.instcfg, 50);
  const dw2 =
    at(o.s2vmid, 0) |
    at(o.s2t0sz, 32) |
    at(o.s2sl0, 38) |
    at(o.s2tg, 46) |
    at(o.s2ps ?? 5, 48) |
    at(o.s2aa64 ?? true, 51) |
    at(o.s2affd, 53) |
    at(o.s2hd, 55) |
    at(o.s2ha, 56) |
    at(o.s2s, 57) |
    at(o.s2r ?? true, 58);
  const dw3 = (o.s2ttb ?? 0n) & mask(51, 4);
  return [dw0, dw1, dw2, dw3, 0n, 0n, 0n, 0n];
}

// ---- CD (§3.2) ----
export interface CdOpts {
  readonly v?: boolean;
  readonly t0sz?: number;
  readonly tg0?: number;
  readonly epd0?: boolean;
  readonly t1sz?: number;
  readonly tg1?: number;
  readonly epd1?: boolean;
  readonly ips?: number;
  readonly affd?: boolean;
  readonly wxn?: boolean;
  readonly tbi0?: boolean;
  readonly tbi1?: boolean;
  readonly pan?: boolean;
  readonly aa64?: boolean;
  readonly hd?: boolean;
  readonly ha?: boolean;
  readonly s?: boolean;
  readonly r?: boolean;
  readonly a?: boolean;
  readonly aset?: boolean;
  readonly asid?: number;
  readonly had0?: boolean;
  readonly e0pd0?: boolean;
  readonly ttb0?: bigint;
  readonly had1?: boolean;
  readonly e0pd1?: boolean;
  readonly ttb1?: bigint;
}

/** Defaults: T0SZ 16, 4 KB, EPD1=1, V, IPS 48-bit, AA64, R=1, A=1. */
export function cdWords(o: CdOpts = {}): bigint[] {
  const dw0 =
    at(o.t0sz ?? 16, 0) |
    at(o.tg0, 6) |
    at(o.epd0, 14) |
    at(o.t1sz, 16) |
    at(o.tg1, 22) |
    at(o.epd1 ?? true, 30) |
    at(o.v ?? true, 31) |
    at(o.ips ?? 5, 32) |
    at(o.affd, 35) |
    at(o.wxn, 36) |
    at(o.tbi0, 38) |
    at(o.tbi1, 39) |
    at(o.pan, 40) |
    at(o.aa64 ?? true, 41) |
    at(o.hd, 42) |
    at(o.ha, 43) |
    at(o.s, 44) |
    at(o.r ?? true, 45) |
    at(o.a ?? true, 46) |
    at(o.aset, 47) |
    at(o.asid, 48);
  const dw1 = at(o.had0, 1) | at(o.e0pd0, 2) | ((o.ttb0 ?? 0n) & mask(51, 4));
  // dw2 mirrors dw1 for TTB1: HAD1 [1], E0PD1 [2] (§5.4, bits 129 and 130 of the CD).
  const dw2 = at(o.had1, 1) | at(o.e0pd1, 2) | ((o.ttb1 ?? 0n) & mask(51, 4));
  return [dw0, dw1, dw2, 0n, 0n, 0n, 0n, 0n];
}

// ---- Environment ----
export interface EnvOpts {
  readonly platform?: Partial<SmmuPlatform>;
  readonly bring?: Partial<BringUp>;
}

/** An enabled SMMU with a linear 256-entry stream table at STRTAB and 8-entry queues. */
export function env(o: EnvOpts = {}): Smmu {
  return bringUp(makeSmmu(o.platform), { strtab: STRTAB, log2size: 8, ...o.bring });
}

export const putSte = (s: Smmu, sid: number, o: SteOpts): void =>
  void s.mem.writeWords(STRTAB + BigInt(sid) * 64n, steWords(o));

export const putCd = (s: Smmu, pa: bigint, o: CdOpts = {}): void =>
  void s.mem.writeWords(pa, cdWords(o));

export const txn = (
  sid: number,
  addr: bigint,
  access: Access = 'r',
  extra: { ssid?: number; priv?: boolean } = {},
): Transaction => ({ sid, addr, access, priv: extra.priv ?? false, ssid: extra.ssid });

/** The four dwords of event-queue slot `slot`. */
export const eventAt = (s: Smmu, slot: number): bigint[] =>
  s.mem.readWords(EVTQ_PA + BigInt(slot) * 32n, 4)!;

/** Software consumes every event: EVENTQ_CONS := EVENTQ_PROD (keeping CONS.OVACKFLG). */
export function drainEvents(s: Smmu): void {
  const prod = s.regs.EVENTQ_PROD & 0xfffffn;
  const ack = s.regs.EVENTQ_CONS & (1n << 31n);
  writeRegister(s, 'EVENTQ_CONS', ack | prod);
}

export const evtProd = (s: Smmu): bigint => s.regs.EVENTQ_PROD;

// ---- Translation tables ----
/** A bump allocator of table memory plus a mapper that creates intermediate tables. */
export class Tables {
  private next: bigint;
  constructor(
    readonly mem: PhysMem,
    /** Granule shift: 12, 14 or 16. */
    readonly g: number,
    start = PT,
  ) {
    this.next = start;
  }

  /** Allocates a zeroed table of `bytes` (default one granule), aligned to its size. */
  alloc(bytes = 1n << BigInt(this.g)): bigint {
    const align = bytes < 4096n ? 4096n : bytes;
    const pa = (this.next + align - 1n) & ~(align - 1n);
    this.next = pa + bytes;
    return pa;
  }

  /** Bit `lo` of the input bits indexed at `level` (VMSAv8-64: g + (3 − level)(g − 3)). */
  shift(level: number): number {
    return this.g + (3 - level) * (this.g - 3);
  }

  /**
   * Writes `leaf` for `va` at `leafLevel` under `root` (walk starting at `start`, `inputSize`-bit
   * addresses), creating next-level tables as needed. Returns the descriptor addresses used.
   */
  map(
    root: bigint,
    start: number,
    inputSize: number,
    va: bigint,
    leafLevel: number,
    leaf: bigint,
  ): bigint[] {
    const addrs: bigint[] = [];
    let table = root;
    for (let level = start; ; level++) {
      const lo = this.shift(level);
      const hi = level === start ? inputSize - 1 : lo + this.g - 4;
      const index = (va >> BigInt(lo)) & ((1n << BigInt(hi - lo + 1)) - 1n);
      const addr = table + index * 8n;
      addrs.push(addr);
      if (level === leafLevel) {
        this.mem.write64(addr, leaf);
        return addrs;
      }
      const d = this.mem.read64(addr) ?? 0n;
      if ((d & 3n) === 3n) {
        table = d & mask(47, this.g);
      } else {
        table = this.alloc();
        this.mem.write64(addr, table | TABLE);
      }
    }
  }
}
