// The compact form of link version 1: what it leaves out, how it spells numbers, and that names
// from a link are looked up as the table's own entries only.
import { describe, expect, it } from 'vitest';
import type { ScenarioDoc } from '../scenario/index.ts';
import { compact, expand, sameScenario } from './compact.ts';

const doc = (d: Partial<ScenarioDoc>): ScenarioDoc => ({
  format: 'sva-explorer/scenario',
  version: 1,
  ops: [],
  ...d,
});

describe('compact', () => {
  it('writes ops as positional lists without defaults, numbers as bare hex', () => {
    const c = compact(
      doc({
        ops: [
          { op: 'device', name: 'gpu', sid: 32, bus: 'pci', ats: false, stall: true },
          { op: 'mmap', proc: 'p', addr: '0x7f00_0000_0000', size: '65536', prot: 'rw' },
          { op: 'bind', dev: 'gpu', proc: 'p', tables: 'shared' },
        ],
        cursor: { op: 2, step: 5 },
      }),
    );
    expect(c).toEqual({
      o: [
        ['device', 'gpu', 32, null, null, null, null, true],
        ['mmap', 'p', '7f0000000000', '10000', 'rw'],
        ['bind', 'gpu', 'p'],
      ],
      c: [2, 5],
    });
  });
});

describe('expand', () => {
  it('turns names found only on Object.prototype into unknown ops, not lookups', () => {
    for (const name of ['constructor', '__proto__', 'toString', 'valueOf'])
      expect(expand({ o: [[name, 'x']] }).ops).toEqual([{ op: name }]);
  });
  it('keeps values beyond an op’s fields so validation refuses them', () => {
    expect(expand({ o: [['exit', 'p', 'extra']] }).ops).toEqual([
      { op: 'exit', proc: 'p', '(field 2)': 'extra' },
    ]);
  });
  it('passes a cursor of the wrong shape on for validation to name', () => {
    expect(expand({ o: [], c: 'ab' as unknown as [number, number] }).cursor).toBe('ab');
  });
});

describe('sameScenario', () => {
  const a = doc({
    title: 't',
    ops: [{ op: 'mmap', proc: 'p', addr: '0x7f00_0000_0000', size: '0x1_0000', prot: 'rw' }],
  });
  it('ignores spelling, defaults and the cursor', () => {
    const b = doc({
      title: 't',
      kernel: 'rfc2017',
      ops: [
        {
          op: 'mmap',
          proc: 'p',
          addr: '139637976727552',
          size: '0b10000000000000000',
          prot: 'rw',
          populate: false,
        },
      ],
      cursor: { op: 0, step: 3 },
    });
    expect(sameScenario(a, b)).toBe(true);
  });
  it('tells different scenarios apart', () => {
    expect(sameScenario(a, { ...a, title: 'u' })).toBe(false);
    expect(sameScenario(a, { ...a, kernel: 'mainline' })).toBe(false);
    expect(sameScenario(a, { ...a, ops: [] })).toBe(false);
  });
});
