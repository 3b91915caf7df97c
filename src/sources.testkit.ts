// The page's source modules (every .ts/.tsx under src but tests and test kits), for the checks
// that read them as text: sideEffects.test.ts and topLevelAwait.test.ts.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const SRC = path.dirname(fileURLToPath(import.meta.url));

export function* sources(dir: string = SRC): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* sources(p);
    else if (/\.tsx?$/.test(e.name) && !/\.test\.tsx?$|testkit\.ts$/.test(e.name)) yield p;
  }
}
