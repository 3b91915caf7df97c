// Ops as the runner sees them: defaults filled in, numbers as bigints.
import type { Access, KernelProfile } from './format.ts';
import type { GranuleShift, SmmuPlatform } from '../engine/index.ts';

export interface Perms {
  readonly r: boolean;
  readonly w: boolean;
  readonly x: boolean;
}

export type Op =
  | {
      readonly op: 'device';
      readonly name: string;
      readonly sid: number;
      readonly bus: 'pci' | 'platform';
      readonly pasidBits: number;
      readonly ats: boolean;
      readonly pri: boolean;
      readonly stall: boolean;
    }
  | {
      readonly op: 'domain';
      readonly name: string;
      readonly type: 'dma' | 'identity' | 'blocked';
      readonly granule: GranuleShift | undefined;
    }
  | { readonly op: 'attach'; readonly dev: string; readonly domain: string }
  | {
      readonly op: 'map';
      readonly target: MapTarget;
      readonly iova: bigint;
      readonly size: bigint;
      readonly prot: Perms;
      readonly pa: bigint | undefined;
    }
  | {
      readonly op: 'unmap';
      readonly target: MapTarget;
      readonly iova: bigint;
      readonly size: bigint;
    }
  | { readonly op: 'process'; readonly name: string; readonly pid: number | undefined }
  | {
      readonly op: 'mmap';
      readonly proc: string;
      readonly addr: bigint;
      readonly size: bigint;
      readonly prot: Perms;
      readonly populate: boolean;
    }
  | {
      readonly op: 'munmap' | 'pin' | 'unpin' | 'reclaim';
      readonly proc: string;
      readonly addr: bigint;
      readonly size: bigint;
    }
  | {
      readonly op: 'mprotect';
      readonly proc: string;
      readonly addr: bigint;
      readonly size: bigint;
      readonly prot: Perms;
    }
  | { readonly op: 'touch'; readonly proc: string; readonly addr: bigint; readonly access: Access }
  | {
      readonly op: 'bind';
      readonly dev: string;
      readonly proc: string;
      readonly tables: 'shared' | 'private';
    }
  | { readonly op: 'unbind'; readonly dev: string; readonly proc: string }
  | { readonly op: 'exit'; readonly proc: string }
  | {
      readonly op: 'dma';
      readonly dev: string | undefined;
      readonly sid: number | undefined;
      readonly pasid: number | undefined;
      readonly addr: bigint;
      readonly access: Access;
      readonly priv: boolean;
      readonly count: number;
      readonly stride: bigint;
    }
  | { readonly op: 'write64'; readonly pa: bigint; readonly value: bigint }
  | { readonly op: 'reg'; readonly name: string; readonly value: bigint }
  | {
      readonly op: 'cmd';
      readonly name: string;
      readonly fields: Readonly<Record<string, bigint>>;
    };

export type MapTarget =
  | { readonly kind: 'domain'; readonly domain: string }
  | { readonly kind: 'private'; readonly dev: string; readonly proc: string };

export interface CpuPlatform {
  readonly granule: GranuleShift;
  readonly vaBits: number;
  readonly asidBits: 8 | 16;
}

export const DEFAULT_CPU: CpuPlatform = { granule: 12, vaBits: 48, asidBits: 16 };

export interface Platform {
  readonly smmu: SmmuPlatform;
  readonly cpu: CpuPlatform;
}

export interface Scenario {
  readonly title: string | undefined;
  readonly kernel: KernelProfile;
  readonly platform: Platform;
  readonly ops: readonly Op[];
  readonly cursor: { readonly op: number; readonly step: number } | undefined;
}

export const permsOf = (s: string): Perms => ({
  r: s.includes('r'),
  w: s.includes('w'),
  x: s.includes('x'),
});
export const permsString = (p: Perms): string =>
  `${p.r ? 'r' : ''}${p.w ? 'w' : ''}${p.x ? 'x' : ''}` || '-';
