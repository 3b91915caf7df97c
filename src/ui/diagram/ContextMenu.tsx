// The actions menu of a node: an HTML overlay over the diagram (menus need real buttons, focus
// and text wrapping, which SVG does not give). Arrow keys move, Escape closes and returns focus
// to the node that opened it.
import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { Menu, MenuItem } from './menuItems.ts';

export interface MenuProps {
  readonly menu: Menu;
  readonly at: { readonly x: number; readonly y: number };
  /** Runs an item's op; returns the store's refusal, if any. */
  readonly onRun: (item: MenuItem) => string | null;
  readonly onClose: () => void;
}

export function ContextMenu({ menu, at, onRun, onClose }: MenuProps) {
  const ref = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [pos, setPos] = useState(at);
  // Keep the menu inside the diagram pane: left of the node if it would run off the right edge,
  // above it if it would run off the bottom, and never outside the pane (the node may be gliding
  // into view, or off it, when the menu opens).
  useLayoutEffect(() => {
    const el = ref.current;
    const pane = el?.offsetParent;
    if (!el || !pane) return;
    const x = Math.max(4, Math.min(at.x, pane.clientWidth - el.offsetWidth - 4));
    const below = at.y + el.offsetHeight <= pane.clientHeight - 4;
    const want = below ? at.y : at.y - el.offsetHeight - 22;
    const y = Math.max(4, Math.min(want, pane.clientHeight - el.offsetHeight - 4));
    setPos({ x, y });
  }, [at]);
  useEffect(() => {
    ref.current
      ?.querySelector<HTMLButtonElement>('button:not([disabled])')
      ?.focus({ preventScroll: true });
    const away = (e: PointerEvent) => {
      if (!ref.current?.contains(e.target as Node)) onClose();
    };
    document.addEventListener('pointerdown', away, true);
    return () => document.removeEventListener('pointerdown', away, true);
  }, [onClose]);
  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    e.stopPropagation(); // keys inside the menu do not pan the diagram
    const buttons = [
      ...(ref.current?.querySelectorAll<HTMLButtonElement>('button:not([disabled])') ?? []),
    ];
    const i = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (e.key === 'Escape') {
      e.preventDefault();
      onClose();
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const n = buttons.length;
      buttons[(i + (e.key === 'ArrowDown' ? 1 : n - 1)) % n]?.focus({ preventScroll: true });
    }
  };
  return (
    <div
      ref={ref}
      className="dg-menu"
      role="menu"
      aria-label={menu.title}
      data-testid="diagram-menu"
      style={{ left: pos.x, top: pos.y }}
      onKeyDown={onKey}
    >
      <div className="dg-menu-title" aria-hidden="true">
        {menu.title}
      </div>
      {menu.items.map((it) => (
        <button
          key={it.label}
          type="button"
          role="menuitem"
          disabled={!it.op}
          title={it.disabled}
          onClick={() => {
            const err = onRun(it);
            if (err) setError(err);
            else onClose();
          }}
        >
          <span>{it.label}</span>
          {it.disabled && <span className="dg-menu-why">{it.disabled}</span>}
        </button>
      ))}
      {error && (
        <div role="alert" className="dg-menu-error">
          {error}
        </div>
      )}
    </div>
  );
}
