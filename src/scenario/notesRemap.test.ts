import { describe, expect, it } from 'vitest';
import type { ScenarioDoc } from './format.ts';
import { afterDelete, afterInsert, afterMove, remapAnnotations } from './notesRemap.ts';

const doc: ScenarioDoc = {
  format: 'sva-explorer/scenario',
  version: 1,
  ops: [],
  notes: [
    { at: { op: 0, step: 1 }, text: 'a' },
    { at: { op: 1, step: 0 }, text: 'b' },
    { at: { op: 2, step: 0 }, on: { op: 1 }, text: 'c' },
  ],
  tours: [
    { title: 'only 1', stops: [{ at: { op: 1, step: 0 }, text: 's' }] },
    {
      title: 'two',
      stops: [
        { at: { op: 0, step: 0 }, text: 's' },
        { at: { op: 2, step: 4 }, text: 't' },
      ],
    },
  ],
};

describe('remapAnnotations', () => {
  it('drops what pointed at a deleted op and shifts the rest down', () => {
    const d = remapAnnotations(doc, afterDelete(1));
    expect(d.notes).toEqual([
      { at: { op: 0, step: 1 }, text: 'a' },
      { at: { op: 1, step: 0 }, text: 'c' },
    ]);
    expect(d.tours).toEqual([
      {
        title: 'two',
        stops: [
          { at: { op: 0, step: 0 }, text: 's' },
          { at: { op: 1, step: 4 }, text: 't' },
        ],
      },
    ]);
  });

  it('moves notes with their op', () => {
    // ops [A, B, C] → move A to 2 → [B, C, A]: A 0→2, B 1→0, C 2→1.
    const m = afterMove(0, 2);
    expect([0, 1, 2].map(m)).toEqual([2, 0, 1]);
    // → move C to 0 → [C, A, B].
    expect([0, 1, 2].map(afterMove(2, 0))).toEqual([1, 2, 0]);
    expect(remapAnnotations(doc, m).notes![2]).toEqual({
      at: { op: 1, step: 0 },
      on: { op: 0 },
      text: 'c',
    });
  });

  it('shifts what comes at or after an inserted op', () => {
    expect([0, 1, 2].map(afterInsert(1))).toEqual([0, 2, 3]);
  });

  it('leaves a document without notes as it is', () => {
    const bare: ScenarioDoc = { format: 'sva-explorer/scenario', version: 1, ops: [] };
    expect(remapAnnotations(bare, afterDelete(0))).toBe(bare);
  });
});
