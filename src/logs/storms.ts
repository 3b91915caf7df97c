// Storms: a faulting device repeats the same transaction, and a log holds hundreds of identical or
// near-identical records. Records with the same EventID, StreamID, SSV/SubstreamID and input page
// collapse into one group with a count, the lines and time span they cover, and a rate; the rate
// per StreamID sums its groups. Timestamps are printk's seconds since boot.
import { eventParts, hex } from '../engine/index.ts';
import type { DecodedLogEvent } from './dmesg.ts';

export interface EventGroup {
  /** The first record of the group (what the table shows and Reproduce replays). */
  readonly first: DecodedLogEvent;
  /** Index of `first` in the importer's event list. */
  readonly index: number;
  readonly count: number;
  readonly firstLine: number;
  readonly lastLine: number;
  /** Seconds since boot of the first and last record, when the log has timestamps. */
  readonly from?: number;
  readonly to?: number;
  /** Records per second over [from, to], when that span is not zero. */
  readonly rate?: number;
  /** Distinct input addresses in the group (1 when the event records none). */
  readonly addresses: number;
}

const hasAddr = (id: number): boolean => {
  const p = eventParts(id);
  return p.includes('addr') || p.includes('page');
};

/** The storm key: same event, stream, substream and input page. */
export function stormKey(e: DecodedLogEvent): string {
  const r = e.record;
  const page = hasAddr(r.id) ? hex(r.addr >> 12n) : '-';
  return `${r.id}:${r.sid}:${r.ssv ? 1 : 0}:${r.ssid}:${page}`;
}

/** Seconds: printk's since boot, or a Xen wall-clock date stamp's since the epoch. */
const seconds = (t: string | undefined): number | undefined => {
  if (t === undefined) return undefined;
  const n = t.includes('-') ? Date.parse(`${t.replace(' ', 'T')}Z`) / 1000 : Number(t);
  return Number.isFinite(n) ? n : undefined;
};

interface Acc {
  first: DecodedLogEvent;
  index: number;
  count: number;
  lastLine: number;
  from?: number;
  to?: number;
  addrs: Set<bigint>;
}

/** Groups in the order of their first record. Linear in the number of events. */
export function groupEvents(events: readonly DecodedLogEvent[]): EventGroup[] {
  const byKey = new Map<string, Acc>();
  const order: Acc[] = [];
  events.forEach((e, index) => {
    const key = stormKey(e);
    let g = byKey.get(key);
    if (!g) {
      g = { first: e, index, count: 0, lastLine: e.line, addrs: new Set() };
      byKey.set(key, g);
      order.push(g);
    }
    g.count++;
    g.lastLine = e.line;
    // A storm of a million records on one page has at most 4,096 distinct 8-byte-aligned
    // addresses worth telling apart; stop counting there.
    if (g.addrs.size < 4096) g.addrs.add(e.record.addr);
    const t = seconds(e.timestamp);
    if (t !== undefined) {
      g.from = g.from === undefined ? t : Math.min(g.from, t);
      g.to = g.to === undefined ? t : Math.max(g.to, t);
    }
  });
  return order.map((g) => {
    const span = g.from !== undefined && g.to !== undefined ? g.to - g.from : 0;
    return {
      first: g.first,
      index: g.index,
      count: g.count,
      firstLine: g.first.line,
      lastLine: g.lastLine,
      ...(g.from === undefined ? {} : { from: g.from, to: g.to }),
      ...(span > 0 && g.count > 1 ? { rate: g.count / span } : {}),
      addresses: hasAddr(g.first.record.id) ? g.addrs.size : 1,
    };
  });
}

export interface SidRate {
  readonly sid: number;
  readonly count: number;
  readonly from?: number;
  readonly to?: number;
  readonly rate?: number;
}

/** Records per StreamID over the span of that StreamID's records. */
export function ratesBySid(groups: readonly EventGroup[]): SidRate[] {
  const m = new Map<number, { count: number; from?: number; to?: number }>();
  for (const g of groups) {
    const sid = g.first.record.sid;
    const a = m.get(sid) ?? { count: 0 };
    a.count += g.count;
    if (g.from !== undefined && g.to !== undefined) {
      a.from = a.from === undefined ? g.from : Math.min(a.from, g.from);
      a.to = a.to === undefined ? g.to : Math.max(a.to, g.to);
    }
    m.set(sid, a);
  }
  return [...m].map(([sid, a]) => {
    const span = a.from !== undefined && a.to !== undefined ? a.to - a.from : 0;
    return {
      sid,
      count: a.count,
      ...(a.from === undefined ? {} : { from: a.from, to: a.to }),
      ...(span > 0 && a.count > 1 ? { rate: a.count / span } : {}),
    };
  });
}
