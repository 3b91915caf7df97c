// The definitions of the terms one diagram card shows, opened by its "?": an HTML card over the
// diagram (SVG cannot wrap text), each term with its short text and where the spec or the kernel
// defines it. Escape, the close button or a press outside closes it and returns focus to the "?".
import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { glossary, type Gloss } from './glossary.ts';
import './learn.css';

export interface TermsCardProps {
  readonly terms: readonly string[];
  /** Where to open it, in the offset parent's pixels (below the "?"). */
  readonly at: { readonly x: number; readonly y: number };
  readonly onClose: () => void;
}

export function TermsCard({ terms, at, onClose }: TermsCardProps) {
  const ref = useRef<HTMLDivElement>(null);
  const [pos, setPos] = useState(at);
  const known = terms.map((t) => glossary(t)).filter((g): g is Gloss => g !== undefined);
  // Inside the pane: moved left or up when it would run off an edge.
  useLayoutEffect(() => {
    const el = ref.current;
    const pane = el?.offsetParent;
    if (!el || !pane) return;
    const x = Math.max(
      4,
      Math.min(at.x - el.offsetWidth + 16, pane.clientWidth - el.offsetWidth - 4),
    );
    const y = Math.max(4, Math.min(at.y, pane.clientHeight - el.offsetHeight - 4));
    setPos({ x, y });
  }, [at]);
  useEffect(() => {
    ref.current?.focus({ preventScroll: true });
    const away = (e: PointerEvent) => {
      if (!ref.current?.contains(e.target as Node)) onClose();
    };
    document.addEventListener('pointerdown', away, true);
    return () => document.removeEventListener('pointerdown', away, true);
  }, [onClose]);
  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    e.stopPropagation(); // keys inside the card do not pan the diagram
    if (e.key === 'Escape') {
      e.preventDefault();
      onClose();
    }
  };
  return (
    <div
      ref={ref}
      className="terms-card"
      role="dialog"
      aria-label="Terms on this card"
      data-testid="terms-card"
      tabIndex={-1}
      style={{ left: pos.x, top: pos.y }}
      onKeyDown={onKey}
    >
      <dl>
        {known.map((g) => (
          <div key={g.term}>
            <dt>{g.term}</dt>
            <dd>
              {g.text} <span className="gloss-cite">({g.cite})</span>
            </dd>
          </div>
        ))}
      </dl>
      <button type="button" onClick={onClose}>
        Close
      </button>
    </div>
  );
}
