// Circular queue pointers (§3.5): an index of LOG2SIZE bits plus a wrap bit just above it.
// Empty: same index, same wrap. Full: same index, different wrap (Linux queue_full/queue_empty).

export interface QueuePtrs {
  readonly log2size: number;
  readonly prod: number;
  readonly cons: number;
}

export const qIndex = (p: number, log2size: number): number => p & ((1 << log2size) - 1);
export const qWrap = (p: number, log2size: number): number => (p >>> log2size) & 1;

export const qEmpty = (q: QueuePtrs): boolean =>
  qIndex(q.prod, q.log2size) === qIndex(q.cons, q.log2size) &&
  qWrap(q.prod, q.log2size) === qWrap(q.cons, q.log2size);

export const qFull = (q: QueuePtrs): boolean =>
  qIndex(q.prod, q.log2size) === qIndex(q.cons, q.log2size) &&
  qWrap(q.prod, q.log2size) !== qWrap(q.cons, q.log2size);

/** Free slots (Linux queue_has_space arithmetic). */
export function qFree(q: QueuePtrs): number {
  const size = 1 << q.log2size;
  const p = qIndex(q.prod, q.log2size);
  const c = qIndex(q.cons, q.log2size);
  return qWrap(q.prod, q.log2size) === qWrap(q.cons, q.log2size) ? size - (p - c) : c - p;
}

/** Entries waiting to be consumed. */
export const qUsed = (q: QueuePtrs): number => (1 << q.log2size) - qFree(q);

/** Advance by one: add 1 to (wrap|index) modulo 2^(LOG2SIZE+1). */
export const qInc = (p: number, log2size: number): number => (p + 1) & ((2 << log2size) - 1);
