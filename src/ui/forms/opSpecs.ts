// The "Add an op" form's logic: each op's field specs are declared with its definition (the op
// registry, scenario/ops/: what the form shows, its defaults computed from the world at the end
// of the scenario, where the new op goes); here the values become an OpDoc. The store validates;
// the form only shapes text into the document's types.
import { parseU64 } from '../../engine/index.ts';
import type { FieldSpec, FormCtx, OpDoc, OpSpec, Value, Values } from '../../scenario/index.ts';

export { OP_SPECS, specOf } from '../../scenario/index.ts';
export type { Choice, FieldSpec, FormCtx, OpSpec, Value, Values } from '../../scenario/index.ts';

/**
 * The values the form shows: what the user typed where they typed, the defaults elsewhere
 * (computed in field order, so a default may depend on an earlier field), and the fields shown.
 */
export function resolve(
  spec: OpSpec,
  c: FormCtx,
  typed: Values,
): { values: Values; fields: readonly FieldSpec[] } {
  // Fields can depend on values (cmd's fields on its name): resolve twice, the second time with
  // the values of the first.
  let values: Record<string, Value> = {};
  let fields: readonly FieldSpec[] = [];
  for (let pass = 0; pass < 2; pass++) {
    const next: Record<string, Value> = {};
    fields = spec.fields({ ...values, ...typed });
    for (const f of fields) {
      if (f.when && !f.when(next)) continue;
      next[f.key] = typed[f.key] ?? f.def?.(c, next) ?? (f.kind === 'bool' ? false : '');
    }
    values = next;
  }
  return { values, fields: fields.filter((f) => !f.when || f.when(values)) };
}

/** "0x100" or "256" → 256; anything else is passed on as typed, for validation to name. */
function toNumber(s: string): number | string {
  const t = s.trim().replace(/_/g, '');
  if (/^0x[0-9a-f]+$/i.test(t) || /^\d+$/.test(t)) {
    const v = parseU64(t);
    if (v !== undefined && v <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(v);
  }
  return s.trim();
}

/** The op document the values describe (empty optional fields and false flags left out). */
export function buildOp(spec: OpSpec, fields: readonly FieldSpec[], values: Values): OpDoc {
  const o: Record<string, unknown> = { op: spec.op };
  for (const f of fields) {
    if (f.virtual) continue;
    const v = values[f.key];
    if (f.kind === 'bool') {
      if (v === true) o[f.key] = true;
      continue;
    }
    const s = typeof v === 'string' ? v.trim() : '';
    if (s === '') continue;
    o[f.key] =
      f.kind === 'number'
        ? toNumber(s)
        : f.kind === 'u64list'
          ? s.split(/[\s,]+/).filter(Boolean)
          : s;
  }
  return o as OpDoc;
}

/** `ops[7].size: must be a multiple of 0x1000` → field "size" of op 7 and the message. */
export function fieldError(
  error: string,
  index: number,
): { field: string | undefined; message: string } {
  const m = /^ops\[(\d+)\](?:\.([A-Za-z0-9_]+))?[^:]*: (.*)$/s.exec(error);
  if (!m || Number(m[1]) !== index) return { field: undefined, message: error };
  return { field: m[2], message: m[3]! };
}
