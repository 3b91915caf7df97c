// A CD table: its header (format, base, who points at it; click folds it), L1 descriptors of a
// 2-level table, one row per valid CD (SSID, ASID, ASET, owner) and "… N invalid CDs" gaps.
import { memo } from 'react';
import { assertNever, l1cdPtr } from '../../engine/index.ts';
import {
  count,
  G,
  hexu,
  plural,
  trunc,
  type CdTableBox,
  type CdTableRow,
  type Owner,
} from '../../diagram/index.ts';
import { Hit, MoreButton } from './Hit.tsx';
import { changeClass, selKey, testId, type BoxProps } from './types.ts';

// Column x positions: labels are printed once under the header, rows carry only values.
const COL = { ssid: G.pad, asid: 62, aset: 112, owner: 150 } as const;

export function ownerRole(o: Owner): string {
  switch (o.kind) {
    case 'domain':
      return 'io-global';
    case 'private':
      return 'io-private';
    case 'process':
      return 'shared';
    case 'guest':
      return 'guest';
    case 'exited':
    case 'unknown':
      return 'unknown';
    default:
      return assertNever(o, 'owner');
  }
}

function ownerText(o: Owner): string {
  switch (o.kind) {
    case 'domain':
      return `domain ${o.name}`;
    case 'private':
      return `${o.proc} · private`;
    case 'process':
      return `${o.name} · SVA`;
    case 'guest':
      return o.ssid === undefined ? `VM ${o.vm}` : `guest PASID ${o.ssid}`;
    case 'exited':
      // mainline: the process exited; its mm keeps the PASID until the drivers unbind (EPD0=1).
      return `${o.name} · exited`;
    case 'unknown':
      return 'unknown owner';
    default:
      return assertNever(o, 'owner');
  }
}

export const CdTableCard = memo(function CdTableCard({
  box,
  changes,
  selected,
  actions,
}: BoxProps & { readonly box: CdTableBox }) {
  const t = box.table;
  const fmt =
    t.fmt === 'linear'
      ? `linear · ${plural(2 ** t.s1cdmax, 'CD')}`
      : `2-level · 2^${t.s1cdmax} CDs`;
  const tableMenu = (el: Element) => actions.openMenu({ kind: 'cdtable', table: t.id }, el);
  // The lens's narrow card: the format moves under the title.
  const compact = box.detail === 'cards';
  const row = (r: CdTableRow) => {
    const ch = changeClass(changes.get(r.id));
    if (r.kind === 'gap')
      return (
        <text key={r.id} className="dg-gap" x={COL.ssid + 4} y={r.y + 13}>
          … {count(r.count)} invalid CDs
        </text>
      );
    if (r.kind === 'fold')
      return (
        <Hit
          key={r.id}
          testId={`fold-${testId(t.id)}`}
          label={`Show the ${plural(r.count, 'other valid CD')} of ${t.domain}`}
          x={2}
          y={r.y}
          w={box.w - 4}
          h={G.row}
          expanded={false}
          className="dg-row dg-morerow"
          onActivate={() => actions.fold(r.target)}
        >
          <text className="dg-gap" x={COL.ssid + 2} y={13}>
            … {plural(r.count, 'more CD')}
            {r.invalid ? `, ${count(r.invalid)} invalid` : ''}
          </text>
        </Hit>
      );
    if (r.kind === 'l1cd') {
      const isSel = selected === selKey('l1cd', r.l1.pa);
      const leaf = l1cdPtr(r.l1.word);
      const title = `L1CD ${r.l1.index} of ${t.domain}`;
      return (
        <Hit
          key={r.id}
          testId={testId(r.id)}
          label={`${title}: leaf ${hexu(leaf)}`}
          x={2}
          y={r.y}
          w={box.w - 4}
          h={G.row}
          pressed={isSel}
          className={`dg-row dg-l1${ch}${isSel ? ' is-selected' : ''}`}
          onActivate={() => actions.select({ kind: 'memory', struct: 'l1cd', pa: r.l1.pa, title })}
          onMenu={tableMenu}
        >
          <text className="dg-mono dg-small" x={COL.ssid - 2} y={13}>
            L1CD[{r.l1.index}] → leaf {hexu(leaf)} · SSIDs {count(r.l1.index * 1024)}–
            {count(r.l1.index * 1024 + 1023)}
          </text>
        </Hit>
      );
    }
    if (r.kind !== 'cd') return assertNever(r, 'CD table row');
    const c = r.row;
    const isSel = selected === selKey('cd', c.pa);
    const title = `CD ${c.ssid} of ${t.domain} (SSID ${c.ssid})`;
    const role = ownerRole(c.owner);
    return (
      <g key={r.id}>
        <Hit
          testId={testId(r.id)}
          label={`${title}: ASID ${c.asid}, ${ownerText(c.owner)}`}
          x={2}
          y={r.y}
          w={box.w - 22}
          h={G.row}
          pressed={isSel}
          className={`dg-row${ch}${isSel ? ' is-selected' : ''}`}
          onActivate={() => actions.select({ kind: 'memory', struct: 'cd', pa: c.pa, title })}
          onMenu={(el) => actions.openMenu({ kind: 'cd', table: t.id, row: c }, el)}
        >
          <text className="dg-mono" x={COL.ssid - 2} y={13}>
            {c.ssid}
          </text>
          <text className="dg-mono" x={COL.asid} y={13}>
            {c.asid}
          </text>
          <text className="dg-mono" x={COL.aset} y={13}>
            {c.aset ? 1 : 0}
          </text>
          <circle className={`dg-dot dg-role-${role}`} cx={COL.owner} cy={9} r={4} />
          <text className={`dg-owner dg-role-${role}`} x={COL.owner + 8} y={13}>
            {trunc(ownerText(c.owner), Math.floor((box.w - 26 - COL.owner - 8) / 6.6))}
          </text>
          <title>{`${title} at ${hexu(c.pa)} — TTB0 ${c.epd0 ? 'disabled (EPD0)' : hexu(c.ttb0)}`}</title>
        </Hit>
        <MoreButton
          testId={`menu-${testId(r.id)}`}
          label={`Actions for ${title}`}
          x={box.w - 19}
          y={r.y + 2}
          onOpen={(el) => actions.openMenu({ kind: 'cd', table: t.id, row: c }, el)}
        />
      </g>
    );
  };
  return (
    <g
      data-testid={testId(t.id)}
      className={`dg-box dg-cdtable${changeClass(changes.get(t.id))}`}
      transform={`translate(${box.x},${box.y})`}
    >
      <rect className="dg-frame" width={box.w} height={box.h} rx={4} />
      <Hit
        testId={`${testId(t.id)}-head`}
        label={`CD table of ${t.domain}, ${fmt}: ${box.collapsed ? 'expand' : 'collapse'}`}
        x={0}
        y={0}
        w={box.w}
        h={G.cdtHead}
        expanded={!box.collapsed}
        className="dg-head"
        onActivate={() => actions.toggle(t.id)}
        onMenu={tableMenu}
      >
        <text className="dg-twisty" x={G.pad} y={16}>
          {box.collapsed ? '▸' : '▾'}
        </text>
        <text className="dg-title" x={G.pad + 14} y={16}>
          CD table · {trunc(t.domain, 16)}
        </text>
        {!compact && (
          <text className="dg-small dg-muted" x={box.w - G.pad} y={16} textAnchor="end">
            {fmt}
          </text>
        )}
        <text className="dg-mono dg-small dg-muted" x={G.pad + 14} y={32}>
          {compact
            ? trunc(
                // A guest's table is where its STE says, an IPA; the SMMU reads it at the PA.
                t.ipa !== undefined
                  ? `IPA ${hexu(t.ipa)} → PA ${hexu(t.base)}`
                  : `${hexu(t.base)} · ${fmt}`,
                Math.floor((box.w - G.pad - 20) / 6.7),
              )
            : trunc(`${hexu(t.base)} · ${box.devs.length ? box.devs.join(', ') : 'no stream'}`, 42)}
        </text>
        <g className="dg-colhead" aria-hidden="true">
          <text x={COL.ssid - 2} y={G.cdtHead - 4}>
            SSID
          </text>
          <text x={COL.asid} y={G.cdtHead - 4}>
            ASID
          </text>
          <text x={COL.aset} y={G.cdtHead - 4}>
            ASET
          </text>
          <text x={COL.owner} y={G.cdtHead - 4}>
            owner
          </text>
        </g>
      </Hit>
      {box.rows.map(row)}
    </g>
  );
});
