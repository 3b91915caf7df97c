// The scenario document, version 2 (docs/scenario-format.md): the JSON contract the UI, links,
// CLI and tests speak. Addresses and sizes are strings here ("0x7fff_dead_b000"); parse.ts turns
// a document into typed ops with bigints. Each op's document is declared with its definition
// (ops/). Version 1 documents still load: upgrade.ts turns them into version 2 (their "mainline"
// meant the era v6.11).
import { DEFAULT_ERA, type KernelProfile } from '../kernel/index.ts';
import type { NoteDoc, TourDoc } from './notes.ts';
import type { OpDoc } from './ops/index.ts';

export type { Access, KernelProfile } from '../kernel/index.ts';
export type { OpDoc, OpDocOf, OpName } from './ops/index.ts';

export const FORMAT = 'sva-explorer/scenario';
/** The version this code writes. */
export const VERSION = 2;
/** Every version this code reads. */
export type DocVersion = 1 | 2;

/** Protection strings: any of r, w, x in that order ("r", "rw", "rx", "rwx", "w", …). */
export type Prot = string;

export interface SmmuPlatformDoc {
  sidBits?: number;
  ssidBits?: number;
  asidBits?: 8 | 16;
  vmidBits?: 8 | 16;
  oas?: number;
  streamTable?: 'linear' | '2level';
  cd2l?: boolean;
  ats?: boolean;
  pri?: boolean;
  stall?: 'none' | 'supported' | 'forced';
  btm?: boolean;
  httu?: 'none' | 'af' | 'af+dirty';
  rangeInv?: boolean;
  /** ID-register features (IDR1.ATTR_PERMS_OVR, IDR3.HAD/E0PD/PPS, IDR5.STALL_MAX). */
  attrPermsOvr?: boolean;
  had?: boolean;
  e0pd?: boolean;
  pps?: boolean;
  stallMax?: number;
  /** IDR0.S2P: stage 2 implemented (false: a stage-1-only SMMU, no nesting). */
  s2?: boolean;
  tlbEntries?: number;
  cmdqEntries?: number;
  evtqEntries?: number;
  priqEntries?: number;
  /** Extensions (this model): cache sizes, and where RAM is. */
  cfgCacheEntries?: number;
  atcEntries?: number;
  ramBase?: string;
  ramSize?: string;
}

export interface CpuPlatformDoc {
  granule?: '4K' | '16K' | '64K';
  vaBits?: number;
  asidBits?: 8 | 16;
}

export interface ScenarioDoc {
  format: typeof FORMAT;
  version: DocVersion;
  title?: string;
  kernel?: KernelProfile;
  platform?: { smmu?: SmmuPlatformDoc; cpu?: CpuPlatformDoc };
  ops: OpDoc[];
  cursor?: { op: number; step: number };
  /** Notes attached to moments (notes.ts); they never change what the ops do. */
  notes?: NoteDoc[];
  /** Guided tours: ordered stops (notes.ts). */
  tours?: TourDoc[];
}

export const emptyScenario = (): ScenarioDoc => ({
  format: FORMAT,
  version: VERSION,
  kernel: DEFAULT_ERA,
  ops: [],
});
