// Register writes and their side effects (§6.3): CR0/CR0ACK, the SMMUEN guards on the table and
// queue base registers, GBPA's Update handshake, queue pointers that start command consumption,
// and GERRORN acknowledgements that let a stopped command queue go on.
import { bit, hex } from './bits.ts';
import { processCommandQueue } from './cmdq.ts';
import { REG_FIELDS, WRITABLE_REGS, type RegName } from './registers.ts';
import type { Smmu } from './smmu.ts';
import { knownBits } from './bits.ts';

const MASKS = Object.fromEntries(
  Object.entries(REG_FIELDS).map(([name, table]) => [name, knownBits(table, 1)[0]!]),
) as Record<RegName, bigint>;

const QUEUE_POINTERS: ReadonlySet<RegName> = new Set<RegName>([
  'CMDQ_PROD',
  'CMDQ_CONS',
  'EVENTQ_PROD',
  'EVENTQ_CONS',
  'PRIQ_PROD',
  'PRIQ_CONS',
]);

/** Writes a register; returns one sentence on what it did (for the op record). */
export function writeRegister(smmu: Smmu, name: RegName, value: bigint): string {
  if (!WRITABLE_REGS.includes(name)) return `SMMU_${name} is read-only: write ignored`;
  const v = value & MASKS[name];
  const r = smmu.regs;
  const d = smmu.derived;
  const guardedByEn = name === 'STRTAB_BASE' || name === 'STRTAB_BASE_CFG';
  if (guardedByEn && d.smmuen) return `SMMU_${name} is guarded by CR0.SMMUEN=1: write ignored`;
  const queueOf = name.match(/^(CMDQ|EVENTQ|PRIQ)_BASE$/)?.[1];
  if (queueOf) {
    const en = queueOf === 'CMDQ' ? d.cmdqen : queueOf === 'EVENTQ' ? d.evtqen : d.priqen;
    if (en) return `SMMU_${name} is guarded by its queue enable: write ignored`;
  }
  let said = `SMMU_${name} = ${hex(v)}`;
  switch (name) {
    case 'CR0': {
      const wasEnabled = d.smmuen;
      r.CR0 = v;
      r.CR0ACK = v; // updates take effect at once in this model
      if (wasEnabled && !bit(v, 0)) {
        // Clearing SMMUEN marks stalled transactions for termination with abort (§6.3.9.6).
        for (const stag of [...smmu.stalls.keys()]) smmu.stalls.delete(stag);
        said += '; SMMUEN cleared: stalled transactions aborted';
      }
      break;
    }
    case 'GBPA':
      if (!bit(v, 31)) return 'SMMU_GBPA write without Update=1: ignored (§6.3.14.1)';
      r.GBPA = v & ~(1n << 31n);
      break;
    case 'GERRORN':
      r.GERRORN = v;
      break;
    default:
      r[name] = v;
  }
  // Queue pointers are not among the registers the derived state reads (derived.ts).
  if (!QUEUE_POINTERS.has(name)) smmu.derive();
  if (name === 'EVENTQ_CONS') smmu.flushPendingStallRecords();
  if (name === 'CMDQ_PROD' || name === 'GERRORN' || (name === 'CR0' && smmu.derived.cmdqen))
    processCommandQueue(smmu);
  return said;
}
