// A translation-table tree, drawn once whoever owns it: a header naming what it is (shared by CPU
// and SMMU, a private or global io-pgtable, a CPU-only mm) and one row per table page; an opened
// page lists its valid entries. Clicking an entry opens the descriptor in the inspector.
import { memo } from 'react';
import { assertNever, descriptorKind } from '../../engine/index.ts';
import {
  count,
  G,
  hexu,
  leafPerms,
  plural,
  sizeName,
  sizeShort,
  tableKey,
  trunc,
  type TreeBox,
  type TreeNode,
  type TreeRow,
} from '../../diagram/index.ts';
import { Hit, MoreButton } from './Hit.tsx';
import { changeClass, selKey, testId, type BoxProps } from './types.ts';

export function roleBadge(t: TreeNode, streams: number): string {
  switch (t.role) {
    case 'shared':
      return 'SHARED · CPU + SMMU';
    case 'cpu':
      return 'CPU page tables';
    case 'io-private':
      return 'PRIVATE io-pgtable';
    case 'io-global':
      return streams > 1 ? `GLOBAL io-pgtable · ${streams} streams` : 'GLOBAL io-pgtable';
    case 'guest':
      return 'GUEST stage 1 · at IPAs';
    case 'stage2':
      return 'STAGE 2 · nesting parent';
    default:
      return assertNever(t.role, 'tree role');
  }
}

export const TreeCard = memo(function TreeCard({
  box,
  changes,
  selected,
  actions,
}: BoxProps & { readonly box: TreeBox }) {
  const t = box.tree;
  const badge = roleBadge(t, box.streams);
  // Bold 10.5px: capitals run wider than lower case (SVG text cannot size a rect by itself).
  const badgeW = [...badge].reduce((w, ch) => w + (/[A-Z+]/.test(ch) ? 7.8 : 6), 12);
  const levels = [...new Set(t.tables.map((x) => x.level))];
  const summary = `${sizeShort(1n << BigInt(t.g))} · ${plural(t.tables.length, 'table')} · ${plural(
    t.leaves,
    'leaf',
    'leaves',
  )} (${sizeName(t.mappedBytes)})`;
  const owners = t.owners.map((o) => o.label).join(' · ');
  // The lens's compact card: the owners are cards beside it, so no owners line.
  const compact = box.detail === 'cards';
  const rootText = compact ? hexu(t.root) : `root ${hexu(t.root)}`;

  const treeMenu = (el: Element) => actions.openMenu({ kind: 'tree', tree: t.id }, el);
  const row = (r: TreeRow) => {
    const x0 = G.pad + r.depth * G.indent;
    const ch = changeClass(changes.get(r.id));
    if (r.kind === 'more') {
      const step = r.what === 'entries' ? G.entriesStep * 2 : G.tablesStep;
      return (
        <Hit
          key={r.id}
          testId={`more-${testId(r.target.split('|').pop()!)}`}
          label={`Show ${Math.min(step, r.hidden)} more ${r.what} (${count(r.hidden)} hidden)`}
          x={x0}
          y={r.y}
          w={box.w - x0 - 4}
          h={G.row}
          className="dg-row dg-morerow"
          onActivate={() => actions.showMore(r.target, step)}
        >
          <text className="dg-gap" x={4} y={13}>
            … {count(r.hidden)} more {r.what} — show {Math.min(step, r.hidden)}
          </text>
        </Hit>
      );
    }
    if (r.kind === 'table') {
      const tb = r.table;
      const key = tableKey(t.id, tb.id);
      return (
        <Hit
          key={r.id}
          testId={testId(tb.id)}
          label={`Level ${tb.level} table at ${hexu(tb.pa)}, ${tb.entries.length} valid of ${r.capacity}: ${r.expanded ? 'hide' : 'show'} entries`}
          x={x0}
          y={r.y}
          w={box.w - x0 - 4}
          h={G.row}
          expanded={r.expanded}
          className={`dg-row dg-table${ch}`}
          onActivate={() => actions.toggle(key)}
          onMenu={treeMenu}
        >
          <text className="dg-twisty" x={3} y={13}>
            {r.expanded ? '▾' : '▸'}
          </text>
          <text className="dg-level" x={15} y={13}>
            L{tb.level}
          </text>
          <text className="dg-mono" x={37} y={13}>
            {hexu(tb.pa)}
          </text>
          <text className="dg-mono dg-small dg-muted" x={box.w - x0 - 10} y={13} textAnchor="end">
            {tb.entries.length} / {r.capacity} valid
          </text>
        </Hit>
      );
    }
    if (r.kind === 'fold')
      return (
        <Hit
          key={r.id}
          testId={`fold-${testId(t.id)}`}
          label={`Show the ${plural(r.count, 'other table')} of this tree`}
          x={x0}
          y={r.y}
          w={box.w - x0 - 4}
          h={G.row}
          expanded={false}
          className="dg-row dg-morerow"
          onActivate={() => actions.fold(r.target)}
        >
          <text className="dg-gap" x={4} y={13}>
            … {plural(r.count, 'more table')}
          </text>
        </Hit>
      );
    if (r.kind === 'walk') return walkRow(r);
    if (r.kind !== 'entry') return assertNever(r, 'tree row');
    const e = r.entry;
    const struct = descriptorKind(1, r.level, e.desc);
    const isSel = selected === selKey(struct, e.pa);
    const title = `L${r.level}[${e.index}] at ${hexu(e.pa)}`;
    const target =
      e.kind === 'table' ? `→ L${r.level + 1} ${hexu(e.target)}` : `→ ${hexu(e.target)}`;
    const tail = e.kind === 'table' ? '' : `${sizeShort(e.size)} ${leafPerms(e.desc)}`;
    const w = box.w - x0 - 24;
    return (
      <g key={r.id}>
        <Hit
          testId={testId(r.id)}
          label={`${title}: ${hexu(e.ia)} ${target} ${tail}`}
          x={x0}
          y={r.y}
          w={w}
          h={G.row}
          pressed={isSel}
          className={`dg-row dg-entry${ch}${isSel ? ' is-selected' : ''}`}
          onActivate={() =>
            actions.select({ kind: 'memory', struct, pa: e.pa, title, level: r.level, stage: 1 })
          }
          onMenu={(el) =>
            actions.openMenu({ kind: 'entry', tree: t.id, entry: e, level: r.level }, el)
          }
        >
          <text className="dg-mono dg-small dg-muted" x={29} y={13} textAnchor="end">
            [{e.index}]
          </text>
          <text className="dg-mono dg-small" x={33} y={13}>
            {hexu(e.ia)}
          </text>
          <text className="dg-mono dg-small" x={138} y={13}>
            {trunc(target, e.kind === 'table' ? 18 : 13)}
          </text>
          <text className="dg-mono dg-small dg-perm" x={w - 4} y={13} textAnchor="end">
            {tail}
          </text>
          <title>
            {`${title}: ${e.kind} ${hexu(e.ia)}+${sizeName(e.size)} ${target} ${e.kind === 'table' ? '' : leafPerms(e.desc, true)} (descriptor ${hexu(e.desc)})`}
          </title>
        </Hit>
        <MoreButton
          testId={`menu-${testId(r.id)}`}
          label={`Actions for ${title}`}
          x={box.w - 22}
          y={r.y + 2}
          onOpen={(el) =>
            actions.openMenu({ kind: 'entry', tree: t.id, entry: e, level: r.level }, el)
          }
        />
      </g>
    );
  };

  /** One level of the walk: the table page, the index read in it, and where it leads. */
  const walkRow = (r: Extract<TreeRow, { kind: 'walk' }>) => {
    const e = r.entry;
    const x0 = G.pad + r.depth * G.indent;
    const struct = descriptorKind(1, r.level, e.desc);
    const isSel = selected === selKey(struct, e.pa);
    const title = `L${r.level}[${e.index}] at ${hexu(e.pa)} (table ${hexu(r.table.pa)})`;
    const target = e.kind === 'table' ? `→ ${hexu(e.target)}` : `→ ${hexu(e.target)}`;
    const tail = e.kind === 'table' ? '' : `${sizeShort(e.size)} ${leafPerms(e.desc)}`;
    return (
      <Hit
        key={r.id}
        testId={testId(r.id)}
        label={`${title}: ${hexu(e.ia)} ${target} ${tail}`}
        x={x0}
        y={r.y}
        w={box.w - x0 - 4}
        h={G.row}
        pressed={isSel}
        className={`dg-row dg-entry dg-walk${changeClass(changes.get(r.id))}${isSel ? ' is-selected' : ''}`}
        onActivate={() =>
          actions.select({ kind: 'memory', struct, pa: e.pa, title, level: r.level, stage: 1 })
        }
        onMenu={(el) =>
          actions.openMenu({ kind: 'entry', tree: t.id, entry: e, level: r.level }, el)
        }
      >
        <text className="dg-level" x={3} y={13}>
          L{r.level}
        </text>
        <text className="dg-mono dg-muted" x={24} y={13}>
          [{e.index}]
        </text>
        <text className="dg-mono" x={62} y={13}>
          {target}
        </text>
        <text className="dg-mono dg-perm" x={box.w - x0 - 10} y={13} textAnchor="end">
          {tail}
        </text>
        <title>{`${title}: ${e.kind} ${hexu(e.ia)}+${sizeName(e.size)} ${target} (descriptor ${hexu(e.desc)})`}</title>
      </Hit>
    );
  };

  return (
    <g
      data-testid={testId(t.id)}
      data-role={t.role}
      className={`dg-box dg-tree dg-role-${t.role}${changeClass(changes.get(t.id))}`}
      transform={`translate(${box.x},${box.y})`}
    >
      <rect className="dg-frame" width={box.w} height={box.h} rx={4} />
      <rect className="dg-stripe" width={4} height={box.h} rx={2} />
      <Hit
        testId={`${testId(t.id)}-head`}
        label={`${badge} tree at ${hexu(t.root)}: ${box.collapsed ? 'expand' : 'collapse'}`}
        x={0}
        y={0}
        w={box.w}
        h={compact ? 42 : G.treeHead}
        expanded={!box.collapsed}
        className="dg-head"
        onActivate={() => actions.toggle(t.id)}
        onMenu={treeMenu}
      >
        <text className="dg-twisty" x={G.pad + 2} y={17}>
          {box.collapsed ? '▸' : '▾'}
        </text>
        <g className="dg-badge" transform={`translate(${G.pad + 16},5)`}>
          <rect width={badgeW} height={16} rx={3} />
          <text x={6} y={12}>
            {badge}
          </text>
        </g>
        {/* In a narrow card (a guest's tree in the lens) the badge takes the line: the root is
            in the card's label. */}
        {G.pad * 2 + 24 + badgeW + rootText.length * 6.7 <= box.w && (
          <text className="dg-mono dg-small dg-muted" x={box.w - G.pad} y={17} textAnchor="end">
            {rootText}
          </text>
        )}
        <text className="dg-mono dg-small dg-muted" x={G.pad + 4} y={35}>
          {trunc(
            `${summary}${levels.length ? ` · L${Math.min(...levels)}–L${Math.max(...levels)}` : ''}`,
            Math.floor((box.w - G.pad * 2 - 4) / 6.7),
          )}
        </text>
        {!compact && (
          <text className="dg-small dg-muted" x={G.pad + 4} y={51}>
            {trunc(`← ${owners}`, 56)}
          </text>
        )}
      </Hit>
      {box.rows.map(row)}
    </g>
  );
});
