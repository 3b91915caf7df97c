// Splitting pasted kernel log text into lines and peeling off the prefixes that dmesg, vendor
// kernels and mail clients put in front of the arm-smmu-v3 driver's own text.
//
// Every driver line is a dev_* print: "<driver> <device>: <message>" (smmuv3.md §5.3). What can
// come before it, as seen in the samples (src/logs/fixtures/):
//   [ 1016.546403] arm-smmu-v3 arm-smmu-v3.3.auto: event 0x10 received:   (01, 02, 17)
//   arm-smmu-v3 fc900000.iommu: event 0x02 received:                      (12, dmesg -t)
//   arm-smmu-v3: CMDQ error (cons 0x01000022): Illegal command             (19, shortened by hand)
//   [pid:134,cpu0,irq/13-arm-smmu]arm-smmu-v3 ...                          (vendor prefix, §5.3)
// The tab before each dword is often shown as spaces (12, 17).

/** One line of pasted text with its prefixes taken apart. */
export interface LogLine {
  /** 1-based line number in the pasted text. */
  readonly line: number;
  /** `1016.546403` from a `[ 1016.546403]` printk timestamp. */
  readonly timestamp?: string;
  /** The line carried an `arm-smmu-v3[ <device>]:` driver prefix. */
  readonly smmu: boolean;
  /** The device name from the prefix (`arm-smmu-v3.3.auto`, `fc900000.iommu`). */
  readonly device?: string;
  /** The message with the prefixes and surrounding whitespace removed. */
  readonly content: string;
}

// `<6>` console level and a numeric printk timestamp.
const TIMESTAMP = /^\s*(?:<\d+>)?\s*\[\s*(\d+\.\d+)\]/;
// Vendor kernels add bracketed groups such as `[pid:134,cpu0,irq/13-arm-smmu]` (smmuv3.md §5.3).
const VENDOR = /^\s*(?:\[[^\]]*\]\s*)+/;
// `arm-smmu-v3 <device>:` or the shortened `arm-smmu-v3:`; anything before it (syslog or journal
// headers) is ignored. The colon must be followed by blank space or the end of the line so that
// names like `arm-smmu-v3-evtq` in other drivers' messages don't match.
const DRIVER = /(?:^|[\s\]])arm-smmu-v3(?:[ \t]+([^\s:]+))?:(?=\s|$)/;

export function splitLog(text: string): LogLine[] {
  const raw = text.split(/\r\n|\r|\n/);
  // A final newline does not start another line.
  if (raw.length > 1 && raw[raw.length - 1] === '') raw.pop();
  return raw.map((s, i) => parseLine(s, i + 1));
}

function parseLine(s: string, line: number): LogLine {
  let rest = s;
  let timestamp: string | undefined;
  const ts = TIMESTAMP.exec(rest);
  if (ts) {
    timestamp = ts[1];
    rest = rest.slice(ts[0].length);
  }
  const vendor = VENDOR.exec(rest);
  if (vendor) rest = rest.slice(vendor[0].length);
  const drv = DRIVER.exec(rest);
  const base = timestamp === undefined ? { line } : { line, timestamp };
  if (!drv) return { ...base, smmu: false, content: rest.trim() };
  const content = rest.slice(drv.index + drv[0].length).trim();
  const device = drv[1];
  return device === undefined
    ? { ...base, smmu: true, content }
    : { ...base, smmu: true, device, content };
}

/**
 * A line that may continue the previous one: a mail client or a terminal wrapped a long driver
 * line (sample 01: the two decoded lines; sample 19: the GERROR line). Such a line has neither a
 * timestamp nor the driver prefix.
 */
export const isContinuation = (l: LogLine): boolean =>
  !l.smmu && l.timestamp === undefined && l.content !== '';

/** Two lines come from the same SMMU, or one of them does not say which (`arm-smmu-v3:`). */
export const sameDevice = (a: LogLine, b: LogLine): boolean =>
  a.device === undefined || b.device === undefined || a.device === b.device;

export interface Joined<T> {
  readonly value: T;
  /** Indexes of the lines that made it (the first is the starting line). */
  readonly used: readonly number[];
}

/**
 * Reads the message starting at `lines[i]`, joining up to `maxExtra` continuation lines until
 * `accept` recognises the whole text. Joining only when it completes a message keeps unrelated
 * unprefixed lines (sample 10's `virtio_net …` lines) out of the driver's messages.
 */
export function joinUntil<T>(
  lines: readonly LogLine[],
  i: number,
  consumed: ReadonlySet<number>,
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
    const next = lines[i + used.length];
    if (extra >= maxExtra || !next || consumed.has(i + used.length) || !isContinuation(next))
      return undefined;
    text = `${text} ${next.content}`;
    used.push(i + used.length);
  }
}

/** A short, single-line rendering of a piece of input for an error message. */
export function quote(s: string, max = 60): string {
  const t = s.length > max ? `${s.slice(0, max)}…` : s;
  return JSON.stringify(t);
}

export const ordinal = (n: number): string => ['1st', '2nd', '3rd'][n - 1] ?? `${n}th`;
