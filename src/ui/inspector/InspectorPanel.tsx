// The bit-level inspector (right column): the selected structure or register at the cursor —
// its words in hex and as bit rulers, and every field decoded with the engine's field tables.
import { useMemo, useState } from 'react';
import { hex } from '../../engine/index.ts';
import { useApp, useWorld } from '../storeContext.ts';
import { BitRuler } from './BitRuler.tsx';
import { FieldTable } from './FieldTable.tsx';
import {
  editableFields,
  inspect,
  nestedInspect,
  type Inspected,
  type Selection,
} from '../../diagram/index.ts';
import type { World } from '../../scenario/index.ts';
import { NestedSteView } from './NestedSteView.tsx';
import { RegisterList } from './RegisterList.tsx';
import { usePrevWorld } from './useWorlds.ts';
import { PaneToggle } from '../shell/PaneToggle.tsx';
import { WhatIf } from './WhatIf.tsx';
import { GlossTerm } from '../learn/index.ts';
import './inspector.css';

export function InspectorPanel() {
  const sel = useApp((s) => s.selection);
  const op = useApp((s) => s.cursor.op);
  const world = useWorld();
  const prev = usePrevWorld();
  const view = sel ? inspect(sel, world, prev) : null;
  const nested = sel ? nestedInspect(sel, world) : undefined;
  return (
    <div className="inspector" data-testid="inspector" tabIndex={-1} data-region-focus>
      <div className="insp-head">
        <h2 className="insp-h">Inspector</h2>
        <PaneToggle pane="inspector" />
      </div>
      <RegisterList />
      {view ? (
        <>
          <InspectorView
            key={sel!.kind === 'reg' ? sel!.reg : `${sel!.struct}:${sel!.pa}`}
            view={view}
            op={op}
            sel={sel!}
            world={world}
          />
          {nested && <NestedSteView n={nested} />}
        </>
      ) : (
        <p className="insp-hint">
          Select a structure in the diagram, a queue slot, a cache entry or a register to see its
          bits.
        </p>
      )}
    </div>
  );
}

interface ViewProps {
  readonly view: Inspected;
  readonly op: number;
  readonly sel: Selection;
  readonly world: World;
}

function InspectorView({ view, op, sel, world }: ViewProps) {
  const [hovered, setHovered] = useState<string | null>(null);
  // What if…: which field a row asked to edit (null: the form is closed).
  const [ask, setAsk] = useState<{ name: string; n: number } | null>(null);
  const editable = useMemo(
    () => new Set(editableFields(sel, world).map((f) => f.name)),
    [sel, world],
  );
  const edit = (name: string) => setAsk((a) => ({ name, n: (a?.n ?? 0) + 1 }));
  const register = view.offset !== undefined;
  const moment = op < 0 ? 'after boot' : `after op #${op}`;
  return (
    <section className="insp-view" aria-label={`Inspecting ${view.title}`}>
      <header className="insp-title">
        <h3 data-testid="inspector-title">{view.title}</h3>
        <div className="insp-kind">
          <KindTerm kind={view.kind} /> <span className="insp-sec">{view.section}</span>
        </div>
        <div className="insp-addr">
          {view.pa !== undefined && (
            <>
              PA <code data-testid="inspector-pa">{hex(view.pa)}</code>
            </>
          )}
          {view.offset !== undefined && (
            <>
              offset <code>{hex(view.offset)}</code> · {view.width}-bit
            </>
          )}
          <span className="insp-moment"> · {moment}</span>
        </div>
        {view.where && <div className="insp-where">in {view.where}</div>}
        {view.cycle && (
          <p className="insp-cycle" role="note" data-testid="inspector-cycle">
            {view.cycle}
          </p>
        )}
      </header>
      {view.missing !== undefined ? (
        <p className="insp-missing" role="status" data-testid="inspector-missing">
          Not present at this moment: {view.missing}.
        </p>
      ) : (
        <>
          <div className="insp-words">
            {view.words.map((w, i) => (
              <BitRuler
                key={i}
                index={i}
                word={w}
                width={view.width}
                fields={view.fields.filter((f) => f.field.dw === i)}
                changed={view.changedWords.has(i)}
                hovered={hovered}
                onHover={setHovered}
                register={register}
              />
            ))}
          </div>
          {ask && (
            <WhatIf
              key={`${sel.kind}:${sel.kind === 'reg' ? sel.reg : sel.pa}:${ask.name}:${ask.n}`}
              sel={sel}
              field={ask.name}
              onClose={() => setAsk(null)}
            />
          )}
          <FieldTable
            editable={editable}
            onEdit={edit}
            fields={view.fields}
            register={register}
            hovered={hovered}
            onHover={setHovered}
          />
        </>
      )}
    </section>
  );
}

/** The structure's name linked to its glossary entry ("Context Descriptor (level 2)" too). */
function KindTerm({ kind }: { kind: string }) {
  const m = /^(.*?)( \(level \d\))?$/.exec(kind);
  const base = m?.[1] ?? kind;
  return (
    <>
      <GlossTerm term={base} />
      {m?.[2]}
    </>
  );
}
