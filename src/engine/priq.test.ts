// PRI queue records (smmuv3.md §7.1; SPEC 8.1; Linux PRIQ_0_* / PRIQ_1_*).
import { describe, expect, it } from 'vitest';
import { getField, setField } from './bits.ts';
import {
  PRIQ,
  PRI_BYTES,
  PRI_DWORDS,
  decodePageRequest,
  encodePageRequest,
  type PageRequest,
} from './priq.ts';

type Pos = readonly [dw: number, hi: number, lo: number];
const U64 = (1n << 64n) - 1n;
const mask = (hi: number, lo: number): bigint => ((1n << BigInt(hi - lo + 1)) - 1n) << BigInt(lo);
const b = (n: number): bigint => 1n << BigInt(n);

// smmuv3.md §7.1.
const REF: Record<string, Pos> = {
  StreamID: [0, 31, 0],
  SubstreamID: [0, 51, 32],
  Priv: [0, 58, 58],
  Exec: [0, 59, 59],
  Read: [0, 60, 60],
  Write: [0, 61, 61],
  Last: [0, 62, 62],
  SSV: [0, 63, 63],
  PRGIndex: [1, 8, 0],
  PageAddress: [1, 63, 12],
};

describe('PRIQ field table (smmuv3.md §7.1)', () => {
  it('a page request record is 16 bytes, 2 dwords', () => {
    expect(PRI_DWORDS).toBe(2);
    expect(PRI_BYTES).toBe(16n);
  });

  it('names exactly the reference fields', () => {
    expect(Object.keys(PRIQ).sort()).toEqual(Object.keys(REF).sort());
  });

  it.each(Object.entries(REF).map(([n, p]) => [n, ...p] as const))(
    'PRIQ.%s occupies dw%i[%i:%i]',
    (name, dw, hi, lo) => {
      const fd = PRIQ[name as keyof typeof PRIQ];
      const words = [0n, 0n];
      setField(words, fd, U64);
      const expected = [0n, 0n];
      expected[dw] = mask(hi, lo);
      expect(words).toEqual(expected);
      expect(getField(words, fd)).toBe(mask(hi, lo) >> BigInt(lo));
    },
  );

  it('has no overlapping fields', () => {
    const all = Object.values(PRIQ);
    for (let i = 0; i < all.length; i++)
      for (let j = i + 1; j < all.length; j++) {
        const [x, y] = [all[i]!, all[j]!];
        if (x.dw === y.dw) expect(mask(x.hi, x.lo) & mask(y.hi, y.lo)).toBe(0n);
      }
  });
});

const REQ: PageRequest = {
  sid: 0x100,
  ssv: true,
  ssid: 5,
  priv: false,
  exec: false,
  read: true,
  write: true,
  last: true,
  prgIndex: 0x1f,
  addr: 0x7fff_dead_b000n,
};

describe('encodePageRequest / decodePageRequest', () => {
  it('encodes every field at its maximum', () => {
    const r: PageRequest = {
      sid: 0xffff_ffff,
      ssv: true,
      ssid: 0xf_ffff,
      priv: true,
      exec: true,
      read: true,
      write: true,
      last: true,
      prgIndex: 0x1ff,
      addr: 0xffff_ffff_ffff_f000n,
    };
    expect(encodePageRequest(r)).toEqual([
      0xffff_ffffn | (0xf_ffffn << 32n) | b(58) | b(59) | b(60) | b(61) | b(62) | b(63),
      0x1ffn | 0xffff_ffff_ffff_f000n,
    ]);
  });

  it('without a PASID writes no SubstreamID and forces Priv and Exec to 0', () => {
    const r = { ...REQ, ssv: false, ssid: 7, priv: true, exec: true, write: false };
    expect(encodePageRequest(r)).toEqual([0x100n | b(60) | b(62), 0x1fn | 0x7fff_dead_b000n]);
  });

  it('stores the page address: bits [11:0] of the address are dropped', () => {
    expect(encodePageRequest({ ...REQ, addr: 0x7fff_dead_bfffn })[1]).toBe(0x7fff_dead_b01fn);
  });

  it('encodes a Stop-PASID marker as Last=1, R=W=0 with a PASID', () => {
    const r = { ...REQ, read: false, write: false, prgIndex: 0, addr: 0n };
    expect(encodePageRequest(r)).toEqual([0x100n | (5n << 32n) | b(62) | b(63), 0n]);
  });

  it('decodes what it encodes', () => {
    expect(decodePageRequest(encodePageRequest(REQ))).toEqual(REQ);
  });

  it('reports SubstreamID 0 when SSV=0 (the field is unknown then)', () => {
    expect(decodePageRequest([0x100n | (9n << 32n), 0n]).ssid).toBe(0);
  });

  it('decodes E15 into the line Linux logs for an unexpected PRI request', () => {
    // arm_smmu_handle_ppr: "sid 0x%08x.0x%05x: [%u%s] %sprivileged %s%s%s access at iova 0x%016llx"
    const r = decodePageRequest([0xf000_0005_0000_0100n, 0x0000_7fff_dead_b01fn]);
    const line =
      `sid 0x${r.sid.toString(16).padStart(8, '0')}.0x${r.ssid.toString(16).padStart(5, '0')}: ` +
      `[${r.prgIndex}${r.last ? 'L' : ''}] ${r.priv ? '' : 'un'}privileged ` +
      `${r.read ? 'R' : ''}${r.write ? 'W' : ''}${r.exec ? 'X' : ''} access at iova ` +
      `0x${r.addr.toString(16).padStart(16, '0')}`;
    expect(line).toBe(
      'sid 0x00000100.0x00005: [31L] unprivileged RW access at iova 0x00007fffdeadb000',
    );
  });
});
