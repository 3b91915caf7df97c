// Importer for /proc/PID/maps text. Each line is (Documentation/filesystems/proc.rst, fixture 09):
//   address           perms offset  dev   inode      pathname
//   08048000-08049000 r-xp 00000000 03:00 8312       /opt/test
// Addresses are as wide as the process needs: 8 digits for i386 (fixture 09), 12 for arm64,
// and 13 for an arm64 stack ending at 2^48 (fixture 01: `fffffffdf000-1000000000000`).
// Anonymous mappings have no path, with or without a trailing space (fixtures 01 and 09).
import { hex } from '../engine/index.ts';
import { logError, type LogError } from './errors.ts';
import { quote } from './lines.ts';

export interface VmaPerms {
  readonly read: boolean;
  readonly write: boolean;
  readonly exec: boolean;
  /** `s` (MAP_SHARED) rather than `p` (private, copy-on-write). */
  readonly shared: boolean;
}

export interface Vma {
  /** `0x…`, lower-case, no leading zeros. */
  readonly start: string;
  /** Exclusive end, `0x…`. */
  readonly end: string;
  readonly perms: VmaPerms;
  /** File offset, `0x…`. */
  readonly offset: string;
  /** `major:minor` as printed (hex). */
  readonly dev: string;
  readonly inode: number;
  /** File path or a pseudo-path like `[heap]`, `[stack]`, `[vdso]`; absent for anonymous memory. */
  readonly path?: string;
  /** 1-based line number in the pasted text. */
  readonly line: number;
}

export interface MapsOk {
  readonly ok: true;
  readonly vmas: Vma[];
  readonly warnings: string[];
}

export type MapsResult = MapsOk | LogError;

const LAYOUT = 'expected "start-end perms offset dev inode [path]"';
const FIELDS = /^(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)(?:\s+(.*))?$/;
// At most 16 hex digits: every address and offset is a 64-bit value.
const HEX = /^[0-9a-f]{1,16}$/i;
const PAGE = 0xfffn;

/** A process has at most vm.max_map_count mappings (65,530 by default); more is not a maps file. */
export const MAX_VMAS = 65_536;
const MAX_WARNINGS = 200;

export function parseMaps(text: string): MapsResult {
  const vmas: Vma[] = [];
  const warnings: string[] = [];
  let more = 0;
  const warn = (w: string): void => {
    if (warnings.length < MAX_WARNINGS) warnings.push(w);
    else more++;
  };
  let prevEnd: bigint | undefined;
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    if (vmas.length === MAX_VMAS) {
      warnings.push(
        `line ${i + 1}: only the first ${MAX_VMAS.toLocaleString('en')} mappings were read (a process has at most vm.max_map_count, 65,530 by default)`,
      );
      break;
    }
    const raw = lines[i] ?? '';
    // Longer than any maps line (a path is at most PATH_MAX, 4,096 bytes).
    if (raw.length > 8192)
      return logError(
        i + 1,
        `${raw.length.toLocaleString('en')} characters on one line: not a /proc/PID/maps line`,
      );
    const s = raw.trim();
    // Blank lines and `#` notes (the fixtures' source line) are not part of the format.
    if (s === '' || s.startsWith('#')) continue;
    const r = parseVma(s, i + 1);
    if (!r.ok) return r;
    const { vma, start, end } = r;
    if (prevEnd !== undefined && start < prevEnd)
      warn(
        `line ${vma.line}: ${vma.start}-${vma.end} overlaps or comes before the previous VMA (the kernel lists VMAs in address order)`,
      );
    if ((start & PAGE) !== 0n || (end & PAGE) !== 0n)
      warn(`line ${vma.line}: ${vma.start}-${vma.end} is not 4 KB aligned`);
    prevEnd = end;
    vmas.push(vma);
  }
  if (more) warnings.push(`and ${more.toLocaleString('en')} more warnings`);
  if (vmas.length === 0)
    return logError(
      undefined,
      `no VMAs found (expected /proc/PID/maps lines like "aaaaaaaa0000-aaaaaaaa1000 r-xp 00000000 fe:02 8199010 /bin/prog")`,
    );
  return { ok: true, vmas, warnings };
}

type Parsed = { ok: true; vma: Vma; start: bigint; end: bigint } | LogError;

function parseVma(s: string, line: number): Parsed {
  const m = FIELDS.exec(s);
  if (!m) return logError(line, `${LAYOUT}, found ${quote(s)}`);
  const [, range = '', perms = '', offset = '', dev = '', inode = '', rest = ''] = m;
  const dash = range.indexOf('-');
  if (dash < 0) return logError(line, `address range: ${quote(range)} must be start-end in hex`);
  const startText = range.slice(0, dash);
  const endText = range.slice(dash + 1);
  if (!HEX.test(startText))
    return logError(line, `start: ${quote(startText)} is not a hex address`);
  if (!HEX.test(endText)) return logError(line, `end: ${quote(endText)} is not a hex address`);
  const start = BigInt(`0x${startText}`);
  const end = BigInt(`0x${endText}`);
  if (start >= end)
    return logError(
      line,
      `start ${hex(start)} must be below end ${hex(end)} (the end is exclusive)`,
    );
  if (!/^[r-][w-][x-][ps]$/.test(perms))
    return logError(
      line,
      `perms: ${quote(perms)} must be 4 characters: r or -, w or -, x or -, then p (private) or s (shared)`,
    );
  if (!HEX.test(offset)) return logError(line, `offset: ${quote(offset)} is not hex`);
  if (!/^[0-9a-f]+:[0-9a-f]+$/i.test(dev))
    return logError(line, `dev: ${quote(dev)} must be major:minor in hex (like fe:02)`);
  if (!/^\d+$/.test(inode)) return logError(line, `inode: ${quote(inode)} is not a decimal number`);
  const ino = Number(inode);
  if (!Number.isSafeInteger(ino)) return logError(line, `inode: ${inode} is too large`);
  const path = rest.trim();
  const vma: Vma = {
    start: hex(start),
    end: hex(end),
    perms: {
      read: perms[0] === 'r',
      write: perms[1] === 'w',
      exec: perms[2] === 'x',
      shared: perms[3] === 's',
    },
    offset: hex(BigInt(`0x${offset}`)),
    dev: dev.toLowerCase(),
    inode: ino,
    ...(path === '' ? {} : { path }),
    line,
  };
  return { ok: true, vma, start, end };
}
