// A term the page shows (a structure's name, a field) linked to its glossary entry: a button that
// opens the short definition beside it and closes it again (Escape too), so the definition is
// reachable from the keyboard and readable without hovering. An unknown term stays plain text.
import { useId, useState, type ReactNode } from 'react';
import { glossary } from './glossary.ts';
import './learn.css';

export function GlossTerm({ term, children }: { term: string; children?: ReactNode }) {
  const g = glossary(term);
  const [open, setOpen] = useState(false);
  const id = useId();
  if (!g) return <>{children ?? term}</>;
  return (
    <>
      <button
        type="button"
        className="gloss-term"
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        title={`What is ${g.term}?`}
        onClick={() => setOpen(!open)}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && open) {
            e.stopPropagation();
            setOpen(false);
          }
        }}
      >
        {children ?? term}
      </button>
      {open && (
        <span className="gloss-pop" id={id} role="note" data-testid="gloss-pop">
          <strong>{g.term}</strong>: {g.text} <span className="gloss-cite">({g.cite})</span>
        </span>
      )}
    </>
  );
}
