// Older document versions, upgraded to the current one. Version 1 knew two kernels, "rfc2017"
// and "mainline"; its "mainline" was the model that became the era v6.11 (kernel/eras/v6.11.ts),
// while "mainline" in version 2 is the newest era. A version-1 document keeps its meaning.
import { fromV1Kernel } from '../kernel/index.ts';
import { VERSION, type ScenarioDoc } from './format.ts';

export function upgradeDoc(doc: ScenarioDoc): ScenarioDoc {
  if (doc.version === VERSION) return doc;
  const { kernel, ...rest } = doc;
  return {
    ...rest,
    version: VERSION,
    ...(kernel === undefined ? {} : { kernel: fromV1Kernel(kernel) }),
  };
}

/**
 * The same document unless its meaning needs the upgrade: a version-1 document that says
 * "mainline" becomes version 2 with "v6.11"; any other version-1 document means the same under
 * version 2 and is left as it is (so what a user saved round-trips unchanged).
 */
export const pinDoc = (doc: ScenarioDoc): ScenarioDoc =>
  doc.version === 1 && doc.kernel !== undefined && fromV1Kernel(doc.kernel) !== doc.kernel
    ? upgradeDoc(doc)
    : doc;
