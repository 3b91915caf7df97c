// Submitting commands as arm-smmu-v3.c does (arm_smmu_cmdq_issue_cmdlist): entries written at
// PROD in batches of CMDQ_BATCH_ENTRIES (64), then PROD moved; a batch may end with CMD_SYNC.
// A command error is recovered as Linux does (arm_smmu_cmdq_skip_err): the bad entry is
// overwritten with a CMD_SYNC and GERRORN acknowledged.
import {
  buildCommand,
  hex64,
  qIndex,
  qInc,
  writeRegister,
  type Command,
  type CommandList,
} from '../../engine/index.ts';
import { log, type KCtx } from '../ctx.ts';

const BATCH = 64;

/** CMD_SYNC as Linux builds it without MSI polling: CS=SEV, MSH=ISH, MSIAttr=OIWB (E14). */
const SYNC = buildCommand('CMD_SYNC', { CS: 2, MSH: 3, MSIAttr: 0xf });
export const syncCommand = (): Command => SYNC;

/** Queues `cmds` (an array, or a series made as it is read), then a CMD_SYNC when `sync`. */
export function submit(c: KCtx, cmds: CommandList, sync: boolean): void {
  const total = cmds.length + (sync ? 1 : 0);
  /**
   * Each slot's address and the queue base it was made for, and the slot's second dword's
   * address: made once per submission (a 1 GB unmap queues 262,145 commands).
   */
  const slotPa: bigint[] = [];
  const slotPa8: bigint[] = [];
  for (let i = 0; i < total; i += BATCH) {
    let q = c.smmu.queue('CMDQ');
    let prod = q.prod;
    for (let j = i; j < i + BATCH && j < total; j++) {
      const cmd = j < cmds.length ? cmds.at(j)! : syncCommand();
      // qFree(…) === 0 (full: same index, other wrap), without an object per command.
      if (((prod ^ q.cons) & ((2 << q.log2size) - 1)) === 1 << q.log2size) {
        // Queue full: publish what is written; the SMMU consumes and frees the space.
        writeRegister(c.smmu, 'CMDQ_PROD', BigInt(prod));
        recover(c);
        q = c.smmu.queue('CMDQ');
        prod = q.prod;
      }
      const slot = qIndex(prod, q.log2size);
      let pa = slotPa[2 * slot];
      if (pa === undefined || slotPa[2 * slot + 1] !== q.base) {
        pa = slotPa[2 * slot] = q.base + BigInt(slot) * 16n;
        slotPa[2 * slot + 1] = q.base;
        slotPa8[slot] = pa + 8n;
      }
      c.mem.write64(pa, cmd.raw[0]);
      c.mem.write64(slotPa8[slot]!, cmd.raw[1]);
      c.smmu.queued[slot] = cmd; // what the SMMU will find there, already decoded
      prod = qInc(prod, q.log2size);
    }
    writeRegister(c.smmu, 'CMDQ_PROD', BigInt(prod));
    recover(c);
  }
}

function recover(c: KCtx): void {
  const s = c.smmu;
  if (!s.gerrorActive(0)) return;
  const q = s.queue('CMDQ');
  const pa = q.base + BigInt(qIndex(q.cons, q.log2size)) * 16n;
  const bad = c.mem.readWords(pa, 2) ?? [0n, 0n];
  log(
    c,
    `arm-smmu-v3: CMDQ error (cons 0x${Number(s.regs.CMDQ_CONS).toString(16).padStart(8, '0')}): Illegal command`,
  );
  log(c, `arm-smmu-v3: skipping command in error state:`);
  for (const w of bad) log(c, `arm-smmu-v3: \t${hex64(w)}`);
  c.mem.writeWords(pa, syncCommand().raw);
  writeRegister(s, 'GERRORN', s.regs.GERROR);
}
