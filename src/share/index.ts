// The share layer's front door: scenario ⇄ link, scenario ⇄ JSON file.
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
