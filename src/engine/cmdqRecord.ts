// What the command processor keeps per consumed command, in columns: a 1 GB unmap of 4 KB pages
// without range invalidation consumes 262,145 commands, and an object per command (the record,
// its decoded command, the fields, the word pair: ~400 bytes) made the garbage collector the
// biggest cost of the op. Here a command is its two words, its slot, its address, its sequence
// number and its effect sentence (shared: most are the same sentence); the record a view reads
// is decoded from those words when it is first asked for — the same words decode to the same
// command the driver built (commandCodec builds by decoding what it encoded).
import { decodeCommand, type Command } from './commands.ts';
import { lazyArray, nextCapacity, Words } from './lazyArray.ts';

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

/** Two words per entry. */
class WordPairs extends Words {
  constructor() {
    super(2);
  }

  push(w0: bigint, w1: bigint): void {
    const at = this.grow();
    this.w[at] = w0;
    this.w[at + 1] = w1;
  }

  pair(i: number): [bigint, bigint] {
    return [this.w[2 * i]!, this.w[2 * i + 1]!];
  }
}

/** The consumed commands of one op (Smmu.log), appended by the command processor. */
export class CommandRecords {
  private readonly words = new WordPairs();
  /** Per entry: queue slot, then seq (-1: the op was not being recorded). */
  private meta = new Int32Array(0);
  /** Per entry: the slot's address (below 2^53: the OAS is at most 52 bits). */
  private pas = new Float64Array(0);
  private readonly effects: string[] = [];
  /** Entries kept whole: a command the processor stopped on (error, maybe no decoded command). */
  private readonly whole = new Map<number, ConsumedCommand>();
  /** The records as a read-only array, each decoded when read (lazyArray.ts). */
  readonly list: readonly ConsumedCommand[];

  constructor() {
    this.list = lazyArray(this);
  }

  get length(): number {
    return this.effects.length;
  }

  /** A command that ran: `seq` undefined when the op is not being recorded. */
  add(slot: number, pa: bigint, w0: bigint, w1: bigint, effect: string, seq?: number): void {
    const i = this.effects.length;
    if (i === this.pas.length) {
      const meta = new Int32Array(2 * nextCapacity(i));
      meta.set(this.meta);
      this.meta = meta;
      const pas = new Float64Array(nextCapacity(i));
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

  /** Record `i` (0 ≤ i < length), decoded from its words. */
  make(i: number): ConsumedCommand {
    const kept = this.whole.get(i);
    if (kept) return kept;
    const raw = this.words.pair(i);
    const seq = this.meta[2 * i + 1]!;
    const index = this.meta[2 * i]!;
    const pa = BigInt(this.pas[i]!);
    const command = decodeCommand(raw)!; // add() takes only commands the processor decoded
    const effect = this.effects[i]!;
    return seq >= 0
      ? { index, pa, raw, command, effect, seq }
      : { index, pa, raw, command, effect };
  }
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
