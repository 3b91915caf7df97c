// Exhaustive switches: the default branch of a switch over a discriminated union calls this, so a
// new variant without a case is a compile error (its value is not `never`), and a value that
// slips past the types at run time fails loudly instead of falling through.

/** Unreachable: `x` has type never when every variant was handled. */
export function assertNever(x: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${describe(x)}`);
}

/** A short description of the stray value; JSON.stringify throws on the bigints in trace steps. */
function describe(x: unknown): string {
  if (typeof x === 'object' && x !== null && 'kind' in x) return `kind ${String(x.kind)}`;
  if (typeof x === 'object' && x !== null && 'op' in x) return `op ${String(x.op)}`;
  return String(x).slice(0, 80);
}
