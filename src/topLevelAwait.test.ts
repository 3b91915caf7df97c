// No module of the page may use top-level await: rolldown then turns its chunk optimisation off
// (merging common chunks into the entry keeps execution order only without it), and a first visit
// fetches two dozen small chunks instead of a dozen. main.tsx opens the page in an async start().
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';
import { SRC, sources } from './sources.testkit.ts';

/** `await` (or `for await`) outside any function of the file: the lines it is on. */
export function topLevelAwaits(name: string, text: string): number[] {
  const file = ts.createSourceFile(name, text, ts.ScriptTarget.Latest, true);
  const lines: number[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionLike(n)) return;
    const awaits =
      ts.isAwaitExpression(n) || (ts.isForOfStatement(n) && n.awaitModifier !== undefined);
    if (awaits) lines.push(file.getLineAndCharacterOfPosition(n.getStart()).line + 1);
    ts.forEachChild(n, visit);
  };
  visit(file);
  return lines;
}

describe('top-level await in the page’s modules', () => {
  test('the check finds one at the top level, in a block, in for await; none in a function', () => {
    expect(topLevelAwaits('a.ts', 'await f();')).toEqual([1]);
    expect(topLevelAwaits('b.ts', 'if (x)\n  await f();')).toEqual([2]);
    expect(topLevelAwaits('c.ts', 'for await (const x of y) g(x);')).toEqual([1]);
    expect(
      topLevelAwaits('d.ts', 'async function s() { await f(); }\nconst g = async () => await f();'),
    ).toEqual([]);
  });

  test('no source module has one', () => {
    const found = [...sources(SRC)]
      .map((f) => ({ f: path.relative(SRC, f), at: topLevelAwaits(f, readFileSync(f, 'utf8')) }))
      .filter((x) => x.at.length > 0);
    expect(found).toEqual([]);
  });
});
