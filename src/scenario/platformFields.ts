// The platform's fields as the page edits them: read off the document schema (schema.ts), so a
// field added there appears in the Platform dialog with the kinds and ranges the schema checks —
// no second copy of the rules. platformValues gives a parsed platform back in the document's own
// spelling (what a field would have to say to mean the platform the scenario runs on).
import { granuleName, hex } from '../engine/index.ts';
import type { Platform } from './parse.ts';
import { cpuSchema, smmuSchema } from './schema.ts';

export type PlatformSection = 'smmu' | 'cpu';
export type PlatformValue = number | boolean | string;

export interface PlatformField {
  readonly section: PlatformSection;
  readonly key: string;
  /** int: a whole number in [min, max]; choice: one of `options`; bool; u64: a number as text. */
  readonly kind: 'int' | 'choice' | 'bool' | 'u64';
  readonly min?: number;
  readonly max?: number;
  readonly options?: readonly (string | number)[];
}

/** What the schema says one optional field is (zod 4 introspection). */
function fieldOf(section: PlatformSection, key: string, schema: unknown): PlatformField {
  const opt = schema as { unwrap?: () => unknown };
  const inner = (opt.unwrap ? opt.unwrap() : schema) as {
    _zod: { def: { type: string } };
    minValue?: number | null;
    maxValue?: number | null;
    options?: readonly unknown[];
  };
  const type = inner._zod.def.type;
  switch (type) {
    case 'boolean':
      return { section, key, kind: 'bool' };
    case 'string':
      return { section, key, kind: 'u64' };
    case 'number':
      return {
        section,
        key,
        kind: 'int',
        ...(inner.minValue != null ? { min: inner.minValue } : {}),
        ...(inner.maxValue != null ? { max: inner.maxValue } : {}),
      };
    case 'enum':
    case 'union': {
      // z.enum lists its values; a union of literals lists literal schemas.
      const options = (inner.options ?? []).map((o) =>
        typeof o === 'object' && o !== null && 'value' in o
          ? (o as { value: string | number }).value
          : (o as string | number),
      );
      return { section, key, kind: 'choice', options };
    }
    default:
      throw new Error(`platform.${section}.${key}: the Platform dialog has no control for ${type}`);
  }
}

const fieldsOf = (section: PlatformSection, shape: Record<string, unknown>): PlatformField[] =>
  Object.entries(shape).map(([k, v]) => fieldOf(section, k, v));

/** Every field of platform.smmu and platform.cpu, in the schema's order. */
export const PLATFORM_FIELDS: readonly PlatformField[] = [
  ...fieldsOf('smmu', smmuSchema.shape),
  ...fieldsOf('cpu', cpuSchema.shape),
];

export type PlatformValues = Readonly<
  Record<PlatformSection, Readonly<Record<string, PlatformValue>>>
>;

/** The platform a scenario runs on (defaults filled in), spelled as its document would say it. */
export function platformValues(p: Platform): PlatformValues {
  const smmu: Record<string, PlatformValue> = {};
  const cpu: Record<string, PlatformValue> = {};
  const ram = p.smmu.ram[0];
  for (const f of PLATFORM_FIELDS) {
    if (f.section === 'cpu') {
      cpu[f.key] = f.key === 'granule' ? granuleName(p.cpu.granule) : p.cpu[f.key as 'vaBits'];
      continue;
    }
    if (f.key === 'ramBase' && ram) smmu[f.key] = hex(ram.base);
    else if (f.key === 'ramSize' && ram) smmu[f.key] = hex(ram.size);
    else {
      const v = (p.smmu as unknown as Record<string, unknown>)[f.key];
      if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') smmu[f.key] = v;
    }
  }
  return { smmu, cpu };
}
