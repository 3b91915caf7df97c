// What pasted or dropped text is: a share link, a scenario document, /proc/PID/maps text, an
// arm-smmu-v3 kernel log, binary, or none of these. Looks at the first 64 KB only, with checks
// that cannot backtrack, so it answers at once for any input.

export type TextKind = 'empty' | 'link' | 'scenario' | 'maps' | 'dmesg' | 'binary' | 'unknown';

const SAMPLE = 64 * 1024;

// "aaaaaaaa0000-aaaaaaaa1000 r-xp ": bounded quantifiers only.
const MAPS_LINE = /^\s{0,8}[0-9a-f]{1,16}-[0-9a-f]{1,16}[ \t]{1,8}[r-][w-][x-][ps][ \t]/i;

/** Share-link fragments as they travel: `#s=1.…`, or with the `=` percent-encoded by a chat client. */
const LINK = /#s(=|%3d)\d/i;

export function recognise(text: string): TextKind {
  const sample = text.length > SAMPLE ? text.slice(0, SAMPLE) : text;
  const t = sample.trim();
  if (t === '') return 'empty';
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffd) control++;
  }
  if (control > sample.length / 20) return 'binary';
  if (t.startsWith('{')) return 'scenario';
  if (!/\s/.test(t) && (LINK.test(t) || /^s=\d+\./.test(t))) return 'link';
  if (
    sample.includes('arm-smmu-v3') ||
    sample.includes('SMMUv3:') ||
    /event 0x[0-9a-f]{1,2} received:/i.test(sample)
  )
    return 'dmesg';
  const lines = sample.split('\n', 200).filter((l) => l.trim() !== '' && !l.startsWith('#'));
  const maps = lines.filter((l) => MAPS_LINE.test(l)).length;
  if (lines.length > 0 && maps >= Math.max(1, lines.length / 2)) return 'maps';
  if (LINK.test(t)) return 'link';
  return 'unknown';
}
