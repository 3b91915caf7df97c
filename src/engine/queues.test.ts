// Circular queue pointers (smmuv3.md §6.3; Linux queue_full / queue_empty / queue_has_space):
// a LOG2SIZE-bit index with the wrap bit just above it.
import { describe, expect, it } from 'vitest';
import { qEmpty, qFree, qFull, qInc, qIndex, qUsed, qWrap } from './queues.ts';

const q = (log2size: number, prod: number, cons: number) => ({ log2size, prod, cons });

describe('index and wrap bit', () => {
  it('splits a pointer into index [QS-1:0] and wrap [QS]', () => {
    expect(qIndex(0b1_010, 3)).toBe(0b010);
    expect(qWrap(0b1_010, 3)).toBe(1);
    expect(qWrap(0b0_111, 3)).toBe(0);
  });

  it('ignores bits above the wrap bit (e.g. OVFLG at bit 31)', () => {
    const p = (1 << 31) | 0b1_101;
    expect(qIndex(p, 3)).toBe(0b101);
    expect(qWrap(p, 3)).toBe(1);
  });

  it('handles the 19-bit maximum queue size (CMDQS ≤ 19)', () => {
    const p = (1 << 19) | 0x7_ffff;
    expect(qIndex(p, 19)).toBe(0x7_ffff);
    expect(qWrap(p, 19)).toBe(1);
  });
});

describe('E16 vectors (smmuv3.md §11.4, LOG2SIZE 3)', () => {
  it('PROD 0b1_000, CONS 0b0_000: full, 0 free', () => {
    const s = q(3, 0b1_000, 0b0_000);
    expect(qFull(s)).toBe(true);
    expect(qEmpty(s)).toBe(false);
    expect(qFree(s)).toBe(0);
    expect(qUsed(s)).toBe(8);
  });

  it('PROD = CONS = 0b0_101: empty, 8 free', () => {
    const s = q(3, 0b0_101, 0b0_101);
    expect(qEmpty(s)).toBe(true);
    expect(qFull(s)).toBe(false);
    expect(qFree(s)).toBe(8);
    expect(qUsed(s)).toBe(0);
  });

  it('PROD 0b1_010, CONS 0b0_011: 1 free', () => {
    const s = q(3, 0b1_010, 0b0_011);
    expect(qFree(s)).toBe(1);
    expect(qUsed(s)).toBe(7);
    expect(qFull(s)).toBe(false);
    expect(qEmpty(s)).toBe(false);
  });
});

describe('free space', () => {
  it('same wrap: 2^QS − (prod − cons)', () => {
    expect(qFree(q(3, 0b0_110, 0b0_010))).toBe(4);
    expect(qFree(q(3, 0b1_110, 0b1_010))).toBe(4);
  });

  it('different wrap: cons − prod', () => {
    expect(qFree(q(3, 0b1_001, 0b0_110))).toBe(5);
    expect(qFree(q(3, 0b0_001, 0b1_110))).toBe(5);
  });

  it('is full with the wrap bits either way round', () => {
    expect(qFull(q(3, 0b0_100, 0b1_100))).toBe(true);
    expect(qFull(q(3, 0b1_100, 0b0_100))).toBe(true);
  });
});

describe('qInc', () => {
  it('advances the index within one lap', () => {
    expect(qInc(0b0_000, 3)).toBe(0b0_001);
    expect(qInc(0b1_110, 3)).toBe(0b1_111);
  });

  it('toggles the wrap bit when the index wraps', () => {
    expect(qInc(0b0_111, 3)).toBe(0b1_000);
    expect(qInc(0b1_111, 3)).toBe(0b0_000);
  });

  it('a one-entry queue (LOG2SIZE 0) alternates the wrap bit', () => {
    expect(qInc(0, 0)).toBe(1);
    expect(qInc(1, 0)).toBe(0);
    expect(qFull(q(0, 1, 0))).toBe(true);
    expect(qEmpty(q(0, 1, 1))).toBe(true);
  });

  it('drops bits above the wrap bit (callers keep OVFLG themselves)', () => {
    expect(qInc((1 << 31) | 0b0_011, 3)).toBe(0b0_100);
  });

  it('2^(QS+1) increments return to the start; 2^QS fill an empty queue exactly', () => {
    let p = 0b0_101;
    for (let i = 0; i < 8; i++) p = qInc(p, 3);
    expect(p).toBe(0b1_101);
    expect(qFull(q(3, p, 0b0_101))).toBe(true);
    for (let i = 0; i < 8; i++) p = qInc(p, 3);
    expect(p).toBe(0b0_101);
  });

  it('producing then consuming keeps used + free = size', () => {
    let prod = 0b0_110;
    let cons = 0b0_110;
    for (let i = 0; i < 5; i++) prod = qInc(prod, 3);
    expect(prod).toBe(0b1_011);
    expect(qUsed(q(3, prod, cons))).toBe(5);
    for (let i = 0; i < 3; i++) cons = qInc(cons, 3);
    expect(cons).toBe(0b1_001);
    expect(qUsed(q(3, prod, cons))).toBe(2);
    expect(qFree(q(3, prod, cons))).toBe(6);
  });
});
