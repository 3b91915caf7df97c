// What a note's or a stop's target selects on the page at its moment: a device is its STE, a
// device with a PASID that PASID's CD, a process its page-table root, a domain the STE of the
// first stream attached to it, a structure or a register itself. An op target selects nothing (the
// moment is the point). A name that does not exist at that moment resolves to null and the stop
// says so, as a selection that no longer exists does.
import { hexu, type DiagramModel, type Selection } from '../../diagram/index.ts';
import { descriptorKind } from '../../engine/index.ts';
import type { Target } from '../../scenario/index.ts';

export function resolveTarget(t: Target | undefined, m: DiagramModel): Selection | null {
  if (!t) return null;
  switch (t.kind) {
    case 'op':
      return null;
    case 'reg':
      return { kind: 'reg', reg: t.reg, title: t.reg };
    case 'struct':
      return {
        kind: 'memory',
        struct: t.struct,
        pa: t.pa,
        title: `${t.struct.toUpperCase()} at ${hexu(t.pa)}`,
        ...(t.level !== undefined ? { level: t.level } : {}),
        ...(t.stage !== undefined ? { stage: t.stage } : {}),
      };
    case 'device': {
      const s = m.streams.find((x) => x.dev === t.device);
      if (!s) return null;
      if (t.pasid === undefined)
        return {
          kind: 'memory',
          struct: 'ste',
          pa: s.stePa,
          title: `STE ${hexu(s.sid)} (${s.dev})`,
        };
      const table = m.cdTables.find((c) => c.id === s.cdTable);
      const row = table?.rows.find((r) => r.ssid === t.pasid);
      if (!table || !row) return null;
      return {
        kind: 'memory',
        struct: 'cd',
        pa: row.pa,
        title: `CD ${row.ssid} of ${table.domain} (SSID ${row.ssid})`,
      };
    }
    case 'domain': {
      const s = m.streams.find((x) => x.domain === t.domain);
      return s
        ? { kind: 'memory', struct: 'ste', pa: s.stePa, title: `STE ${hexu(s.sid)} (${s.dev})` }
        : null;
    }
    case 'process': {
      // The first valid entry of the process's L0 table: the walk starts there.
      const p = m.processes.find((x) => x.name === t.process);
      const tree = p && m.trees.find((x) => x.root === p.pgd);
      const table = tree?.tables.find((x) => x.pa === p?.pgd);
      const e = table?.entries[0];
      if (!p || !table || !e) return null;
      return {
        kind: 'memory',
        struct: descriptorKind(1, table.level, e.desc),
        pa: e.pa,
        title: `L${table.level}[${e.index}] at ${hexu(e.pa)}`,
        level: table.level,
        stage: 1,
      };
    }
  }
}
