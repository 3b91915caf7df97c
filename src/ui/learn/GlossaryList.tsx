// The glossary as a list: every term, its short definition and where the spec or the kernel
// defines it.
import { GLOSSARY } from './glossary.ts';

export function GlossaryList() {
  return (
    <dl className="learn-glossary" aria-label="Glossary" data-testid="glossary">
      {GLOSSARY.map((g) => (
        <div key={g.term}>
          <dt id={`gloss-${g.term}`}>{g.term}</dt>
          <dd>
            {g.text} <span className="learn-dim">({g.cite})</span>
          </dd>
        </div>
      ))}
    </dl>
  );
}
