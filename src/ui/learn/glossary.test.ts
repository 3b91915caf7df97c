import { describe, expect, it } from 'vitest';
import { GLOSSARY, glossary } from './glossary.ts';

describe('glossary', () => {
  it('defines every term the issue lists, each with a citation', () => {
    const terms =
      'STE CD L1STD L1CD StreamID SubstreamID PASID ASID VMID S1DSS EPD0 TBI ATS ATC PRI stall STAG BTM HTTU CFGI TLBI SYNC';
    for (const t of terms.split(' ')) {
      const g = glossary(t);
      expect(g, t).toBeDefined();
      expect(g!.cite).toMatch(/§|\(\)/);
    }
  });

  it('looks names up case-insensitively, and only its own entries', () => {
    expect(glossary('ste')?.term).toBe('STE');
    expect(glossary('constructor')).toBeUndefined();
    expect(glossary('__proto__')).toBeUndefined();
    expect(new Set(GLOSSARY.map((g) => g.term)).size).toBe(GLOSSARY.length);
  });
});
