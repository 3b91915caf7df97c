// A burst from a PCIe endpoint with ATS and PRI: Translation Requests, then page request groups.
// The device sends a Translation Request per page it needs; for the pages whose completion is
// denied it sends one Page Request Group — a PPR per page, the same PRG index on each, Last on
// the final one (PCIe PRI; SMMU spec §8) — up to its outstanding-request allocation, and waits
// for the group's response. Only then does the driver's PRI thread run (an IRQ thread drains
// the queue some time after the device wrote it, not request by request), so a group larger
// than the free space of the PRI queue overflows it: the SMMU drops the rest, answers the
// dropped Last automatically (engine/pageRequest.ts), and the kernel is left holding the first
// part of a group whose last request never came (priq.ts). After Success the device retries
// the group's accesses; anything still denied goes into the next group, at most MAX_ROUNDS.
import { atsAccess, type Transaction } from '../engine/index.ts';
import type { Access } from './vocab.ts';
import { log, type KCtx } from './ctx.ts';
import type { PageResponse } from './iopf.ts';
import { servicePriQueue } from './priq.ts';
import type { Device } from './state.ts';

/**
 * Outstanding page requests the device may have: arm_smmu_enable_pri calls pci_enable_pri(pdev,
 * 16) — "TODO: find a good inflight PPR number ... we're at risk of dropping PPRs" (RFCv2 39/40).
 */
export const PRI_CREDITS = 16;
const MAX_ROUNDS = 4;

/**
 * Takes the PRG response for `prg` from the SMMU's messages to the endpoint (CMD_PRI_RESP code).
 * Further responses to the same group (the SMMU answers every PPR of a group itself while
 * PRIQEN=0, §8.2) find it no longer outstanding: a PCIe device ignores them (it would set
 * "Unexpected PRG Index" in its PRI status), so they are dropped here too.
 */
export function takePriResponse(c: KCtx, dev: Device, prg: number): number | undefined {
  const inbox = c.smmu.inbox;
  const mine = (m: (typeof inbox)[number]): boolean =>
    m.kind === 'pri-resp' && m.sid === dev.sid && m.prgIndex === prg;
  const m = inbox.find(mine);
  if (!m || m.kind !== 'pri-resp') return undefined;
  c.smmu.inbox = inbox.filter((x) => !mine(x));
  return m.resp;
}

export const responseOf = (code: number | undefined): PageResponse =>
  code === 2 ? 'SUCCESS' : code === 1 ? 'INVALID' : 'FAILURE';

/** What one access came to, for the burst's totals. */
export type Tally = (ok: boolean, tlb: 'hit' | 'miss' | 'none') => void;

interface Waiting {
  readonly page: bigint;
  readonly addr: bigint;
  /** Accesses of the burst to this page (they wait on one request and share its outcome). */
  count: number;
  /** TLB use of the first Translation Request for the page (counted once, like an access). */
  readonly tlb: 'hit' | 'miss' | 'none';
}

export interface BurstAccess {
  readonly pasid: number | undefined;
  readonly access: Access;
  readonly priv: boolean;
  readonly addrAt: (i: number) => bigint;
}

/**
 * Accesses `from` … `to − 1` of a burst. `fallback` takes an access the ATS/PRI path cannot
 * (the device lost PRI after a Response Failure). Returns the groups and requests sent.
 */
export function priBurst(
  c: KCtx,
  dev: Device,
  b: BurstAccess,
  from: number,
  to: number,
  tally: Tally,
  fallback: (addr: bigint) => void,
): { groups: number; requests: number } {
  const sent = { groups: 0, requests: 0 };
  const txn = (addr: bigint): Transaction => ({
    sid: dev.sid,
    ssid: b.pasid,
    addr,
    access: b.access,
    priv: b.priv,
  });
  let i = from;
  let carry: Waiting | undefined; // a denied page that found the group full: the next one's first
  while (i < to || carry) {
    if (!dev.pri) {
      if (carry) for (let n = 0; n < carry.count; n++) fallback(carry.addr);
      carry = undefined;
      if (i < to) fallback(b.addrAt(i++));
      continue;
    }
    const inflight = new Map<bigint, Waiting>();
    if (carry) inflight.set(carry.page, carry);
    carry = undefined;
    for (; i < to; i++) {
      const addr = b.addrAt(i);
      const page = addr & ~0xfffn;
      const w = inflight.get(page);
      if (w) {
        w.count++; // the page is already requested: this access waits on the same request
        continue;
      }
      const r = atsAccess(c.smmu, txn(addr), false);
      const tlb = r.translation?.tlb ?? 'none';
      if (r.kind !== 'denied') {
        tally(r.kind === 'translated', tlb);
        continue;
      }
      const waiting: Waiting = { page, addr, count: 1, tlb };
      if (inflight.size === PRI_CREDITS) {
        carry = waiting; // out of credits: this page waits for the next group
        i++;
        break;
      }
      inflight.set(page, waiting);
    }
    if (inflight.size > 0) resolve(c, dev, b, [...inflight.values()], tally, sent, txn);
  }
  return sent;
}

function resolve(
  c: KCtx,
  dev: Device,
  b: BurstAccess,
  waiting: Waiting[],
  tally: Tally,
  sent: { groups: number; requests: number },
  txn: (addr: bigint) => Transaction,
): void {
  // Each page's accesses share its outcome; the first carries the TLB use of its first request.
  const settle = (w: Waiting, ok: boolean): void => {
    for (let n = 0; n < w.count; n++) tally(ok, n === 0 ? w.tlb : 'none');
  };
  const fail = (ws: readonly Waiting[]): void => ws.forEach((w) => settle(w, false));
  let pending = waiting;
  for (let round = 0; round < MAX_ROUNDS && pending.length > 0; round++) {
    const prg = dev.nextPrg;
    dev.nextPrg = (dev.nextPrg + 1) & 0x1ff;
    pending.forEach((w, j) =>
      c.smmu.recordPageRequest({
        sid: dev.sid,
        ssv: b.pasid !== undefined,
        ssid: b.pasid ?? 0,
        priv: b.priv,
        exec: b.access === 'x',
        read: b.access !== 'w',
        write: b.access === 'w',
        last: j === pending.length - 1,
        prgIndex: prg,
        addr: w.page,
      }),
    );
    sent.groups++;
    sent.requests += pending.length;
    servicePriQueue(c);
    const response = responseOf(takePriResponse(c, dev, prg));
    if (response !== 'SUCCESS') {
      if (response === 'FAILURE') dev.pri = false;
      log(
        c,
        `${dev.name}: page request group ${prg} answered ${response === 'INVALID' ? 'Invalid Request: its accesses fail' : 'Response Failure: the device disables PRI'}`,
      );
      fail(pending);
      return;
    }
    const next: Waiting[] = [];
    for (const w of pending) {
      const r = atsAccess(c.smmu, txn(w.addr), false);
      if (r.kind === 'denied') next.push(w);
      else settle(w, r.kind === 'translated');
    }
    pending = next;
  }
  if (pending.length > 0) {
    log(
      c,
      `${dev.name}: ${pending.length} page(s) still denied after ${MAX_ROUNDS} page request groups: the accesses fail`,
    );
    fail(pending);
  }
}
