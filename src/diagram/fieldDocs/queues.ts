// Queue record docs: the event record (§7.3) and the PRI page request (§8).
import { eventName } from '../../engine/index.ts';
import { doc, type DocTable } from './shared.ts';

export const EVTQ_DOCS: DocTable = {
  EventID: doc('Which event this record reports', '§7.3', {
    describe: (v) => eventName(Number(v)),
  }),
  SSV: doc('The SubstreamID field is valid', '§7.3'),
  SubstreamID: doc('SubstreamID (PASID) of the transaction', '§7.3'),
  StreamID: doc('StreamID of the transaction', '§7.3'),
  STAG: doc('Stall tag: quote it in CMD_RESUME', '§7.3.13'),
  // Reason and STAG share dw1[15:0]: an event type defines at most one of them (eventParts).
  Reason: doc(
    'IMPLEMENTATION DEFINED cause (F_UUT, fetch aborts, conflicts); translation faults put STAG here',
    '§7.3.2',
  ),
  Stall: doc('The transaction is stalled, waiting for CMD_RESUME', '§7.3.13', {
    values: { 0: 'terminated', 1: 'stalled' },
  }),
  PnU: doc('Privileged or unprivileged access', '§7.3.13', {
    values: { 0: 'unprivileged', 1: 'privileged' },
  }),
  InD: doc('Instruction fetch or data access', '§7.3.13', {
    values: { 0: 'data', 1: 'instruction' },
  }),
  RnW: doc('Read or write', '§7.3.13', { values: { 0: 'write', 1: 'read' } }),
  S2: doc('The fault happened at stage 2', '§7.3.13', {
    values: { 0: 'stage 1', 1: 'stage 2' },
  }),
  CLASS: doc('What was being translated when the fault hit', '§7.3.13', {
    values: { 0: 'CD fetch', 1: 'stage-1 table walk', 2: 'input address', 3: 'reserved' },
  }),
  TTRnW: doc('F_PERMISSION on a table walk: descriptor read or HTTU write', '§7.3.16', {
    values: { 0: 'descriptor write', 1: 'descriptor read' },
  }),
  InputAddr: doc('Address the transaction presented', '§7.3.13'),
  IPA: doc('IPA at which a stage-2 fault happened (bits 55:12)', '§7.3.13', { address: true }),
  FetchAddr: doc('PA of the structure fetch that aborted (bits 55:3)', '§7.3.4', {
    address: true,
  }),
};

export const PRIQ_DOCS: DocTable = {
  StreamID: doc('StreamID of the requesting function (PCIe Requester ID)', '§8'),
  SubstreamID: doc('PASID of the request (valid when SSV=1)', '§8'),
  Priv: doc('Privileged access requested', '§8'),
  Exec: doc('Execute access requested', '§8'),
  Read: doc('Read access requested', '§8'),
  Write: doc('Write access requested', '§8'),
  Last: doc('Last request of its Page Request Group: answer the group now', '§8'),
  SSV: doc('The request carried a PASID prefix', '§8'),
  PRGIndex: doc('Page Request Group index, echoed by CMD_PRI_RESP', '§8'),
  PageAddress: doc('Page the device wants made resident (bits 63:12)', '§8', { address: true }),
};
