// arm64 user page-table encodings, per era (docs/research/linux-facts.md §3):
// arch/arm64/include/asm/pgtable-prot.h, pgtable-hwdef.h, pgalloc.h and proc.S (MAIR_EL1).
// 'v4.14' (rfc2017): MT_NORMAL = AttrIndx 4, writable pages dirty by default; 'v5.10+' (every
// upstream era): MT_NORMAL = 0, clean writable pages read-only + DBM, table AF/PXN bits — the
// values of the model that was called mainline, not checked release by release (eras.md §8).
import type { Perms } from './vocab.ts';

/** Which arm64 encodings: the kernel era's EraConfig.arm64. */
export type Arm64Encoding = 'v4.14' | 'v5.10+';

const VALID = 1n;
const TYPE_PAGE = 3n;
const USER = 1n << 6n; // AP[1]
const RDONLY = 1n << 7n; // AP[2]
const SHARED = 3n << 8n; // SH = inner shareable
const AF = 1n << 10n;
const NG = 1n << 11n;
const DBM = 1n << 51n; // PTE_WRITE is the DBM bit
const PXN = 1n << 53n;
const UXN = 1n << 54n;
const DIRTY = 1n << 55n; // software
const SPECIAL = 1n << 56n; // software: the shared zero page
const PROT_NONE = 1n << 58n; // software (v4.14 PTE_PROT_NONE)
const TABLE_AF = 1n << 10n;
const TABLE_PXN = 1n << 59n;

/** MAIR_EL1 as the kernel programs it (proc.S): v4.14 `0x0000BBFF440C0400`, today `0x000000040044FFFF`. */
export const CPU_MAIR: Readonly<Record<Arm64Encoding, bigint>> = {
  'v4.14': 0x0000_bbff_440c_0400n,
  'v5.10+': 0x0000_0004_0044_ffffn,
};

const ATTR_NORMAL: Readonly<Record<Arm64Encoding, bigint>> = { 'v4.14': 4n, 'v5.10+': 0n };
const pageDefault = (p: Arm64Encoding): bigint => TYPE_PAGE | AF | SHARED | (ATTR_NORMAL[p] << 2n);
const TABLE_BITS: Readonly<Record<Arm64Encoding, bigint>> = {
  'v4.14': 3n,
  'v5.10+': TABLE_PXN | TABLE_AF | 3n,
};

/** A present user page: written pages are dirty and writable; others map read-only. */
export function userPte(
  p: Arm64Encoding,
  pa: bigint,
  prot: Perms,
  page: { dirty: boolean; zero: boolean },
): bigint {
  let pte = pageDefault(p) | USER | NG | PXN | pa;
  if (!prot.x) pte |= UXN;
  if (!prot.r && !prot.w && !prot.x) {
    // PAGE_NONE: not valid to the hardware, kept by the kernel.
    return ((pte & ~VALID) | PROT_NONE | RDONLY) & ~USER;
  }
  if (page.zero) return pte | RDONLY | SPECIAL;
  if (prot.w && page.dirty) return pte | DBM | DIRTY; // pte_mkwrite(pte_mkdirty(...))
  if (prot.w) return pte | DBM | RDONLY; // writable-clean: DBM=1, AP[2]=1
  return pte | RDONLY;
}

/** pmd/pud/pgd_populate for a user mm. */
export function userTableDesc(p: Arm64Encoding, pa: bigint): bigint {
  return pa | TABLE_BITS[p];
}

/** The CPU's physical address size, as ID_AA64MMFR0.PARange reports it (48 bits here). */
export const CPU_PA_BITS = 48;
