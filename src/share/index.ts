// The share layer's front door: scenario ⇄ link, scenario ⇄ JSON file.
export {
  encodeLink,
  decodeLink,
  LINK_PREFIX,
  MAX_LINK,
  MAX_JSON,
  SENSIBLE_LINK,
  type Decoded,
} from './link.ts';
export { LINK_VERSION } from './migrate.ts';
export { compact, expand, OP_FIELDS, type CompactDoc } from './compact.ts';
export { exportJson, importJson, MAX_JSON_FILE } from './json.ts';
