// The ops the kernel runs, as the scenario's parser hands them over: defaults filled in, numbers
// as bigints, names not yet looked up. One variant per op; index.ts runs each through a handler
// table keyed by `op`, so a variant without a handler is a compile error.
import type { GranuleShift } from '../engine/index.ts';
import type { Access, Perms } from './vocab.ts';

/** The io-pgtable a map/unmap changes: a domain's, or a private PASID context's (dev + proc). */
export type MapTarget =
  | { readonly kind: 'domain'; readonly domain: string }
  | { readonly kind: 'private'; readonly dev: string; readonly proc: string };

export type KernelOp =
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
      /** A label for the VMA (scenario-format.md `mmap.name`). */
      readonly name?: string;
    }
  | VmaRange<'munmap'>
  | VmaRange<'pin'>
  | VmaRange<'unpin'>
  | VmaRange<'reclaim'>
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
  | (DmaAccess & { readonly dev: string; readonly sid: undefined })
  | VmOp;

/** A guest through iommufd (kernel/iommufd/, docs/research/nesting.md). */
export type VmOp =
  | {
      readonly op: 'vm';
      readonly name: string;
      /** Guest RAM from IPA 0. */
      readonly size: bigint;
      /** Host PA behind it; undefined: the kernel picks. */
      readonly pa: bigint | undefined;
      /** Stage-2 granule; undefined: the CPU's. */
      readonly granule: GranuleShift | undefined;
    }
  | { readonly op: 'vsmmu'; readonly name: string; readonly vm: string }
  | { readonly op: 'vdevice'; readonly vsmmu: string; readonly dev: string; readonly vsid: number }
  | { readonly op: 'gwrite64'; readonly vm: string; readonly ipa: bigint; readonly value: bigint }
  | {
      readonly op: 'nest';
      readonly dev: string;
      readonly vsmmu: string;
      /** The guest's STE, dwords 0 and 1. */
      readonly ste: readonly [bigint, bigint];
    }
  | {
      readonly op: 'ginv';
      readonly vsmmu: string;
      /** The guest's command and its spec-named fields (its vSID as StreamID). */
      readonly name: string;
      readonly fields: Readonly<Record<string, bigint>>;
    };

/** An op over a range of a process's address space. */
export interface VmaRange<K extends string> {
  readonly op: K;
  readonly proc: string;
  readonly addr: bigint;
  readonly size: bigint;
}

/**
 * A device access, `count` times `stride` apart. Named by device it runs in the kernel (the
 * device's StreamID, its faults serviced); named by StreamID alone it is bare hardware.
 */
export interface DmaAccess {
  readonly op: 'dma';
  readonly pasid: number | undefined;
  readonly addr: bigint;
  readonly access: Access;
  readonly priv: boolean;
  readonly count: number;
  readonly stride: bigint;
}

export type KernelOpName = KernelOp['op'];
export type KernelOpOf<K extends KernelOpName> = Extract<KernelOp, { readonly op: K }>;
