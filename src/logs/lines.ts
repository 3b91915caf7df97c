// Splitting pasted kernel log text into lines and peeling off the prefixes that dmesg, vendor
// kernels, hypervisors and mail clients put in front of the SMMUv3 driver's own text.
//
// Every driver line is a dev_* print: "<driver> <device>: <message>" (smmuv3.md §5.3). What can
// come before it, as seen in the samples (src/logs/fixtures/) and the drivers' print macros:
//   [ 1016.546403] arm-smmu-v3 arm-smmu-v3.3.auto: event 0x10 received:   (01, 02, 17)
//   arm-smmu-v3 fc900000.iommu: event 0x02 received:                      (12, dmesg -t)
//   arm-smmu-v3: CMDQ error (cons 0x01000022): Illegal command             (19, shortened by hand)
//   [pid:134,cpu0,irq/13-arm-smmu]arm-smmu-v3 ...                          (vendor prefix, §5.3)
//   Feb 15 10:00:00 host kernel: arm-smmu-v3 9050000.smmuv3: ...           (syslog / journalctl)
//   (XEN) SMMUv3: /smmu@4f000000: event 0x10 received:                     (Xen)
//   > [ 1016.546403] arm-smmu-v3 …                                         (quoted in a reply)
// Xen's port of the driver prints through its own dev_info/dev_err macros, "SMMUv3: %s: " with
// dt_node_full_name() as the device (xen/drivers/passthrough/arm/smmu-v3.c), and the Xen console
// puts "(XEN) " and, when console_timestamps is set, a "[…]" stamp before each line.
// The tab before each dword is often shown as spaces (12, 17), and indents vary.
//
// The scanner is hand-written and linear: no regular expression here can backtrack, and a line
// longer than any driver print is not read at all (parseLine's caller reports it as skipped).

/** One line of pasted text with its prefixes taken apart. */
export interface LogLine {
  /** 1-based line number in the pasted text. */
  readonly line: number;
  /** `1016.546403` from a `[ 1016.546403]` printk timestamp (Xen: also `2024-05-02 14:02:31`). */
  readonly timestamp?: string;
  /** The line carried an `arm-smmu-v3[ <device>]:` (or Xen `SMMUv3: <path>:`) driver prefix. */
  readonly smmu: boolean;
  /** The line came from the Xen console (`(XEN)`). */
  readonly xen?: boolean;
  /** The device name from the prefix (`arm-smmu-v3.3.auto`, `fc900000.iommu`, `/smmu@…`). */
  readonly device?: string;
  /** The message with the prefixes and surrounding whitespace removed. */
  readonly content: string;
}

/** Longer than any arm-smmu-v3 print (the longest, a decoded event line, is ~200 characters). */
export const MAX_LINE = 2048;

const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 11 || c === 12 || c === 160;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** Index of the first non-blank character at or after `i`. */
function skipSpace(s: string, i: number): number {
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  return i;
}

/** `[ 12.345678]` (printk, Xen's boot mode) at `i`: the number and the index after `]`. */
function stampAt(s: string, i: number): { value: string; end: number } | undefined {
  if (s.charCodeAt(i) !== 91 /* [ */) return undefined;
  let j = skipSpace(s, i + 1);
  const start = j;
  while (j < s.length && isDigit(s.charCodeAt(j))) j++;
  if (j - start === 4 && s.charCodeAt(j) === 45 /* - */) return dateStampAt(s, start);
  if (j === start || s.charCodeAt(j) !== 46 /* . */) return undefined;
  j++;
  const frac = j;
  while (j < s.length && isDigit(s.charCodeAt(j))) j++;
  if (j === frac) return undefined;
  const value = s.slice(start, j);
  j = skipSpace(s, j);
  return s.charCodeAt(j) === 93 /* ] */ ? { value, end: j + 1 } : undefined;
}

// Xen's console_timestamps=date|datems: "[2024-05-02 14:02:31]" or "[2024-05-02 14:02:31.123]"
// (xen/drivers/char/console.c printk_start_of_line).
const DATE_STAMP = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,9})?\]/;

function dateStampAt(s: string, start: number): { value: string; end: number } | undefined {
  const m = DATE_STAMP.exec(s.slice(start, start + 32));
  return m ? { value: m[0].slice(0, -1), end: start + m[0].length } : undefined;
}

/** The first printk stamp in s[from, to): scans each `[` once. */
function findStamp(
  s: string,
  from: number,
  to: number,
): { value: string; end: number } | undefined {
  for (let i = s.indexOf('[', from); i >= 0 && i < to; i = s.indexOf('[', i + 1)) {
    const st = stampAt(s, i);
    if (st && st.end <= to) return st;
  }
  return undefined;
}

interface Driver {
  /** Where the driver name starts (everything before it is prefix). */
  readonly at: number;
  /** Where the message starts. */
  readonly content: number;
  readonly device?: string;
}

/**
 * `<name>[ <device>]:` followed by blank space or the end, where `name` starts the line or follows
 * a blank or `]`. The colon rule keeps names like `arm-smmu-v3-evtq` in other drivers' messages
 * out. Each candidate is checked up to the next blank, so the whole scan is linear.
 */
function driverAt(s: string, name: string, deviceRequired: boolean): Driver | undefined {
  for (let at = s.indexOf(name); at >= 0; at = s.indexOf(name, at + 1)) {
    const before = at === 0 ? 32 : s.charCodeAt(at - 1);
    if (!isSpace(before) && before !== 93 /* ] */) continue;
    let j = at + name.length;
    if (name.endsWith(':')) {
      // Xen: "SMMUv3: <path>: "
      const devStart = skipSpace(s, j);
      if (devStart === j) continue;
      let k = devStart;
      while (k < s.length && !isSpace(s.charCodeAt(k))) k++;
      if (k - devStart < 2 || s.charCodeAt(k - 1) !== 58 /* : */) continue;
      return { at, content: k, device: s.slice(devStart, k - 1) };
    }
    let device: string | undefined;
    if (isSpace(s.charCodeAt(j))) {
      const devStart = skipSpace(s, j);
      let k = devStart;
      while (k < s.length && !isSpace(s.charCodeAt(k)) && s.charCodeAt(k) !== 58) k++;
      if (k > devStart && s.charCodeAt(k) === 58) {
        device = s.slice(devStart, k);
        j = k;
      }
    }
    if (s.charCodeAt(j) !== 58 /* : */) continue;
    if (device === undefined && deviceRequired) continue;
    const after = s.charCodeAt(j + 1);
    if (j + 1 < s.length && !isSpace(after)) continue;
    return device === undefined ? { at, content: j + 1 } : { at, content: j + 1, device };
  }
  return undefined;
}

/** After up to three levels of mail quoting ("> > "), where the line's own text starts. */
function unquote(s: string): number {
  let i = skipSpace(s, 0);
  for (let k = 0; k < 3 && s.charCodeAt(i) === 62 /* > */; k++) i = skipSpace(s, i + 1);
  return i;
}

export function parseLine(s: string, line: number): LogLine {
  let i = unquote(s);
  let c = s.charCodeAt(i);
  // Most lines of a pasted log are other drivers' lines with no stamp: one indexOf decides.
  if (c !== 60 /* < */ && c !== 91 /* [ */ && c !== 40 /* ( */ && s.indexOf('arm-smmu-v3') < 0)
    return { line, smmu: false, content: i === 0 ? s.trimEnd() : s.slice(i).trimEnd() };
  // `<6>` console level (dmesg -r, /dev/kmsg).
  if (c === 60) {
    let j = i + 1;
    while (j < s.length && j < i + 5 && isDigit(s.charCodeAt(j))) j++;
    if (j > i + 1 && s.charCodeAt(j) === 62 /* > */) i = skipSpace(s, j + 1);
    c = s.charCodeAt(i);
  }
  const xen = c === 40 && s.startsWith('(XEN)', i);
  if (xen) i = skipSpace(s, i + 5);
  const drv = driverAt(s, 'arm-smmu-v3', false) ?? (xen ? driverAt(s, 'SMMUv3:', true) : undefined);
  // A stamp right at the start (dmesg, Xen), or anywhere before the driver name (journal lines,
  // vendor groups in front of it).
  const head = stampAt(s, i);
  const stamp = head ?? (drv ? findStamp(s, i, drv.at) : undefined);
  const out: {
    line: number;
    smmu: boolean;
    content: string;
    timestamp?: string;
    xen?: boolean;
    device?: string;
  } = drv
    ? { line, smmu: true, content: s.slice(drv.content).trim() }
    : { line, smmu: false, content: s.slice(head ? head.end : i).trim() };
  if (stamp) out.timestamp = stamp.value;
  if (xen) out.xen = true;
  if (drv?.device !== undefined) out.device = drv.device;
  return out;
}

/** The text's lines (a final newline does not start another line). Linear in the text. */
export function splitText(text: string): string[] {
  const raw = text.split(/\r\n|\r|\n/);
  if (raw.length > 1 && raw[raw.length - 1] === '') raw.pop();
  return raw;
}

export function splitLog(text: string): LogLine[] {
  return splitText(text).map((s, i) =>
    s.length > MAX_LINE ? { line: i + 1, smmu: false, content: '' } : parseLine(s, i + 1),
  );
}

/**
 * A line that may continue the previous one: a mail client or a terminal wrapped a long driver
 * line (sample 01: the two decoded lines; sample 19: the GERROR line). Such a line has neither a
 * timestamp nor a driver or console prefix.
 */
export const isContinuation = (l: LogLine): boolean =>
  !l.smmu && !l.xen && l.timestamp === undefined && l.content !== '';

/** Two lines come from the same SMMU, or one of them does not say which (`arm-smmu-v3:`). */
export const sameDevice = (a: LogLine, b: LogLine): boolean =>
  a.device === undefined || b.device === undefined || a.device === b.device;

export interface Joined<T> {
  readonly value: T;
  /** Indexes of the lines that made it (the first is the starting line). */
  readonly used: readonly number[];
}

/** Which lines are already part of a record (one byte per line: cheaper than a Set). */
export type Consumed = Uint8Array;

/**
 * Reads the message starting at `lines[i]`, joining up to `maxExtra` continuation lines until
 * `accept` recognises the whole text. Joining only when it completes a message keeps unrelated
 * unprefixed lines (sample 10's `virtio_net …` lines) out of the driver's messages.
 */
export function joinUntil<T>(
  lines: readonly LogLine[],
  i: number,
  consumed: Consumed,
  accept: (text: string) => T | undefined,
  maxExtra = 3,
): Joined<T> | undefined {
  const first = lines[i];
  if (!first) return undefined;
  let text = first.content;
  const used = [i];
  for (let extra = 0; ; extra++) {
    const value = accept(text);
    if (value !== undefined) return { value, used };
    const j = i + used.length;
    const next = lines[j];
    if (extra >= maxExtra || !next || consumed[j] || !isContinuation(next)) return undefined;
    text = `${text} ${next.content}`;
    used.push(j);
  }
}

/** A short, single-line rendering of a piece of input for an error message. */
export function quote(s: string, max = 60): string {
  const t = s.length > max ? `${s.slice(0, max)}…` : s;
  return JSON.stringify(t);
}

export const ordinal = (n: number): string => ['1st', '2nd', '3rd'][n - 1] ?? `${n}th`;
