// Helpers for tests and benchmarks: an SMMU brought up the way a bare-metal driver does it
// (structures in memory first, then the registers, then CR0). Not used by the app.
import { buildCommand, type Command } from './commands.ts';
import { PhysMem } from './memory.ts';
import { DEFAULT_SMMU, type SmmuPlatform } from './platform.ts';
import { qIndex, qInc } from './queues.ts';
import { writeRegister } from './regwrite.ts';
import { Smmu } from './smmu.ts';

export interface BringUp {
  readonly strtab: bigint;
  readonly log2size: number;
  readonly fmt?: 'linear' | '2level';
  readonly split?: number;
  readonly cmdq?: bigint;
  readonly evtq?: bigint;
  readonly priq?: bigint;
  readonly recinvsid?: boolean;
  readonly ptm?: boolean;
}

export const CMDQ_PA = 0x4000_0000n;
export const EVTQ_PA = 0x4001_0000n;
export const PRIQ_PA = 0x4002_0000n;

export function makeSmmu(over: Partial<SmmuPlatform> = {}): Smmu {
  const platform = { ...DEFAULT_SMMU, ...over };
  return new Smmu(platform, new PhysMem(platform.ram));
}

/** Programs the registers and enables the SMMU with its command and event queues (8 entries). */
export function bringUp(smmu: Smmu, b: BringUp): Smmu {
  const w = (n: Parameters<typeof writeRegister>[1], v: bigint): void =>
    void writeRegister(smmu, n, v);
  w('STRTAB_BASE', b.strtab);
  const fmt = b.fmt === '2level' ? 1n : 0n;
  w('STRTAB_BASE_CFG', (fmt << 16n) | (BigInt(b.split ?? 8) << 6n) | BigInt(b.log2size));
  w('CMDQ_BASE', (b.cmdq ?? CMDQ_PA) | 3n);
  w('EVENTQ_BASE', (b.evtq ?? EVTQ_PA) | 3n);
  w('PRIQ_BASE', (b.priq ?? PRIQ_PA) | 3n);
  w('CR2', (b.recinvsid === false ? 0n : 2n) | (b.ptm ? 4n : 0n));
  w('CR0', 0b1111n); // SMMUEN | PRIQEN | EVENTQEN | CMDQEN
  return smmu;
}

/** Writes commands at CMDQ_PROD and advances it, as a driver would; returns the log. */
export function issue(smmu: Smmu, cmds: readonly Command[]): ReturnType<Smmu['takeLog']> {
  for (const c of cmds) {
    const q = smmu.queue('CMDQ');
    const pa = q.base + BigInt(qIndex(q.prod, q.log2size)) * 16n;
    smmu.mem.writeWords(pa, c.raw);
    writeRegister(smmu, 'CMDQ_PROD', BigInt(qInc(q.prod, q.log2size)));
  }
  return smmu.takeLog();
}

export const cmd = buildCommand;
