// What the driver's other messages mean, in place: the importer shows these sentences under the
// line. Sources: arm_smmu_gerror_handler, arm_smmu_cmdq_skip_err, arm_smmu_cmdq_issue_cmdlist and
// arm_smmu_evtq_thread (drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.c, v5.5 … v6.15), the register
// and command fields of the spec (§6.3.17 GERROR, §6.3.27 CMDQ_CONS, §4.7 CMD_SYNC, §7.1 CERROR).
import { CERROR, hex, regField } from '../engine/index.ts';
import type { LogNote } from './notes.ts';

const GERROR_TEXT: Readonly<Record<string, string>> = {
  CMDQ_ERR:
    'CMDQ_ERR: the command queue stopped at an erroneous command (CMDQ_CONS.ERR says which kind); the driver skips it and acknowledges through GERRORN',
  EVENTQ_ABT_ERR:
    'EVENTQ_ABT_ERR: an event record could not be written to the event queue (an abort on its memory): events were lost',
  PRIQ_ABT_ERR:
    'PRIQ_ABT_ERR: a page request could not be written to the PRI queue: requests were lost',
  MSI_CMDQ_ABT_ERR: 'MSI_CMDQ_ABT_ERR: the MSI of a CMD_SYNC was aborted',
  MSI_EVENTQ_ABT_ERR: 'MSI_EVENTQ_ABT_ERR: the event queue interrupt (an MSI write) was aborted',
  MSI_PRIQ_ABT_ERR: 'MSI_PRIQ_ABT_ERR: the PRI queue interrupt (an MSI write) was aborted',
  MSI_GERROR_ABT_ERR: 'MSI_GERROR_ABT_ERR: the global error interrupt (an MSI write) was aborted',
  SFM_ERR:
    'SFM_ERR: the SMMU entered Service Failure Mode; Linux disables it (arm_smmu_device_disable) and all DMA through it stops',
};

/** Index and wrap bit of a queue pointer, for a queue of up to 2^19 entries: `RD 0x22`. */
const cons = (v: bigint): string => {
  const rd = regField('CMDQ_CONS', 'RD', v);
  const err = regField('CMDQ_CONS', 'ERR', v);
  return `${hex(rd)}${err ? `, ERR ${err}` : ''}`;
};

export function explainNote(n: LogNote): string[] {
  switch (n.kind) {
    case 'gerror':
      return [
        `GERROR ^ GERRORN = ${n.active}: the errors active when the interrupt came.`,
        ...n.errors.map((e) => GERROR_TEXT[e] ?? e),
      ];
    case 'cmdq-error': {
      const at = `the command at CMDQ_CONS.RD ${hex(n.rd)}`;
      switch (n.cerror) {
        case CERROR.ILL:
          return [
            `CERROR_ILL: ${at} is illegal — an unknown opcode, a reserved field set, or a field this SMMU does not support.`,
            'Linux prints the command, replaces it with a CMD_SYNC and lets the queue run on (arm_smmu_cmdq_skip_err): the command had no effect.',
          ];
        case CERROR.ABT:
          return [
            `CERROR_ABT: the SMMU could not read ${at} (an abort on the queue memory).`,
            'Linux retries the fetch; the queue memory or its attributes (CMDQ_BASE) are wrong.',
          ];
        case CERROR.ATC_INV_SYNC:
          return [
            `CERROR_ATC_INV_SYNC: ATC invalidation timeout — ${at} is a CMD_SYNC that waited for a CMD_ATC_INV the PCIe device never completed (ATS Invalidation Completion).`,
            'The device’s ATC may still hold translations the driver removed. Linux re-issues the CMD_SYNC (it may time out again while the device stays unresponsive).',
          ];
        default:
          return [`CERROR ${n.cerror}: ${n.reason}.`];
      }
    }
    case 'skipped-command':
      return [
        n.skipped.command
          ? `The command skipped: ${n.skipped.command.name}.`
          : 'The command skipped has no architected opcode.',
      ];
    case 'cmd-sync-timeout':
      if (n.at === undefined || n.hwcons === undefined || n.hwprod === undefined)
        return [
          'A CMD_SYNC did not complete within the poll timeout (ARM_SMMU_POLL_TIMEOUT_US, 1 s): the SMMU stopped consuming commands — a CMDQ error, Service Failure Mode, an ATC invalidation the device did not complete, or an SMMU that is off or wedged.',
        ];
      return [
        `A CMD_SYNC at queue position ${hex(BigInt(n.at))} did not complete within the poll timeout (1 s). The SMMU's CMDQ_PROD was ${hex(BigInt(n.hwprod))} and CMDQ_CONS RD ${cons(BigInt(n.hwcons))}.`,
        regField('CMDQ_CONS', 'ERR', BigInt(n.hwcons))
          ? 'CMDQ_CONS.ERR is set: the queue stopped at an erroneous command (see the CMDQ error).'
          : 'The SMMU stopped consuming before the CMD_SYNC: it is waiting on something (an ATC invalidation the device did not complete, a stalled walk), or it is off.',
      ];
    case 'cmdq-timeout':
      return [
        'The command queue stayed full for the poll timeout: the SMMU is not consuming commands.',
      ];
    case 'evtq-overflow':
      return [
        'The event queue filled faster than the driver drained it (EVENTQ_PROD.OVFLG toggled): events were lost, so the log holds fewer records than the SMMU raised.',
      ];
    case 'priq-overflow':
      return [
        'The PRI queue overflowed: page requests were lost; the SMMU answers the lost ones itself (auto-responses), devices see failed page requests.',
      ];
    case 'gerror-detail':
      return [];
    case 'pri-request':
      return [
        `A page request from SID ${hex(n.request.sid)} arrived but no I/O page-fault handler took it (arm_smmu_handle_ppr): the device used PRI without an SVA bind, and Linux answers the group Failure (PRI_RESP_DENY)${n.request.last ? '' : ' when its last request arrives'}.`,
      ];
    case 'suppressed':
      return [
        `printk rate limiting dropped ${n.count} prints of this function: the storm was larger than the log shows.`,
      ];
    case 'probe':
    case 'driver':
      return [];
  }
}
