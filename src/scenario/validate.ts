// Document → Scenario for documents from outside (links, files, pasted text, saved work, forms,
// the CLI): JSON, then the schema (schema.ts, zod), then parse.ts's context rules. A module of its
// own so the page loads the schema only when it has such a document (parse.ts loadValidation).
import type { ScenarioDoc } from './format.ts';
import { fromDoc, type Parsed } from './parse.ts';
import { brief } from './quote.ts';
import { describeIssue, scenarioSchema } from './schema.ts';

/** Parses JSON text or an already-parsed value. Never throws. */
export function validateScenario(input: unknown): Parsed {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (e) {
      return { ok: false, error: brief(`(document): not valid JSON — ${(e as Error).message}`) };
    }
  }
  const r = scenarioSchema.safeParse(value);
  if (!r.success) return { ok: false, error: brief(describeIssue(r.error.issues, value)) };
  return fromDoc(r.data as ScenarioDoc);
}
