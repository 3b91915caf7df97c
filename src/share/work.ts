// How much work a scenario from a link may ask for. Opening a link runs its scenario on the main
// thread, so a short link must not be able to freeze the page: a 30 KB link of 100,000 touches
// takes seconds, and one dma op with a large count or one pin over a large range takes minutes.
// The limits are far above the scenarios we ship (the seed story: 29 ops, 4 accesses, 520 pages;
// the stress preset: 181 ops, 4 accesses, 1,120 pages; the goldens: at most 20 ops) and keep the
// worst link to seconds (measured in Node: ~90 µs per faulting access, ~150 µs per op, up to
// ~150 µs per page of a range op).
// Larger scenarios still travel as JSON files.
import { MAX_NOTES, MAX_STOPS, MAX_TOURS, opWork, type ScenarioDoc } from '../scenario/index.ts';

export const MAX_LINK_OPS = 5_000;
/** Device accesses: the sum of dma counts. */
export const MAX_LINK_ACCESSES = 20_000;
/** 4 KB pages covered by range ops (256 MB): their cost grows with the range, not the op count. */
export const MAX_LINK_PAGES = 65_536;

const n = (v: number | bigint): string => v.toLocaleString('en');

export function tooManyOps(count: number, who: string): string | null {
  return count > MAX_LINK_OPS
    ? `${who} has ${n(count)} ops; links may have at most ${n(MAX_LINK_OPS)}`
    : null;
}

/**
 * A link's notes and tours, counted before validation like its ops: the schema's limits would
 * refuse a million notes too, but only after building a million objects.
 */
export function tooManyNotes(c: { n?: unknown; r?: unknown }, who: string): string | null {
  const len = (v: unknown): number => (Array.isArray(v) ? v.length : 0);
  if (len(c.n) > MAX_NOTES) return `${who} has ${n(len(c.n))} notes; at most ${MAX_NOTES}`;
  if (len(c.r) > MAX_TOURS) return `${who} has ${n(len(c.r))} tours; at most ${MAX_TOURS}`;
  for (const t of Array.isArray(c.r) ? (c.r as unknown[]) : [])
    if (Array.isArray(t) && len(t[1]) > MAX_STOPS)
      return `${who} has a tour of ${n(len(t[1]))} stops; at most ${MAX_STOPS}`;
  return null;
}

/** Why a link for this document would be refused (`who` names it in the sentence), or null. */
export function linkWork(doc: ScenarioDoc, who: 'the link' | 'the scenario'): string | null {
  const many = tooManyOps(doc.ops.length, who);
  if (many) return many;
  let accesses = 0;
  let pages = 0n;
  // Each op's definition says what it costs (scenario/ops/, `work`): a dma its count, an op over
  // an address range (a populated mmap too; a plain one only adds a VMA) its 4 KB pages.
  for (const o of doc.ops) {
    const w = opWork(o);
    accesses += w.accesses ?? 0;
    pages += w.pages ?? 0n;
  }
  if (accesses > MAX_LINK_ACCESSES)
    return `${who} asks for ${n(accesses)} device accesses (dma counts); links may ask for at most ${n(MAX_LINK_ACCESSES)}`;
  if (pages > BigInt(MAX_LINK_PAGES))
    return `${who}'s address ranges cover ${n(pages)} pages of 4 KB; links may cover at most ${n(MAX_LINK_PAGES)} (256 MB)`;
  return null;
}
