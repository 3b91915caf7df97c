// A clickable part of the diagram: an SVG group that behaves as a button (focusable, Enter/Space
// activates, the context-menu key or Shift+F10 opens its actions), with a background rect that
// carries the hover, focus, selection and change styles.
import type { KeyboardEvent, MouseEvent, ReactNode } from 'react';

interface HitProps {
  readonly testId: string;
  readonly label: string;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  readonly className?: string;
  readonly expanded?: boolean;
  readonly pressed?: boolean;
  readonly hasPopup?: boolean;
  /** Opens a dialog (a glossary card), not a menu. */
  readonly hasDialog?: boolean;
  readonly onActivate: (el: Element) => void;
  readonly onMenu?: ((el: Element) => void) | undefined;
  readonly children?: ReactNode;
}

export function Hit(p: HitProps) {
  const onKey = (e: KeyboardEvent<SVGGElement>) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      e.stopPropagation();
      p.onActivate(e.currentTarget);
    } else if (p.onMenu && (e.key === 'ContextMenu' || (e.key === 'F10' && e.shiftKey))) {
      e.preventDefault();
      e.stopPropagation();
      p.onMenu(e.currentTarget);
    }
  };
  const onClick = (e: MouseEvent<SVGGElement>) => {
    e.stopPropagation();
    p.onActivate(e.currentTarget);
  };
  const onContext = p.onMenu
    ? (e: MouseEvent<SVGGElement>) => {
        e.preventDefault();
        e.stopPropagation();
        p.onMenu?.(e.currentTarget);
      }
    : undefined;
  return (
    <g
      role="button"
      tabIndex={0}
      aria-label={p.label}
      {...(p.expanded !== undefined ? { 'aria-expanded': p.expanded } : {})}
      {...(p.pressed !== undefined ? { 'aria-pressed': p.pressed } : {})}
      {...(p.hasPopup ? { 'aria-haspopup': 'menu' as const } : {})}
      {...(p.hasDialog ? { 'aria-haspopup': 'dialog' as const } : {})}
      {...(p.onMenu ? { 'aria-keyshortcuts': 'Shift+F10 ContextMenu' } : {})}
      data-testid={p.testId}
      className={`dg-hit${p.className ? ' ' + p.className : ''}`}
      transform={`translate(${p.x},${p.y})`}
      onClick={onClick}
      onKeyDown={onKey}
      onContextMenu={onContext}
    >
      <rect className="dg-hitbg" width={p.w} height={p.h} rx={2} />
      {p.children}
    </g>
  );
}

/** The small "⋯" button that opens a node's actions (the keyboard and mouse route to them). */
export function MoreButton(p: {
  readonly testId: string;
  readonly label: string;
  readonly x: number;
  readonly y: number;
  readonly onOpen: (el: Element) => void;
}) {
  return (
    <Hit
      testId={p.testId}
      label={p.label}
      x={p.x}
      y={p.y}
      w={16}
      h={14}
      className="dg-more"
      hasPopup
      onActivate={p.onOpen}
      onMenu={p.onOpen}
    >
      <text x={8} y={10.5} textAnchor="middle">
        ⋯
      </text>
    </Hit>
  );
}
