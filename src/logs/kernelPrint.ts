// The decoded lines Linux ≥ v6.15 prints after a raw event dump (arm_smmu_dump_event, commit
// d814b70b9b90 "iommu/arm-smmu-v3: Log better event records"; smmuv3.md §5.3 "Decoded form"):
//   event: <NAME> client: <dev|(unassigned sid)> sid: %#x ssid: %#x iova: %#llx ipa: %#llx
//   <priv|unpriv> <inst|data> <read|write> <s1|s2> "<class>"[ ttd_read| ttd_write][ stall] stag: %#x
// (fetch events print ` fetch_addr: %#llx` instead of iova/ipa; every other event neither).
// We parse what the kernel printed and compare it with what the kernel *would* print for the
// raw dwords as the engine decodes them: a mismatch means a corrupted paste or a decoder bug.
import { EVENT_ID, eventName, hex, type EventRecord } from '../engine/index.ts';

/** IDs that have a name in the kernel's event_str[] table; all others print `UNKNOWN`. */
const KERNEL_NAMED = new Set<number>([
  EVENT_ID.C_BAD_STREAMID,
  EVENT_ID.F_STE_FETCH,
  EVENT_ID.C_BAD_STE,
  EVENT_ID.F_STREAM_DISABLED,
  EVENT_ID.C_BAD_SUBSTREAMID,
  EVENT_ID.F_CD_FETCH,
  EVENT_ID.C_BAD_CD,
  EVENT_ID.F_TRANSLATION,
  EVENT_ID.F_ADDR_SIZE,
  EVENT_ID.F_ACCESS,
  EVENT_ID.F_PERMISSION,
  EVENT_ID.F_VMS_FETCH,
]);
const TRANSLATION_FORM = new Set<number>([0x10, 0x11, 0x12, 0x13]);
const FETCH_FORM = new Set<number>([
  EVENT_ID.F_STE_FETCH,
  EVENT_ID.F_CD_FETCH,
  EVENT_ID.F_VMS_FETCH,
]);

/** The kernel's event_class_str[], indexed by EVTQ_1_CLASS. */
export const KERNEL_CLASS_TEXT: readonly string[] = [
  'CD fetch',
  'Stage 1 translation table fetch',
  'Input address caused fault',
  'Reserved',
];

// Linux masks EVTQ_3_IPA and EVTQ_3_FETCH_ADDR at bit 51 where the spec goes to 55 (smmuv3.md
// §5.1 note); the print shows the masked value.
const LINUX_ADDR_BITS = (1n << 52n) - 1n;

export type PrintForm = 'translation' | 'fetch' | 'plain';

export const printForm = (id: number): PrintForm =>
  TRANSLATION_FORM.has(id) ? 'translation' : FETCH_FORM.has(id) ? 'fetch' : 'plain';

/** First decoded line: `event: …`. Kernel `%#x` prints zero as `0x0` (samples 02, 10). */
export interface KernelEventLine {
  readonly line: number;
  readonly form: PrintForm;
  readonly name: string;
  readonly client: string;
  readonly sid: number;
  readonly ssid: number;
  readonly iova?: bigint;
  readonly ipa?: bigint;
  readonly fetchAddr?: bigint;
}

/** Second decoded line, translation faults only. */
export interface KernelAccessLine {
  readonly line: number;
  readonly priv: boolean;
  readonly inst: boolean;
  readonly read: boolean;
  readonly s2: boolean;
  readonly classText: string;
  readonly ttd?: 'read' | 'write';
  readonly stall: boolean;
  readonly stag: number;
}

const NUM = '(0x[0-9a-f]+|0)';
const EVENT_LINE = new RegExp(
  `^event: (\\S+) client: (.+?) sid: ${NUM} ssid: ${NUM}` +
    `(?: iova: ${NUM} ipa: ${NUM}| fetch_addr: ${NUM})?$`,
  'i',
);
const ACCESS_LINE = new RegExp(
  `^(priv|unpriv) (inst|data) (read|write) (s1|s2) "([^"]*)"( ttd_read| ttd_write)?( stall)? stag: ${NUM}$`,
  'i',
);

// A wrap can fall right after "event:" (the mail client breaks at the blank).
export const looksLikeEventLine = (content: string): boolean =>
  content.startsWith('event: ') || content === 'event:';
export const looksLikeAccessLine = (content: string): boolean =>
  /^(un)?priv( (inst|data)( |$)|$)/i.test(content);

export function parseEventLine(text: string, line: number): KernelEventLine | undefined {
  const m = EVENT_LINE.exec(text);
  if (!m) return undefined;
  const [, name = '', client = '', sid = '0', ssid = '0', iova, ipa, fetch] = m;
  const base = { line, name, client, sid: Number(BigInt(sid)), ssid: Number(BigInt(ssid)) };
  if (iova !== undefined && ipa !== undefined)
    return { ...base, form: 'translation', iova: BigInt(iova), ipa: BigInt(ipa) };
  if (fetch !== undefined) return { ...base, form: 'fetch', fetchAddr: BigInt(fetch) };
  return { ...base, form: 'plain' };
}

export function parseAccessLine(text: string, line: number): KernelAccessLine | undefined {
  const m = ACCESS_LINE.exec(text);
  if (!m) return undefined;
  const [, priv, inst, rw, stage, classText = '', ttd, stall, stag = '0'] = m;
  const base = {
    line,
    priv: priv?.toLowerCase() === 'priv',
    inst: inst?.toLowerCase() === 'inst',
    read: rw?.toLowerCase() === 'read',
    s2: stage?.toLowerCase() === 's2',
    classText,
    stall: stall !== undefined,
    stag: Number(BigInt(stag)),
  };
  if (ttd === undefined) return base;
  return { ...base, ttd: ttd.trim().toLowerCase() === 'ttd_read' ? 'read' : 'write' };
}

/** One field on which the kernel's print and our decode of the raw dwords disagree. */
export interface CrossCheck {
  readonly field: string;
  readonly ours: string;
  readonly kernel: string;
}

/**
 * Compares the kernel's print with what arm_smmu_decode_event + arm_smmu_dump_event would print
 * for `rec` (the engine's decode of the same dwords). `classIndex` is the raw EVTQ_1_CLASS value,
 * which the engine folds into three names.
 */
export function crossCheck(
  rec: EventRecord,
  classIndex: number,
  k: KernelEventLine,
  a: KernelAccessLine | undefined,
): CrossCheck[] {
  const out: CrossCheck[] = [];
  const cmp = (field: string, ours: string, kernel: string | undefined): void => {
    if (kernel !== ours) out.push({ field, ours, kernel: kernel ?? '(not printed)' });
  };
  const form = printForm(rec.id);
  cmp('form', form, k.form);
  cmp('name', KERNEL_NAMED.has(rec.id) ? eventName(rec.id) : 'UNKNOWN', k.name);
  cmp('sid', hex(rec.sid), hex(k.sid));
  // The kernel prints 0 unless SSV is set — even for C_BAD_SUBSTREAMID, whose SubstreamID is
  // valid without SSV (spec-facts.md Q5), so the expectation follows the kernel, not the spec.
  cmp('ssid', hex(rec.ssv ? rec.ssid : 0), hex(k.ssid));
  const opt = (v: bigint | undefined): string | undefined => (v === undefined ? v : hex(v));
  if (form === 'translation') {
    cmp('iova', hex(rec.addr), opt(k.iova));
    cmp('ipa', hex(rec.ipa & LINUX_ADDR_BITS), opt(k.ipa));
  }
  if (form === 'fetch') cmp('fetch_addr', hex(rec.fetchAddr & LINUX_ADDR_BITS), opt(k.fetchAddr));
  if (form !== 'translation' || !a) return out;
  const word = (b: boolean, yes: string, no: string): string => (b ? yes : no);
  cmp('priv', word(rec.pnu, 'priv', 'unpriv'), word(a.priv, 'priv', 'unpriv'));
  cmp('inst', word(rec.ind, 'inst', 'data'), word(a.inst, 'inst', 'data'));
  cmp('read', word(rec.rnw, 'read', 'write'), word(a.read, 'read', 'write'));
  cmp('s2', word(rec.s2, 's2', 's1'), word(a.s2, 's2', 's1'));
  cmp('class', KERNEL_CLASS_TEXT[classIndex] ?? '', a.classText);
  // TTRnW is printed only for F_PERMISSION with CLASS=TT (arm_smmu_decode_event's class_tt).
  const ttd =
    rec.id === EVENT_ID.F_PERMISSION && classIndex === 1
      ? word(rec.ttrnw, 'ttd_read', 'ttd_write')
      : '(none)';
  cmp('ttd', ttd, a.ttd === undefined ? '(none)' : `ttd_${a.ttd}`);
  cmp('stall', String(rec.stall), String(a.stall));
  cmp('stag', hex(rec.stag), hex(a.stag));
  return out;
}
