// Probe and reset, in the order arm-smmu-v3.c arm_smmu_device_reset uses: CR0=0, CR1, CR2,
// stream table, command queue + CMDQEN, CFGI_ALL + SYNC, TLBI_NSNH_ALL + SYNC, event queue +
// EVENTQEN, PRI queue + PRIQEN, SMMUEN. Queues are sized by the platform (capped by IDR1).
import { buildCommand, writeRegister, STE_BYTES } from '../../engine/index.ts';
import { allocZeroed, log, type KCtx } from '../ctx.ts';
import { eraOf } from '../eras/index.ts';
import { fail } from '../errors.ts';
import type { DriverState } from '../state.ts';
import { submit } from './cmdq.ts';
import { abortSte, SPLIT } from './strtab.ts';

const log2 = (n: number): number => Math.round(Math.log2(n));

/**
 * The largest stream table dmam_alloc_coherent can hand out in one piece, in this model: a block
 * of the buddy allocator's largest order (MAX_PAGE_ORDER 10: 4 MB of 4 KB pages), i.e. 2^16 STEs.
 * Inference: a CMA area could serve more; Linux itself sets no limit but the allocation's.
 */
export const MAX_COHERENT = 4n << 20n;

/**
 * arm_smmu_init_strtab_linear: 2^sid_bits STEs in one coherent allocation, or probe fails with
 * -ENOMEM ("failed to allocate linear stream table (%u bytes)"). arm_smmu_device_hw_probe picks a
 * linear table when IDR0.ST_LEVEL says linear only, or when sid_bits <= STRTAB_SPLIT; it never
 * caps sid_bits, and the SMMUv3 spec requires 2-level support from SIDSIZE 7 up (IDR0.ST_LEVEL),
 * so a linear-only SMMU with wide StreamIDs is not a real one: the probe's allocation fails
 * before any STE is written. (Linux's size is a u32, which overflows from 26 bits up; the
 * message gives the true size.)
 */
function linearBytes(c: KCtx): bigint {
  const bits = c.smmu.platform.sidBits;
  const bytes = STE_BYTES << BigInt(bits);
  const ram = c.k.frames.end - c.k.frames.base;
  if (bytes > MAX_COHERENT || bytes > ram)
    fail(
      '-ENOMEM',
      `arm-smmu-v3: failed to allocate linear stream table (${bytes} bytes: ${2n ** BigInt(bits)} STEs of ${STE_BYTES} bytes for ${bits}-bit StreamIDs)${bytes > ram ? '' : `, more than the ${MAX_COHERENT >> 20n} MB the model lets one coherent allocation take (inferred: the buddy allocator's largest block; a CMA area could serve more)`}; the driver's probe fails and no device behind this SMMU can be used. An SMMU with 2-level stream tables (platform.smmu.streamTable "2level") or fewer StreamID bits boots`,
    );
  return bytes;
}

export function probe(c: KCtx): DriverState {
  const p = c.smmu.platform;
  const twoLevel = p.streamTable === '2level' && p.sidBits > SPLIT;
  let strtab: DriverState['strtab'];
  if (twoLevel) {
    const l1Bits = Math.min(17, p.sidBits - SPLIT);
    const base = allocZeroed(
      c,
      BigInt(2 ** l1Bits) * 8n,
      'strtab',
      `L1 stream table (${2 ** l1Bits} L1STDs, all Span=0)`,
    );
    strtab = { base, fmt: '2level', log2size: l1Bits + SPLIT, split: SPLIT, l2: new Map() };
  } else {
    const n = 2 ** p.sidBits;
    const base = allocZeroed(c, linearBytes(c), 'strtab', `linear stream table (${n} STEs)`);
    const abort = abortSte();
    for (let i = 0; i < n; i++) c.mem.write64(base + BigInt(i) * STE_BYTES, abort[0]!);
    strtab = { base, fmt: 'linear', log2size: p.sidBits, split: SPLIT, l2: new Map() };
  }
  const queue = (entries: number, bytes: number, what: string) => ({
    base: allocZeroed(c, BigInt(entries * bytes), 'queue', what),
    log2size: log2(entries),
  });
  const cmdq = queue(p.cmdqEntries, 16, `command queue (${p.cmdqEntries} × 16 B)`);
  const evtq = queue(p.evtqEntries, 32, `event queue (${p.evtqEntries} × 32 B)`);
  const priq = queue(p.priqEntries, 16, `PRI queue (${p.priqEntries} × 16 B)`);
  // The 2017 trees let the SMMU snoop CPU TLBIs when it can (CR2.PTM=0); upstream never does:
  // arm_smmu_device_hw_probe never sets ARM_SMMU_FEAT_BTM and reset sets CR2.PTM (eras.md §1).
  const btm = eraOf(c.k.era).config.btm && p.btm;
  const reg = (name: Parameters<typeof writeRegister>[1], v: bigint): void =>
    void writeRegister(c.smmu, name, v);
  reg('CR0', 0n);
  reg('CR1', (1n << 8n) | (1n << 6n) | (3n << 4n) | (1n << 2n) | 1n | (3n << 10n));
  reg('CR2', (1n << 1n) | (btm ? 0n : 1n << 2n)); // RECINVSID, PTM unless BTM is used
  reg('STRTAB_BASE', strtab.base);
  reg(
    'STRTAB_BASE_CFG',
    ((twoLevel ? 1n : 0n) << 16n) | (BigInt(SPLIT) << 6n) | BigInt(strtab.log2size),
  );
  reg('CMDQ_BASE', cmdq.base | BigInt(cmdq.log2size));
  reg('CMDQ_PROD', 0n);
  reg('CMDQ_CONS', 0n);
  reg('CR0', 1n << 3n); // CMDQEN
  submit(c, [buildCommand('CMD_CFGI_ALL', {})], true);
  submit(c, [buildCommand('CMD_TLBI_NSNH_ALL', {})], true);
  reg('EVENTQ_BASE', evtq.base | BigInt(evtq.log2size));
  reg('EVENTQ_PROD', 0n);
  reg('EVENTQ_CONS', 0n);
  reg('CR0', (1n << 3n) | (1n << 2n));
  reg('PRIQ_BASE', priq.base | BigInt(priq.log2size));
  reg('PRIQ_PROD', 0n);
  reg('PRIQ_CONS', 0n);
  reg('CR0', (1n << 3n) | (1n << 2n) | (p.pri ? 1n << 1n : 0n));
  reg('IRQ_CTRL', 7n);
  reg('CR0', (1n << 3n) | (1n << 2n) | (p.pri ? 1n << 1n : 0n) | 1n); // SMMUEN
  log(
    c,
    `arm-smmu-v3: ias ${p.oas}-bit, oas ${p.oas}-bit; ${strtab.fmt} stream table at 0x${strtab.base.toString(16)}; ${btm ? 'BTM: CPU TLB invalidations are snooped (CR2.PTM=0)' : 'private TLB maintenance (CR2.PTM=1)'}`,
  );
  return { strtab, cmdq, evtq, priq, asids: { cursor: 1, used: new Set() }, btm };
}
