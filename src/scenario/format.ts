// The scenario document, version 1 (../shared/design/scenario-format.md): the JSON contract the
// UI, links, CLI and tests speak. Addresses and sizes are strings here ("0x7fff_dead_b000");
// parse.ts turns a document into typed ops with bigints.

export const FORMAT = 'sva-explorer/scenario';
export const VERSION = 1;

import type { Access, KernelProfile } from '../kernel/index.ts';

export type { Access, KernelProfile } from '../kernel/index.ts';
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

export type OpDoc =
  | {
      op: 'device';
      name: string;
      sid: number;
      bus?: 'pci' | 'platform';
      pasidBits?: number;
      ats?: boolean;
      pri?: boolean;
      stall?: boolean;
    }
  | {
      op: 'domain';
      name: string;
      type?: 'dma' | 'identity' | 'blocked';
      granule?: '4K' | '16K' | '64K';
    }
  | { op: 'attach'; dev: string; domain: string }
  | {
      op: 'map';
      domain?: string;
      dev?: string;
      proc?: string;
      iova: string;
      size: string;
      prot: Prot;
      pa?: string;
    }
  | { op: 'unmap'; domain?: string; dev?: string; proc?: string; iova: string; size: string }
  | { op: 'process'; name: string; pid?: number }
  | { op: 'mmap'; proc: string; addr: string; size: string; prot: Prot; populate?: boolean }
  | { op: 'munmap'; proc: string; addr: string; size: string }
  | { op: 'mprotect'; proc: string; addr: string; size: string; prot: Prot }
  | { op: 'touch'; proc: string; addr: string; access: Access }
  | { op: 'pin' | 'unpin' | 'reclaim'; proc: string; addr: string; size: string }
  | { op: 'bind'; dev: string; proc: string; tables?: 'shared' | 'private' }
  | { op: 'unbind'; dev: string; proc: string }
  | { op: 'exit'; proc: string }
  | {
      op: 'dma';
      dev?: string;
      sid?: number;
      pasid?: number;
      ssid?: number;
      addr: string;
      access: Access;
      priv?: boolean;
      count?: number;
      stride?: string;
    }
  | { op: 'write64'; pa: string; value: string }
  | { op: 'reg'; name: string; value: string }
  | ({ op: 'cmd'; name: string } & Record<string, unknown>);

export type OpName = OpDoc['op'];

export const KERNEL_OPS: readonly OpName[] = [
  'device',
  'domain',
  'attach',
  'map',
  'unmap',
  'process',
  'mmap',
  'munmap',
  'mprotect',
  'touch',
  'pin',
  'unpin',
  'reclaim',
  'bind',
  'unbind',
  'exit',
];
export const HARDWARE_OPS: readonly OpName[] = ['write64', 'reg', 'cmd'];

export interface ScenarioDoc {
  format: typeof FORMAT;
  version: typeof VERSION;
  title?: string;
  kernel?: KernelProfile;
  platform?: { smmu?: SmmuPlatformDoc; cpu?: CpuPlatformDoc };
  ops: OpDoc[];
  cursor?: { op: number; step: number };
}

export const emptyScenario = (): ScenarioDoc => ({
  format: FORMAT,
  version: VERSION,
  kernel: 'rfc2017',
  ops: [],
});
