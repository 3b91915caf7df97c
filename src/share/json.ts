// JSON files: export the document as written (pretty), import with the same validation as links.
import { parseScenario, type Parsed, type ScenarioDoc } from '../scenario/index.ts';

/** Largest file we read: 8 MB. */
export const MAX_JSON_FILE = 8 * 1024 * 1024;

export const exportJson = (doc: ScenarioDoc): string => `${JSON.stringify(doc, null, 2)}\n`;

export function importJson(text: string): Parsed {
  if (text.length > MAX_JSON_FILE)
    return {
      ok: false,
      error: `(document): the file is too large (${text.length.toLocaleString('en')} characters; at most 8 MB)`,
    };
  return parseScenario(text);
}
