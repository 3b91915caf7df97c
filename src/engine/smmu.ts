// The SMMU as software sees it: registers (§6.3) with their side effects, the three queues in
// memory (§3.5, §7.1, §8.1), the caches, and stalled transactions (§3.12.2). The command
// processor lives in cmdq.ts, translation in translate.ts; both act on this state.
import { Atc } from './atc.ts';
import { bit, bitsOf, getNum } from './bits.ts';
import { ConfigCache } from './configCache.ts';
import { deriveState, type SmmuDerived } from './derived.ts';
import { encodeEvent, EVENT_BYTES, type EventRecord } from './events.ts';
import type { PhysMem } from './memory.ts';
import { idRegisters, type SmmuPlatform } from './platform.ts';
import { receivePageRequest } from './pageRequest.ts';
import type { PageRequest } from './priq.ts';
import { qFull, qIndex, qInc } from './queues.ts';
import { REG_FIELDS, REG_NAMES, type RegName } from './registers.ts';
import { Tlb } from './tlb.ts';
import type { Command } from './commands.ts';
import { CommandRecords, PendingCommands, type ConsumedCommand } from './cmdqRecord.ts';
import type { ResumeRecord } from './cmdq.ts';
import type { Transaction } from './transaction.ts';

export type { SmmuDerived } from './derived.ts';

export interface StalledTransaction {
  readonly stag: number;
  readonly txn: Transaction;
  readonly event: EventRecord;
}

export type { ConsumedCommand } from './cmdqRecord.ts';

export interface WrittenEvent {
  readonly event: EventRecord;
  readonly raw: readonly bigint[];
  readonly slot?: number;
  readonly pa?: bigint;
  readonly written: boolean;
  readonly reason?: string;
  readonly seq?: number;
}

export interface WrittenPageRequest {
  readonly request: PageRequest;
  readonly raw: readonly bigint[];
  readonly slot?: number;
  readonly pa?: bigint;
  readonly written: boolean;
  /** Why it was not written (queue disabled, overflow, abort). */
  readonly reason?: string;
  /** The automatic PRG response the SMMU sent (CMD_PRI_RESP encoding), if any. */
  readonly autoResponse?: number;
  readonly seq?: number;
}

/** Messages the SMMU sends back to endpoints: PRI responses and resumed transactions. */
export type DeviceMessage =
  | {
      readonly kind: 'pri-resp';
      readonly sid: number;
      readonly ssid: number | undefined;
      readonly prgIndex: number;
      readonly resp: number;
      readonly auto: boolean;
    }
  | {
      readonly kind: 'resumed';
      readonly sid: number;
      readonly stag: number;
      readonly retry: boolean;
      readonly abort: boolean;
    };

/** Everything the hardware did since the log was last taken (one op's record). */
export interface SmmuLog {
  /** The consumed commands as a read-only array, decoded when read (cmdqRecord.ts). */
  readonly commands: readonly ConsumedCommand[];
  /** The same commands, where the command processor appends them. */
  readonly commandRecords: CommandRecords;
  events: WrittenEvent[];
  pageRequests: WrittenPageRequest[];
  /** Broadcast TLB maintenance from the CPUs that this SMMU snooped (BTM). */
  broadcasts: { op: string; invalidated: number; snooped: boolean; seq?: number }[];
  /** Stalled transactions retried or terminated by CMD_RESUME / CMD_STALL_TERM. */
  resumes: ResumeRecord[];
  notes: string[];
}

export const emptyLog = (): SmmuLog => {
  const commandRecords = new CommandRecords();
  return {
    commands: commandRecords.list,
    commandRecords,
    events: [],
    pageRequests: [],
    broadcasts: [],
    resumes: [],
    notes: [],
  };
};

export class Smmu {
  readonly platform: SmmuPlatform;
  mem: PhysMem;
  regs: Record<RegName, bigint>;
  derived!: SmmuDerived;
  cfg: ConfigCache;
  tlb: Tlb;
  atc: Atc;
  /** Invalidations consumed but not yet guaranteed: applied at the next CMD_SYNC (§4.6.3). */
  pending = new PendingCommands();
  stalls = new Map<number, StalledTransaction>();
  nextStag = 0;
  inbox: DeviceMessage[] = [];
  /** Stall records that found the event queue full: never discarded, written when space frees (§7.2.1). */
  pendingStallRecords: EventRecord[] = [];
  log: SmmuLog = emptyLog();
  /**
   * The command a driver last wrote at each command-queue slot, as it built it: the command
   * processor takes it instead of decoding the slot when the slot still holds exactly its words
   * (the same words decode the same way), so a command issued by the model is decoded once.
   */
  queued: (Command | undefined)[] = [];

  constructor(platform: SmmuPlatform, mem: PhysMem) {
    this.platform = platform;
    this.mem = mem;
    const ids = idRegisters(platform);
    this.regs = Object.fromEntries(REG_NAMES.map((n) => [n, 0n])) as Record<RegName, bigint>;
    Object.assign(this.regs, ids);
    this.cfg = new ConfigCache(platform.cfgCacheEntries);
    this.tlb = new Tlb(platform.tlbEntries);
    this.atc = new Atc(platform.atcEntries);
    this.derive();
  }

  field(reg: RegName, name: string): number {
    const fd = REG_FIELDS[reg][name];
    if (!fd) throw new Error(`${reg}.${name}`);
    return getNum([this.regs[reg]], fd);
  }

  derive(): void {
    this.derived = deriveState(this.regs, this.platform);
  }

  /** Takes (and resets) the log of what happened since the last call. */
  takeLog(): SmmuLog {
    const l = this.log;
    this.log = emptyLog();
    return l;
  }

  queue(kind: 'CMDQ' | 'EVENTQ' | 'PRIQ'): {
    base: bigint;
    log2size: number;
    prod: number;
    cons: number;
  } {
    const baseReg = this.regs[`${kind}_BASE`];
    const maxLog2 = Math.log2(
      kind === 'CMDQ'
        ? this.platform.cmdqEntries
        : kind === 'EVENTQ'
          ? this.platform.evtqEntries
          : this.platform.priqEntries,
    );
    const log2size = Math.min(Number(bitsOf(baseReg, 4, 0)), maxLog2);
    const entryBytes = kind === 'CMDQ' ? 16n : kind === 'EVENTQ' ? 32n : 16n;
    // The effective base is aligned down to the queue size (§6.3.26: ADDR[LOG2SIZE+x:5] RES0).
    const bytes = entryBytes << BigInt(log2size);
    const align = bytes > 32n ? bytes : 32n;
    const base = (bitsOf(baseReg, 55, 5) << 5n) & ~(align - 1n);
    const mask = (2 << log2size) - 1;
    return {
      base,
      log2size,
      prod: Number(this.regs[`${kind}_PROD`] & 0xfffffn) & mask,
      cons: Number(this.regs[`${kind}_CONS`] & 0xfffffn) & mask,
    };
  }

  /** Writes an event record to the event queue (§7.2, §7.4); returns where it went. */
  recordEvent(event: EventRecord): WrittenEvent {
    const raw = encodeEvent(event);
    let out: WrittenEvent;
    if (!this.derived.evtqen) {
      out = {
        event,
        raw,
        written: false,
        reason: 'event queue disabled (CR0.EVENTQEN=0): record discarded',
      };
    } else {
      const q = this.queue('EVENTQ');
      if (qFull(q) && event.stall) {
        this.pendingStallRecords.push(event);
        out = {
          event,
          raw,
          written: false,
          reason:
            'event queue full: stall record held until space frees (stall records are never discarded)',
        };
      } else if (qFull(q)) {
        this.flagOverflow('EVENTQ');
        out = {
          event,
          raw,
          written: false,
          reason: 'event queue full: record lost, EVENTQ_PROD.OVFLG toggled',
        };
      } else {
        const slot = qIndex(q.prod, q.log2size);
        const pa = q.base + BigInt(slot) * EVENT_BYTES;
        if (!this.mem.writeWords(pa, raw)) {
          this.raiseGerror(2); // EVENTQ_ABT_ERR
          out = {
            event,
            raw,
            written: false,
            reason: 'external abort writing the event queue (GERROR.EVENTQ_ABT_ERR)',
          };
        } else {
          this.setProd('EVENTQ', qInc(q.prod, q.log2size));
          out = { event, raw, slot, pa, written: true };
        }
      }
    }
    this.log.events.push({ ...out, ...this.mem.stamp() });
    return out;
  }

  /** A page request arrives (§8): written to the PRI queue, or answered automatically. */
  recordPageRequest(request: PageRequest): WrittenPageRequest {
    const out = receivePageRequest(this, request);
    this.log.pageRequests.push({ ...out, ...this.mem.stamp() });
    return out;
  }

  /** Writes held stall records once software has consumed events (EVENTQ_CONS written). */
  flushPendingStallRecords(): void {
    while (
      this.pendingStallRecords.length > 0 &&
      this.derived.evtqen &&
      !qFull(this.queue('EVENTQ'))
    ) {
      const ev = this.pendingStallRecords.shift()!;
      this.recordEvent(ev);
    }
  }

  setProd(kind: 'EVENTQ' | 'PRIQ', wr: number): void {
    const ovf = this.regs[`${kind}_PROD`] & (1n << 31n);
    this.regs[`${kind}_PROD`] = ovf | BigInt(wr);
  }

  overflowActive(kind: 'EVENTQ' | 'PRIQ'): boolean {
    return bit(this.regs[`${kind}_PROD`], 31) !== bit(this.regs[`${kind}_CONS`], 31);
  }

  /** Toggles PROD.OVFLG unless an overflow is already showing (§7.4, §8.1). */
  flagOverflow(kind: 'EVENTQ' | 'PRIQ'): void {
    if (!this.overflowActive(kind)) this.regs[`${kind}_PROD`] ^= 1n << 31n;
  }

  /** Toggles a GERROR bit (the error is active while GERROR ≠ GERRORN, §6.3.17). */
  raiseGerror(bitNo: number): void {
    const m = 1n << BigInt(bitNo);
    if ((this.regs.GERROR & m) === (this.regs.GERRORN & m)) this.regs.GERROR ^= m;
  }

  gerrorActive(bitNo: number): boolean {
    return bit(this.regs.GERROR ^ this.regs.GERRORN, bitNo);
  }

  allocStag(): number {
    for (let i = 0; i < 0x10000; i++) {
      const stag = (this.nextStag + i) & 0xffff;
      if (!this.stalls.has(stag)) {
        this.nextStag = (stag + 1) & 0xffff;
        return stag;
      }
    }
    throw new Error('no free STAG');
  }

  clone(mem: PhysMem): Smmu {
    const s = Object.create(Smmu.prototype) as Smmu;
    Object.assign(s, this);
    s.mem = mem;
    s.regs = { ...this.regs };
    s.cfg = this.cfg.clone();
    s.tlb = this.tlb.clone();
    s.atc = this.atc.clone();
    s.pending = this.pending.clone();
    s.stalls = new Map(this.stalls);
    s.inbox = [...this.inbox];
    s.pendingStallRecords = [...this.pendingStallRecords];
    s.log = emptyLog();
    s.queued = [...this.queued];
    return s;
  }
}
