// The work a link may ask for: a short link must not freeze the page. Limits: 5,000 ops, and a
// second of work as scenario/cost.ts prices it (ops, device accesses, pages of range ops). The same
// limits decide whether the page offers a link at all (shareLink), so it never writes one it refuses.
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
    // Refusing costs one inflate and parse (~50 ms idle); validating and running 100,000 ops
    // would take many seconds. The bound leaves room for a CI box under load.
    expect(performance.now() - t).toBeLessThan(3000);
  });
  it('accepts exactly 5,000 ops', () => {
    expect(decodeLink(encodeLink(withOps(touches(5_000)))).ok).toBe(true);
  });
  // The price list (scenario/cost.ts): 0.15 ms an op, 0.3 ms a device access through the
  // kernel, 0.01 ms a bare-SMMU access, 0.03 ms a 4 KB page of a range; a link gets 1,000 ms.
  const LIMIT = 'links may ask for at most 1.0 s of work (export it as a JSON file instead)';
  const kdma = (count: number): OpDoc => ({
    op: 'dma',
    dev: 'gpu',
    addr: '0x0',
    access: 'r',
    count,
  });
  it('prices device accesses through the kernel at 0.3 ms: 3,332 fit in one op, 3,333 do not', () => {
    // 0.15 + 3,332 × 0.3 = 999.75 ms; 0.15 + 3,333 × 0.3 = 1,000.05 ms.
    expect(decodeLink(encodeLink(withOps([kdma(3_332)]))).ok).toBe(true);
    expect(decodeLink(encodeLink(withOps([kdma(3_333)])))).toEqual({
      ok: false,
      error: `the link would take about 1.0 s to run, mostly for its 3,333 device accesses (dma counts); ${LIMIT}`,
    });
  });
  it('prices bare-SMMU accesses at 0.01 ms, so a count of 10 million is refused at once', () => {
    // 0.15 + 99,985 × 0.01 = 999.99 ms; 0.15 + 99,986 × 0.01 = 1,000.01 ms.
    expect(decodeLink(encodeLink(withOps([dma(99_985)]))).ok).toBe(true);
    expect(decodeLink(encodeLink(withOps([dma(99_986)]))).ok).toBe(false);
    const t = performance.now();
    expect(decodeLink(encodeLink(withOps([dma(10_000_000)])))).toEqual({
      ok: false,
      error: `the link would take about 100 s to run, mostly for its 10,000,000 bare-SMMU accesses (dma counts); ${LIMIT}`,
    });
    expect(performance.now() - t).toBeLessThan(3000);
  });
  it('counts dma ops without a count as one access each', () => {
    // 2 × 0.15 + 3,331 × 0.3 = 999.6 ms; a third op adds 0.45 ms.
    const one: OpDoc = { op: 'dma', dev: 'gpu', addr: '0x0', access: 'r' };
    expect(decodeLink(encodeLink(withOps([kdma(3_330), one]))).ok).toBe(true);
    expect(decodeLink(encodeLink(withOps([kdma(3_330), one, one]))).ok).toBe(false);
  });
  it('prices address ranges at 0.03 ms per 4 KB page: 33,328 pages fit, 33,329 do not', () => {
    // 0.15 + 33,328 × 0.03 = 999.99 ms; 2 × 0.15 + 33,329 × 0.03 = 1,000.17 ms.
    expect(decodeLink(encodeLink(withOps([range('map', '0x8230000')]))).ok).toBe(true);
    const over = withOps([range('map', '0x8230000'), range('pin', '0x1000')]);
    expect(decodeLink(encodeLink(over))).toEqual({
      ok: false,
      error: `the link would take about 1.0 s to run, mostly for its 33,329 pages of 4 KB in address ranges; ${LIMIT}`,
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
    expect(shareLink(withOps([dma(200_000)]))).toEqual({
      ok: false,
      error:
        'the scenario would take about 2.0 s to run, mostly for its 200,000 bare-SMMU accesses (dma counts); links may ask for at most 1.0 s of work (export it as a JSON file instead)',
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
