// The event-queue thread and the I/O page-fault handler. Event thread (arm_smmu_evtq_thread):
// a stalled fault becomes a page request whose response is CMD_RESUME (retry on SUCCESS, else
// abort; no CMD_SYNC); other events are logged as v4.14 printed them. The PRI thread and page
// request groups are priq.ts. docs/research/linux-facts.md §6.
import {
  buildCommand,
  decodeEvent,
  hex,
  hex64,
  qIndex,
  qInc,
  writeRegister,
  type EventRecord,
} from '../engine/index.ts';
import type { Access } from './vocab.ts';
import { log, type KCtx } from './ctx.ts';
import { eraOf } from './eras/index.ts';
import { KernelError } from './errors.ts';
import { faultIn, type Fault } from './mm.ts';
import { submit } from './smmu/cmdq.ts';
import type { Device } from './state.ts';

export type PageResponse = 'SUCCESS' | 'INVALID' | 'FAILURE';

export interface Handled {
  readonly resp: PageResponse;
  readonly why: string;
  /** SUCCESS with nothing changed: handle_mm_fault found the page present and accessible. */
  readonly spurious?: boolean;
}

/** iopf_handle_single: the process behind the PASID, its VMA, the access, handle_mm_fault. */
export function handleIopf(
  c: KCtx,
  dev: Device,
  pasid: number | undefined,
  addr: bigint,
  access: Access,
): Handled {
  if (pasid === undefined)
    return { resp: 'INVALID', why: 'no PASID: a fault on the DMA domain is not recoverable' };
  const owner = c.k.idr.used.get(pasid);
  if (!owner)
    return {
      resp: 'INVALID',
      why: `PASID ${pasid} belongs to no process (iommu_process_find failed)`,
    };
  if (owner.kind === 'private')
    return { resp: 'INVALID', why: `PASID ${pasid} has a private io-pgtable: nothing to fault in` };
  if (eraOf(c.k.era).ops.iopf.stallNeedsHandle) {
    // v6.2+ iommu_report_device_fault: the fault goes to the domain (v6.11+: the attach handle)
    // of this device's PASID; v5.x found the mm by PASID alone (iommu_sva_find).
    const bound = [...dev.bonds.values()].some((b) => b.tables === 'shared' && b.pasid === pasid);
    if (!bound)
      return {
        resp: 'INVALID',
        why: `${dev.name} has no SVA handle for PASID ${pasid} (iommu_report_device_fault: -EINVAL)`,
      };
  }
  // Upstream the exited mm keeps its PASID while bonds hold it: mmget_not_zero fails.
  if (c.k.iommuProcesses.get(pasid)?.exited)
    return {
      resp: 'INVALID',
      why: `the mm of PASID ${pasid} has exited (mmget_not_zero fails in iommu_sva_handle_mm)`,
    };
  const proc = c.k.processes.get(owner.proc);
  if (!proc) return { resp: 'INVALID', why: `the mm of PASID ${pasid} is gone` };
  let f: Fault;
  try {
    f = faultIn(c, proc, addr, access);
  } catch (e) {
    // VM_FAULT_OOM is part of VM_FAULT_ERROR: the page request is answered INVALID and the
    // access fails (linux-sva §3.5 step 5; 2018 iopf_handle_mm_fault); the op goes on.
    if (e instanceof KernelError && e.errno === '-ENOMEM')
      return { resp: 'INVALID', why: `handle_mm_fault: VM_FAULT_OOM (${e.message})` };
    throw e;
  }
  if (!f.ok) return { resp: 'INVALID', why: f.why };
  return {
    resp: 'SUCCESS',
    why: `handle_mm_fault(${proc.name}, ${hex(addr)}, ${access === 'w' ? 'FAULT_FLAG_WRITE' : access === 'x' ? 'FAULT_FLAG_INSTRUCTION' : 'read'}) succeeded${f.spurious ? ' (nothing to do: the page is present)' : ''}`,
    ...(f.spurious ? { spurious: true } : {}),
  };
}

const accessOf = (e: { rnw: boolean; ind: boolean }): Access => (!e.rnw ? 'w' : e.ind ? 'x' : 'r');

/** One pass of the event-queue thread; returns the records it read. */
export function serviceEventQueue(c: KCtx): EventRecord[] {
  const s = c.smmu;
  const out: EventRecord[] = [];
  if (s.overflowActive('EVENTQ')) log(c, 'arm-smmu-v3: EVTQ overflow detected -- events lost');
  for (let guard = 0; guard < 4096; guard++) {
    const q = s.queue('EVENTQ');
    if (q.prod === q.cons) break;
    const words = c.mem.readWords(q.base + BigInt(qIndex(q.cons, q.log2size)) * 32n, 4) ?? [
      0n,
      0n,
      0n,
      0n,
    ];
    const ev = decodeEvent(words);
    out.push(ev);
    // Consume first (as the driver does), acknowledging any overflow.
    writeRegister(
      s,
      'EVENTQ_CONS',
      (s.regs.EVENTQ_PROD & (1n << 31n)) | BigInt(qInc(q.cons, q.log2size)),
    );
    const dev = [...c.k.devices.values()].find((d) => d.sid === ev.sid);
    if (ev.stall && dev) {
      const h = unresolved(
        c,
        ev,
        handleIopf(c, dev, ev.ssv ? ev.ssid : undefined, ev.addr, accessOf(ev)),
      );
      log(
        c,
        `iopf: ${dev.name} stalled on ${ev.name} at ${hex(ev.addr)}${ev.ssv ? ` (PASID ${ev.ssid})` : ''}, STAG ${ev.stag}: ${h.resp} — ${h.why}`,
      );
      const retry = h.resp === 'SUCCESS';
      submit(
        c,
        [
          buildCommand('CMD_RESUME', {
            StreamID: ev.sid,
            STAG: ev.stag,
            Ac: retry ? 1 : 0,
            Ab: retry ? 0 : 1,
          }),
        ],
        false,
      );
      continue;
    }
    log(
      c,
      `arm-smmu-v3 arm-smmu-v3.0.auto: event 0x${ev.id.toString(16).padStart(2, '0')} received:`,
    );
    for (const w of words) log(c, `arm-smmu-v3 arm-smmu-v3.0.auto: \t${hex64(w)}`);
  }
  return out;
}

/**
 * A stalled access the handler answered SUCCESS without changing anything (handle_mm_fault found
 * the page present and accessible) that stalls again: the SMMU faults where the kernel's tables
 * allow the access — a stale TLB entry, or tables changed behind the kernel's back in bits the
 * kernel does not check. Linux would answer SUCCESS again, and the device would stall for ever;
 * the model answers the second such fault of an op INVALID, so CMD_RESUME aborts the access
 * (the answer Linux gives a fault it cannot resolve, iommu_sva_handle_mm / arm_smmu_page_response).
 */
function unresolved(c: KCtx, ev: EventRecord, h: Handled): Handled {
  if (!h.spurious) return h;
  const key = `${ev.sid}/${ev.ssv ? ev.ssid : '-'}/${ev.addr >> 12n}/${accessOf(ev)}`;
  const seen = (c.spurious ??= new Map<string, number>());
  const n = (seen.get(key) ?? 0) + 1;
  seen.set(key, n);
  if (n < 2) return h;
  return {
    resp: 'INVALID',
    why: `the access stalls again though handle_mm_fault finds the page present and accessible: the fault cannot be resolved (Linux would answer SUCCESS and the device would stall again for ever; the model aborts it)`,
  };
}
