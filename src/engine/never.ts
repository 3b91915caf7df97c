// Exhaustive switches: the default branch of a switch over a discriminated union calls this, so a
// new variant without a case is a compile error (its value is not `never`), and a value that
// slips past the types at run time fails loudly instead of falling through.

/** Unreachable: `x` has type never when every variant was handled. */
export function assertNever(x: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(x)}`);
}
