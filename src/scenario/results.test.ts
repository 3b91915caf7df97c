// The JSON of the nested-VM result fields (scenario-format.md "Run results"): vmid, ram,
// forwarded, vevents — bigints as hex strings, raw dwords as 16-digit hex, absent when empty.
import { describe, expect, it } from 'vitest';
import { recordJson } from './results.ts';
import type { OpRecord } from './run.ts';

const Z = '0x0000000000000000';
const base: OpRecord = {
  index: 3,
  op: { op: 'process', name: 'p', pid: undefined },
  status: 'ok',
  commands: [],
  events: [],
  pageRequests: [],
  broadcasts: [],
  resumes: [],
  writes: [],
  notes: [],
  noteSeq: [],
};

describe('recordJson: VM results', () => {
  it('vmid and ram', () => {
    const j = recordJson({
      ...base,
      vmid: 1,
      ram: [{ ipa: 0n, pa: 0x4010_0000n, size: 0x10_0000n }],
    });
    expect(j).toMatchObject({ vmid: 1, ram: [{ ipa: '0x0', pa: '0x40100000', size: '0x100000' }] });
  });

  it('forwarded and vevents', () => {
    const j = recordJson({
      ...base,
      forwarded: [{ name: 'CMD_TLBI_NH_ASID', raw: [0x0005_0001_0000_0011n, 0n] }],
      vevents: [{ name: 'F_TRANSLATION', vsmmu: 'vs0', vsid: 16, raw: [0x10n, 0n, 0n, 0n] }],
    }) as Record<string, unknown>;
    expect(j['forwarded']).toEqual([
      { name: 'CMD_TLBI_NH_ASID', raw: ['0x0005000100000011', '0x0000000000000000'] },
    ]);
    expect(j['vevents']).toEqual([
      {
        name: 'F_TRANSLATION',
        vsmmu: 'vs0',
        vsid: 16,
        raw: ['0x0000000000000010', Z, Z, Z],
      },
    ]);
  });

  it('none of them when the op has none', () => {
    expect(Object.keys(recordJson(base) as object)).not.toContain('vevents');
    expect(Object.keys(recordJson(base) as object)).not.toContain('vmid');
  });
});
