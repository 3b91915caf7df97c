// What-if editing (issue 14): one field of a STE, CD, L1STD, L1CD, translation table descriptor
// or register, changed at the cursor. The edit is the hardware-level op it is (`write64` of each
// changed word, or `reg`), optionally followed by the invalidation a driver would send
// (whatIfInval.ts). Before it is applied, the new value is checked with the engine's own rules
// (SteIllegal, CdIllegal, the L1STD Span rule, L1CD.V, the walk's descriptor checks, the register
// write's guards) and what the SMMU will do is said. Pure: no React.
import {
  absentRule,
  absentText,
  cdCheckContext,
  cdIllegal,
  cdLeafBits,
  descriptorKind,
  getField,
  hex,
  l1cdLeaf,
  l1stdIllegal,
  REG_FIELDS,
  setField,
  steIllegal,
  STRUCTURES,
  viewCd,
  viewSte,
  WRITABLE_REGS,
  writeRegister,
  type Field,
  type RegName,
} from '../engine/index.ts';
import { TARGET_STRUCTS, type OpDoc, type World } from '../scenario/index.ts';
import type { Selection } from './inspect.ts';
import { REG_SECTION } from './fieldDocs.ts';
import { buildModel, type DiagramModel } from './model.ts';
import { invalidationFor, ttEntry, type Invalidation } from './whatIfInval.ts';
import { walkVerdict } from './whatIfWalk.ts';

/** A spec rule the new value breaks: what the SMMU will do, and where the spec says so. */
export interface WhatIfWarning {
  readonly text: string;
  readonly section: string;
  /** The event the SMMU records (C_BAD_CD, …), or undefined when it records none. */
  readonly event: string | undefined;
}

export interface WhatIfPlan {
  readonly field: string;
  readonly was: bigint;
  readonly value: bigint;
  /** The edit itself: `write64` of each changed word, or `reg`. */
  readonly writes: readonly OpDoc[];
  /** What a driver would send after it (commands, then CMD_SYNC), and why; none for registers. */
  readonly invalidation: Invalidation;
  readonly warnings: readonly WhatIfWarning[];
}

export interface EditableField {
  readonly name: string;
  readonly field: Field;
  readonly value: bigint;
}

type MemSel = Extract<Selection, { kind: 'memory' }>;
// The structures a note may point at are the ones a user can edit: STE, CD, L1STD, L1CD and the
// stage-1/stage-2 table and leaf descriptors (the queues' slots are records, not configuration).
const EDITABLE: ReadonlySet<string> = new Set(TARGET_STRUCTS);

/** The structure the selection holds now (a descriptor is a table or a leaf by its bits). */
function memLayout(sel: MemSel, world: World) {
  const probe = world.mem.readWords(sel.pa, 1);
  if (!probe) return undefined;
  const kind =
    sel.stage !== undefined && sel.level !== undefined && /^s[12]-/.test(sel.struct)
      ? descriptorKind(sel.stage, sel.level, probe[0]!)
      : sel.struct;
  if (kind === 'command' || kind === 'event' || kind === 'pri') return undefined;
  const info = STRUCTURES[kind];
  const words = world.mem.readWords(sel.pa, info.dwords);
  return words ? { kind, table: info.table, words } : undefined;
}

/** The fields the user may change, with their values now; empty when nothing here is editable. */
export function editableFields(sel: Selection, world: World): EditableField[] {
  if (sel.kind === 'reg') {
    if (!WRITABLE_REGS.includes(sel.reg)) return [];
    const v = world.smmu.regs[sel.reg];
    return Object.entries(REG_FIELDS[sel.reg]).map(([name, field]) => ({
      name,
      field,
      value: getField([v], field),
    }));
  }
  if (!EDITABLE.has(sel.struct)) return [];
  const l = memLayout(sel, world);
  if (!l) return [];
  return Object.entries(l.table).map(([name, field]) => ({
    name,
    field,
    value: getField(l.words, field),
  }));
}

const width = (fd: Field): number => fd.hi - fd.lo + 1;
const u64 = (v: bigint): string => hex(v);

/** The plan of setting `name` to `value`, or why it cannot be made. */
export function planEdit(
  sel: Selection,
  world: World,
  name: string,
  value: bigint,
  model: DiagramModel = buildModel(world),
): WhatIfPlan | { readonly error: string } {
  const fd = editableFields(sel, world).find((f) => f.name === name);
  if (!fd) return { error: `${name} is not an editable field of ${sel.title}` };
  if (value < 0n || value >= 1n << BigInt(width(fd.field)))
    return { error: `${name} is ${width(fd.field)} bits wide: ${hex(value)} does not fit` };
  if (sel.kind === 'reg') {
    const next = setField([world.smmu.regs[sel.reg]], fd.field, value)[0]!;
    return {
      field: name,
      was: fd.value,
      value,
      writes: [{ op: 'reg', name: sel.reg, value: u64(next) }],
      invalidation: { ops: [], text: 'a register write needs no invalidation' },
      warnings: regWarnings(world, sel.reg, next),
    };
  }
  const l = memLayout(sel, world)!;
  const next = setField([...l.words], fd.field, value);
  const writes = next.flatMap((w, i): OpDoc[] =>
    w === l.words[i] ? [] : [{ op: 'write64', pa: u64(sel.pa + 8n * BigInt(i)), value: u64(w) }],
  );
  return {
    field: name,
    was: fd.value,
    value,
    writes,
    invalidation: invalidationFor(sel, l.kind, world, model),
    warnings: [
      ...absentWarnings(world, l.kind, name, value),
      ...memWarnings(sel, l.kind, next, world, model),
    ],
  };
}

function memWarnings(
  sel: MemSel,
  kind: string,
  next: readonly bigint[],
  world: World,
  model: DiagramModel,
): WhatIfWarning[] {
  const p = world.smmu.platform;
  const d = world.smmu.derived;
  const out: WhatIfWarning[] = [];
  const warn = (text: string, section: string, event: string | undefined) =>
    out.push({ text, section, event });
  if (kind === 'ste') {
    const bad = steIllegal(viewSte(next), p);
    if (bad)
      warn(
        `STE.${bad}: the next fetch of this STE raises C_BAD_STE and the stream's transactions are aborted`,
        '§5.2 SteIllegal()',
        'C_BAD_STE',
      );
  } else if (kind === 'cd') {
    const bad = cdIllegal(viewCd(next), p, cdCheckContext(steOfCd(sel.pa, model), d.e2h));
    if (bad)
      warn(
        `CD.${bad}: the next fetch of this CD raises C_BAD_CD`,
        '§5.4.2 CdIllegal()',
        'C_BAD_CD',
      );
  } else if (kind === 'l1std') {
    const bad = l1stdIllegal(next[0]!, d.split);
    if (bad)
      warn(
        `L1STD.${bad}: the next lookup of a StreamID it covers raises C_BAD_STREAMID`,
        '§5.1, §6.3.25',
        'C_BAD_STREAMID',
      );
  } else if (kind === 'l1cd') {
    const t = model.cdTables.find((c) => c.l1.some((r) => r.pa === sel.pa));
    const ste = t && model.streams.find((s) => t.sids.includes(s.sid));
    const leafBits = ste ? cdLeafBits(viewSte(ste.ste).S1Fmt) : 6;
    if (l1cdLeaf(next[0]!, leafBits ?? 6) === undefined)
      warn(
        'L1CD.V=0: the next fetch of a CD it covers raises C_BAD_SUBSTREAMID',
        '§5.3',
        'C_BAD_SUBSTREAMID',
      );
  } else {
    const e = ttEntry(sel.pa, model);
    const v = e && walkVerdict(sel, e, next[0]!, p.oas);
    if (v)
      warn(
        `L${sel.level ?? '?'} descriptor: ${v.why}: the next walk through it raises ${v.event} (a TLB entry may still hold the old translation)`,
        v.event === 'F_ADDR_SIZE' ? '§7.3.14, Arm ARM D8.3' : '§7.3.12, Arm ARM D8.3',
        v.event,
      );
  }
  return out;
}

/**
 * A field this SMMU's ID registers say is absent (engine absent.ts): the value is IGNORED, RES0
 * or Reserved and the SMMU acts as without it. ILLEGAL ones are said by SteIllegal/CdIllegal.
 */
function absentWarnings(world: World, kind: string, name: string, value: bigint): WhatIfWarning[] {
  const p = world.smmu.platform;
  const r = absentRule(p, kind, name, value);
  return r && r.effect !== 'ILLEGAL'
    ? [{ text: absentText(r, p, name, value), section: r.section, event: undefined }]
    : [];
}

/** The STE a CD is checked under: the first stream whose CD table holds it. */
function steOfCd(pa: bigint, model: DiagramModel) {
  const t = model.cdTables.find((c) => c.rows.some((r) => r.pa === pa));
  const s = t && model.streams.find((x) => t.sids.includes(x.sid));
  return viewSte(s?.ste ?? []);
}

/** What the register write's own guards say, tried on a copy of the SMMU. */
function regWarnings(world: World, reg: RegName, value: bigint): WhatIfWarning[] {
  const mem = world.mem.clone();
  const said = writeRegister(world.smmu.clone(mem), reg, value);
  return /ignored|read-only/.test(said)
    ? [{ text: said, section: REG_SECTION[reg], event: undefined }]
    : [];
}
