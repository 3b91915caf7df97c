// The compact form a link carries: the document minus everything that equals its default, ops as
// positional arrays ["bind", "gpu", "game", "private"], numbers in plain lowercase hex. It is
// version 1 of the link payload; expand() gives back an ordinary scenario document.
import { parseU64 } from '../engine/index.ts';
import type { OpDoc, ScenarioDoc } from '../scenario/index.ts';
import { FORMAT, VERSION } from '../scenario/index.ts';

/** Field order per op. The order is part of link version 1: never reorder, only append. */
export const OP_FIELDS: Readonly<Record<string, readonly string[]>> = {
  device: ['name', 'sid', 'bus', 'pasidBits', 'ats', 'pri', 'stall'],
  domain: ['name', 'type', 'granule'],
  attach: ['dev', 'domain'],
  map: ['domain', 'dev', 'proc', 'iova', 'size', 'prot', 'pa'],
  unmap: ['domain', 'dev', 'proc', 'iova', 'size'],
  process: ['name', 'pid'],
  mmap: ['proc', 'addr', 'size', 'prot', 'populate'],
  munmap: ['proc', 'addr', 'size'],
  mprotect: ['proc', 'addr', 'size', 'prot'],
  touch: ['proc', 'addr', 'access'],
  pin: ['proc', 'addr', 'size'],
  unpin: ['proc', 'addr', 'size'],
  reclaim: ['proc', 'addr', 'size'],
  bind: ['dev', 'proc', 'tables'],
  unbind: ['dev', 'proc'],
  exit: ['proc'],
  dma: ['dev', 'sid', 'pasid', 'ssid', 'addr', 'access', 'priv', 'count', 'stride'],
  write64: ['pa', 'value'],
  reg: ['name', 'value'],
};

/** Values equal to these are left out (scenario-format.md defaults). */
const DEFAULTS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  device: { bus: 'pci', pasidBits: 0, ats: false, pri: false, stall: false },
  domain: { type: 'dma' },
  mmap: { populate: false },
  bind: { tables: 'shared' },
  dma: { priv: false, count: 1 },
};

const NUMERIC = new Set(['iova', 'size', 'pa', 'addr', 'stride', 'value', 'ramBase', 'ramSize']);

/** "0x7f00_0000_0000" → "7f0000000000"; the link form of a 64-bit string. */
const packNum = (s: string): string => parseU64(s)!.toString(16);
const unpackNum = (s: string): string => `0x${s}`;

export type CompactOp = (string | number | boolean | null)[] | Record<string, unknown>;

export interface CompactDoc {
  t?: string;
  k?: string;
  p?: unknown;
  o: CompactOp[];
  c?: [number, number];
}

export function compact(doc: ScenarioDoc): CompactDoc {
  const out: CompactDoc = { o: doc.ops.map(compactOp) };
  if (doc.title !== undefined) out.t = doc.title;
  if (doc.kernel && doc.kernel !== 'rfc2017') out.k = doc.kernel;
  if (
    doc.platform &&
    (Object.keys(doc.platform.smmu ?? {}).length || Object.keys(doc.platform.cpu ?? {}).length)
  )
    out.p = doc.platform;
  if (doc.cursor) out.c = [doc.cursor.op, doc.cursor.step];
  return out;
}

function compactOp(op: OpDoc): CompactOp {
  const order = OP_FIELDS[op.op];
  const rec = op as unknown as Record<string, unknown>;
  if (!order) return { ...rec }; // cmd: fields depend on the opcode; kept as an object
  const defaults = DEFAULTS[op.op] ?? {};
  const arr: (string | number | boolean | null)[] = [op.op];
  for (const f of order) {
    let v = rec[f];
    if (v === undefined || defaults[f] === v) v = null;
    else if (NUMERIC.has(f) && typeof v === 'string') v = packNum(v);
    arr.push(v as string | number | boolean | null);
  }
  while (arr.length > 1 && arr[arr.length - 1] === null) arr.pop();
  return arr;
}

/** Back to a scenario document (to be validated by parseScenario like any other input). */
export function expand(c: CompactDoc): ScenarioDoc {
  const doc: ScenarioDoc = { format: FORMAT, version: VERSION, ops: c.o.map(expandOp) };
  if (c.t !== undefined) doc.title = c.t;
  doc.kernel = (c.k as ScenarioDoc['kernel']) ?? 'rfc2017';
  if (c.p !== undefined) doc.platform = c.p as NonNullable<ScenarioDoc['platform']>;
  if (c.c) doc.cursor = { op: c.c[0], step: c.c[1] };
  return doc;
}

function expandOp(a: CompactOp): OpDoc {
  if (!Array.isArray(a)) return a as unknown as OpDoc;
  const [name, ...vals] = a;
  const order = OP_FIELDS[String(name)];
  const op: Record<string, unknown> = { op: name };
  if (!order) return op as unknown as OpDoc; // unknown op: validation names it
  order.forEach((f, i) => {
    const v = vals[i];
    if (v === null || v === undefined) return;
    op[f] = NUMERIC.has(f) && typeof v === 'string' ? unpackNum(v) : v;
  });
  return op as unknown as OpDoc;
}
