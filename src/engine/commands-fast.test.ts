// The fast paths of command handling must give exactly what the plain ones give:
// - decodeCommand / buildCommand (compiled per opcode, 32-bit halves) against the field tables
//   read and written with bits.ts getField / setField (the first implementation, kept here);
// - buildCommandSeries against buildCommand for every element;
// - Tlb.invalidateOverlapping against invalidate() with overlaps() in the predicate;
// - the command processor's use of the command a driver wrote (Smmu.queued) only while the slot
//   still holds those words.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getField, setField } from './bits.ts';
import {
  COMMANDS,
  buildCommand,
  buildCommandSeries,
  decodeCommand,
  type Command,
} from './commands.ts';
import { cmd, issue } from './testkit.ts';
import { AF, AP_EL0, CDTAB, NG, PAGE, Tables, env, putCd, putSte, txn } from './tables.testkit.ts';
import { overlaps, Tlb, type TlbEntry } from './tlb.ts';
import { translate } from './translate.ts';

const SHIFT: Readonly<Record<string, bigint>> = { Address: 12n, MSIAddress: 2n };

/** The first decoder: every field of the opcode's table through getField. */
function reference(w0: bigint, w1: bigint): Command | undefined {
  const cs = COMMANDS.find((c) => c.opcode === Number(w0 & 0xffn));
  if (!cs) return undefined;
  const fields: Record<string, bigint> = {};
  for (const [k, fd] of Object.entries(cs.fields))
    if (k !== 'Opcode') fields[k] = getField([w0, w1], fd) << (SHIFT[k] ?? 0n);
  const name = cs.opcode === 0x04 && fields['Range'] === 31n ? 'CMD_CFGI_ALL' : cs.name;
  return { name, opcode: cs.opcode, fields, raw: [w0, w1] };
}

const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
const opcode = fc.constantFrom(...COMMANDS.map((c) => BigInt(c.opcode)), 0x7fn, 0x8an);

describe('command decoding and encoding, compiled', () => {
  it('decodes any two dwords of any opcode as the field tables say, field order included', () => {
    fc.assert(
      fc.property(opcode, u64, u64, (op, w0, w1) => {
        const raw = (w0 & ~0xffn) | op;
        const got = decodeCommand([raw, w1]);
        const want = reference(raw, w1);
        expect(got).toEqual(want);
        if (got) expect(Object.keys(got.fields)).toEqual(Object.keys(want!.fields));
      }),
      { numRuns: 3000 },
    );
  });

  it('encodes any field values as setField does (values wider than a field truncated)', () => {
    const spec = fc.constantFrom(...COMMANDS);
    fc.assert(
      fc.property(spec, fc.array(fc.tuple(fc.nat(), u64), { maxLength: 8 }), (cs, picks) => {
        const names = Object.keys(cs.fields).filter((k) => k !== 'Opcode');
        if (names.length === 0) return;
        const values: Record<string, bigint> = {};
        for (const [i, v] of picks) values[names[i % names.length]!] = v;
        const w: bigint[] = [0n, 0n];
        setField(w, cs.fields['Opcode']!, cs.opcode);
        for (const [k, v] of Object.entries(values))
          setField(w, cs.fields[k]!, v >> (SHIFT[k] ?? 0n));
        if ('SubstreamID' in values && cs.fields['SSV'] && !('SSV' in values))
          setField(w, cs.fields['SSV'], 1);
        expect(buildCommand(cs.name, values).raw).toEqual(w);
      }),
      { numRuns: 2000 },
    );
  });

  it('a series is the commands buildCommand gives one by one', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffff }),
        fc.bigInt({ min: 0n, max: (1n << 52n) - 1n }),
        fc.constantFrom(0x1000n, 0x4000n, 0x1_0000n, 0x20_0000n),
        fc.integer({ min: 1, max: 40 }),
        fc.boolean(),
        (asid, page, step, n, leaf) => {
          const first = page << 12n;
          const base = { ASID: asid, VMID: 0, Leaf: leaf ? 1 : 0 };
          const series = buildCommandSeries('CMD_TLBI_NH_VA', base, 'Address', first, step, n);
          const one = Array.from({ length: n }, (_, i) =>
            buildCommand('CMD_TLBI_NH_VA', { ...base, Address: first + BigInt(i) * step }),
          );
          expect(series).toEqual(one);
        },
      ),
    );
  });
});

describe('TLB invalidation of a range by page lookup', () => {
  const entry = (i: number, sizeShift: number, asid: number, ia: bigint): TlbEntry => ({
    stage: 's1',
    tag: `s1|NS-EL1|0|${asid}|0`,
    vmid: 0,
    asid,
    aset: false,
    world: 'NS-EL1',
    ia: ia & ~((1n << BigInt(sizeShift)) - 1n),
    sizeShift,
    oa: BigInt(i) << 21n,
    src: [],
    leafPa: 0n,
    sid: 1,
    ssid: undefined,
  });
  const arbEntry = fc
    .tuple(
      fc.constantFrom(12, 14, 16, 21, 25, 30),
      fc.integer({ min: -1, max: 3 }),
      fc.bigInt({ min: 0n, max: 0x1_0000_0000n }),
      fc.nat(1000),
    )
    .map(([sz, asid, ia, i]) => entry(i, sz, asid, ia));

  it('removes the same entries as a scan with overlaps(), and leaves the LRU order alone', () => {
    fc.assert(
      fc.property(
        fc.array(arbEntry, { maxLength: 60 }),
        fc.bigInt({ min: 0n, max: 0x1_0000_0000n }),
        fc.constantFrom(1n, 0x1000n, 0x8000n, 0x20_0000n, 0x4000_0000n),
        fc.integer({ min: -1, max: 3 }),
        (entries, addr, span, asid) => {
          const a = new Tlb(32);
          const b = new Tlb(32);
          for (const e of entries) {
            a.insert(e);
            b.insert(e);
          }
          const pred = (e: TlbEntry): boolean => e.asid === asid || e.asid < 0;
          const n = a.invalidateOverlapping(addr, span, pred);
          expect(n).toBe(b.invalidate((e) => overlaps(e, addr, span) && pred(e)));
          expect(a.entries()).toEqual(b.entries());
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('the command a driver wrote', () => {
  function walkOnce() {
    const s = env();
    const t = new Tables(s.mem, 12);
    const root = t.alloc();
    putSte(s, 1, { config: 5, s1ctx: CDTAB });
    putCd(s, CDTAB, { ttb0: root, asid: 7 });
    t.map(root, 0, 48, 0x1000n, 3, 0x9000_0000n | AF | AP_EL0 | PAGE | NG);
    translate(s, txn(1, 0x1000n, 'r'));
    return s;
  }

  it('is what the SMMU runs only while its slot still holds its words', () => {
    const s = walkOnce();
    // A stale hint for the slot the next command goes to, words that differ: decoded from memory.
    const q = s.queue('CMDQ');
    const slot = q.prod & ((1 << q.log2size) - 1);
    s.queued[slot] = cmd('TLBI_NH_VA', { ASID: 9, Address: 0x1000n });
    const log = issue(s, [cmd('TLBI_NH_VA', { ASID: 7, Address: 0x1000n }), cmd('SYNC', {})]);
    expect(log.commands[0]!.command?.fields['ASID']).toBe(7n);
    expect(log.commands[1]!.effect).toMatch(/1 TLB entry removed/);
    expect(translate(s, txn(1, 0x1000n, 'r')).tlb).toBe('miss');
    // The words match: the SMMU takes the driver's command as it is; the record, kept as the
    // words (cmdqRecord.ts), decodes to an equal command.
    const c = cmd('TLBI_NH_ASID', { ASID: 7 });
    const at = s.queue('CMDQ');
    s.queued[at.prod & ((1 << at.log2size) - 1)] = c;
    expect(issue(s, [c]).commands[0]!.command).toEqual(c);
  });
});
