// CD owners in the diagram model, from the kernel's records. Under mainline a process that exits
// while bound leaves its CD valid with EPD0=1 (arm_smmu_mm_release) and its mm keeps the PASID
// until the driver's late unbind: that CD's owner is the exited process, named, not "unknown".
// Under rfc2017 the exit clears the CD, so there is no row to name.
import { describe, expect, it } from 'vitest';
import type { KernelProfile, OpDoc, ScenarioDoc } from '../scenario/index.ts';
import { type CdRow, type DiagramModel } from './model.ts';
import { ownerLabel } from './owner.ts';
import { modelAt, timelineOf } from './testkit.ts';

const OPS: OpDoc[] = [
  { op: 'device', name: 'gpu', sid: 256, bus: 'pci', pasidBits: 20, ats: true }, // 0
  { op: 'domain', name: 'gpu-dom', type: 'dma' }, // 1
  { op: 'attach', dev: 'gpu', domain: 'gpu-dom' }, // 2
  { op: 'process', name: 'app' }, // 3
  { op: 'mmap', proc: 'app', addr: '0x7fff_0000_0000', size: '0x1000', prot: 'rw' }, // 4
  { op: 'touch', proc: 'app', addr: '0x7fff_0000_0000', access: 'w' }, // 5
  { op: 'bind', dev: 'gpu', proc: 'app' }, // 6
  { op: 'exit', proc: 'app' }, // 7
  { op: 'process', name: 'app' }, // 8: a new process of the same name
  { op: 'unbind', dev: 'gpu', proc: 'app' }, // 9: the driver's late unbind of the exited one
];
const BIND = 6;
const EXIT = 7;
const NAMESAKE = 8;
const UNBIND = 9;

const doc = (kernel: KernelProfile): ScenarioDoc => ({
  format: 'sva-explorer/scenario',
  version: 1,
  kernel,
  ops: OPS,
});

/** The CD of `ssid` in gpu's table: its domain's (rfc2017), or its own (v6.7+). */
const cd = (m: DiagramModel, ssid: number): CdRow | undefined =>
  m.cdTables
    .find((t) => t.domain === 'gpu-dom' || t.id === 'cdt:dev:gpu')
    ?.rows.find((r) => r.ssid === ssid);

describe('CD owners under mainline', () => {
  const t = timelineOf(doc('mainline'));
  const statuses = t.records.map((r) => r.status);

  it('runs: the late unbind after the exit succeeds (no -ESRCH since v5.8)', () => {
    expect(statuses).toEqual(OPS.map(() => 'ok'));
    // The IDA's lowest free PASID.
    expect(t.records[BIND]!.pasid).toBe(1);
  });

  it('a bound process owns its CD, which points at its own page tables', () => {
    const m = modelAt(t, BIND);
    const app = m.processes.find((p) => p.name === 'app')!;
    const row = cd(m, 1)!;
    expect(row.owner).toEqual({ kind: 'process', name: 'app', pid: app.pid });
    expect(row.epd0).toBe(false);
    expect(row.tree).toBe(app.tree);
    expect(app.pasid).toBe(1);
  });

  it('after the exit the still-valid CD is the exited process’s, with its PASID', () => {
    const pid = t.records[3]!.pid!;
    const m = modelAt(t, EXIT);
    const row = cd(m, 1)!;
    expect(row).toBeDefined();
    // arm_smmu_mm_release: valid, EPD0=1, TTB0 dropped — no tree behind it.
    expect(row.epd0).toBe(true);
    expect(row.tree).toBeUndefined();
    expect(row.owner).toEqual({ kind: 'exited', name: 'app', pid, pasid: 1 });
    expect(ownerLabel(row.owner)).toBe(
      `app (pid ${pid}, exited: its mm holds PASID 1 until unbind)`,
    );
    expect(m.processes.map((p) => p.name)).not.toContain('app');
    expect(m.trees.flatMap((x) => x.owners).map((o) => o.from)).not.toContain('cd:gpu-dom:1');
    const owners = m.cdTables.flatMap((x) => x.rows).map((r) => r.owner.kind);
    expect(owners).not.toContain('unknown');
  });

  it('a new namesake is not given the exited mm’s PASID or CD', () => {
    const m = modelAt(t, NAMESAKE);
    const fresh = m.processes.find((p) => p.name === 'app')!;
    const old = t.records[3]!.pid!;
    expect(fresh.pid).not.toBe(old);
    expect(fresh.pasid).toBeUndefined();
    expect(cd(m, 1)!.owner).toEqual({ kind: 'exited', name: 'app', pid: old, pasid: 1 });
  });

  it('the late unbind clears the CD', () => {
    expect(cd(modelAt(t, UNBIND), 1)).toBeUndefined();
  });
});

describe('CD owners under rfc2017', () => {
  const t = timelineOf(doc('rfc2017'));

  it('the exit clears the CD: no row is left to name', () => {
    expect(cd(modelAt(t, BIND), 1)!.owner.kind).toBe('process');
    expect(cd(modelAt(t, EXIT), 1)).toBeUndefined();
    // The driver's late unbind finds the PASID freed: -ESRCH (linux-sva §1.7).
    expect(t.records[UNBIND]!.error).toBe('-ESRCH');
  });
});
