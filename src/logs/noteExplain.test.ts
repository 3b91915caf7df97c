// The driver's other messages explained in place: values derived from the printed registers.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { explainNote } from './noteExplain.ts';
import { dmesgOk, smmu } from './testkit.ts';

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

const explained = (text: string): string[][] => dmesgOk(text).other.map(explainNote);

describe('explainNote', () => {
  it('sample 19: GERROR 0x1 is CMDQ_ERR; cons 0x01000022 is CERROR_ILL at RD 0x22', () => {
    const [gerror, cmdq] = explained(fixture('19-gerror-cmdq-illegal-command.txt'));
    expect(gerror![0]).toBe(
      'GERROR ^ GERRORN = 0x00000001: the errors active when the interrupt came.',
    );
    expect(gerror![1]).toMatch(/^CMDQ_ERR: the command queue stopped/);
    expect(gerror).toHaveLength(2);
    // CMDQ_CONS = 0x01000022: ERR = bits 30:24 = 1 (CERROR_ILL), RD = bits 19:0 = 0x22.
    expect(cmdq![0]).toMatch(/^CERROR_ILL: the command at CMDQ_CONS.RD 0x22 is illegal/);
  });

  it('an ATC invalidation timeout (CERROR_ATC_INV_SYNC = 3)', () => {
    const [e] = explained(smmu('CMDQ error (cons 0x03000104): ATC invalidate timeout'));
    expect(e![0]).toMatch(
      /^CERROR_ATC_INV_SYNC: ATC invalidation timeout — the command at CMDQ_CONS.RD 0x104 is a CMD_SYNC/,
    );
  });

  it('a CMD_SYNC timeout with positions: CONS.ERR clear means the SMMU is waiting or off', () => {
    const [e] = explained(
      smmu('CMD_SYNC timeout at 0x00000103 [hwprod 0x00000104, hwcons 0x00000102]'),
    );
    expect(e![0]).toBe(
      "A CMD_SYNC at queue position 0x103 did not complete within the poll timeout (1 s). The SMMU's CMDQ_PROD was 0x104 and CMDQ_CONS RD 0x102.",
    );
    expect(e![1]).toMatch(/^The SMMU stopped consuming before the CMD_SYNC/);
  });

  it('a CMD_SYNC timeout whose CONS has ERR set points at the CMDQ error', () => {
    const [e] = explained(
      smmu('CMD_SYNC timeout at 0x00000103 [hwprod 0x00000104, hwcons 0x01000102]'),
    );
    expect(e![0]).toMatch(/CMDQ_CONS RD 0x102, ERR 1\.$/);
    expect(e![1]).toMatch(/^CMDQ_CONS.ERR is set/);
  });

  it('GERROR with SFM and an EVTQ abort, overflow, suppressed prints', () => {
    // 0x104 = SFM_ERR (bit 8) | EVENTQ_ABT_ERR (bit 2)
    const out = explained(
      smmu(
        'unexpected global error reported (0x00000104), this could be serious',
        'EVTQ overflow detected -- events lost',
      ) + '\narm_smmu_dump_event: 12 callbacks suppressed',
    );
    expect(out[0]!.slice(1).map((s) => s.split(':')[0])).toEqual(['EVENTQ_ABT_ERR', 'SFM_ERR']);
    expect(out[1]![0]).toMatch(/events were lost/);
    expect(out[2]![0]).toMatch(/dropped 12 prints/);
  });
});
