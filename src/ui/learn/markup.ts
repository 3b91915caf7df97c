// The small markup of notes and tour stops (docs/scenario-format.md "Notes and tours"):
// paragraphs split by a blank line, **bold**, *emphasis*, `code`, and [[TERM]] or
// [[TERM|shown words]] for a glossary term. The text comes from untrusted links, so this only
// splits it into typed pieces; Markup.tsx renders each piece as a text node (never as HTML).
// Anything that is not exactly one of these forms stays literal text.

export type Inline =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'strong' | 'em' | 'code'; readonly text: string }
  | { readonly kind: 'term'; readonly term: string; readonly text: string };

// One alternation, tried left to right at each position; the longest forms first.
const TOKEN =
  /\*\*([^*\n]+)\*\*|\*([^*\n]+)\*|`([^`\n]+)`|\[\[([^\]|\n]{1,40})(?:\|([^\]\n]{1,80}))?\]\]/g;

export function parseInline(s: string): Inline[] {
  const out: Inline[] = [];
  let last = 0;
  const text = (t: string) => {
    if (!t) return;
    const prev = out[out.length - 1];
    if (prev?.kind === 'text') out[out.length - 1] = { kind: 'text', text: prev.text + t };
    else out.push({ kind: 'text', text: t });
  };
  for (const m of s.matchAll(TOKEN)) {
    text(s.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[1] !== undefined) out.push({ kind: 'strong', text: m[1] });
    else if (m[2] !== undefined) out.push({ kind: 'em', text: m[2] });
    else if (m[3] !== undefined) out.push({ kind: 'code', text: m[3] });
    else out.push({ kind: 'term', term: m[4]!.trim(), text: (m[5] ?? m[4]!).trim() });
  }
  text(s.slice(last));
  return out;
}

/** Paragraphs (split at blank lines), each a list of inline pieces. */
export function parseMarkup(s: string): Inline[][] {
  return s
    .split(/\n[ \t]*\n/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0)
    .map(parseInline);
}
