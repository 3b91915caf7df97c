// VMSAv8-64 translation table descriptors (Arm ARM D8.3; SMMUv3 §3.4 uses the same format).
// Field names follow the Arm ARM; Linux io-pgtable-arm.c ARM_LPAE_PTE_* and arm64
// pgtable-hwdef.h PTE_* name the same bits.
import { f, type FieldTable } from './bits.ts';

/** Stage-1 table descriptor (level 0..2, bits[1:0] = 0b11). */
export const S1_TABLE = {
  Valid: f(0, 0),
  Type: f(0, 1),
  NextLevelTable: f(0, 47, 12),
  PXNTable: f(0, 59),
  UXNTable: f(0, 60),
  APTable: f(0, 62, 61),
  NSTable: f(0, 63),
} as const satisfies FieldTable;

/** Stage-1 block (level 1..2, bits[1:0] = 0b01) or page (level 3, 0b11) descriptor. */
export const S1_LEAF = {
  Valid: f(0, 0),
  Type: f(0, 1),
  AttrIndx: f(0, 4, 2),
  NS: f(0, 5),
  AP: f(0, 7, 6),
  SH: f(0, 9, 8),
  AF: f(0, 10),
  nG: f(0, 11),
  OutputAddress: f(0, 47, 12),
  GP: f(0, 50),
  DBM: f(0, 51),
  Contiguous: f(0, 52),
  PXN: f(0, 53),
  UXN: f(0, 54),
  SW: f(0, 58, 55),
  PBHA: f(0, 62, 59),
} as const satisfies FieldTable;

/** Stage-2 block/page descriptor. */
export const S2_LEAF = {
  Valid: f(0, 0),
  Type: f(0, 1),
  MemAttr: f(0, 5, 2),
  S2AP: f(0, 7, 6),
  SH: f(0, 9, 8),
  AF: f(0, 10),
  OutputAddress: f(0, 47, 12),
  DBM: f(0, 51),
  Contiguous: f(0, 52),
  XN: f(0, 54, 53),
  SW: f(0, 58, 55),
} as const satisfies FieldTable;

export const S2_TABLE = {
  Valid: f(0, 0),
  Type: f(0, 1),
  NextLevelTable: f(0, 47, 12),
} as const satisfies FieldTable;

// Raw bit positions used on the hot path (the walk); each is named in the tables above.
export const DESC_VALID = 1n;
export const DESC_TABLE_OR_PAGE = 2n;
export const AP1_EL0 = 1n << 6n; // AP[1]: EL0 (unprivileged) access
export const AP2_RDONLY = 1n << 7n; // AP[2]: read-only
export const S2AP_READ = 1n << 6n;
export const S2AP_WRITE = 1n << 7n;
export const AF = 1n << 10n;
export const NG = 1n << 11n;
export const DBM = 1n << 51n;
export const PXN = 1n << 53n;
export const UXN = 1n << 54n; // also stage-2 XN[1]
export const PXN_TABLE = 1n << 59n;
export const UXN_TABLE = 1n << 60n;
export const AP_TABLE_NO_EL0 = 1n << 61n;
export const AP_TABLE_RDONLY = 1n << 62n;

/** Output address bits [47:12] of any descriptor (48-bit OA). */
export const OA_MASK_48 = ((1n << 48n) - 1n) & ~0xfffn;

/** What a leaf lets through, as decided from the descriptor and the walk's table limits. */
export interface LeafPermissions {
  /** AP[2:1] after APTable is applied. */
  readonly ap: number;
  readonly pxn: boolean;
  readonly uxn: boolean;
  readonly dbm: boolean;
  readonly nG: boolean;
  readonly af: boolean;
}
