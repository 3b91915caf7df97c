// The state derived from the registers (derived.ts; §6.3): enables and CR2 bits, and the stream
// table's effective format, SPLIT and base (§6.3.24-25), worked out by hand from the rules the
// comments quote. Also assertNever's message for a stray value (never.ts).
import { describe, expect, it } from 'vitest';
import { deriveState } from './derived.ts';
import { assertNever } from './never.ts';
import { DEFAULT_SMMU, type SmmuPlatform } from './platform.ts';
import { makeSmmu } from './testkit.ts';

const regs = (o: Record<string, bigint>) => ({ ...makeSmmu().regs, ...o });
const cfg = (fmt: bigint, split: bigint, log2size: bigint): bigint =>
  (fmt << 16n) | (split << 6n) | log2size;

describe('deriveState', () => {
  it('CR0 enables, GBPA.ABORT and the CR2 bits, one each', () => {
    const d = deriveState(regs({ CR0: 0b10101n, GBPA: 1n << 20n, CR2: 0b101n }), DEFAULT_SMMU);
    expect(d).toMatchObject({
      smmuen: true,
      priqen: false,
      evtqen: true,
      cmdqen: false,
      atschk: true,
      gbpaAbort: true,
      e2h: true,
      recinvsid: false,
      ptm: true,
    });
    const e = deriveState(regs({ CR0: 0b01010n, GBPA: 0n, CR2: 0b010n }), DEFAULT_SMMU);
    expect(e).toMatchObject({
      smmuen: false,
      priqen: true,
      evtqen: false,
      cmdqen: true,
      atschk: false,
      gbpaAbort: false,
      e2h: false,
      recinvsid: true,
      ptm: false,
    });
  });

  it('2-level only with FMT=0b01 on a platform that has it; SPLIT 6, 8, 10, others as 6', () => {
    const two = (c: bigint, p: SmmuPlatform = DEFAULT_SMMU) =>
      deriveState(regs({ STRTAB_BASE_CFG: c }), p);
    expect(two(cfg(1n, 8n, 16n))).toMatchObject({ strtabFmt: '2level', split: 8, sidBits: 16 });
    expect(two(cfg(2n, 8n, 16n)).strtabFmt).toBe('linear'); // FMT 0b10 reserved
    expect(two(cfg(1n, 8n, 16n), { ...DEFAULT_SMMU, streamTable: 'linear' }).strtabFmt).toBe(
      'linear',
    );
    expect([6n, 8n, 10n, 7n, 9n, 11n].map((s) => two(cfg(1n, s, 16n)).split)).toEqual([
      6, 8, 10, 6, 6, 6,
    ]);
    // sidBits = min(LOG2SIZE, IDR1.SIDSIZE = 16).
    expect(two(cfg(0n, 0n, 20n)).sidBits).toBe(16);
    expect(two(cfg(0n, 0n, 5n)).sidBits).toBe(5);
  });

  it('the effective base is aligned to the table (§6.3.24)', () => {
    const base = (c: bigint) =>
      deriveState(regs({ STRTAB_BASE: 0x4010_0fc0n, STRTAB_BASE_CFG: c }), DEFAULT_SMMU).strtabBase;
    // Linear, LOG2SIZE 6: 64 STEs × 64 B = 4 KB, ADDR[11:0] = 0.
    expect(base(cfg(0n, 0n, 6n))).toBe(0x4010_0000n);
    // Linear, LOG2SIZE 2: 256 B, ADDR[7:0] = 0.
    expect(base(cfg(0n, 0n, 2n))).toBe(0x4010_0f00n);
    // 2-level, LOG2SIZE 16, SPLIT 8: 2^8 L1 descriptors × 8 B = 2 KB, ADDR[10:0] = 0.
    expect(base(cfg(1n, 8n, 16n))).toBe(0x4010_0800n);
    // 2-level, LOG2SIZE 8, SPLIT 8: at least 64 bytes, ADDR[5:0] = 0.
    expect(base(cfg(1n, 8n, 8n))).toBe(0x4010_0fc0n);
  });
});

describe('assertNever', () => {
  it('names the stray value briefly', () => {
    const stray = (x: unknown) => () => assertNever(x as never, 'trace step');
    expect(stray({ kind: 'bogus' })).toThrow('unexpected trace step: kind bogus');
    expect(stray({ op: 'jump' })).toThrow('unexpected trace step: op jump');
    expect(() => assertNever('x'.repeat(200) as never)).toThrow(
      `unexpected value: ${'x'.repeat(80)}`,
    );
    expect(() => assertNever('x'.repeat(200) as never)).not.toThrow('x'.repeat(81));
  });
});
