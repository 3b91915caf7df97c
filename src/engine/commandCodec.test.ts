// buildCommandSeries beyond the address case: a series over a field that is not an address (the
// StreamID of CMD_CFGI_STE, dw0[63:32], §4.3.1) gives the words buildCommand gives each value;
// a field the command lacks is refused by name.
import { describe, expect, it } from 'vitest';
import { buildCommand, buildCommandSeries } from './commandCodec.ts';

describe('buildCommandSeries', () => {
  it('steps a non-address field: CFGI_STE StreamID 0x10, 0x12, 0x14', () => {
    const series = buildCommandSeries('CMD_CFGI_STE', { Leaf: 1 }, 'StreamID', 0x10n, 2n, 3);
    expect(series.map((c) => c.raw)).toEqual([
      [0x0000_0010_0000_0003n, 1n],
      [0x0000_0012_0000_0003n, 1n],
      [0x0000_0014_0000_0003n, 1n],
    ]);
    expect(series.map((c) => c.fields['StreamID'])).toEqual([0x10n, 0x12n, 0x14n]);
    expect(series[2]).toEqual(buildCommand('CMD_CFGI_STE', { Leaf: 1, StreamID: 0x14 }));
  });

  it('names the command and the field it does not have', () => {
    expect(() => buildCommandSeries('CMD_CFGI_STE', {}, 'ASID', 0n, 1n, 2)).toThrow(
      'CMD_CFGI_STE has no field ASID',
    );
    expect(() => buildCommand('CMD_SYNC', { ASID: 1 })).toThrow('CMD_SYNC has no field ASID');
    expect(() => buildCommand('CMD_NOPE', {})).toThrow('unknown command CMD_NOPE');
  });
});
