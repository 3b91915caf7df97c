// Where a node's menu or a card's terms open (just below the node that asked), and the open
// terms card's state: closing it returns focus to the "?" that opened it.
import { useCallback, useState } from 'react';

export interface Opened<T> {
  readonly what: T;
  readonly at: { readonly x: number; readonly y: number };
  readonly from: Element;
}

/** Just below `from`, in the diagram section's pixels. */
export function below(from: Element, root: HTMLElement | null) {
  const r = from.getBoundingClientRect();
  const c = root?.getBoundingClientRect();
  return { x: r.left - (c?.left ?? 0), y: r.bottom - (c?.top ?? 0) + 2 };
}

export function useTerms() {
  const [terms, setTerms] = useState<Opened<readonly string[]> | null>(null);
  const close = useCallback(() => {
    setTerms((t) => {
      if (t?.from instanceof SVGElement) t.from.focus();
      return null;
    });
  }, []);
  return { terms, setTerms, close };
}
