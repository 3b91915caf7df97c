// Quoting untrusted input in an error message: briefly, and without walking into it. A link of a
// few kB can inflate to megabytes of one string or thousands of nested lists; an error that
// quoted it whole became a 3-million-character banner, and JSON.stringify of deep nesting
// overflowed the stack. Errors name what and where, and show at most a short prefix of the value.

/** Characters of an input value an error message shows at most. */
export const QUOTE_MAX = 40;
/** Characters of a whole error message at most (a path of long keys, a long value). */
export const MESSAGE_MAX = 300;

/** A short, flat rendering of any value: strings quoted and cut, lists and objects not opened. */
export function quote(v: unknown, max = QUOTE_MAX): string {
  if (typeof v === 'string')
    return v.length <= max
      ? JSON.stringify(v)
      : `${JSON.stringify(v.slice(0, max))}… (${v.length.toLocaleString('en')} characters)`;
  if (Array.isArray(v)) return v.length === 0 ? '[]' : '[…] (a list)';
  if (v !== null && typeof v === 'object') return '{…} (an object)';
  return cut(String(v), max);
}

/** `s`, or its first `max` characters and an ellipsis saying how long it was. */
export function cut(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max)}… (${s.length.toLocaleString('en')} characters)`;
}

/** An error message kept to one short line. */
export const brief = (message: string): string =>
  cut(message.replace(/\s*\n\s*/g, ' '), MESSAGE_MAX);
