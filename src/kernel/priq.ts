// The PRI-queue thread and the page-request-group handler.
// arm_smmu_priq_thread (arm-smmu-v3.c, v4.14–4.17 as the RFCv2 tree had it): drain the queue —
// each entry consumed with a CONS write that keeps the old OVACKFLG (queue_inc_cons) — then, if
// PROD.OVFLG differs, print "PRIQ overflow detected -- requests lost" and acknowledge it with a
// final CONS write (Q_OVF of PROD). arm_smmu_handle_ppr (RFCv2 39/40): a Stop marker is
// discarded; otherwise the request goes to iommu_report_device_fault. The 2018 io-pgfault.c
// iommu_queue_fault parks a non-last request on a partial list; the last one of a group collects
// the partials with the same device and group ID, each inserted *before* the last (list_add at
// the head, so they run in reverse arrival order), and the group is handled in order with sticky
// errors; one response per group (iommu_fault_handle_group, iommu_fault_complete), sent as
// CMD_PRI_RESP FAILURE→0, INVALID→1, SUCCESS→2 without CMD_SYNC. Every upstream era (an SMMUv3
// driver without PRI support: the era's iopf.pri is 'denied') logs every request as unexpected
// and answers the last one DENY.
// docs/research/linux-facts.md §6.2–6.3.
import {
  buildCommand,
  decodePageRequest,
  hex,
  hex64,
  qIndex,
  qInc,
  writeRegister,
  type PageRequest,
} from '../engine/index.ts';
import { log, type KCtx } from './ctx.ts';
import { eraOf } from './eras/index.ts';
import { handleIopf, type PageResponse } from './iopf.ts';
import { submit } from './smmu/cmdq.ts';
import type { Device, PartialFault } from './state.ts';

const OVF = 1n << 31n;
/** Model bound on held partial requests (not Linux's: it has none). */
export const MAX_PARTIAL = 4096;
const DEV = 'arm-smmu-v3 arm-smmu-v3.0.auto:';

/** One run of the PRI thread; returns the requests it read. Does nothing on an empty queue. */
export function servicePriQueue(c: KCtx): PageRequest[] {
  const s = c.smmu;
  const out: PageRequest[] = [];
  if (s.queue('PRIQ').prod === s.queue('PRIQ').cons && !s.overflowActive('PRIQ')) return out;
  for (let guard = 0; guard < 1 << 20; guard++) {
    const q = s.queue('PRIQ');
    if (q.prod === q.cons) break;
    const words = c.mem.readWords(q.base + BigInt(qIndex(q.cons, q.log2size)) * 16n, 2) ?? [0n, 0n];
    const r = decodePageRequest(words);
    out.push(r);
    // queue_inc_cons: the new RD with the OVACKFLG software last wrote.
    writeRegister(s, 'PRIQ_CONS', (s.regs.PRIQ_CONS & OVF) | BigInt(qInc(q.cons, q.log2size)));
    handlePpr(c, r);
  }
  if (s.overflowActive('PRIQ')) {
    log(c, `${DEV} PRIQ overflow detected -- requests lost`);
    // "Sync our overflow flag, as we believe we're up to speed": OVACKFLG := OVFLG.
    writeRegister(s, 'PRIQ_CONS', (s.regs.PRIQ_PROD & OVF) | (s.regs.PRIQ_CONS & ~OVF));
  }
  return out;
}

function handlePpr(c: KCtx, r: PageRequest): void {
  // RFCv2 discards Last=1, R=W=0 as a Stop marker whatever SSV says; the spec treats the
  // no-PASID form as a page request (§8). Devices in this model never send R=W=0 requests.
  if (r.last && !r.read && !r.write) return;
  const dev = [...c.k.devices.values()].find((d) => d.sid === r.sid);
  if (eraOf(c.k.era).ops.iopf.pri === 'denied' || !dev) {
    log(c, `${DEV} unexpected PRI request received:`);
    log(
      c,
      `${DEV} \tsid 0x${r.sid.toString(16).padStart(8, '0')}.0x${r.ssid.toString(16).padStart(5, '0')}: [${r.prgIndex}${r.last ? 'L' : ''}] ${r.priv ? '' : 'un'}privileged ${r.read ? 'R' : ''}${r.write ? 'W' : ''}${r.exec ? 'X' : ''} access at iova ${hex64(r.addr)}`,
    );
    if (r.last) respond(c, r, 'FAILURE');
    return;
  }
  const fault: PartialFault = {
    dev: dev.name,
    grpid: r.prgIndex,
    pasid: r.ssv ? r.ssid : undefined,
    addr: r.addr,
    access: r.write ? 'w' : r.exec ? 'x' : 'r',
  };
  if (!r.last) {
    // RFCv2 never frees a partial whose group lost its last request (kzalloc'd per request);
    // the model keeps the newest MAX_PARTIAL so a long overflowing burst cannot grow it forever.
    if (c.k.partialFaults.length >= MAX_PARTIAL) c.k.partialFaults.shift();
    c.k.partialFaults.push(fault);
    log(
      c,
      `iopf: ${dev.name} page request (PRG ${r.prgIndex}) at ${hex(r.addr)}${r.ssv ? ` PASID ${r.ssid}` : ''}: not the last of its group, held until the last arrives`,
    );
    return;
  }
  respond(c, r, handleGroup(c, dev, fault));
}

/** iommu_queue_fault + iommu_fault_handle_group: the group's faults in order, errors sticky. */
function handleGroup(c: KCtx, dev: Device, last: PartialFault): PageResponse {
  const group: PartialFault[] = [last];
  const rest: PartialFault[] = [];
  for (const p of c.k.partialFaults) {
    if (p.dev === last.dev && p.grpid === last.grpid) group.unshift(p);
    else rest.push(p);
  }
  c.k.partialFaults = rest;
  let status: PageResponse = 'SUCCESS';
  for (const f of group) {
    const what = `iopf: ${dev.name} page request (PRG ${f.grpid}) at ${hex(f.addr)}${f.pasid !== undefined ? ` PASID ${f.pasid}` : ''}`;
    if (status !== 'SUCCESS') {
      log(c, `${what}: skipped, the group already failed (errors are sticky)`);
      continue;
    }
    const h = handleIopf(c, dev, f.pasid, f.addr, f.access);
    status = h.resp;
    log(c, `${what}: ${h.resp} — ${h.why}`);
  }
  if (group.length > 1)
    log(
      c,
      `iopf: ${dev.name} page request group ${last.grpid} (${group.length} requests): ${status}`,
    );
  return status;
}

function respond(c: KCtx, r: PageRequest, resp: PageResponse): void {
  const code = resp === 'SUCCESS' ? 2 : resp === 'INVALID' ? 1 : 0;
  submit(
    c,
    [
      buildCommand('CMD_PRI_RESP', {
        StreamID: r.sid,
        ...(r.ssv ? { SubstreamID: r.ssid } : {}),
        PRGIndex: r.prgIndex,
        Resp: code,
      }),
    ],
    false,
  );
}
