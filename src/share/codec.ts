// The link codec (fflate: deflate-raw), loaded on demand: a page that has not yet written or read
// a link does not need it for its first view. encodeLink and decodeLink stay synchronous and
// need it loaded first (loadCodec; the CLI, scripts and tests install it up front).
import type * as Deflate from './deflate.ts';

type Fflate = typeof Deflate;

let lib: Fflate | undefined;

export async function loadCodec(): Promise<void> {
  lib ??= await import('./deflate.ts');
}
/** Installs the codec synchronously (the CLI and scripts, which import fflate themselves). */
export function installCodec(l: Fflate): void {
  lib = l;
}
export const codecLoaded = (): boolean => lib !== undefined;

/** fflate, once loaded; calling a link function before is a page bug, said so. */
export function codec(): Fflate {
  if (!lib) throw new Error('the link codec is not loaded (await loadCodec())');
  return lib;
}
