// Golden, era v6.7: a master moved between two DMA domains. Derived by hand from Michael Shavit's
// "iommu/arm-smmu-v3: Move CD table to arm_smmu_master" (v6.7): arm_smmu_detach_dev reinstalls
// the STE with no domain (Config=abort, disable_bypass) and then clears CD 0 of the master's own
// table — arm_smmu_write_ctx_desc(master, 0, NULL): word 0 := 0, then arm_smmu_sync_cd
// (CMD_CFGI_CD leaf + CMD_SYNC) — because the attach's arm_smmu_write_ctx_desc expects an empty
// entry: on a live CD it would replace only the ASID (case 3) and leave the old TTB0. The attach
// then writes CD 0 afresh (case 1: words 1–3, sync; word 0 with V=1, sync) before pointing the
// STE at the table. v6.11 writes CD 0 hitlessly instead (arm_smmu_write_entry): no abort STE.
import { describe, expect, it } from 'vitest';
import type { OpDoc } from './format.ts';
import { eraTimeline } from './run.testkit.ts';

const OPS: OpDoc[] = [
  { op: 'device', name: 'gpu', sid: 0x100, bus: 'pci', pasidBits: 8 },
  { op: 'domain', name: 'd0' },
  { op: 'domain', name: 'd2' },
  { op: 'attach', dev: 'gpu', domain: 'd0' },
  { op: 'attach', dev: 'gpu', domain: 'd2' },
];

/** The commands of op `i`, as "NAME" or "NAME SSID", CMD_SYNCs included. */
function commands(era: string, i: number): string[] {
  const r = eraTimeline(era, OPS).records[i]!;
  expect(r.status).toBe('ok');
  return r.commands
    .map((c) => c.command!)
    .filter((c) => c.name !== 'CMD_PREFETCH_CONFIG')
    .map((c) =>
      c.name === 'CMD_CFGI_CD' ? `CFGI_CD ${c.fields['SubstreamID']}` : c.name.slice(4),
    );
}

describe('golden v6.7: a master moves from one DMA domain to another', () => {
  it('the STE aborts, CD 0 is cleared, then written afresh with the new io-pgtable', () => {
    const t = eraTimeline('v6.7', OPS);
    const w = t.stateAt(5);
    const gpu = w.kernel!.devices.get('gpu')!;
    const d2 = w.kernel!.domains.get('d2')!.pgtable!;
    // CD 0 of gpu's own table: TTB0 = d2's root (word 1 [51:4]), ASID = d2's (word 0 [63:48]).
    const cd0 = w.mem.readWords(gpu.cdtable!.base, 2)!;
    expect(cd0[1]! & 0x000f_ffff_ffff_fff0n).toBe(d2.root);
    expect(Number(cd0[0]! >> 48n)).toBe(d2.asid);
    expect((cd0[0]! >> 31n) & 1n).toBe(1n); // V [31]
    // Word 0 went through 0 (the detach's clear) before the new words.
    const w0 = t.records[4]!.writes.filter((x) => x.pa === gpu.cdtable!.base).map((x) => x.new);
    expect(w0[0]).toBe(0n);
    expect(w0.at(-1)).toBe(cd0[0]);
    const cmds = commands('v6.7', 4);
    const firstCd = cmds.indexOf('CFGI_CD 0');
    // The abort STE is synced before CD 0 is touched; three CD 0 syncs (clear, words 1–3, word 0)
    // come before the STE that points at the table again.
    expect(cmds.slice(0, firstCd)).toContain('CFGI_STE');
    expect(cmds.filter((c) => c === 'CFGI_CD 0')).toHaveLength(3);
    expect(cmds.lastIndexOf('CFGI_STE')).toBeGreaterThan(cmds.lastIndexOf('CFGI_CD 0'));
    expect(cmds.at(-1)).toBe('SYNC');
  });

  it('v6.11: no abort STE — CD 0 is rewritten in place, and holds the new io-pgtable', () => {
    const t = eraTimeline('v6.11', OPS);
    const w = t.stateAt(5);
    const gpu = w.kernel!.devices.get('gpu')!;
    const cd0 = w.mem.readWords(gpu.cdtable!.base, 2)!;
    expect(cd0[1]! & 0x000f_ffff_ffff_fff0n).toBe(w.kernel!.domains.get('d2')!.pgtable!.root);
    const cmds = commands('v6.11', 4);
    expect(cmds.indexOf('CFGI_STE')).toBe(-1);
  });
});
