// The command processor (§4, §7.1): consumes entries between CMDQ_CONS and CMDQ_PROD. Every
// invalidation is consumed at once but only guaranteed at the next CMD_SYNC (§4.6.3); this model
// applies it exactly there, the latest moment the architecture allows, so a missing CMD_SYNC
// leaves visibly stale entries.
import { hex } from './bits.ts';
import { decodeCommand, type Command } from './commands.ts';
import { big, illegal, num, unknownOpcode } from './cmdqIllegal.ts';
import { qIndex, qInc } from './queues.ts';
import { CERROR, CERROR_NAMES } from './registers.ts';
import type { Smmu } from './smmu.ts';
import { translate, type Translation } from './translate.ts';
import type { TlbEntry } from './tlb.ts';

export interface ResumeRecord {
  readonly sid: number;
  readonly stag: number;
  readonly retried: boolean;
  readonly abort: boolean;
  /** The retried transaction's translation, when Ac=1. */
  readonly translation?: Translation;
  readonly seq?: number;
}

/** Consumes commands until the queue is empty, disabled or in error. */
export function processCommandQueue(smmu: Smmu): void {
  // Only CONS moves while commands run (nothing they do writes the queue's base or PROD).
  const q = smmu.queue('CMDQ');
  let cons = q.cons;
  const consHigh = smmu.regs.CMDQ_CONS & ~0xfffffn;
  // Per slot its two dwords' addresses, per CONS value the register's value: made once per call
  // (a 1 GB unmap consumes 262,145 commands), not two BigInts per command.
  const slotPa: bigint[] = [];
  const slotPa8: bigint[] = [];
  const consReg: bigint[] = [];
  // GERROR.CMDQ_ERR against GERRORN, re-read only when either register changed.
  let gerror = smmu.regs.GERROR;
  let gerrorn = smmu.regs.GERRORN;
  let cmdqErr = smmu.gerrorActive(0);
  for (let guard = 0; guard < 1 << 20; guard++) {
    if (smmu.regs.GERROR !== gerror || smmu.regs.GERRORN !== gerrorn) {
      gerror = smmu.regs.GERROR;
      gerrorn = smmu.regs.GERRORN;
      cmdqErr = smmu.gerrorActive(0);
    }
    if (!smmu.derived.cmdqen || cmdqErr) return;
    if (q.prod === cons) return;
    const slot = qIndex(cons, q.log2size);
    let pa = slotPa[slot];
    if (pa === undefined) {
      pa = slotPa[slot] = q.base + BigInt(slot) * 16n;
      slotPa8[slot] = pa + 8n;
    }
    const w0 = smmu.mem.read64(pa);
    const w1 = smmu.mem.read64(slotPa8[slot]!);
    if (w0 === undefined || w1 === undefined) {
      stop(
        smmu,
        slot,
        pa,
        [0n, 0n],
        CERROR.ABT,
        `external abort fetching the command at ${hex(pa)}`,
      );
      return;
    }
    const queued = smmu.queued[slot];
    const hit = queued !== undefined && queued.raw[0] === w0 && queued.raw[1] === w1;
    const cmd = hit ? queued : decodeCommand([w0, w1]);
    const bad = cmd ? illegal(smmu.platform, cmd) : unknownOpcode(Number(w0 & 0xffn));
    if (bad || !cmd) {
      stop(smmu, slot, pa, [w0, w1], CERROR.ILL, bad ?? 'unknown command');
      return;
    }
    // Stamped before it runs: a CMD_RESUME's retried walk comes after it in the record.
    const clock = smmu.mem.clock;
    const seq = clock ? clock.n++ : -1;
    const effect = execute(smmu, cmd);
    // Kept as its words (cmdqRecord.ts): the record decodes them again when a view reads it.
    smmu.log.commandRecords.add(slot, pa, w0, w1, effect, clock ? seq : undefined);
    cons = qInc(cons, q.log2size);
    smmu.regs.CMDQ_CONS = consReg[cons] ??= consHigh | BigInt(cons);
  }
}

function stop(
  smmu: Smmu,
  slot: number,
  pa: bigint,
  raw: readonly [bigint, bigint],
  code: number,
  why: string,
): void {
  // CONS.RD stays on the failing command; ERR is set, then GERROR.CMDQ_ERR toggles (§7.1).
  smmu.regs.CMDQ_CONS = (smmu.regs.CMDQ_CONS & ~(0x7fn << 24n)) | (BigInt(code) << 24n);
  smmu.raiseGerror(0);
  const cmd = decodeCommand(raw);
  smmu.log.commandRecords.addWhole({
    index: slot,
    pa,
    raw,
    ...(cmd ? { command: cmd } : {}),
    error: CERROR_NAMES[code] ?? 'CERROR',
    effect: `${CERROR_NAMES[code]}: ${why}; the SMMU stops consuming until GERRORN acknowledges it`,
    ...smmu.mem.stamp(),
  });
}

function execute(smmu: Smmu, c: Command): string {
  switch (c.name) {
    case 'CMD_PREFETCH_CONFIG':
    case 'CMD_PREFETCH_ADDR':
      return 'prefetch hint: this model fetches on demand instead';
    case 'CMD_PRI_RESP': {
      // IGNORED while SMMUEN=0 (§4.5.2; spec-facts Q7).
      if (!smmu.derived.smmuen) return 'SMMUEN=0: CMD_PRI_RESP is IGNORED';
      const resp = num(c, 'Resp');
      smmu.inbox.push({
        kind: 'pri-resp',
        sid: num(c, 'StreamID'),
        ssid: num(c, 'SSV') ? num(c, 'SubstreamID') : undefined,
        prgIndex: num(c, 'PRGIndex'),
        resp,
        auto: false,
      });
      return `page request group ${num(c, 'PRGIndex')} of StreamID ${hex(num(c, 'StreamID'))} answered ${['ResponseFailure', 'InvalidRequest', 'Success'][resp]}`;
    }
    case 'CMD_RESUME':
      return resume(
        smmu,
        num(c, 'StreamID'),
        num(c, 'STAG'),
        num(c, 'Ac') === 1,
        num(c, 'Ab') === 1,
      );
    case 'CMD_STALL_TERM': {
      const sid = num(c, 'StreamID');
      const stags = [...smmu.stalls.values()].filter((s) => s.txn.sid === sid).map((s) => s.stag);
      for (const stag of stags) resume(smmu, sid, stag, false, true);
      return `${stags.length} stalled transaction(s) of StreamID ${hex(sid)} terminated with abort`;
    }
    case 'CMD_SYNC':
      return sync(smmu, c);
    default:
      smmu.pending.push(c);
      return 'consumed; takes effect by the next CMD_SYNC';
  }
}

function resume(smmu: Smmu, sid: number, stag: number, retry: boolean, abort: boolean): string {
  const st = smmu.stalls.get(stag);
  if (!st || st.txn.sid !== sid)
    return `no stalled transaction with STAG ${stag} on StreamID ${hex(sid)}: no effect`;
  smmu.stalls.delete(stag);
  if (!retry) {
    smmu.log.resumes.push({ sid, stag, retried: false, abort, ...smmu.mem.stamp() });
    smmu.inbox.push({ kind: 'resumed', sid, stag, retry: false, abort });
    return `STAG ${stag} terminated (${abort ? 'abort' : 'RAZ/WI'})`;
  }
  // Retried "as though it had just arrived" (§4.7.1): configuration and tables are read again.
  const stamp = smmu.mem.stamp();
  const translation = translate(smmu, st.txn);
  smmu.log.resumes.push({ sid, stag, retried: true, abort: false, translation, ...stamp });
  smmu.inbox.push({ kind: 'resumed', sid, stag, retry: true, abort: false });
  const o = translation.outcome;
  return `STAG ${stag} retried: ${o.type === 'translated' ? `translated to ${hex(o.pa)}` : o.type}`;
}

/** CMD_TLBI_NH_VA's opcode (§4.4.1.3). */
const NH_VA = 0x12;

function sync(smmu: Smmu, c: Command): string {
  const done = smmu.pending.take();
  const parts: string[] = [];
  for (let i = 0; i < done.length; i++) {
    // A TLBI_NH_VA finds nothing in an empty TLB (applyInvalidation says so too): not decoded.
    if (done.opcode(i) === NH_VA && smmu.tlb.size === 0) continue;
    const part = applyInvalidation(smmu, done.command(i));
    if (part !== '') parts.push(part);
  }
  let msi = '';
  if (num(c, 'CS') === 1) msi = signalIrq(smmu, big(c, 'MSIAddress'), big(c, 'MSIData'));
  const summary = parts.join('; ');
  return (
    (done.length === 0
      ? 'nothing outstanding: completes at once'
      : `${done.length} earlier command(s) completed: ${summary || 'nothing was cached'}`) + msi
  );
}

/**
 * CS=SIG_IRQ (§4.7.3): "a write containing MSIData is made to the physical address given by
 * MSIAddress, if MSIAddress is non-zero" — a 32-bit write (Linux points it at the SYNC itself).
 * The address is truncated to the OAS; an aborted MSI write is reported in
 * GERROR.MSI_CMDQ_ABT_ERR (bit 4, §4.7.3 completion guarantees). MSIAddress 0 means the
 * completion is signalled on the wired interrupt only (IRQ_CTRL), with no memory write.
 */
function signalIrq(smmu: Smmu, msiAddress: bigint, data: bigint): string {
  if (msiAddress === 0n)
    return '; CS=SIG_IRQ with MSIAddress=0: wired interrupt only, no MSI write';
  const addr = msiAddress & ((1n << BigInt(smmu.platform.oas)) - 1n);
  const word = addr & ~7n;
  const old = smmu.mem.read64(word);
  if (old === undefined) {
    smmu.raiseGerror(4); // MSI_CMDQ_ABT_ERR
    return `; the MSI write to ${hex(addr)} aborted (not RAM): GERROR.MSI_CMDQ_ABT_ERR`;
  }
  const shift = (addr & 4n) * 8n;
  smmu.mem.write64(word, (old & ~(0xffffffffn << shift)) | (data << shift));
  return '';
}

/** "3 TLB entries removed" ('' for none); `many` is the plural where adding "s" is wrong. */
const countOr = (n: number, what: string, many = `${what}s`): string =>
  n === 0 ? '' : `${n} ${n > 1 ? many : what} removed`;

// The helpers below live outside applyInvalidation so a call allocates no named closures: a 1 GB
// unmap without range invalidation completes 262,144 of them at one CMD_SYNC.
const tlbGone = (smmu: Smmu, pred: (e: TlbEntry) => boolean): string =>
  countOr(smmu.tlb.invalidate(pred), 'TLB entry', 'TLB entries');
/** Like tlbGone for entries overlapping [a, a+n): looks the span's pages up when it is small. */
const tlbGoneIn = (smmu: Smmu, [a, n]: [bigint, bigint], pred: (e: TlbEntry) => boolean): string =>
  countOr(smmu.tlb.invalidateOverlapping(a, n, pred), 'TLB entry', 'TLB entries');
const ns = (e: TlbEntry): boolean => e.world === 'NS-EL1';
const s1 = (e: TlbEntry): boolean => e.stage !== 's2';
const el2 = (e: TlbEntry): boolean => e.world !== 'NS-EL1';
/** The address range a TLBI covers: one address (TG=0), or NUM/SCALE pages of the TG granule. */
function span(c: Command): [bigint, bigint] {
  const tg = num(c, 'TG');
  const addr = big(c, 'Address');
  if (tg === 0) return [addr, 1n];
  const granule = tg === 1 ? 12n : tg === 2 ? 14n : 16n;
  const pages = BigInt(num(c, 'NUM') + 1) << BigInt(num(c, 'SCALE'));
  return [addr, pages << granule];
}

/** Applies one completed invalidation; returns what it removed. */
export function applyInvalidation(smmu: Smmu, c: Command): string {
  // An empty TLB has nothing to lose (the common case of a long run of per-page TLBIs): said
  // before the fields are read.
  if (c.name === 'CMD_TLBI_NH_VA' && smmu.tlb.size === 0) return '';
  const sid = num(c, 'StreamID');
  const vmid = num(c, 'VMID');
  const asid = num(c, 'ASID');
  const cfg = smmu.cfg;
  switch (c.name) {
    case 'CMD_CFGI_STE': {
      const split = smmu.derived.strtabFmt === '2level' ? smmu.derived.split : undefined;
      return countOr(cfg.invalidateSte(sid, num(c, 'Leaf') === 1, split), 'cached structure');
    }
    case 'CMD_CFGI_STE_RANGE':
    case 'CMD_CFGI_ALL': {
      // §4.3.2: 2^(Range+1) StreamIDs from SID aligned down; Range 31 is CFGI_ALL (§4.3.6).
      const range = num(c, 'Range');
      const split = smmu.derived.strtabFmt === '2level' ? smmu.derived.split : undefined;
      if (range === 31) return countOr(cfg.invalidateRange(0, 2 ** 32, split), 'cached structure');
      const n = 2 ** (range + 1);
      const first = sid - (sid % n);
      return countOr(cfg.invalidateRange(first, first + n - 1, split), 'cached structure');
    }
    case 'CMD_CFGI_CD': {
      const ste = cfg.peekSte(sid);
      const leafBits = ste ? (ste.view.S1Fmt === 1 ? 6 : 10) : undefined;
      const ssid = num(c, 'SubstreamID');
      return countOr(
        cfg.invalidateCd(
          sid,
          ssid,
          num(c, 'Leaf') === 1,
          leafBits === undefined ? undefined : ssid >>> leafBits,
        ),
        'cached structure',
      );
    }
    case 'CMD_CFGI_CD_ALL':
      return countOr(cfg.invalidateAllCds(sid), 'cached structure');
    case 'CMD_TLBI_NH_ALL':
      return tlbGone(smmu, (e) => ns(e) && s1(e) && e.vmid === vmid);
    case 'CMD_TLBI_NH_ASID':
      return tlbGone(smmu, (e) => ns(e) && s1(e) && e.vmid === vmid && e.asid === asid);
    case 'CMD_TLBI_NH_VA':
      // An empty TLB has nothing to lose (the common case of a long run of per-page TLBIs).
      if (smmu.tlb.size === 0) return '';
      return tlbGoneIn(
        smmu,
        span(c),
        (e) => ns(e) && s1(e) && e.vmid === vmid && (e.asid === asid || e.asid < 0),
      );
    case 'CMD_TLBI_NH_VAA':
      return tlbGoneIn(smmu, span(c), (e) => ns(e) && s1(e) && e.vmid === vmid);
    case 'CMD_TLBI_EL2_ALL':
      return tlbGone(smmu, el2);
    case 'CMD_TLBI_EL2_ASID':
      return tlbGone(smmu, (e) => e.world === 'EL2-E2H' && e.asid === asid);
    // §4.4.2.8/9: the current CR2.E2H picks the world. E2H=1: NS-EL2-E2H entries whose ASID
    // matches (or global); E2H=0: NS-EL2 entries, ASID ignored. The other world's entries are
    // "not required to be invalidated", and this model keeps them.
    case 'CMD_TLBI_EL2_VA': {
      const e2h = smmu.derived.e2h;
      return tlbGoneIn(smmu, span(c), (e) =>
        e2h ? e.world === 'EL2-E2H' && (e.asid === asid || e.asid < 0) : e.world === 'EL2',
      );
    }
    case 'CMD_TLBI_EL2_VAA': {
      const world = smmu.derived.e2h ? 'EL2-E2H' : 'EL2';
      return tlbGoneIn(smmu, span(c), (e) => e.world === world);
    }
    case 'CMD_TLBI_S12_VMALL':
      return tlbGone(smmu, (e) => ns(e) && e.vmid === vmid);
    case 'CMD_TLBI_S2_IPA':
      // Combined S1+S2 entries are not removed by IPA (§4.4.3): they need NH_ALL or S12_VMALL.
      return tlbGoneIn(smmu, span(c), (e) => e.stage === 's2' && e.vmid === vmid);
    case 'CMD_TLBI_NSNH_ALL':
      return tlbGone(smmu, ns);
    case 'CMD_ATC_INV': {
      const ssid = num(c, 'SSV') ? num(c, 'SubstreamID') : undefined;
      return countOr(
        smmu.atc.invalidate(sid, ssid, big(c, 'Address'), num(c, 'Size')),
        'ATC entry',
        'ATC entries',
      );
    }
    default:
      return '';
  }
}
