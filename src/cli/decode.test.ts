// The `decode` CLI command: exit code, pretty JSON in the run-results event shape
// (scenario-format.md "Run results"), and one stderr line for bad input.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeCommand } from './decode.ts';

const fixture = (name: string): string =>
  readFileSync(new URL(`../logs/fixtures/${name}`, import.meta.url), 'utf8');

// The keys every event object has in scenario-format.md's run-results example.
const EVENT_KEYS = [
  'name',
  'id',
  'sid',
  'ssv',
  'ssid',
  'stall',
  'stag',
  'rnw',
  'pnu',
  'ind',
  's2',
  'class',
  'addr',
  'ipa',
  'raw',
];

describe('decode', () => {
  it('prints sample 01 as JSON events with hex-string addresses', () => {
    const out = decodeCommand(fixture('01-hisi-sva-stall-ssid1.txt'));
    expect(out.code).toBe(0);
    expect(out.stderr).toBe('');
    expect(out.stdout.endsWith('\n')).toBe(true);
    const json = JSON.parse(out.stdout) as { events: Record<string, unknown>[] };
    const e = json.events[0]!;
    for (const k of EVENT_KEYS) expect(e).toHaveProperty(k);
    // Values as the kernel printed them (sid: 0x7501 ssid: 0x1 iova: 0xaaaada7af000 … stall stag: 0x176).
    expect(e).toMatchObject({
      name: 'F_TRANSLATION',
      id: 16,
      sid: 0x7501,
      ssv: true,
      ssid: 1,
      stall: true,
      stag: 0x176,
      rnw: false,
      class: 'IN',
      addr: '0xaaaada7af000',
      ipa: '0xaaaada7af000',
      raw: ['0x0000750100001810', '0x0000120080000176', '0x0000aaaada7af000', '0x0000aaaada7af000'],
      device: 'arm-smmu-v3.3.auto',
      line: 2,
      crossCheck: [],
    });
  });

  it('prints sample 10 with the kernel print alongside', () => {
    const json = JSON.parse(decodeCommand(fixture('10-qemu-pxb-c-bad-streamid.txt')).stdout) as {
      events: { name: string; sid: number; kernel: { client: string } }[];
    };
    expect(json.events.map((e) => [e.name, e.sid, e.kernel.client])).toEqual([
      ['C_BAD_STREAMID', 0x900, '(unassigned sid)'],
    ]);
  });

  it('prints sample 19 with no events and the CMDQ error', () => {
    const out = decodeCommand(fixture('19-gerror-cmdq-illegal-command.txt'));
    expect(out.code).toBe(0);
    const json = JSON.parse(out.stdout) as { events: unknown[]; other: { kind: string }[] };
    expect(json.events).toEqual([]);
    expect(json.other.map((n) => n.kind)).toEqual(['gerror', 'cmdq-error']);
  });

  it('prints a truncated dump with the dwords it has, what is missing and why', () => {
    const text = fixture('02-aquantia-atl2-ftranslation.txt').split('\n').slice(0, 4).join('\n');
    const out = decodeCommand(text);
    expect(out.code).toBe(0);
    const json = JSON.parse(out.stdout) as {
      events: { name: string; sid: number; missing: string[] }[];
      skipped: string[];
    };
    expect(json.events.map((e) => [e.name, e.sid, e.missing])).toEqual([
      ['F_TRANSLATION', 0x20600, ['dw2', 'dw3']],
    ]);
    expect(json.skipped).toEqual([
      'line 4: expected the 3rd event dword (0x + 16 hex digits) after "event 0x10 received:" (line 2), but the text ends here; the record is missing dw2, dw3 (InputAddr, IPA)',
    ]);
  });

  it('exits 1 for text without any driver lines', () => {
    const out = decodeCommand('just some text\n');
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/^decode: no arm-smmu-v3 event dumps found[^\n]*\n$/);
  });
});
