// Every format feature of issue 13, as a synthetic variant of a real sample: the importer reads
// the same records from each variant as from the sample itself.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DmesgOk } from './dmesg.ts';
import { groupEvents } from './storms.ts';
import { dmesgOk } from './testkit.ts';

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

const S02 = fixture('02-aquantia-atl2-ftranslation.txt');
const S01 = fixture('01-hisi-sva-stall-ssid1.txt');

/** What must survive any re-formatting: the dwords, the kernel's print, and its agreement. */
const records = (r: DmesgOk) =>
  r.events.map((e) => ({
    raw: e.raw.map((w) => w.toString(16)),
    name: e.record.name,
    kernel: e.kernel?.event.name,
    access: e.kernel?.access?.stag,
    crossCheck: e.crossCheck,
  }));

const base02 = records(dmesgOk(S02));
const linesOf = (t: string): string[] => t.split('\n');
const STAMP = /^\[\s*[\d.]+\] /;
const PREFIX = 'arm-smmu-v3 arm-smmu-v3.5.auto: ';

describe('format variants of sample 02', () => {
  it('reads the sample itself: one F_TRANSLATION with both decoded lines, in agreement', () => {
    expect(base02).toEqual([
      {
        raw: ['2060000000010', '20000000000', 'ff9bc000', '0'],
        name: 'F_TRANSLATION',
        kernel: 'F_TRANSLATION',
        access: 0,
        crossCheck: [],
      },
    ]);
  });

  const variants: [string, (l: string) => string][] = [
    ['without timestamps (dmesg -t)', (l) => l.replace(STAMP, '')],
    ['with a console level (dmesg -r)', (l) => (l.startsWith('[') ? `<3>${l}` : l)],
    [
      'with a vendor prefix before the driver name',
      (l) => l.replace(PREFIX, `[pid:134,cpu0,irq/13-arm-smmu]${PREFIX}`),
    ],
    ['from journalctl', (l) => l.replace(STAMP, 'Nov 20 04:15:37 host kernel: ')],
    [
      'from the Xen console, with timestamps',
      (l) => l.replace(STAMP, (m) => `(XEN) ${m}`).replace(PREFIX, 'SMMUv3: /smmu@4f000000: '),
    ],
    [
      'from the Xen console, without timestamps',
      (l) => l.replace(STAMP, '(XEN) ').replace(PREFIX, 'SMMUv3: /smmu@4f000000: '),
    ],
    ['indented with a tab', (l) => `\t${l}`],
    ['with odd indents and tabs inside', (l) => `   ${l.replace(':  0x', ':\t\t0x')}`],
    ['quoted in a mail reply', (l) => `> ${l}`],
    ['quoted twice', (l) => `> > ${l}`],
  ];
  for (const [what, f] of variants)
    it(`reads it ${what}`, () => {
      const text = linesOf(S02)
        .map((l) => (l.startsWith('#') ? l : f(l)))
        .join('\n');
      expect(records(dmesgOk(text))).toEqual(base02);
    });

  it('reads the Xen device path as the device', () => {
    const text = S02.replace(/arm-smmu-v3 arm-smmu-v3\.5\.auto: /g, 'SMMUv3: /soc/iommu@5000000: ')
      .split('\n')
      .map((l) => (l.startsWith('#') ? l : `(XEN) ${l}`))
      .join('\n');
    expect(dmesgOk(text).events[0]).toMatchObject({
      device: '/soc/iommu@5000000',
      timestamp: '70.355743',
    });
  });

  it('reads Xen wall-clock stamps (console_timestamps=datems), and storms get a rate from them', () => {
    const text = linesOf(S02)
      .filter((l) => !l.startsWith('#'))
      .map((l, i) =>
        l
          .replace(STAMP, `(XEN) [2024-05-02 14:02:3${i < 7 ? 1 : 3}.${i < 7 ? '000' : '500'}] `)
          .replace(PREFIX, 'SMMUv3: /smmu@4f000000: '),
      );
    const r = dmesgOk([...text, ...text.map((l) => l.replace(':31.000]', ':33.500]'))].join('\n'));
    expect(records(r)).toEqual([...base02, ...base02]);
    expect(r.events[0]!.timestamp).toBe('2024-05-02 14:02:31.000');
    // Two identical records, 2.5 s apart: 0.8 per second.
    expect(groupEvents(r.events)[0]).toMatchObject({ count: 2, rate: 0.8 });
  });

  it('reads CRLF and CR line ends', () => {
    expect(records(dmesgOk(S02.replace(/\n/g, '\r\n')))).toEqual(base02);
    expect(records(dmesgOk(S02.replace(/\n/g, '\r')))).toEqual(base02);
  });

  it.each(['event: F_TRANSLATION', 'unpriv data write'])(
    'reads the decoded line "%s…" wrapped at any blank (mail clients)',
    (start) => {
      const lines = linesOf(S02);
      const at = lines.findIndex((l) => l.includes(start));
      const first = lines[at]!;
      const blanks = [...first.matchAll(/ /g)]
        .map((m) => m.index)
        .filter((i) => i > first.indexOf(start));
      expect(blanks.length).toBeGreaterThan(5);
      for (const cut of blanks) {
        const wrapped = [...lines];
        wrapped.splice(at, 1, first.slice(0, cut), first.slice(cut + 1));
        expect(records(dmesgOk(wrapped.join('\n'))), `wrapped at ${cut}`).toEqual(base02);
      }
    },
  );
});

describe('sample 01 (wrapped by the mail client) in other dresses', () => {
  const base = records(dmesgOk(S01));
  it('reads the sample: the stalled fault with STAG 0x176 from the wrapped second line', () => {
    expect(base[0]).toMatchObject({ name: 'F_TRANSLATION', access: 0x176, crossCheck: [] });
  });
  it('reads it quoted and indented', () => {
    const text = linesOf(S01)
      .map((l) => (l.startsWith('#') ? l : `>   ${l}`))
      .join('\n');
    expect(records(dmesgOk(text))).toEqual(base);
  });
  it('reads it without timestamps', () => {
    expect(
      records(
        dmesgOk(
          linesOf(S01)
            .map((l) => l.replace(STAMP, ''))
            .join('\n'),
        ),
      ),
    ).toEqual(base);
  });
});

describe('old and Xen message forms', () => {
  it('CMD_SYNC timeout without queue positions (Linux < v5.5, Xen) and CMDQ timeout', () => {
    const r = dmesgOk(
      [
        '(XEN) SMMUv3: /smmu@4f000000: CMD_SYNC timeout',
        'arm-smmu-v3 9050000.smmuv3: CMDQ timeout',
      ].join('\n'),
    );
    expect(r.other.map((n) => [n.kind, n.device])).toEqual([
      ['cmd-sync-timeout', '/smmu@4f000000'],
      ['cmdq-timeout', '9050000.smmuv3'],
    ]);
  });
});
