// Note and stop text on the page: the pieces of markup.ts as React text nodes (React escapes
// them), so nothing from a link is ever parsed as HTML. A glossary term shows its definition on
// hover and focus (glossary.ts), or stays plain text when the glossary does not know it.
import { parseMarkup, type Inline } from './markup.ts';
import { glossary } from './glossary.ts';

function Piece({ p }: { p: Inline }) {
  switch (p.kind) {
    case 'text':
      return <>{p.text}</>;
    case 'strong':
      return <strong>{p.text}</strong>;
    case 'em':
      return <em>{p.text}</em>;
    case 'code':
      return <code>{p.text}</code>;
    case 'term': {
      const g = glossary(p.term);
      return g ? (
        <dfn className="learn-term" tabIndex={0} title={`${g.term}: ${g.text} (${g.cite})`}>
          {p.text}
        </dfn>
      ) : (
        <>{p.text}</>
      );
    }
  }
}

export function Markup({ text }: { text: string }) {
  return (
    <>
      {parseMarkup(text).map((para, i) => (
        <p key={i}>
          {para.map((p, j) => (
            <Piece key={j} p={p} />
          ))}
        </p>
      ))}
    </>
  );
}
