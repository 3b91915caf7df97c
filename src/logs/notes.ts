// Driver lines other than event dumps: queue overflows, global errors, command-queue errors with
// the skipped command, CMD_SYNC timeouts, unexpected PRI requests, probe lines. Message texts are
// the arm-smmu-v3 driver's format strings (smmuv3.md §5.3; arm_smmu_gerror_handler,
// arm_smmu_cmdq_skip_err, arm_smmu_handle_ppr); register fields come from the engine's tables.
import { CERROR_NAMES, REG_FIELDS, getBool, regField } from '../engine/index.ts';

interface NoteBase {
  readonly line: number;
  readonly device?: string;
  readonly timestamp?: string;
  /** The message as printed (continuation lines joined). */
  readonly text: string;
}

/** The command Linux printed after "skipping command in error state:". */
export interface SkippedCommand {
  readonly line: number;
  /** The two dwords as printed (16 hex digits). */
  readonly raw: readonly [string, string];
  /** Decoded by the engine; null when the opcode is not an architected command (CERROR_ILL). */
  readonly command: {
    readonly name: string;
    readonly opcode: number;
    readonly fields: Readonly<Record<string, string>>;
  } | null;
}

/** A page request the kernel did not expect (printed by arm_smmu_handle_ppr). */
export interface PriRequestNote {
  readonly sid: number;
  /** Linux prints 0 both for "no PASID" (SSV=0) and for PASID 0: the two cannot be told apart. */
  readonly ssid: number;
  readonly prgIndex: number;
  readonly last: boolean;
  readonly priv: boolean;
  readonly read: boolean;
  readonly write: boolean;
  readonly exec: boolean;
  readonly addr: string;
}

export type LogNote =
  | (NoteBase & { readonly kind: 'evtq-overflow' | 'priq-overflow' | 'gerror-detail' })
  | (NoteBase & { readonly kind: 'gerror'; readonly active: string; readonly errors: string[] })
  | (NoteBase & {
      readonly kind: 'cmdq-error';
      readonly cons: string;
      /** SMMU_CMDQ_CONS.RD: index (with wrap bit) of the command in error. */
      readonly rd: number;
      readonly cerror: number;
      readonly cerrorName: string;
      readonly reason: string;
      skipped?: SkippedCommand;
    })
  | (NoteBase & { readonly kind: 'skipped-command'; readonly skipped: SkippedCommand })
  | (NoteBase & {
      readonly kind: 'cmd-sync-timeout';
      /** The queue positions (≥ v5.5); older kernels and Xen print none. */
      readonly at?: string;
      readonly hwprod?: string;
      readonly hwcons?: string;
    })
  /** "CMDQ timeout": no room in the command queue within the poll timeout. */
  | (NoteBase & { readonly kind: 'cmdq-timeout' })
  | (NoteBase & { readonly kind: 'pri-request'; readonly request: PriRequestNote })
  /** printk's "<function>: N callbacks suppressed": N prints were dropped by rate limiting. */
  | (NoteBase & { readonly kind: 'suppressed'; readonly count: number })
  | (NoteBase & { readonly kind: 'probe' | 'driver' });

export type NoteKind = LogNote['kind'];

// Messages that stand on one (possibly wrapped) line. `full` is the whole message; `start`, when
// given, recognises a message whose tail was lost, so it is still reported.
interface OneLiner {
  readonly full: RegExp;
  readonly start?: RegExp;
  readonly build: (m: RegExpExecArray, base: NoteBase) => LogNote;
}

const HEX = '(0x[0-9a-f]+)';

export const ONE_LINERS: readonly OneLiner[] = [
  {
    full: /^EVTQ overflow detected -- events lost$/i,
    build: (_m, b) => ({ kind: 'evtq-overflow', ...b }),
  },
  {
    full: /^PRIQ overflow detected -- requests lost$/i,
    build: (_m, b) => ({ kind: 'priq-overflow', ...b }),
  },
  {
    full: new RegExp(`^unexpected global error reported \\(${HEX}\\), this could be serious$`, 'i'),
    start: new RegExp(`^unexpected global error reported \\(${HEX}\\)`, 'i'),
    build: (m, b) => gerrorNote(m[1] ?? '0x0', b),
  },
  {
    full: /^(device has entered Service Failure Mode!|(GERROR|PRIQ|EVTQ|CMDQ) MSI write aborted|(PRIQ|EVTQ) write aborted -- events may have been lost)$/i,
    build: (_m, b) => ({ kind: 'gerror-detail', ...b }),
  },
  {
    full: new RegExp(`^CMDQ error \\(cons ${HEX}\\): (.+)$`, 'i'),
    build: (m, b) => cmdqErrorNote(m[1] ?? '0x0', m[2] ?? '', b),
  },
  {
    full: new RegExp(`^CMD_SYNC timeout at ${HEX} \\[hwprod ${HEX}, hwcons ${HEX}\\]$`, 'i'),
    build: (m, b) => ({
      kind: 'cmd-sync-timeout',
      ...b,
      at: m[1] ?? '',
      hwprod: m[2] ?? '',
      hwcons: m[3] ?? '',
    }),
  },
  {
    // Before v5.5 (and in Xen's port) the timeout carries no queue positions.
    full: /^CMD_SYNC timeout$/i,
    build: (_m, b) => ({ kind: 'cmd-sync-timeout', ...b }),
  },
  {
    full: /^CMDQ timeout$/i,
    build: (_m, b) => ({ kind: 'cmdq-timeout', ...b }),
  },
  {
    // Probe lines, e.g. sample 12: "ias 48-bit, oas 48-bit (features 0x001c1eaf)".
    full: /^(ias \d+-bit, oas \d+-bit \(features 0x[0-9a-f]+\)|allocated \d+ entries for (cmdq|evtq|priq))$/i,
    build: (_m, b) => ({ kind: 'probe', ...b }),
  },
];

function gerrorNote(active: string, b: NoteBase): LogNote {
  const value = BigInt(active);
  // The printed value is GERROR ^ GERRORN: the errors that are active (arm_smmu_gerror_handler).
  const errors = Object.entries(REG_FIELDS.GERROR)
    .filter(([, fd]) => getBool([value], fd))
    .map(([name]) => name);
  return { kind: 'gerror', ...b, active, errors };
}

function cmdqErrorNote(cons: string, reason: string, b: NoteBase): LogNote {
  const value = BigInt(cons);
  const cerror = regField('CMDQ_CONS', 'ERR', value);
  return {
    kind: 'cmdq-error',
    ...b,
    cons,
    rd: regField('CMDQ_CONS', 'RD', value),
    cerror,
    cerrorName: CERROR_NAMES[cerror] ?? `CERROR_0x${cerror.toString(16)}`,
    reason,
  };
}

export const SKIP_HEADER = /^skipping command in error state:$/i;
export const PRI_HEADER = /^unexpected PRI request received:$/i;
// "\tsid 0x%08x.0x%05x: [%u%s] %sprivileged %s%s%s access at iova 0x%016llx" (smmuv3.md E15).
const PRI_LINE =
  /^sid (0x[0-9a-f]+)\.(0x[0-9a-f]+): \[(\d+)(L?)\] (un)?privileged ([RWX]*) access at iova (0x[0-9a-f]+)$/i;

export function parsePriLine(text: string): PriRequestNote | undefined {
  const m = PRI_LINE.exec(text);
  if (!m) return undefined;
  const [, sid = '0', ssid = '0', prg = '0', last, un, perms = '', addr = '0x0'] = m;
  const p = perms.toUpperCase();
  return {
    sid: Number(BigInt(sid)),
    ssid: Number(BigInt(ssid)),
    prgIndex: Number(prg),
    last: last !== '',
    priv: un === undefined,
    read: p.includes('R'),
    write: p.includes('W'),
    exec: p.includes('X'),
    addr: `0x${BigInt(addr).toString(16)}`,
  };
}
