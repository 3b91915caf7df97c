// Prefix variants, the three v6.15 print forms, cross-check mismatches and the other driver
// lines of smmuv3.md §5.3. Dwords are hand-encoded; the arithmetic is in the comments.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dmesgOk, smmu } from './testkit.ts';

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

// E11's dump (F_TRANSL_FORBIDDEN, SID 0x100), as the CIX report printed it.
const E11 = [
  '0x0000010000000007',
  '0x0000000000000000',
  '0x0000000000000000',
  '0x0000000000000000',
];

describe('prefixes', () => {
  it('reads a vendor prefix before the driver name (smmuv3.md §5.3, CIX report)', () => {
    const text = ['event 0x07 received:', ...E11.map((w) => `\t${w}`)]
      .map(
        (l) => `[   12.345678] [pid:134,cpu0,irq/13-arm-smmu]arm-smmu-v3 arm-smmu-v3.0.auto: ${l}`,
      )
      .join('\n');
    const e = dmesgOk(text).events[0]!;
    expect(e).toMatchObject({ device: 'arm-smmu-v3.0.auto', timestamp: '12.345678', line: 1 });
    expect(e.record.sid).toBe(0x100);
  });

  it('reads a journalctl-style line and CRLF line ends', () => {
    const text = ['event 0x07 received:', ...E11]
      .map((l) => `Feb 15 10:00:00 host kernel: arm-smmu-v3 9050000.smmuv3: ${l}`)
      .join('\r\n');
    expect(dmesgOk(text).events[0]!.device).toBe('9050000.smmuv3');
  });

  it('reads a dump pasted without any prefix', () => {
    const text = ['event 0x07 received:', ...E11.map((w) => `\t${w}`)].join('\n');
    const e = dmesgOk(text).events[0]!;
    expect(e.device).toBeUndefined();
    expect(e.record.name).toBe('F_TRANSL_FORBIDDEN');
  });

  it('skips other drivers’ lines interleaved with the dwords', () => {
    const text = [
      'arm-smmu-v3 arm-smmu-v3.0.auto: event 0x07 received:',
      `arm-smmu-v3 arm-smmu-v3.0.auto: \t${E11[0]}`,
      'nvme nvme0: I/O 12 QID 3 timeout, aborting',
      ...E11.slice(1).map((w) => `arm-smmu-v3 arm-smmu-v3.0.auto: \t${w}`),
    ].join('\n');
    expect(dmesgOk(text).events[0]!.raw[0]).toBe(0x0000010000000007n);
  });
});

describe('the v6.15 decoded lines', () => {
  it('prefers the translation form when a wrap falls after "ssid:"', () => {
    // Sample 02's dump, with its first decoded line wrapped after "ssid: 0x0".
    const lines = fixture('02-aquantia-atl2-ftranslation.txt').split('\n');
    const i = lines.findIndex((l) => l.includes('event: F_TRANSLATION'));
    const cut = lines[i]!.indexOf(' iova:');
    lines.splice(i, 1, lines[i]!.slice(0, cut), lines[i]!.slice(cut + 1));
    const e = dmesgOk(lines.join('\n')).events[0]!;
    expect(e.kernel?.event).toMatchObject({ form: 'translation', iova: 0xff9bc000n, ipa: 0n });
    expect(e.kernel?.access?.line).toBe(i + 3);
    expect(e.crossCheck).toEqual([]);
  });

  it('reports where the print disagrees with the dwords', () => {
    const text = fixture('02-aquantia-atl2-ftranslation.txt')
      .replace('sid: 0x20600', 'sid: 0x20601')
      .replace('data write', 'data read');
    expect(dmesgOk(text).events[0]!.crossCheck).toEqual([
      { field: 'sid', ours: '0x20600', kernel: '0x20601' },
      { field: 'read', ours: 'write', kernel: 'read' },
    ]);
  });

  it('flags a header whose ID differs from dw0[7:0]', () => {
    const text = fixture('02-aquantia-atl2-ftranslation.txt').replace('event 0x10', 'event 0x11');
    expect(dmesgOk(text).events[0]!.crossCheck).toEqual([
      { field: 'id', ours: '0x10', kernel: '0x11' },
    ]);
  });

  it('fetch form: F_CD_FETCH prints fetch_addr = dw3 & [51:3]', () => {
    // dw0 = 0x09 | 0x100<<32; dw3 = 0x8002_0008 (a CD address, 8-byte aligned).
    const text = smmu(
      'event 0x09 received:',
      '\t0x0000010000000009',
      '\t0x0000000000000000',
      '\t0x0000000000000000',
      '\t0x0000000080020008',
      'event: F_CD_FETCH client: 0000:01:00.0 sid: 0x100 ssid: 0x0 fetch_addr: 0x80020008',
    );
    const e = dmesgOk(text).events[0]!;
    expect(e.record.fetchAddr).toBe(0x80020008n);
    expect(e.kernel?.event.fetchAddr).toBe(0x80020008n);
    expect(e.crossCheck).toEqual([]);
  });

  it('C_BAD_SUBSTREAMID: SSID valid without SSV; the kernel prints ssid 0x0', () => {
    // dw0 = 0x08 | 7<<12 | 0x100<<32; bit 11 is RES0 for this event (spec-facts.md Q5).
    const text = smmu(
      'event 0x08 received:',
      '\t0x0000010000007008',
      '\t0x0000000000000000',
      '\t0x0000000000000000',
      '\t0x0000000000000000',
      'event: C_BAD_SUBSTREAMID client: 0000:01:00.0 sid: 0x100 ssid: 0x0',
    );
    const e = dmesgOk(text).events[0]!;
    expect(e.record).toMatchObject({ name: 'C_BAD_SUBSTREAMID', ssv: false, ssid: 7 });
    expect(e.crossCheck).toEqual([]);
    expect(e.notes.join()).toMatch(/always valid/);
  });

  it('F_PERMISSION on a table-descriptor access prints ttd_read from TTRnW', () => {
    // dw1 upper word 0x1108: TTRnW (bit 44), CLASS=TT (bit 40), RnW (bit 35).
    const text = smmu(
      'event 0x13 received:',
      '\t0x0000010000000013',
      '\t0x0000110800000000',
      '\t0x0000000000401000',
      '\t0x0000000000000000',
      'event: F_PERMISSION client: 0000:01:00.0 sid: 0x100 ssid: 0x0 iova: 0x401000 ipa: 0x0',
      'unpriv data read s1 "Stage 1 translation table fetch" ttd_read stag: 0x0',
    );
    const e = dmesgOk(text).events[0]!;
    expect(e.record).toMatchObject({ class: 'TT', ttrnw: true, rnw: true });
    expect(e.kernel?.access?.ttd).toBe('read');
    expect(e.crossCheck).toEqual([]);
  });

  it('warns about decoded lines with no dump before them', () => {
    const text = smmu(
      'event: C_BAD_STE client: 0000:01:00.0 sid: 0x100 ssid: 0x0',
      'ias 48-bit, oas 48-bit (features 0x001c1eaf)',
    );
    const r = dmesgOk(text);
    expect(r.warnings).toEqual(['line 1: decoded event line with no raw dump before it (ignored)']);
  });
});

describe('other driver lines', () => {
  it('queue overflows, CMD_SYNC timeouts and rate limiting', () => {
    const text = [
      smmu(
        'EVTQ overflow detected -- events lost',
        'PRIQ overflow detected -- requests lost',
        'CMD_SYNC timeout at 0x00000103 [hwprod 0x00000104, hwcons 0x00000102]',
        'device has entered Service Failure Mode!',
      ),
      'arm_smmu_dump_event: 27 callbacks suppressed',
    ].join('\n');
    const r = dmesgOk(text);
    expect(r.other.map((n) => n.kind)).toEqual([
      'evtq-overflow',
      'priq-overflow',
      'cmd-sync-timeout',
      'gerror-detail',
      'suppressed',
    ]);
    expect(r.other[2]).toMatchObject({ at: '0x00000103', hwprod: '0x00000104' });
    expect(r.other[4]).toMatchObject({ count: 27 });
  });

  it('a skipped TLBI_NH_VA without a CMDQ error line before it stands alone', () => {
    // smmuv3.md E14: TLBI_NH_VA ASID 0x42, VA 0x7FFF_DEAD_B000, leaf.
    const text = smmu(
      'skipping command in error state:',
      '\t0x0042000000000012',
      '\t0x00007fffdeadb001',
    );
    const [note] = dmesgOk(text).other;
    expect(note?.kind).toBe('skipped-command');
    expect(note?.kind === 'skipped-command' && note.skipped.command).toMatchObject({
      name: 'CMD_TLBI_NH_VA',
      fields: { ASID: '0x42', Address: '0x7fffdeadb000', Leaf: '0x1' },
    });
  });
});
