// Which errors a document shows on purpose. Apart from the examples' list (presets/index.ts) so
// the page can ask without the examples in its first download: it passes the list it loaded.
import type { ScenarioDoc } from '../format.ts';
import type { ExpectedError, Preset } from './index.ts';

/**
 * The errors a document shows on purpose: an example's, while the document still runs that
 * example — same kernel and platform, its ops first (ops added after it cannot change what the
 * earlier ones return). Anything else (or no examples loaded yet) expects no errors.
 */
export function expectedErrorsIn(
  presets: readonly Preset[],
  doc: ScenarioDoc,
): readonly ExpectedError[] {
  const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
  const p = presets.find(
    (x) =>
      x.expectedErrors &&
      (x.doc.kernel ?? 'rfc2017') === (doc.kernel ?? 'rfc2017') &&
      same(x.doc.platform ?? {}, doc.platform ?? {}) &&
      x.doc.ops.length <= doc.ops.length &&
      x.doc.ops.every((o, i) => same(o, doc.ops[i])),
  );
  return p?.expectedErrors ?? [];
}
