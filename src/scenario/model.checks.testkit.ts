// Checks of the model-based property test (model.property.test.ts) that need more than the
// invariants of invariants.ts: a device access or burst against what the owner's tables allow
// (b), the one change a failed op may make (d), and the clean-up that undoes a sequence (e).
import { hex } from '../engine/index.ts';
import { releaseBond } from '../kernel/index.ts';
import { expectDma, type DmaExpectation, type Violation } from './invariants.ts';
import type { Op } from './index.ts';
import type { OpRecord } from './run.ts';
import type { World } from './world.ts';

/** Addresses a dma op touches: `count` accesses `stride` apart. */
export const accesses = (op: Extract<Op, { op: 'dma' }>): bigint[] =>
  Array.from({ length: op.count }, (_, i) => op.addr + BigInt(i) * op.stride);

/** (b) What a device access (or burst) gave, against what the owner's tables allow. */
export function checkDma(
  w: World,
  op: Extract<Op, { op: 'dma' }>,
  rec: OpRecord,
  pre: readonly DmaExpectation[],
): Violation[] {
  const out: Violation[] = [];
  if (op.dev === undefined || !rec.dma) return out;
  const post = accesses(op).map((a) => expectDma(w, op.dev, op.pasid, a, op.access));
  // The first access (the only one with a PA and a trace in the record): where it translated,
  // to what the tables map after the op (nothing in a dma op unmaps). Whether it had to: for a
  // single access, by the tables after it (its own fault may have mapped the page); for a burst,
  // by the tables before it (a later access may have faulted in the page the first one failed
  // on, e.g. after PRI was refused and the device fell back to a stalling untranslated access).
  const e = post[0]!;
  const must = op.count === 1 ? e.must : pre[0]!.must;
  const got = rec.dma.outcome === 'translated' ? rec.dma.pa : undefined;
  const what = `${op.dev} ${op.access} ${hex(op.addr)} PASID ${op.pasid ?? '-'}`;
  if (got !== undefined && got !== e.pa)
    out.push({
      invariant: 'dma',
      message: `${what} translated to ${hex(got)}, but ${e.owner} gives ${e.pa === undefined ? 'nothing' : hex(e.pa)}`,
    });
  if (got === undefined && must)
    out.push({
      invariant: 'dma',
      message: `${what}: ${rec.dma.outcome}, but ${e.owner} maps it to ${hex(e.pa!)} allowing the access (${rec.dma.steps.at(-1)?.note ?? ''})`,
    });
  if (op.count === 1) return out;
  // A burst: every access is counted once, as translated or not, and as a TLB hit, a miss or
  // neither. Nothing in a burst unmaps (faults only add pages), so every access the tables
  // allowed before it translated, and only pages mapped after it can have.
  const t = rec.dma.totals;
  const allowed = pre.filter((p) => p.must).length;
  const mapped = post.filter((p) => p.pa !== undefined).length;
  if (!t) out.push({ invariant: 'dma', message: `${what} × ${op.count}: no totals` });
  else if (
    t.translated + t.faults !== op.count ||
    t.tlbHits + t.tlbMisses > op.count ||
    t.translated < allowed ||
    t.translated > mapped
  )
    out.push({
      invariant: 'dma',
      message: `${what} × ${op.count} stride ${hex(op.stride)}: totals ${JSON.stringify(t)}, but ${allowed} access(es) were allowed before and ${mapped} are mapped after`,
    });
  return out;
}

/** The change a failed op may make: a late unbind's -ESRCH releases one bind of the driver's. */
export function expectedAfterError(before: World, op: Op, rec: OpRecord): void {
  const dev = before.kernel!.devices.get(op.op === 'unbind' ? op.dev : '');
  if (op.op === 'unbind' && rec.error === '-ESRCH' && dev) releaseBond(dev, op.proc);
}

/**
 * (e) Undo everything: unbind every bond (once per bind: a device bound twice to a process is
 * unbound twice, kernel/bond.ts), exit every process, unmap every domain mapping.
 */
export const CLEANUP: ((w: World) => Op[])[] = [
  (w) =>
    [...w.kernel!.devices.values()].flatMap((d) =>
      [...d.bonds].flatMap(([p, b]) =>
        Array.from({ length: b.count ?? 1 }, (): Op => ({ op: 'unbind', dev: d.name, proc: p })),
      ),
    ),
  (w) => [...w.kernel!.processes.keys()].map((p): Op => ({ op: 'exit', proc: p })),
  (w) =>
    [...w.kernel!.domains.values()].flatMap((d) => {
      // One unmap per run of contiguous leaves.
      const runs: [bigint, bigint][] = [];
      for (const [iova, l] of [...(d.pgtable?.leaves ?? [])].sort(([a], [b]) => (a < b ? -1 : 1))) {
        const last = runs[runs.length - 1];
        if (last && last[0] + last[1] === iova) last[1] += l.size;
        else runs.push([iova, l.size]);
      }
      return runs.map(([iova, size]): Op => ({
        op: 'unmap',
        target: { kind: 'domain', domain: d.name },
        iova,
        size,
      }));
    }),
];

/** A shared bond whose PASID its process no longer owns: the process exited since the bind. */
export function staleBond(w: World, dev: string, proc: string): boolean {
  const k = w.kernel!;
  const b = k.devices.get(dev)?.bonds.get(proc);
  const owner = [...k.iommuProcesses.values()].find((ip) => ip.proc === proc);
  return b?.tables === 'shared' && owner?.pasid !== b.pasid;
}
