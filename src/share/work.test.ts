// The work a link may ask for: a short link must not freeze the page. Limits: 5,000 ops, 20,000
// device accesses (the sum of dma counts), 65,536 4 KB pages covered by range ops. The same limits
// decide whether the page offers a link at all (shareLink), so it never writes one it refuses.
import { describe, expect, it } from 'vitest';
import { seedStory, type OpDoc, type ScenarioDoc } from '../scenario/index.ts';
import { decodeLink, encodeLink, MAX_LINK, shareLink } from './link.ts';
import { linkOf } from './arbitraries.testkit.ts';

const withOps = (ops: OpDoc[]): ScenarioDoc => ({
  format: 'sva-explorer/scenario',
  version: 1,
  ops,
});
const touches = (n: number): OpDoc[] =>
  Array.from({ length: n }, () => ({ op: 'touch', proc: 'p', addr: '0x1000', access: 'r' }));
const dma = (count: number): OpDoc => ({ op: 'dma', sid: 1, addr: '0x0', access: 'r', count });
const range = (op: 'map' | 'pin' | 'mprotect', size: string): OpDoc =>
  op === 'map'
    ? { op, domain: 'd', iova: '0x0', size, prot: 'rw' }
    : op === 'pin'
      ? { op, proc: 'p', addr: '0x0', size }
      : { op, proc: 'p', addr: '0x0', size, prot: 'r' };

describe('links that would freeze the page', () => {
  it('refuses 100,000 ops (a 30 KB link) by count, before validating them', () => {
    const link = encodeLink(withOps(touches(100_000)));
    expect(link.length).toBeLessThan(40_000);
    const t = performance.now();
    expect(decodeLink(link)).toEqual({
      ok: false,
      error: 'the link has 100,000 ops; links may have at most 5,000',
    });
    expect(performance.now() - t).toBeLessThan(1000);
  });
  it('accepts exactly 5,000 ops', () => {
    expect(decodeLink(encodeLink(withOps(touches(5_000)))).ok).toBe(true);
  });
  it('refuses more than 20,000 device accesses in total', () => {
    expect(decodeLink(encodeLink(withOps([dma(900_000), dma(900_000), dma(900_000)])))).toEqual({
      ok: false,
      error:
        'the link asks for 2,700,000 device accesses (dma counts); links may ask for at most 20,000',
    });
    expect(decodeLink(encodeLink(withOps([dma(10_000), dma(10_000)]))).ok).toBe(true);
    expect(decodeLink(encodeLink(withOps([dma(10_000), dma(10_000), dma(1)]))).ok).toBe(false);
  });
  it('counts dma ops without a count as one access each', () => {
    const ops = [dma(19_999), { op: 'dma', sid: 1, addr: '0x0', access: 'r' } as OpDoc];
    expect(decodeLink(encodeLink(withOps(ops))).ok).toBe(true);
    expect(decodeLink(encodeLink(withOps([...ops, ops[1]!]))).ok).toBe(false);
  });
  it('refuses ranges that add up to more than 256 MB of 4 KB pages', () => {
    // 256 MB = 65,536 pages: allowed; one page more is not.
    expect(decodeLink(encodeLink(withOps([range('map', '0x1000_0000')]))).ok).toBe(true);
    const over = withOps([range('map', '0x1000_0000'), range('pin', '0x1000')]);
    expect(decodeLink(encodeLink(over))).toEqual({
      ok: false,
      error:
        "the link's address ranges cover 65,537 pages of 4 KB; links may cover at most 65,536 (256 MB)",
    });
    // One mprotect over 64 TB: seconds of work per page-table level, minutes in all.
    expect(decodeLink(encodeLink(withOps([range('mprotect', '0x4000_0000_0000')]))).ok).toBe(false);
  });
  it('does not count a plain mmap (a VMA only) but counts a populating one', () => {
    const mmap = (populate: boolean): OpDoc => ({
      op: 'mmap',
      proc: 'p',
      addr: '0x1000_0000',
      size: '0x4000_0000',
      prot: 'rw',
      populate,
    });
    expect(decodeLink(encodeLink(withOps([mmap(false)]))).ok).toBe(true);
    expect(decodeLink(encodeLink(withOps([mmap(true)]))).ok).toBe(false);
  });
  it('checks the ops of a hand-made link too, whatever its shape', () => {
    const o = Array.from({ length: 5_001 }, () => ['exit', 'p']);
    expect(decodeLink(linkOf({ o }))).toEqual({
      ok: false,
      error: 'the link has 5,001 ops; links may have at most 5,000',
    });
  });
});

describe('shareLink: the page only offers links it would open', () => {
  it('gives the link of an ordinary scenario', () => {
    expect(shareLink(seedStory)).toEqual({ ok: true, link: encodeLink(seedStory) });
  });
  it('says why there is no link for a scenario over the work limits', () => {
    expect(shareLink(withOps(touches(5_001)))).toEqual({
      ok: false,
      error: 'the scenario has 5,001 ops; links may have at most 5,000',
    });
    expect(shareLink(withOps([dma(20_001)]))).toEqual({
      ok: false,
      error:
        'the scenario asks for 20,001 device accesses (dma counts); links may ask for at most 20,000',
    });
  });
  it('says why there is no link for a scenario whose link would be too long', () => {
    // Names that do not compress: ~120 random characters per op, 4,000 ops.
    let x = 2463534242; // xorshift32: deterministic, and its output does not compress
    const rnd = (): string => {
      let s = '';
      for (let i = 0; i < 40; i++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        s += 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'[(x >>> 0) % 62];
      }
      return s;
    };
    const ops: OpDoc[] = Array.from({ length: 4_000 }, () => ({
      op: 'bind',
      dev: rnd(),
      proc: rnd(),
    }));
    const r = shareLink(withOps(ops));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      const m = /^the link would be ([\d,]+) characters; links may have at most 200,000$/.exec(
        r.error,
      );
      expect(m).not.toBeNull();
      expect(Number(m![1]!.replace(/,/g, ''))).toBeGreaterThan(MAX_LINK);
    }
  });
});
