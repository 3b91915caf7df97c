// Importer errors are values, never exceptions: a paste from a bug report is untrusted input, and
// the UI and the CLI both show the one message (scenario-format.md "CLI": one clear line naming
// what is wrong and where).

export interface LogError {
  readonly ok: false;
  /** 1-based line number the problem is on, when there is one. */
  readonly line?: number;
  /** What is wrong, without the location. */
  readonly reason: string;
  /** `line 7: <reason>`, or just the reason: one line, ready to print. */
  readonly message: string;
}

export function logError(line: number | undefined, reason: string): LogError {
  const oneLine = reason.replace(/\s*[\r\n]+\s*/g, ' ');
  return line === undefined
    ? { ok: false, reason: oneLine, message: oneLine }
    : { ok: false, line, reason: oneLine, message: `line ${line}: ${oneLine}` };
}
