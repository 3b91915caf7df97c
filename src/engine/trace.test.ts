// The trace's shared-field readers: a field is read only from the step kinds that carry it
// (trace.ts's union), and every other kind gives undefined. The steps below are written by hand.
import { describe, expect, it } from 'vitest';
import { stepInput, stepNested, stepStage, type IndexBits, type TraceStep } from './trace.ts';

const va: IndexBits = { name: 'VA', value: 0x12_3456_7000n, hi: 47, lo: 39, index: 0x24 };
const tt: TraceStep = {
  kind: 'tt',
  note: 'level-0 table descriptor',
  pa: 0x8000_1120n,
  value: [0x8000_2003n],
  input: va,
  stage: 2,
  level: 0,
  nested: 'CD',
};
const ste: TraceStep = {
  kind: 'ste',
  note: 'STE 3',
  pa: 0x8000_00c0n,
  value: [1n, 0n, 0n, 0n, 0n, 0n, 0n, 0n],
  input: { name: 'SID', value: 3n, hi: 31, lo: 0, index: 3 },
};
const miss: TraceStep = { kind: 'tlb-miss', note: 'no entry' };

describe('trace step readers', () => {
  it('stepInput gives a read step its index bits, and nothing for a step without them', () => {
    expect(stepInput(tt)).toBe(va);
    expect(stepInput(ste)?.name).toBe('SID');
    expect(stepInput(miss)).toBeUndefined();
  });

  it('stepStage reads the stage only where the kind carries one', () => {
    expect(stepStage(tt)).toBe(2);
    expect(stepStage({ ...tt, stage: 1 })).toBe(1);
    expect(stepStage(ste)).toBeUndefined();
    expect(stepStage(miss)).toBeUndefined();
  });

  it('stepNested says what a stage-2 step served, undefined elsewhere', () => {
    expect(stepNested(tt)).toBe('CD');
    expect(stepNested({ kind: 'decision', note: 'IPA out of range', stage: 2, nested: 'IN' })).toBe(
      'IN',
    );
    expect(stepNested(ste)).toBeUndefined();
    expect(stepNested(miss)).toBeUndefined();
  });
});
