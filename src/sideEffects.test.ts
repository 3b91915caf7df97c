// vite.config.ts declares our modules free of side effects, so the bundler drops one none of
// whose exports the page uses, and binds a pure re-export straight to its source. A module that
// runs a top-level statement for its effect (a library's set-up, a hook) must be in the
// exception list, or the shipped page silently loses that effect (zod's jitless switch did).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { hasSideEffects } from '../vite.config.ts';
import { SRC, sources } from './sources.testkit.ts';

/** A top-level line that calls or assigns rather than declares: `config(…)`, `options.x = …`. */
const EFFECT =
  /^(?!(?:export|import|const|let|var|function|type|interface|class|declare|enum|async|if|for|while|try)\b)[A-Za-z_$][\w$.]*\s*(?:\(|=(?![=>]))/m;

describe('which modules the bundler keeps for their effects', () => {
  const effectful = [...sources(SRC)].filter((f) => EFFECT.test(readFileSync(f, 'utf8')));

  test('finds the set-up modules we know of (the check is not empty)', () => {
    const rel = effectful.map((f) => path.relative(SRC, f));
    expect(rel).toEqual(expect.arrayContaining(['scenario/zod.ts']));
  });

  test('every module with a top-level effect is kept whole', () => {
    expect(effectful.filter((f) => !hasSideEffects(f))).toEqual([]);
  });

  test('components and layers are side-effect free; stylesheets and libraries are not', () => {
    expect(hasSideEffects(path.join(SRC, 'ui/App.tsx'))).toBe(false);
    expect(hasSideEffects(path.join(SRC, 'diagram/fieldDocs.ts'))).toBe(false);
    expect(hasSideEffects(path.join(SRC, 'main.tsx'))).toBe(true);
    expect(hasSideEffects(path.join(SRC, 'ui/styles.css'))).toBe(true);
    expect(hasSideEffects('/x/node_modules/zod/index.js')).toBe(true);
  });
});
