// fast-check generators of valid v1 scenario documents (scenario-format.md): every op of the
// format with every field, platform fields, a cursor, Unicode titles, and numbers written every
// way the format allows (hex with or without underscores, upper case, decimal, binary), aligned
// only where the format requires it. Kept inside the link's work limits (work.ts).
import fc from 'fast-check';
import { deflateSync, strToU8 } from 'fflate';
import { WRITABLE_REGS } from '../engine/index.ts';
import type { OpDoc, ScenarioDoc, TargetDoc } from '../scenario/index.ts';

/** Valid names, including ones that are Object.prototype members (a link must not trip on them). */
export const name = fc.oneof(
  fc.constantFrom('gpu', 'dsp', 'p1', 'a.b', 'x:y+z', 'constructor', '__proto__', 'toString'),
  fc.stringMatching(/^[A-Za-z0-9_.:+-]{1,40}$/),
);

/** A 64-bit value as text, in one of the spellings the format accepts. */
export function numText(n: bigint): fc.Arbitrary<string> {
  const hex = n.toString(16);
  const grouped = hex.replace(/\B(?=([0-9a-f]{4})+$)/g, '_');
  return fc.constantFrom(
    `0x${hex}`,
    `0x${grouped}`,
    `0x${hex.toUpperCase()}`,
    n.toString(10),
    n < 1n << 20n ? `0b${n.toString(2)}` : `0x${hex}`,
  );
}

const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }).chain(numText);
/** Multiples of 64 KB (aligned for every granule), below 2^39 (the smallest VA space). */
const aligned64k = (maxUnits: bigint) =>
  fc.bigInt({ min: 0n, max: maxUnits }).chain((k) => numText(k << 16n));
const addr = aligned64k((1n << 22n) - 1n); // < 2^38
const size = fc.bigInt({ min: 1n, max: 16n }).chain((k) => numText(k << 16n)); // ≤ 1 MB
const prot = fc.constantFrom('r', 'w', 'x', 'rw', 'rx', 'wx', 'rwx');
const access = fc.constantFrom('r' as const, 'w' as const, 'x' as const);
const granule = fc.constantFrom('4K' as const, '16K' as const, '64K' as const);
const u32 = fc.integer({ min: 0, max: 2 ** 32 - 1 });
const pasid = fc.integer({ min: 0, max: 2 ** 20 - 1 });
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });

/** T with its `| undefined` fields made optional: the shape after `defined`. */
type Defined<T> = { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>;
};
/** Drops the keys whose value is undefined (an optional field left out). */
const defined = <T extends object>(o: T): Defined<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Defined<T>;
const rec = <T extends object>(shape: { [K in keyof T]: fc.Arbitrary<T[K]> }) =>
  fc.record(shape).map(defined);

const range = { proc: name, addr, size };
const target = fc.oneof(rec({ domain: name }), rec({ dev: name, proc: name })) as fc.Arbitrary<{
  domain?: string;
  dev?: string;
  proc?: string;
}>;

const dma = fc
  .record({
    who: fc.oneof(
      name.map((dev) => ({ dev })),
      u32.map((sid) => ({ sid })),
    ),
    // pasid, its alias ssid, or both (they must agree), or neither (no SubstreamID).
    id: fc.oneof(
      fc.constant({}),
      pasid.map((p) => ({ pasid: p })),
      pasid.map((p) => ({ ssid: p })),
      pasid.map((p) => ({ pasid: p, ssid: p })),
    ),
    rest: rec({
      addr: u64,
      access,
      priv: opt(fc.boolean()),
      count: opt(fc.integer({ min: 1, max: 100 })),
      stride: opt(u64),
    }),
  })
  .map(({ who, id, rest }) => ({ op: 'dma' as const, ...who, ...id, ...rest }));

const cmd = fc.oneof(
  rec({ sid: u32, leaf: opt(fc.boolean()) }).map((f) => ({ name: 'CFGI_STE', ...f })),
  rec({ sid: u32, ssid: pasid, leaf: opt(fc.boolean()) }).map((f) => ({
    name: 'CMD_CFGI_CD',
    ...f,
  })),
  fc.integer({ min: 0, max: 65535 }).map((asid) => ({ name: 'TLBI_NH_ASID', asid })),
  fc.constant({ name: 'SYNC' }),
);

export const op: fc.Arbitrary<OpDoc> = fc.oneof(
  rec({
    name,
    sid: u32,
    bus: opt(fc.constantFrom('pci' as const, 'platform' as const)),
    pasidBits: opt(fc.integer({ min: 0, max: 20 })),
    ats: opt(fc.boolean()),
    pri: opt(fc.boolean()),
    stall: opt(fc.boolean()),
  }).map((f) => ({ op: 'device' as const, ...f })),
  rec({
    name,
    type: opt(fc.constantFrom('dma' as const, 'identity' as const, 'blocked' as const)),
    granule: opt(granule),
  }).map((f) => ({ op: 'domain' as const, ...f })),
  rec({ dev: name, domain: name }).map((f) => ({ op: 'attach' as const, ...f })),
  fc
    .tuple(target, rec({ iova: addr, size, prot, pa: opt(addr) }))
    .map(([t, f]) => ({ op: 'map' as const, ...t, ...f })),
  fc
    .tuple(target, rec({ iova: addr, size }))
    .map(([t, f]) => ({ op: 'unmap' as const, ...t, ...f })),
  rec({ name, pid: opt(fc.integer({ min: 1, max: 4194304 })) }).map((f) => ({
    op: 'process' as const,
    ...f,
  })),
  rec({
    ...range,
    prot,
    populate: opt(fc.boolean()),
    // A label as maps names it: any printable text, quotes and non-ASCII included.
    name: opt(
      fc.oneof(
        fc.constantFrom('[heap]', '[stack]', '[vdso]', '/usr/lib/libc.so.6', 'ünïcode "q"'),
        fc.string({ minLength: 1, maxLength: 200 }).filter((s) => !/[\p{Cc}]/u.test(s)),
      ),
    ),
  }).map((f) => ({ op: 'mmap' as const, ...f })),
  rec(range).map((f) => ({ op: 'munmap' as const, ...f })),
  rec({ ...range, prot }).map((f) => ({ op: 'mprotect' as const, ...f })),
  rec({ proc: name, addr: u64, access }).map((f) => ({ op: 'touch' as const, ...f })),
  fc
    .tuple(fc.constantFrom('pin' as const, 'unpin' as const, 'reclaim' as const), rec(range))
    .map(([o, f]) => ({ op: o, ...f })),
  rec({
    dev: name,
    proc: name,
    tables: opt(fc.constantFrom('shared' as const, 'private' as const)),
  }).map((f) => ({ op: 'bind' as const, ...f })),
  rec({ dev: name, proc: name }).map((f) => ({ op: 'unbind' as const, ...f })),
  rec({ proc: name }).map((f) => ({ op: 'exit' as const, ...f })),
  dma,
  rec({
    pa: fc.bigInt({ min: 0n, max: (1n << 61n) - 1n }).chain((k) => numText(k * 8n)),
    value: u64,
  }).map((f) => ({ op: 'write64' as const, ...f })),
  fc
    .record({ reg: fc.constantFrom(...WRITABLE_REGS), prefix: fc.boolean(), value: u64 })
    .map(({ reg, prefix, value }) => ({
      op: 'reg' as const,
      name: prefix ? `SMMU_${reg}` : reg,
      value,
    })),
  cmd.map((c) => ({ op: 'cmd' as const, ...c })),
  rec({ name, size, pa: opt(addr), granule: opt(granule) }).map((f) => ({
    op: 'vm' as const,
    ...f,
  })),
  rec({ name, vm: name }).map((f) => ({ op: 'vsmmu' as const, ...f })),
  rec({ vsmmu: name, dev: name, vsid: u32 }).map((f) => ({ op: 'vdevice' as const, ...f })),
  rec({
    vm: name,
    ipa: fc.bigInt({ min: 0n, max: (1n << 45n) - 1n }).chain((k) => numText(k * 8n)),
    value: u64,
  }).map((f) => ({ op: 'gwrite64' as const, ...f })),
  rec({ dev: name, vsmmu: name, ste: fc.tuple(u64, u64) }).map((f) => ({
    op: 'nest' as const,
    ...f,
  })),
  fc.tuple(name, cmd).map(([vsmmu, c]) => ({ op: 'ginv' as const, vsmmu, ...c })),
);

const pow2 = (lo: number, hi: number) => fc.integer({ min: lo, max: hi }).map((k) => 2 ** k);

const smmu = fc.record(
  {
    sidBits: fc.integer({ min: 1, max: 32 }),
    ssidBits: fc.integer({ min: 0, max: 20 }),
    asidBits: fc.constantFrom(8 as const, 16 as const),
    vmidBits: fc.constantFrom(8 as const, 16 as const),
    oas: fc.constantFrom(40, 42, 44, 48),
    streamTable: fc.constantFrom('linear' as const, '2level' as const),
    cd2l: fc.boolean(),
    ats: fc.boolean(),
    pri: fc.boolean(),
    stall: fc.constantFrom('none' as const, 'supported' as const, 'forced' as const),
    btm: fc.boolean(),
    httu: fc.constantFrom('none' as const, 'af' as const, 'af+dirty' as const),
    rangeInv: fc.boolean(),
    attrPermsOvr: fc.boolean(),
    had: fc.boolean(),
    e0pd: fc.boolean(),
    pps: fc.boolean(),
    stallMax: fc.integer({ min: 1, max: 65535 }),
    s2: fc.boolean(),
    tlbEntries: fc.integer({ min: 1, max: 65536 }),
    cmdqEntries: pow2(1, 12),
    evtqEntries: pow2(1, 10),
    priqEntries: pow2(1, 10),
    cfgCacheEntries: fc.integer({ min: 1, max: 4096 }),
    atcEntries: fc.integer({ min: 1, max: 4096 }),
    // RAM below 2^40 (the smallest OAS generated), at least 16 MB, 4 KB-aligned.
    ramBase: fc.bigInt({ min: 0n, max: (1n << 27n) - 1n }).chain((k) => numText(k << 12n)),
    ramSize: fc.bigInt({ min: 1n << 12n, max: 1n << 27n }).chain((k) => numText(k << 12n)),
  },
  { requiredKeys: [] },
);
const cpu = fc.record(
  {
    granule,
    vaBits: fc.constantFrom(39 as const, 42 as const, 47 as const, 48 as const),
    asidBits: fc.constantFrom(8 as const, 16 as const),
  },
  { requiredKeys: [] },
);

/** Titles: any Unicode (lone surrogates included), within the 200 UTF-16 units allowed. */
const title = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 100 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }).filter((s) => s.length <= 200),
  fc.constantFrom('GPU ↔ 进程 — PASID 🚀', 'e\u0301 \u2028 \u0000 "quoted" \\'),
);

/** Note and stop texts: any Unicode, markup, and text that would be HTML if anything injected it. */
const noteText = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 200 }),
  fc.constantFrom(
    '<img src=x onerror="alert(1)">',
    '<script>alert(1)</script> `code` *em* [[STE]] [[CD|context descriptor]]',
    'line one\nline two \u2028 \u0000 "q" \\',
    'x'.repeat(800),
  ),
);

const regName = fc.constantFrom(...WRITABLE_REGS);
const focusTarget: fc.Arbitrary<TargetDoc> = fc.oneof<fc.Arbitrary<TargetDoc>[]>(
  rec({ device: name, pasid: opt(pasid) }) as fc.Arbitrary<TargetDoc>,
  fc.record({ process: name }),
  fc.record({ domain: name }),
  fc.record({ op: fc.nat({ max: 1000 }) }),
  fc.record(
    {
      struct: fc.constantFrom('ste', 'cd', 'l1std', 'l1cd', 's1-table', 's1-leaf', 's2-leaf'),
      pa: u64,
      level: fc.integer({ min: 0, max: 3 }),
      stage: fc.constantFrom(1 as const, 2 as const),
    },
    { requiredKeys: ['struct', 'pa'] },
  ),
  fc.record({ reg: regName }),
);
const moment = fc.record({ op: fc.nat({ max: 1000 }), step: fc.nat({ max: 1_000_000 }) });
const note = fc.record(
  { at: moment, on: focusTarget, text: noteText },
  { requiredKeys: ['at', 'text'] },
);
const stop = fc.record(
  { at: moment, focus: focusTarget, text: noteText },
  { requiredKeys: ['at', 'text'] },
);
const tour = fc.record({
  title: fc
    .string({ unit: 'grapheme', minLength: 1, maxLength: 30 })
    .filter((s) => s.length <= 120),
  stops: fc.array(stop, { minLength: 1, maxLength: 5 }),
});

/** Every op index in `d` (a moment, an op target) folded onto one of its `n` ops. */
function within<T>(v: T, n: number): T {
  if (Array.isArray(v)) return (v as unknown[]).map((x) => within(x, n)) as T;
  if (v === null || typeof v !== 'object') return v;
  const o = { ...(v as Record<string, unknown>) };
  for (const [k, x] of Object.entries(o))
    o[k] = k === 'op' && typeof x === 'number' ? x % Math.max(n, 1) : within(x, n);
  return o as T;
}

export const doc: fc.Arbitrary<ScenarioDoc> = fc
  .record(
    {
      ops: fc.array(op, { maxLength: 40 }),
      kernel: fc.constantFrom('rfc2017' as const, 'mainline' as const),
      title,
      platform: fc.record({ smmu, cpu }, { requiredKeys: [] }),
      cursor: fc.record({
        op: fc.nat(),
        step: fc.integer({ min: 0, max: 1_000_000 }),
      }),
      notes: fc.array(note, { maxLength: 4 }),
      tours: fc.array(tour, { maxLength: 2 }),
    },
    { requiredKeys: ['ops'] },
  )
  .map((d) => ({
    format: 'sva-explorer/scenario' as const,
    version: 1 as const,
    ...d,
    // The cursor points at one of the ops (at op 0 when there are none).
    ...(d.cursor ? { cursor: { ...d.cursor, op: d.cursor.op % Math.max(d.ops.length, 1) } } : {}),
    // Notes and tours point at the ops too.
    ...(d.notes ? { notes: within(d.notes, d.ops.length) } : {}),
    ...(d.tours ? { tours: within(d.tours, d.ops.length) } : {}),
  }));

/** A version-1 link around any JSON value: how a hand-made (tampered) link is built. */
export function linkOf(value: unknown, version = 1): string {
  const bytes = deflateSync(strToU8(JSON.stringify(value)));
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  const b64 = btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  return `#s=${version}.${b64}`;
}
