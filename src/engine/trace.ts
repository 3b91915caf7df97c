// One translation's trace: a step per memory read, per cache hit, per hardware update and the
// final decision. Plain data (bigints included), so a trace can be stored, diffed and replayed.
import type { EventRecord } from './events.ts';
import type { TlbEntry } from './tlb.ts';

export type StepKind =
  | 'l1std' // level-1 stream table descriptor read
  | 'ste' // STE read
  | 'l1cd' // level-1 CD table descriptor read
  | 'cd' // CD read
  | 'tt' // translation table descriptor read (stage 1 or 2)
  | 'cfg-hit' // configuration cache hit (STE, L1CD or CD not read from memory)
  | 'tlb-hit'
  | 'tlb-miss'
  | 'atc-hit'
  | 'httu' // hardware update of AF / dirty state
  | 'decision' // a decision without a memory read (bypass, SMMUEN=0, range checks…)
  | 'event' // an event record built and written (or lost)
  | 'result';

/** Which input bits chose an index: `name[hi:lo] = index`. */
export interface IndexBits {
  readonly name: 'SID' | 'SSID' | 'VA' | 'IPA';
  readonly value: bigint;
  readonly hi: number;
  readonly lo: number;
  readonly index: number;
}

export interface TraceStep {
  readonly kind: StepKind;
  /** What the step concerns (cfg-hit: which structure; decision: the subject). */
  readonly struct?: 'l1std' | 'ste' | 'l1cd' | 'cd' | 'tt' | 'tlb' | 'atc' | 'gbpa' | 'transaction';
  readonly stage?: 1 | 2;
  readonly level?: number;
  /** Physical address read or written. */
  readonly pa?: bigint;
  /** Under nesting: the IPA the structure lives at (stage-2 translated to `pa`). */
  readonly ipa?: bigint;
  /** The words read (or, for httu, the new value). */
  readonly value?: readonly bigint[];
  readonly old?: bigint;
  readonly input?: IndexBits;
  /** Set on stage-2 steps that serve a stage-1 access: CD fetch, TT fetch, or the final IPA. */
  readonly nested?: 'CD' | 'TT' | 'IN';
  readonly tlb?: TlbEntry;
  readonly event?: EventRecord;
  readonly eventRaw?: readonly bigint[];
  readonly eventSlot?: number;
  readonly eventPa?: bigint;
  /** One sentence: what the SMMU decides at this step. */
  readonly note: string;
}

export type Trace = TraceStep[];
