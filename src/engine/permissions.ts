// Permission checks for a device access (§3.4.x, §5.4 WXN/PAN; Arm ARM D8.4 for the EL1&0 and
// EL2 regimes). Used on a fresh walk and on every TLB hit: cached permissions still apply.
import { AF, AP1_EL0, AP2_RDONLY, DBM, PXN, UXN } from './descriptor.ts';
import type { S1Perms, S2Perms } from './tlb.ts';
import type { Leaf } from './walk.ts';

export type PermVerdict =
  | { readonly ok: true }
  /** A write to a writable-clean page (DBM=1, read-only) that hardware may mark dirty (HD=1). */
  | { readonly ok: false; readonly dirty: true; readonly why: string }
  | { readonly ok: false; readonly dirty: false; readonly why: string };

const OK: PermVerdict = { ok: true };
const deny = (why: string): PermVerdict => ({ ok: false, dirty: false, why });

/**
 * The 32 possible stage-1 permission sets, made once: a leaf's are one of them (immutable, so
 * TLB entries share them and a walk allocates none).
 */
const S1_PERMS: readonly S1Perms[] = Array.from({ length: 32 }, (_, k) =>
  Object.freeze({ ap: k & 3, pxn: (k & 4) !== 0, uxn: (k & 8) !== 0, dbm: (k & 16) !== 0 }),
);

/** The descriptor's bits [63:48] as a number: DBM, PXN and UXN are tested there. */
const HIGH_SHIFT = 48n;
const DBM_HI = Number(DBM >> HIGH_SHIFT);
const PXN_HI = Number(PXN >> HIGH_SHIFT);
const UXN_HI = Number(UXN >> HIGH_SHIFT);

/** Stage-1 permissions of a leaf, with APTable / PXNTable / UXNTable folded in. */
export function s1PermsOf(leaf: Leaf): S1Perms {
  const d = leaf.desc;
  const hi = Number(d >> HIGH_SHIFT);
  let ap = Number((d >> 6n) & 3n); // AP[2:1]
  if (leaf.apTable & 1) ap &= ~1; // APTable[0]: no EL0 access below
  if (leaf.apTable & 2) ap |= 2; // APTable[1]: read-only below
  const pxn = (hi & PXN_HI) !== 0 || leaf.pxnTable;
  const uxn = (hi & UXN_HI) !== 0 || leaf.uxnTable;
  // Writable-clean only if APTable did not make it read-only (§3.13.3: never made writable).
  const dbm = (hi & DBM_HI) !== 0 && (leaf.apTable & 2) === 0;
  return S1_PERMS[ap | (pxn ? 4 : 0) | (uxn ? 8 : 0) | (dbm ? 16 : 0)]!;
}

/**
 * s1PermsOf for a leaf whose descriptor is given as 32-bit halves `lo`, `hi` (the walker's fast
 * path): the same table entry, without BigInt arithmetic. AP[2:1] is bits 7:6 of `lo`; DBM,
 * PXN, UXN (bits 51, 53, 54) are bits 19, 21, 22 of `hi`.
 */
export function s1PermsOfHalves(leaf: Leaf, lo: number, hi: number): S1Perms {
  const top = hi >>> 16; // bits [63:48], as in s1PermsOf
  let ap = (lo >>> 6) & 3;
  if (leaf.apTable & 1) ap &= ~1;
  if (leaf.apTable & 2) ap |= 2;
  const pxn = (top & PXN_HI) !== 0 || leaf.pxnTable;
  const uxn = (top & UXN_HI) !== 0 || leaf.uxnTable;
  const dbm = (top & DBM_HI) !== 0 && (leaf.apTable & 2) === 0;
  return S1_PERMS[ap | (pxn ? 4 : 0) | (uxn ? 8 : 0) | (dbm ? 16 : 0)]!;
}

export interface S1Flags {
  readonly WXN: boolean;
  readonly PAN: boolean;
  readonly HD: boolean;
  /** EL2 (non-E2H) regime: AP[1] ignored, every access privileged. */
  readonly el2: boolean;
}

export function checkS1(
  p: S1Perms,
  write: boolean,
  instr: boolean,
  privIn: boolean,
  f: S1Flags,
): PermVerdict {
  const priv = f.el2 || privIn;
  const el0 = f.el2 || (p.ap & 1) === 1;
  const readOnly = (p.ap & 2) === 2;
  const writable = !readOnly;
  if (!priv && !el0) return deny('AP[1]=0: no unprivileged access');
  if (write) {
    if (priv && f.PAN && !f.el2 && (p.ap & 1) === 1)
      return deny('PAN=1: privileged access to an unprivileged-accessible page');
    if (readOnly) {
      if (p.dbm && f.HD)
        return {
          ok: false,
          dirty: true,
          why: 'write to a writable-clean page (DBM=1): hardware marks it dirty',
        };
      return deny(
        p.dbm
          ? 'AP[2]=1 (read-only) and HD=0: dirty-state update disabled'
          : 'AP[2]=1: read-only page',
      );
    }
    return OK;
  }
  if (instr) {
    if (f.WXN && writable) return deny('WXN=1: writable pages are never executable');
    if (!priv) return p.uxn ? deny('UXN: not executable unprivileged') : OK;
    if (p.pxn) return deny('PXN: not executable privileged');
    if (!f.el2 && p.ap === 1)
      return deny('privileged execute from a page writable unprivileged (AP=0b01)');
    return OK;
  }
  if (priv && f.PAN && !f.el2 && (p.ap & 1) === 1)
    return deny('PAN=1: privileged data access to an unprivileged-accessible page');
  return OK;
}

export function s2PermsOf(desc: bigint): S2Perms {
  return { s2ap: Number((desc >> 6n) & 3n), xn: (desc & UXN) !== 0n, dbm: (desc & DBM) !== 0n };
}

export function checkS2(p: S2Perms, write: boolean, instr: boolean, hd: boolean): PermVerdict {
  if (write) {
    if (p.s2ap & 2) return OK;
    if (p.dbm && hd)
      return {
        ok: false,
        dirty: true,
        why: 'stage-2 write to a writable-clean page: hardware sets S2AP[1]',
      };
    return deny('S2AP[1]=0: stage 2 forbids writes');
  }
  if ((p.s2ap & 1) === 0) return deny('S2AP[0]=0: stage 2 forbids reads');
  if (instr && p.xn) return deny('stage-2 XN: not executable');
  return OK;
}

type Grant = { read: boolean; write: boolean; exec: boolean };

/**
 * Grants by everything they depend on — the permission set's 5 bits, priv, EL2, WXN, PAN (not
 * HD: a dirty-state write is refused either way) — made on first use and frozen, so a
 * translation's outcome allocates none.
 */
const GRANTS: (Grant | undefined)[] = [];

/** What an ATS completion may grant for this leaf and privilege (R, W, X). */
export function grantS1(p: S1Perms, priv: boolean, f: S1Flags): Grant {
  const key =
    p.ap |
    (p.pxn ? 4 : 0) |
    (p.uxn ? 8 : 0) |
    (p.dbm ? 16 : 0) |
    (priv ? 32 : 0) |
    (f.el2 ? 64 : 0) |
    (f.WXN ? 128 : 0) |
    (f.PAN ? 256 : 0);
  let g = GRANTS[key];
  if (g === undefined)
    g = GRANTS[key] = Object.freeze({
      read: checkS1(p, false, false, priv, f).ok,
      write: checkS1(p, true, false, priv, f).ok,
      exec: checkS1(p, false, true, priv, f).ok,
    });
  return g;
}

export const afSet = (desc: bigint): boolean => (desc & AF) !== 0n;
export const withAf = (desc: bigint): bigint => desc | AF;
/** Stage 1: clear AP[2] (writable-dirty). Stage 2: set S2AP[1]. */
export const s1Dirty = (desc: bigint): bigint => (desc & ~AP2_RDONLY) | AF;
export const s2Dirty = (desc: bigint): bigint => desc | AP2_RDONLY | AF; // S2AP[1] is bit 7
export { AP1_EL0 };
