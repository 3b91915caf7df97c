import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseInline, parseMarkup } from './markup.ts';

describe('note markup', () => {
  it('splits bold, emphasis, code and glossary terms', () => {
    expect(parseInline('A **STE** has *one* `V` bit, see [[STE]] and [[CD|the context]].')).toEqual(
      [
        { kind: 'text', text: 'A ' },
        { kind: 'strong', text: 'STE' },
        { kind: 'text', text: ' has ' },
        { kind: 'em', text: 'one' },
        { kind: 'text', text: ' ' },
        { kind: 'code', text: 'V' },
        { kind: 'text', text: ' bit, see ' },
        { kind: 'term', term: 'STE', text: 'STE' },
        { kind: 'text', text: ' and ' },
        { kind: 'term', term: 'CD', text: 'the context' },
        { kind: 'text', text: '.' },
      ],
    );
  });

  it('keeps HTML and unfinished markup as literal text', () => {
    const s = '<img src=x onerror="alert(1)"> **open [[x';
    expect(parseInline(s)).toEqual([{ kind: 'text', text: s }]);
  });

  it('splits paragraphs at blank lines', () => {
    expect(parseMarkup('one\nstill one\n\n  \n two ')).toEqual([
      [{ kind: 'text', text: 'one\nstill one' }],
      [{ kind: 'text', text: 'two' }],
    ]);
  });

  it('loses no character of text without markup characters', () =>
    fc.assert(
      fc.property(
        fc.string({ maxLength: 200 }).filter((s) => !/[*`[\]]/.test(s)),
        (s) => {
          const out = parseInline(s);
          expect(out.map((p) => p.text).join('')).toBe(s);
        },
      ),
    ));
});
