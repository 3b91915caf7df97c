// Small pure renderers shared by the bottom panel's tabs.
import type { S1Perms, S2Perms } from '../../engine/index.ts';
import type { Op } from '../../scenario/index.ts';

/**
 * Stage-1 permissions as cached: AP[2:1] (bit 1 read-only, bit 0 unprivileged), XN, DBM.
 * "EL0" = unprivileged access allowed, "EL1" = privileged only.
 */
export function s1PermsLabel(p: S1Perms): string {
  const rw = p.ap & 2 ? 'RO' : 'RW';
  const who = p.ap & 1 ? 'EL0' : 'EL1';
  const x = p.uxn && p.pxn ? 'XN' : p.uxn ? 'UXN' : p.pxn ? 'PXN' : 'X';
  return `${rw} ${who} ${x}${p.dbm ? ' DBM' : ''}`;
}

export function s2PermsLabel(p: S2Perms): string {
  const r = p.s2ap & 1 ? 'R' : '-';
  const w = p.s2ap & 2 ? 'W' : '-';
  return `S2 ${r}${w} ${p.xn ? 'XN' : 'X'}${p.dbm ? ' DBM' : ''}`;
}

/** "bind gpu compositor": the op name and its main operands. */
export function opLabel(op: Op): string {
  const o = op as unknown as Record<string, unknown>;
  // mmap's `name` labels the VMA, not the op's subject.
  const parts = (op.op === 'mmap' ? ['proc'] : ['name', 'dev', 'proc', 'domain'])
    .map((k) => o[k])
    .filter((v): v is string => typeof v === 'string');
  return [op.op, ...parts].join(' ');
}
