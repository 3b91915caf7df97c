// Reproduce: every sample's replay, run through the real runner, raises events whose fields are
// the log's. The expected fields are read off the sample text by hand (the kernel's own decoded
// lines where the sample has them), not from the importer.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { encodeEvent, hex, type EventRecord } from '../engine/index.ts';
import { openTimeline, parseScenario, type ScenarioDoc } from '../scenario/index.ts';
import { replayLog } from './replay.ts';
import { dmesgOk, DMESG_FIXTURES } from './testkit.ts';

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

/** Runs the document as `sva run` would and returns the first event of op `op`. */
function eventAt(doc: ScenarioDoc, op: number): EventRecord | undefined {
  const p = parseScenario(JSON.stringify(doc));
  if (!p.ok) throw new Error(p.error);
  const t = openTimeline(p.scenario);
  if (!t.ok) throw new Error(t.error);
  return t.timeline.records[op]?.events[0]?.event;
}

type Expected = Partial<
  Pick<
    EventRecord,
    'name' | 'sid' | 'ssv' | 'ssid' | 'addr' | 'rnw' | 'pnu' | 'ind' | 'stall' | 's2' | 'class'
  >
>;

// Read from each sample's text.
const SAMPLES: Record<string, Expected[]> = {
  // "event: F_TRANSLATION client: 0000:75:00.1 sid: 0x7501 ssid: 0x1 iova: 0xaaaada7af000",
  // "unpriv data write s1 "Input address caused fault" stall stag: 0x176"
  '01-hisi-sva-stall-ssid1.txt': [
    {
      name: 'F_TRANSLATION',
      sid: 0x7501,
      ssv: true,
      ssid: 1,
      addr: 0xaaaada7af000n,
      rnw: false,
      pnu: false,
      ind: false,
      stall: true,
      s2: false,
      class: 'IN',
    },
  ],
  // "event: F_TRANSLATION client: 0001:06:00.0 sid: 0x20600 ssid: 0x0 iova: 0xff9bc000",
  // "unpriv data write s1 "Input address caused fault" stag: 0x0"; dw0 bit 11 (SSV) clear
  '02-aquantia-atl2-ftranslation.txt': [
    {
      name: 'F_TRANSLATION',
      sid: 0x20600,
      ssv: false,
      addr: 0xff9bc000n,
      rnw: false,
      pnu: false,
      ind: false,
      stall: false,
      s2: false,
      class: 'IN',
    },
  ],
  // "event: C_BAD_STREAMID client: (unassigned sid) sid: 0x900 ssid: 0x0"
  '10-qemu-pxb-c-bad-streamid.txt': [{ name: 'C_BAD_STREAMID', sid: 0x900, ssv: false }],
  // dw0 0x0000010000000002: ID 0x02, SID 0x100 (bits 63:32), SSV 0
  '12-rk3588-probe-and-c-bad-streamid.txt': [{ name: 'C_BAD_STREAMID', sid: 0x100, ssv: false }],
  // two identical dumps, dw0 0x0000000100000006: F_STREAM_DISABLED, SID 1, SSV 0 (one storm)
  '17-hanpfei-f-stream-disabled.txt': [{ name: 'F_STREAM_DISABLED', sid: 1, ssv: false }],
  // no event records: a GERROR and a CMDQ error only
  '19-gerror-cmdq-illegal-command.txt': [],
};

describe('replay of the samples', () => {
  it('covers every sample', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual([...DMESG_FIXTURES].sort());
  });

  for (const [name, expected] of Object.entries(SAMPLES)) {
    it(`${name}: each event reproduced field for field by the real runner`, () => {
      const rp = replayLog(dmesgOk(fixture(name)));
      expect(rp.items).toHaveLength(expected.length);
      if (expected.length === 0) {
        expect(rp.doc).toBeUndefined();
        return;
      }
      const doc = rp.doc!;
      expect(doc.cursor?.op).toBe(rp.items[0]!.op);
      rp.items.forEach((item, i) => {
        expect(item.reproduced, item.why).toBe(true);
        const got = eventAt(doc, item.op!);
        expect(got).toMatchObject(expected[i]!);
        // And equal to the importer's decode of the same dwords on every compared field.
        for (const c of item.compared) expect(c.model, c.field).toBe(c.log);
        expect(item.explain.length).toBeGreaterThan(0);
      });
    });
  }

  it('01: STAG and IPA are not compared (the SMMU chooses the STAG; IPA is UNKNOWN at stage 1)', () => {
    const item = replayLog(dmesgOk(fixture('01-hisi-sva-stall-ssid1.txt'))).items[0]!;
    expect(item.compared.map((c) => c.field)).toEqual([
      'EventID',
      'StreamID',
      'SSV',
      'SubstreamID',
      'InputAddr',
      'RnW',
      'PnU',
      'InD',
      'Stall',
      'S2',
      'CLASS',
    ]);
  });

  it('01: the stalling PCIe function becomes a platform device, and the replay says why', () => {
    const rp = replayLog(dmesgOk(fixture('01-hisi-sva-stall-ssid1.txt')));
    expect(rp.doc!.ops[0]).toMatchObject({
      op: 'device',
      name: '0000:75:00.1',
      bus: 'platform',
      stall: true,
    });
    expect(rp.notes.join(' ')).toMatch(/§3\.12/);
  });

  it('02: the SID needs 18 bits, so the platform gets sidBits 18', () => {
    const rp = replayLog(dmesgOk(fixture('02-aquantia-atl2-ftranslation.txt')));
    expect(rp.doc!.platform).toEqual({ smmu: { sidBits: 18 } });
  });

  it('17: S1DSS=0b00 is written by hand around the transaction and put back', () => {
    const rp = replayLog(dmesgOk(fixture('17-hanpfei-f-stream-disabled.txt')));
    const ops = rp.doc!.ops;
    const op = rp.items[0]!.op!;
    // write64 (S1DSS cleared), CFGI_STE, SYNC, dma, write64 (restored), CFGI_STE, SYNC
    expect(ops.slice(op - 3, op + 4).map((o) => o.op)).toEqual([
      'write64',
      'cmd',
      'cmd',
      'dma',
      'write64',
      'cmd',
      'cmd',
    ]);
    const before = BigInt((ops[op - 3] as { value: string }).value);
    const after = BigInt((ops[op + 1] as { value: string }).value);
    expect(before & 3n).toBe(0n); // STE.S1DSS = dw1[1:0] = 0b00, terminate
    expect(after & 3n).toBe(2n); // SSID0, as Linux wrote it
    expect(before >> 2n).toBe(after >> 2n);
    expect(rp.items[0]!.explain.join(' ')).toMatch(/S1DSS=0b00/);
  });
});

/** A dump in the kernel's raw form. */
const dump = (words: bigint[]): string =>
  [
    `arm-smmu-v3 arm-smmu-v3.0.auto: event 0x${(words[0]! & 0xffn).toString(16).padStart(2, '0')} received:`,
    ...words.map((w) => `arm-smmu-v3 arm-smmu-v3.0.auto: \t0x${w.toString(16).padStart(16, '0')}`),
  ].join('\n');

describe('replay of each kind of event (hand-encoded dwords)', () => {
  // dw1 bits: Stall 31, PnU 33, InD 34, RnW 35, CLASS 41:40 (IN = 0b10 → 0x200_0000_0000).
  const IN = 0x200_0000_0000n;
  const cases: [string, bigint[], RegExp][] = [
    // 0x04 | SID 0x300 << 32
    ['C_BAD_STE', [0x0000_0300_0000_0004n, 0n, 0n, 0n], /STE of SID 0x300 is invalid/],
    // 0x08 | SSID 9 << 12 | SID 0x310 << 32 (no SSV for this event)
    ['C_BAD_SUBSTREAMID', [0x0000_0310_0000_9008n, 0n, 0n, 0n], /SubstreamID 9/],
    // 0x0a | SSV (1 << 11) | SSID 5 << 12 | SID 0x320 << 32
    [
      'C_BAD_CD with SSID 5',
      [0x0000_0320_0000_580an, 0n, 0n, 0n],
      /CD 5 of SID 0x320 is invalid: the driver had not written it, or had cleared it/,
    ],
    // 0x0a | SID 0x321 << 32: CD 0
    ['C_BAD_CD without SSID', [0x0000_0321_0000_000an, 0n, 0n, 0n], /CD 0 of SID 0x321/],
    // 0x06 | SSV | SSID 0 | SID 0x330 << 32
    ['F_STREAM_DISABLED, SSID 0', [0x0000_0330_0000_0806n, 0n, 0n, 0n], /SubstreamID 0/],
    // 0x10 | SSV | SSID 3 << 12 | SID 0x340; dw1 RnW | CLASS IN; dw2 0x7fff0000
    [
      'F_TRANSLATION, PASID 3',
      [0x0000_0340_0000_3810n, 0x8_0000_0000n | IN, 0x7fff_0000n, 0n],
      /PASID 3/,
    ],
    // 0x10 | SID 0x341; dw1 PnU | InD | RnW | CLASS IN; dw2 0x1234
    [
      'F_TRANSLATION, privileged instruction fetch',
      [0x0000_0341_0000_0010n, 0xe_0000_0000n | IN, 0x1234n, 0n],
      /did not map that IOVA/,
    ],
    // 0x13 | SSV | SSID 2 | SID 0x350; dw1 CLASS IN (a write); dw2 0x7fff1000
    [
      'F_PERMISSION, write to a read-only page of PASID 2',
      [0x0000_0350_0000_2813n, IN, 0x7fff_1000n, 0n],
      /does not allow writes/,
    ],
    // 0x13 | SID 0x354; dw1 InD | RnW | CLASS IN; dw2 0x5000
    [
      'F_PERMISSION, fetch from a non-executable DMA mapping',
      [0x0000_0354_0000_0013n, 0xc_0000_0000n | IN, 0x5000n, 0n],
      /instruction fetches/,
    ],
    // 0x11 | SID 0x360; dw1 CLASS IN; dw2 2^48
    [
      'F_ADDR_SIZE in bypass',
      [0x0000_0360_0000_0011n, IN, 0x1_0000_0000_0000n, 0n],
      /beyond the SMMU’s 48-bit input address size/,
    ],
    // 0x10 | SSV | SSID 1 | SID 0x370; dw1 Stall | STAG 5 | CLASS IN; dw2 0x8000
    [
      'F_TRANSLATION, stalled',
      [0x0000_0370_0000_1810n, 0x8000_0005n | IN, 0x8000n, 0n],
      /STAG 0x5/,
    ],
  ];
  for (const [what, words, explain] of cases) {
    it(`${what}: reproduced, with the configuration explained`, () => {
      const rp = replayLog(dmesgOk(dump(words)));
      const item = rp.items[0]!;
      expect(item.reproduced, item.why).toBe(true);
      expect(item.explain.join(' ')).toMatch(explain);
      // The model's record, encoded as the SMMU writes it, is the log's dump word for word —
      // except the STAG (dw1[15:0]), which each SMMU allocates itself.
      const got = encodeEvent(eventAt(rp.doc!, item.op!)!);
      const noStag = (w: bigint[]): bigint[] => [w[0]!, w[1]! & ~0xffffn, w[2]!, w[3]!];
      expect(noStag(got).map(hex)).toEqual(noStag(words).map(hex));
    });
  }

  it('all of them in one log: one scenario reproduces each', () => {
    const rp = replayLog(dmesgOk(cases.map(([, w]) => dump(w)).join('\n')));
    expect(rp.items.filter((i) => !i.reproduced).map((i) => i.why)).toEqual([]);
    for (const item of rp.items) {
      const got = eventAt(rp.doc!, item.op!)!;
      expect(hex(got.sid)).toBe(hex(item.event.record.sid));
      expect(got.name).toBe(item.event.record.name);
    }
  });

  const cannot: [string, bigint[], RegExp][] = [
    // 0x12 | SID 0x380; dw1 CLASS IN
    ['F_ACCESS', [0x0000_0380_0000_0012n, IN, 0x1000n, 0n], /AF=0/],
    // 0x0b | SID 0x390
    ['F_WALK_EABT', [0x0000_0390_0000_000bn, 0n, 0n, 0x8000_0000n], /external abort/],
    // F_TRANSLATION with S2 (dw1 bit 39)
    ['a stage-2 fault', [0x0000_03a0_0000_0010n, 0x80_0000_0000n | IN, 0x1000n, 0n], /stage-2/],
    // F_TRANSLATION with SSV and SSID 100 (0x64 << 12 = 0x64000)
    ['PASID 100', [0x0000_03b0_0006_4810n, IN, 0x1000n, 0n], /up to 64/],
    // F_TRANSLATION with InD but not RnW: dw1 bit 34 only
    [
      'an instruction write',
      [0x0000_03c0_0000_0010n, 0x4_0000_0000n | IN, 0x1000n, 0n],
      /InD=1 with RnW=0/,
    ],
  ];
  for (const [what, words, why] of cannot)
    it(`${what}: not reproduced, and the replay says why`, () => {
      const rp = replayLog(dmesgOk(dump(words)));
      expect(rp.doc).toBeUndefined();
      expect(rp.items[0]).toMatchObject({ reproduced: false });
      expect(rp.items[0]!.why).toMatch(why);
    });

  it('a C_BAD_STREAMID next to a device another event needs is not claimed', () => {
    // SID 0x301 (no device) and SID 0x300 (C_BAD_STE, needs a device): one level-2 table.
    const rp = replayLog(
      dmesgOk(
        [
          dump([0x0000_0300_0000_0004n, 0n, 0n, 0n]),
          dump([0x0000_0301_0000_0002n, 0n, 0n, 0n]),
        ].join('\n'),
      ),
    );
    expect(rp.items.map((i) => i.reproduced)).toEqual([true, false]);
    expect(rp.items[1]!.why).toMatch(/shares a level-2 stream table \(SIDs 0x300–0x3ff\)/);
  });

  it('a storm replays once', () => {
    const one = dump([0x0000_0341_0000_0010n, 0x8_0000_0000n | IN, 0x1234n, 0n]);
    const rp = replayLog(dmesgOk([one, one, one].join('\n')));
    expect(rp.items).toHaveLength(1);
    expect(rp.doc!.ops.filter((o) => o.op === 'dma')).toHaveLength(1);
  });

  it('a truncated record is not replayed: the fields it lacks are named', () => {
    const text = dump([0x0000_0341_0000_0010n, 0x8_0000_0000n | IN, 0x1234n, 0n])
      .split('\n')
      .slice(0, 3)
      .join('\n');
    expect(replayLog(dmesgOk(text)).items[0]!.why).toBe('the log lacks dw2, dw3 of this record');
  });
});
