// The share layer's front door: scenario ⇄ link, scenario ⇄ JSON file.
import { loadValidation } from '../scenario/index.ts';
import { loadCodec } from './codec.ts';

export {
  encodeLink,
  decodeLink,
  readFragment,
  shareLink,
  LINK_PREFIX,
  MAX_LINK,
  MAX_JSON,
  SENSIBLE_LINK,
  type Decoded,
  type Fragment,
} from './link.ts';
export { MAX_LINK_OPS, linkWork } from './work.ts';
export { LINK_VERSION } from './migrate.ts';
export { compact, expand, sameScenario, OP_FIELDS, type CompactDoc } from './compact.ts';
export { exportJson, importJson, MAX_JSON_FILE } from './json.ts';
export { codecLoaded, installCodec, loadCodec } from './codec.ts';

/** What reading or writing a document from outside needs: the schema and the link codec. */
export const loadOutside = async (): Promise<void> => {
  await Promise.all([loadValidation(), loadCodec()]);
};
