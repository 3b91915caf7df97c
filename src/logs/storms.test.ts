// Storms collapse into groups with counts, spans and rates; the arithmetic is by hand.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { groupEvents, ratesBySid } from './storms.ts';
import { dmesgOk } from './testkit.ts';

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

/** An F_TRANSLATION dump (SID `sid`, no SSID, a read at `addr`) at time `t`. */
function fault(t: string, sid: number, addr: bigint): string {
  const dw0 = (BigInt(sid) << 32n) | 0x10n;
  const dw1 = 0x208_0000_0000n; // RnW (bit 35) | CLASS=IN (0b10 at bits 41:40)
  return [
    'event 0x10 received:',
    ...[dw0, dw1, addr, 0n].map((w) => `\t0x${w.toString(16).padStart(16, '0')}`),
  ]
    .map((l) => `[${t}] arm-smmu-v3 arm-smmu-v3.0.auto: ${l}`)
    .join('\n');
}

describe('storms', () => {
  it('sample 17: two identical F_STREAM_DISABLED dumps are one group of 2 over 38.6 ms', () => {
    const [g] = groupEvents(dmesgOk(fixture('17-hanpfei-f-stream-disabled.txt')).events);
    expect(g).toMatchObject({ count: 2, firstLine: 2, lastLine: 7, addresses: 1 });
    // 27.999578 − 27.960983 = 0.038595 s; 2 records / 0.038595 s ≈ 51.8 per second
    expect(g!.to! - g!.from!).toBeCloseTo(0.038595, 6);
    expect(g!.rate).toBeCloseTo(51.82, 1);
  });

  it('same page collapses, another page or SID does not; order of first appearance', () => {
    const text = [
      fault('10.000000', 0x100, 0x1000n),
      fault('10.500000', 0x200, 0x5000n),
      fault('11.000000', 0x100, 0x1008n), // same page as the first
      fault('12.000000', 0x100, 0x2000n), // next page: another group
      fault('14.000000', 0x100, 0x1ff8n), // first page again
    ].join('\n');
    const groups = groupEvents(dmesgOk(text).events);
    expect(groups.map((g) => [g.first.record.sid, g.count, g.addresses])).toEqual([
      [0x100, 3, 3],
      [0x200, 1, 1],
      [0x100, 1, 1],
    ]);
    // 3 records over 14 − 10 = 4 s: 0.75 per second; a single record has no rate.
    expect(groups[0]!.rate).toBe(0.75);
    expect(groups[1]!.rate).toBeUndefined();
    // Per SID: 0x100 has 4 records over 4 s = 1 per second.
    expect(ratesBySid(groups)).toEqual([
      { sid: 0x100, count: 4, from: 10, to: 14, rate: 1 },
      { sid: 0x200, count: 1, from: 10.5, to: 10.5 },
    ]);
  });

  it('without timestamps: counts, no span or rate', () => {
    const text = [fault('1.0', 1, 0n), fault('1.0', 1, 0n)].join('\n').replace(/\[1\.0\] /g, '');
    const [g] = groupEvents(dmesgOk(text).events);
    expect(g).toMatchObject({ count: 2 });
    expect(g!.from).toBeUndefined();
    expect(g!.rate).toBeUndefined();
  });

  it('a storm of 20,000 records groups in linear time', () => {
    const one = fault('5.000000', 0x42, 0x7000n);
    const text = Array.from({ length: 20_000 }, () => one).join('\n');
    const t0 = performance.now();
    const groups = groupEvents(dmesgOk(text).events);
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(groups).toHaveLength(1);
    expect(groups[0]!.count).toBe(20_000);
  });
});
