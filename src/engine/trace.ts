// One translation's trace: a step per memory read, per cache hit, per hardware update and the
// final decision. Plain data (bigints included), so a trace can be stored, diffed and replayed.
// A step is a variant of a discriminated union on `kind`, each with exactly the fields that kind
// carries: a switch over `kind` narrows, and `assertNever` (never.ts) makes it exhaustive.
import type { EventRecord } from './events.ts';
import type { ChangedWord } from './stale.ts';
import type { TlbEntry } from './tlb.ts';

/** Which input bits chose an index: `name[hi:lo] = index`. */
export interface IndexBits {
  readonly name: 'SID' | 'SSID' | 'VA' | 'IPA';
  readonly value: bigint;
  readonly hi: number;
  readonly lo: number;
  readonly index: number;
}

/** Set on stage-2 steps that serve a stage-1 access: CD fetch, TT fetch, or the final IPA. */
export type NestedClass = 'CD' | 'TT' | 'IN';

interface Noted {
  /** One sentence: what the SMMU decides at this step. */
  readonly note: string;
}

/** A structure read from memory: its physical address, the words read, the index bits. */
interface Read extends Noted {
  readonly pa: bigint;
  readonly value: readonly bigint[];
  readonly input: IndexBits;
}

/** Level-1 stream table descriptor read (§5.1). */
export interface L1stdStep extends Read {
  readonly kind: 'l1std';
}

/** STE read (§5.2). */
export interface SteStep extends Read {
  readonly kind: 'ste';
}

/** Level-1 CD table descriptor read (§5.3); `ipa` under nesting (stage-2 translated to `pa`). */
export interface L1cdStep extends Read {
  readonly kind: 'l1cd';
  readonly ipa?: bigint;
}

/** CD read (§5.4); `ipa` under nesting (stage-2 translated to `pa`). */
export interface CdStep extends Read {
  readonly kind: 'cd';
  readonly ipa?: bigint;
}

/** Translation table descriptor read, stage 1 or 2 (`nested`: a stage-2 read serving stage 1). */
export interface TtStep extends Read {
  readonly kind: 'tt';
  readonly stage: 1 | 2;
  readonly level: number;
  readonly ipa?: bigint;
  readonly nested?: NestedClass;
}

/** Configuration cache hit: the STE, L1 descriptor or CD was not read from memory. */
export interface CfgHitStep extends Noted {
  readonly kind: 'cfg-hit';
  readonly struct: 'l1std' | 'ste' | 'l1cd' | 'cd';
  readonly pa: bigint;
  readonly value: readonly bigint[];
  readonly input?: IndexBits;
  /** The cached copy is stale: the words memory no longer holds (CFGI missing). */
  readonly stale?: readonly ChangedWord[];
}

/** TLB hit (stage 2 only when a stage-2 lookup reports it on its own). */
export interface TlbHitStep extends Noted {
  readonly kind: 'tlb-hit';
  readonly stage?: 2;
  readonly nested?: NestedClass;
  readonly tlb: TlbEntry;
  /** The entry is stale: its walk's descriptors memory no longer holds (TLBI missing). */
  readonly stale?: readonly ChangedWord[];
}

export interface TlbMissStep extends Noted {
  readonly kind: 'tlb-miss';
}

/** The endpoint's ATC translated the access itself: no request reached the SMMU. */
export interface AtcHitStep extends Noted {
  readonly kind: 'atc-hit';
}

/** Hardware update of the access flag / dirty state: `old` became `value[0]`. */
export interface HttuStep extends Noted {
  readonly kind: 'httu';
  readonly stage: 1 | 2;
  readonly level: number;
  readonly pa: bigint;
  readonly old: bigint;
  readonly value: readonly bigint[];
  readonly nested?: NestedClass;
}

/** A decision without a memory read (bypass, SMMUEN=0, range checks…), about `struct`. */
export interface DecisionStep extends Noted {
  readonly kind: 'decision';
  readonly struct?: 'gbpa' | 'transaction' | 'tlb' | 'atc' | 'ste' | 'cd';
  readonly stage?: 2;
  readonly nested?: NestedClass;
}

/** An event record built, and written to the event queue (slot, PA, raw words) or lost. */
export interface EventStep extends Noted {
  readonly kind: 'event';
  readonly event: EventRecord;
  readonly eventRaw?: readonly bigint[];
  readonly eventSlot?: number;
  readonly eventPa?: bigint;
}

/** The outcome of the translation, in one sentence. */
export interface ResultStep extends Noted {
  readonly kind: 'result';
}

export type TraceStep =
  | L1stdStep
  | SteStep
  | L1cdStep
  | CdStep
  | TtStep
  | CfgHitStep
  | TlbHitStep
  | TlbMissStep
  | AtcHitStep
  | HttuStep
  | DecisionStep
  | EventStep
  | ResultStep;

export type StepKind = TraceStep['kind'];

/** The variant of `kind`. */
export type StepOf<K extends StepKind> = Extract<TraceStep, { kind: K }>;

export type Trace = TraceStep[];

// Fields several kinds share, read without a switch (`in` narrows to the kinds that carry them).
/** The input bits a step indexed with (reads; a cache hit that stands for one). */
export const stepInput = (t: TraceStep): IndexBits | undefined =>
  'input' in t ? t.input : undefined;
/** The translation stage a step belongs to, where its kind says. */
export const stepStage = (t: TraceStep): 1 | 2 | undefined => ('stage' in t ? t.stage : undefined);
/** For a stage-2 step serving a stage-1 access: what it fetched (CD, TT) or translated (IN). */
export const stepNested = (t: TraceStep): NestedClass | undefined =>
  'nested' in t ? t.nested : undefined;
