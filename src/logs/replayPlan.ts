// What configuration makes the simulated SMMU raise the event a log recorded: one plan per event
// (replay.ts assembles the plans into one scenario and checks each by running it). A plan is
// either a recipe — the device and the state the driver left behind, an optional hand-written
// change to an STE or CD word, and the transaction — with the sentences that explain it, or the
// reason the model cannot produce the event.
//
// The causes are the spec's (§7.3, the event's text; smmuv3.md §2.3, §5.2) and what Linux writes
// (linux-sva.md §3; arm_smmu_make_cdtable_ste, arm_smmu_write_cd_entry, arm_smmu_init_l2_strtab).
import { CD, EVENT_ID, STE, S1DSS, hex, type EventRecord, type Field } from '../engine/index.ts';
import type { DecodedLogEvent } from './dmesg.ts';

export type Access = 'r' | 'w' | 'x';

/** What the device on this StreamID must be for the plan. */
export interface DeviceNeeds {
  /** Stall-capable (a platform device: the model keeps PCIe streams from stalling, §3.12). */
  readonly stall: boolean;
  readonly pasidBits: number;
  /** The domain its RID is attached to. */
  readonly domain: 'dma' | 'identity';
  /** At most this many PASID bits (C_BAD_SUBSTREAMID: the CD table is too small). */
  readonly maxPasidBits?: number;
}

/** A field of an STE or CD changed by hand before the transaction, and put back after it. */
export interface Patch {
  readonly struct: 'ste' | 'cd';
  /** CD index (SubstreamID); STE patches have none. */
  readonly ssid?: number;
  readonly field: Field;
  readonly value: number;
}

export interface Recipe {
  readonly ok: true;
  readonly sid: number;
  /** undefined: no device has this StreamID (C_BAD_STREAMID). */
  readonly device?: DeviceNeeds;
  /** The process bound with this PASID, and the page it has there (mapped with `prot`). */
  readonly pasid?: number;
  readonly vma?: { readonly addr: bigint; readonly prot: string; readonly touch: Access };
  /** A page mapped in the device's DMA domain. */
  readonly map?: { readonly iova: bigint; readonly prot: string };
  readonly patch?: Patch;
  /** The transaction: by the device (kernel-level dma) or by bare StreamID. */
  readonly trigger: {
    readonly bare: boolean;
    readonly ssid?: number;
    readonly addr: bigint;
    readonly access: Access;
    readonly priv: boolean;
  };
  readonly explain: readonly string[];
}

export type Plan = Recipe | { readonly ok: false; readonly why: string };

const no = (why: string): Plan => ({ ok: false, why });
const page = (a: bigint): bigint => a & ~0xfffn;
const bitsFor = (n: number): number => (n <= 0 ? 0 : Math.floor(Math.log2(n)) + 1);
/** PASIDs the replay reaches by binding processes one after another (each bind takes the next). */
export const MAX_REPLAY_PASID = 64;

/** The device access that records these RnW/InD bits (InD is 0 whenever RnW is 0, §7.3). */
const accessOf = (r: EventRecord): Access | undefined =>
  r.ind ? (r.rnw ? 'x' : undefined) : r.rnw ? 'r' : 'w';

const sidText = (sid: number): string => `SID ${hex(sid)}`;

export function planEvent(e: DecodedLogEvent): Plan {
  const r = e.record;
  if (e.missing?.length) return no(`the log lacks dw${e.missing.join(', dw')} of this record`);
  const sid = sidText(r.sid);
  const trig = { bare: false, addr: r.addr, access: 'r' as Access, priv: false };
  const ssvPart = r.ssv ? { ssid: r.ssid } : {};
  const dev = (pasidBits: number, extra: Partial<DeviceNeeds> = {}): DeviceNeeds => ({
    stall: false,
    pasidBits,
    domain: 'dma',
    ...extra,
  });
  switch (r.id) {
    case EVENT_ID.C_BAD_STREAMID:
      return {
        ok: true,
        sid: r.sid,
        trigger: { ...trig, bare: true, ...ssvPart, addr: 0n },
        explain: [
          `No STE for ${sid}: the SMMU found no stream table entry for it, so the SID is outside the stream table (IDR1.SIDSIZE, STRTAB_BASE_CFG.LOG2SIZE) or its level-1 descriptor is invalid.`,
          'Linux allocates a level-2 stream table only for the StreamIDs of devices it probed (arm_smmu_init_l2_strtab): a device the firmware tables (IORT ID mappings, DT iommu-map) do not describe, or describe with another SID, has none.',
          `In the replay no device has ${sid}: a transaction from it (sent by bare StreamID) finds no STE.`,
        ],
      };
    case EVENT_ID.C_BAD_STE:
      return {
        ok: true,
        sid: r.sid,
        device: dev(0),
        patch: { struct: 'ste', field: STE.V, value: 0 },
        trigger: { ...trig, bare: true, ...ssvPart, addr: 0n },
        explain: [
          `The STE of ${sid} is invalid (V=0) or ILLEGAL.`,
          'Linux writes every STE of a probed device with V=1 (abort, bypass or translate; arm_smmu_init_initial_stes, arm_smmu_write_ste), so a V=0 STE was written by something else: firmware, a previous kernel (kdump), or a corrupted table.',
          `The replay probes a device on ${sid}, clears STE.V by hand (with CMD_CFGI_STE and CMD_SYNC), sends the transaction, and puts the word back.`,
        ],
      };
    case EVENT_ID.F_STREAM_DISABLED:
      if (r.ssv) {
        if (r.ssid !== 0)
          return no(
            'F_STREAM_DISABLED with a SubstreamID other than 0 is not an architected case (§5.2 S1DSS)',
          );
        return {
          ok: true,
          sid: r.sid,
          device: dev(1),
          trigger: { ...trig, ssid: 0, addr: 0n },
          explain: [
            `${sid} sent a transaction with SubstreamID 0 while its STE had S1DSS=0b10 (SSID0).`,
            'Linux keeps CD 0 for the device’s own DMA domain (traffic without a PASID), so a transaction that carries PASID 0 explicitly is refused (smmuv3.md §2.3).',
          ],
        };
      }
      return {
        ok: true,
        sid: r.sid,
        device: dev(1),
        patch: { struct: 'ste', field: STE.S1DSS, value: S1DSS.TERMINATE },
        trigger: { ...trig, addr: 0n },
        explain: [
          `${sid} sent a transaction without a SubstreamID while its STE had a CD table (S1CDMax > 0) and S1DSS=0b00 (terminate).`,
          'Mainline Linux writes S1DSS=TERMINATE when a device has PASIDs in use while its RID is in a blocked domain (arm_smmu_make_cdtable_ste from arm_smmu_set_pasid); traffic without a PASID is then refused. A device that should use no PASID but was described with pasid-num-bits / a PASID capability gets a CD table too.',
          'The kernel model keeps CD tables in DMA domains (S1DSS=SSID0), so the replay writes S1DSS=0b00 into the STE by hand (CMD_CFGI_STE, CMD_SYNC), sends the transaction, and puts the word back.',
        ],
      };
    case EVENT_ID.C_BAD_SUBSTREAMID: {
      const bits = bitsFor(r.ssid) - 1;
      return {
        ok: true,
        sid: r.sid,
        device: dev(0, { maxPasidBits: Math.max(0, bits) }),
        trigger: { ...trig, bare: true, ssid: r.ssid, addr: 0n },
        explain: [
          `${sid} sent SubstreamID ${r.ssid}, which its STE does not allow: the CD table holds 2^S1CDMax entries${bits > 0 ? ` (here 2^${bits})` : ''}, or there is none (S1CDMax=0, or stage 1 bypassed), or the level-1 CD descriptor for it is invalid.`,
          'Linux sizes the CD table from the device’s PASID width (master->ssid_bits: the PCIe PASID capability, DT pasid-num-bits): the device used a PASID the driver never gave it.',
          `In the replay the device has ${Math.max(0, bits)} PASID bits and the transaction is sent by bare StreamID with SubstreamID ${r.ssid}.`,
        ],
      };
    }
    case EVENT_ID.C_BAD_CD:
      return planBadCd(r, sid, trig, dev);
    case EVENT_ID.F_TRANSLATION:
    case EVENT_ID.F_PERMISSION:
    case EVENT_ID.F_ADDR_SIZE: {
      const acc = accessOf(r);
      if (!acc)
        return no(
          'InD=1 with RnW=0 is not an access a device makes (instruction fetches are reads)',
        );
      return planTranslation(r, sid, acc, dev);
    }
    case EVENT_ID.F_ACCESS:
      return no(
        'F_ACCESS needs a leaf with AF=0 that the SMMU may not set (HTTU off); the kernel model maps every present page with AF=1',
      );
    case EVENT_ID.F_STE_FETCH:
    case EVENT_ID.F_CD_FETCH:
    case EVENT_ID.F_VMS_FETCH:
    case EVENT_ID.F_WALK_EABT:
      return no(
        `${r.name} is an external abort on a structure fetch (FetchAddr ${hex(r.fetchAddr)}); the replay does not place structures outside memory`,
      );
    case EVENT_ID.F_BAD_ATS_TREQ:
    case EVENT_ID.F_TRANSL_FORBIDDEN:
      return no(
        `${r.name} concerns ATS traffic the STE does not allow; the model's devices send ATS requests only when the STE enables ATS`,
      );
    case EVENT_ID.F_TLB_CONFLICT:
    case EVENT_ID.F_CFG_CONFLICT:
    case EVENT_ID.E_PAGE_REQUEST:
      return no(`the model does not produce ${r.name}`);
    default:
      return no(`${r.name} is not an event the model defines`);
  }
}

type Trig = Recipe['trigger'];
type Dev = (pasidBits: number, extra?: Partial<DeviceNeeds>) => DeviceNeeds;

function planBadCd(r: EventRecord, sid: string, trig: Trig, dev: Dev): Plan {
  if (!r.ssv)
    return {
      ok: true,
      sid: r.sid,
      device: dev(1),
      patch: { struct: 'cd', ssid: 0, field: CD.V, value: 0 },
      trigger: { ...trig, addr: 0n },
      explain: [
        `CD 0 of ${sid} is invalid (V=0) or ILLEGAL: traffic without a PASID uses CD 0 (S1DSS=SSID0), which holds the device’s DMA domain.`,
        'The driver had not written CD 0 yet, or had cleared it while the STE still pointed at the CD table.',
        'The replay clears CD 0’s V bit by hand (CMD_CFGI_CD, CMD_SYNC), sends the transaction, and puts the word back.',
      ],
    };
  if (r.ssid >= 1024)
    return no(
      `CD ${r.ssid} lies in a level-2 CD table (1,024 CDs each) that Linux allocates only when it installs a CD there; the model would raise C_BAD_SUBSTREAMID (its L1CD is invalid)`,
    );
  return {
    ok: true,
    sid: r.sid,
    device: dev(bitsFor(r.ssid)),
    trigger: { ...trig, ssid: r.ssid, addr: 0n },
    explain: [
      `CD ${r.ssid} of ${sid} is invalid: the driver had not written it, or had cleared it.`,
      `No process was bound to the device with PASID ${r.ssid} (iommu_sva_bind_device), or it was unbound (iommu_sva_unbind_device clears the CD) while the device still used the PASID.`,
      `In the replay the device has a CD table of 2^${bitsFor(r.ssid)} CDs and nothing bound at PASID ${r.ssid}.`,
    ],
  };
}

function planTranslation(r: EventRecord, sid: string, access: Access, dev: Dev): Plan {
  if (r.s2) return no('a stage-2 fault (S2=1): the replay builds stage-1 configurations only');
  if (r.class !== 'IN')
    return no(
      `CLASS=${r.class}: a fault while fetching a CD or a table (stage-2 only); the replay builds stage-1 configurations only`,
    );
  const pg = page(r.addr);
  const stall = r.stall;
  const who = r.ssv
    ? `the process bound with PASID ${r.ssid} (CD ${r.ssid} of ${sid})`
    : `the DMA domain of ${sid} (CD 0)`;
  const trig = {
    bare: false,
    addr: r.addr,
    access,
    priv: r.pnu,
    ...(r.ssv ? { ssid: r.ssid } : {}),
  };
  const stallText = stall
    ? [
        `Stall=1: the SMMU held the transaction (STAG ${hex(r.stag)}) for the kernel’s I/O page-fault handler, which answers with CMD_RESUME; Linux (≥ v5.13) prints a stalled event only when it could not hand it to that handler (arm_smmu_handle_evt failed).`,
      ]
    : [];
  if (r.ssv && r.ssid > MAX_REPLAY_PASID)
    return no(
      `PASID ${r.ssid}: the replay reaches PASIDs by binding processes one by one (PASIDs are allocated from 1), up to ${MAX_REPLAY_PASID}`,
    );
  if (r.ssv && r.ssid === 0)
    return no('SubstreamID 0 with SSV=1: Linux refuses it before translation (F_STREAM_DISABLED)');
  const base = { ok: true as const, sid: r.sid, trigger: trig };
  const pasidBits = r.ssv ? Math.max(bitsFor(r.ssid), 1) : 0;
  if (r.id === EVENT_ID.F_TRANSLATION)
    return {
      ...base,
      device: dev(pasidBits, { stall }),
      ...(r.ssv ? { pasid: r.ssid } : {}),
      explain: [
        `${hex(r.addr)} has no valid translation in the tables of ${who}.`,
        r.ssv
          ? 'The process had no VMA there, or had not touched the page (SVA shares the CPU page tables: a page the CPU never faulted in is not mapped), or it was unmapped.'
          : 'The driver did not map that IOVA (no dma_map_* for it), or had already unmapped it: a stale descriptor or a use after dma_unmap.',
        ...stallText,
      ],
    };
  if (r.id === EVENT_ID.F_PERMISSION) {
    const prot = access === 'w' ? 'r' : access === 'r' ? 'x' : 'rw';
    const touch: Access = access === 'w' ? 'r' : access === 'r' ? 'x' : 'r';
    const what = access === 'w' ? 'writes' : access === 'r' ? 'reads' : 'instruction fetches';
    return {
      ...base,
      device: dev(pasidBits, { stall }),
      ...(r.ssv ? { pasid: r.ssid, vma: { addr: pg, prot, touch } } : { map: { iova: pg, prot } }),
      explain: [
        `The page at ${hex(pg)} is mapped in the tables of ${who}, but its descriptor does not allow ${what}${r.pnu ? '' : ' at EL0 (PnU=0: an unprivileged access)'}.`,
        r.ssv
          ? `The process mapped it "${prot}" (mmap/mprotect), and the device tried what the CPU may not do either.`
          : `The driver mapped it "${prot}" (the DMA direction it asked for) and the device did the opposite.`,
        ...stallText,
      ],
    };
  }
  // F_ADDR_SIZE: with stage 1 bypassed, an input address beyond the IAS.
  if (r.ssv || r.addr < 1n << 48n)
    return no(
      'F_ADDR_SIZE for an address inside the 48-bit input range means an output address beyond the OAS (a descriptor pointing above physical memory); the replay does not write such descriptors',
    );
  return {
    ...base,
    device: dev(0, { domain: 'identity', stall }),
    explain: [
      `${hex(r.addr)} is beyond the SMMU’s 48-bit input address size while stage 1 is bypassed for ${sid} (an identity domain: STE Config=bypass).`,
      'A device in passthrough must emit physical addresses; this one sent an address no system can have — a corrupted descriptor, or an IOVA meant for a translated domain.',
    ],
  };
}
