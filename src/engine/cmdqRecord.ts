// What the command processor keeps per consumed command, in columns: a 1 GB unmap of 4 KB pages
// without range invalidation consumes 262,145 commands, and an object per command (the record,
// its decoded command, the fields, the word pair: ~400 bytes) made the garbage collector the
// biggest cost of the op. Here a command is its two words, its slot, its address, its sequence
// number and its effect sentence (shared: most are the same sentence); the record a view reads
// is decoded from those words when it is first asked for — the same words decode to the same
// command the driver built (commandCodec builds by decoding what it encoded).
import { decodeCommand, type Command } from './commands.ts';

/** What a command did, for the op record and the command-queue panel. */
export interface ConsumedCommand {
  readonly index: number;
  readonly pa: bigint;
  readonly raw: readonly [bigint, bigint];
  readonly command?: Command;
  readonly error?: string;
  readonly effect: string;
  readonly seq?: number;
}

/** Growable columns of 64-bit words, two per entry. */
class WordPairs {
  n = 0;
  w = new BigUint64Array(32);

  push(w0: bigint, w1: bigint): void {
    if (2 * this.n === this.w.length) {
      const next = new BigUint64Array(this.w.length * 2);
      next.set(this.w);
      this.w = next;
    }
    this.w[2 * this.n] = w0;
    this.w[2 * this.n + 1] = w1;
    this.n++;
  }

  pair(i: number): [bigint, bigint] {
    return [this.w[2 * i]!, this.w[2 * i + 1]!];
  }
}

/** The consumed commands of one op (Smmu.log), appended by the command processor. */
export class CommandRecords {
  private readonly words = new WordPairs();
  /** Per entry: queue slot, then seq (-1: the op was not being recorded). */
  private meta = new Int32Array(64);
  /** Per entry: the slot's address (below 2^53: the OAS is at most 52 bits). */
  private pas = new Float64Array(32);
  private readonly effects: string[] = [];
  /** Entries kept whole: a command the processor stopped on (error, maybe no decoded command). */
  private readonly whole = new Map<number, ConsumedCommand>();
  /** Records already handed out: the same object each time one is asked for. */
  private made: (ConsumedCommand | undefined)[] | undefined;
  /** The records as a read-only array (see view()). */
  readonly list: readonly ConsumedCommand[];

  constructor() {
    this.list = view(this);
  }

  get length(): number {
    return this.effects.length;
  }

  /** A command that ran: `seq` undefined when the op is not being recorded. */
  add(slot: number, pa: bigint, w0: bigint, w1: bigint, effect: string, seq?: number): void {
    const i = this.effects.length;
    if (2 * i === this.meta.length) {
      const meta = new Int32Array(this.meta.length * 2);
      meta.set(this.meta);
      this.meta = meta;
      const pas = new Float64Array(this.pas.length * 2);
      pas.set(this.pas);
      this.pas = pas;
    }
    this.meta[2 * i] = slot;
    this.meta[2 * i + 1] = seq ?? -1;
    this.pas[i] = Number(pa);
    this.words.push(w0, w1);
    this.effects.push(effect);
  }

  /** An entry kept as it is (the command the processor stopped on). */
  addWhole(c: ConsumedCommand): void {
    this.whole.set(this.effects.length, c);
    this.words.push(c.raw[0], c.raw[1]);
    this.effects.push(c.effect);
  }

  /** Record `i`, decoded on first use; undefined past the end. */
  at(i: number): ConsumedCommand | undefined {
    if (!Number.isInteger(i) || i < 0 || i >= this.effects.length) return undefined;
    const kept = this.whole.get(i);
    if (kept) return kept;
    const made = (this.made ??= []);
    const m = made[i];
    if (m) return m;
    const raw = this.words.pair(i);
    const seq = this.meta[2 * i + 1]!;
    const base = {
      index: this.meta[2 * i]!,
      pa: BigInt(this.pas[i]!),
      raw,
      command: decodeCommand(raw)!, // add() takes only commands the processor decoded
      effect: this.effects[i]!,
    };
    return (made[i] = seq >= 0 ? { ...base, seq } : base);
  }
}

/** `k` as an array index ("0", "17"), or -1. */
function indexOf(k: string | symbol): number {
  if (typeof k !== 'string' || k.length === 0) return -1;
  const c = k.charCodeAt(0);
  if (c < 48 || c > 57) return -1;
  const i = Number(k);
  return Number.isInteger(i) && String(i) === k ? i : -1;
}

/**
 * The records as a read-only array for the code that reads op records (map, filter, for…of,
 * indexing, JSON, test matchers): each element is decoded when read. Writes are refused.
 */
function view(r: CommandRecords): readonly ConsumedCommand[] {
  const refuse = (): boolean => false;
  return new Proxy<ConsumedCommand[]>([], {
    get(t, k, recv) {
      if (k === 'length') return r.length;
      const i = indexOf(k);
      return i >= 0 ? r.at(i) : (Reflect.get(t, k, recv) as unknown);
    },
    has(t, k) {
      const i = indexOf(k);
      return i >= 0 ? i < r.length : Reflect.has(t, k);
    },
    ownKeys(t) {
      const keys: (string | symbol)[] = Array.from({ length: r.length }, (_, i) => String(i));
      return keys.concat(Reflect.ownKeys(t));
    },
    getOwnPropertyDescriptor(t, k) {
      if (k === 'length')
        return { value: r.length, writable: true, enumerable: false, configurable: false };
      const i = indexOf(k);
      if (i < 0) return Reflect.getOwnPropertyDescriptor(t, k);
      return i < r.length
        ? { value: r.at(i), writable: false, enumerable: true, configurable: true }
        : undefined;
    },
    set: refuse,
    defineProperty: refuse,
    deleteProperty: refuse,
  });
}

/**
 * Invalidations consumed and not yet completed by a CMD_SYNC (Smmu.pending), as their words: a
 * run of 262,144 TLBIs waits for one SYNC. Read back decoded, in the order they came.
 */
export class PendingCommands {
  private words = new WordPairs();

  get length(): number {
    return this.words.n;
  }

  push(c: Command): void {
    this.words.push(c.raw[0], c.raw[1]);
  }

  /** The opcode of entry `i` (dw0[7:0]) without decoding it. */
  opcode(i: number): number {
    return Number(this.words.w[2 * i]! & 0xffn);
  }

  /** Entry `i` decoded (it was a command the processor decoded, so it decodes again). */
  command(i: number): Command {
    return decodeCommand(this.words.pair(i))!;
  }

  /** Every entry's words, in order (for digests and diffs of a world). */
  raws(): [bigint, bigint][] {
    return Array.from({ length: this.words.n }, (_, i) => this.words.pair(i));
  }

  /** Takes every entry out: the list is empty afterwards. */
  take(): PendingCommands {
    const out = new PendingCommands();
    out.words = this.words;
    this.words = new WordPairs();
    return out;
  }

  clone(): PendingCommands {
    const out = new PendingCommands();
    out.words.n = this.words.n;
    out.words.w = this.words.w.slice();
    return out;
  }
}
