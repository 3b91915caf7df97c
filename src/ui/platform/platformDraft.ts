// What the Platform dialog is about to apply: the document with the fields the user edited, and
// whether it can run — checked by the document's own validation (parseScenario) and, for a
// platform the kernel cannot boot on, by booting it (createWorld throws the kernel's BootError,
// whose sentence names the errno and the cause). No rule is repeated here.
import {
  BootError,
  createWorld,
  parseScenario,
  PLATFORM_FIELDS,
  type Platform,
  type PlatformField,
  type PlatformValue,
  type ScenarioDoc,
} from '../../scenario/index.ts';

/** "smmu.sidBits": a field's key across both sections. */
export const fieldKey = (f: Pick<PlatformField, 'section' | 'key'>): string =>
  `${f.section}.${f.key}`;

export interface Draft {
  /** Start from no platform at all (every default) instead of the document's platform. */
  readonly fromDefaults: boolean;
  /** Edited fields by fieldKey; a number field being typed may hold text the schema refuses. */
  readonly edits: Readonly<Record<string, PlatformValue>>;
}

export const NO_EDITS: Draft = { fromDefaults: false, edits: {} };

/** The document the dialog would apply: its platform with the edits written in. */
export function draftDoc(doc: ScenarioDoc, d: Draft): ScenarioDoc {
  const base = d.fromDefaults ? {} : (doc.platform ?? {});
  const smmu: Record<string, unknown> = { ...(base.smmu ?? {}) };
  const cpu: Record<string, unknown> = { ...(base.cpu ?? {}) };
  for (const f of PLATFORM_FIELDS) {
    const k = fieldKey(f);
    if (!(k in d.edits)) continue;
    (f.section === 'smmu' ? smmu : cpu)[f.key] = d.edits[k];
  }
  const platform = {
    ...(Object.keys(smmu).length ? { smmu } : {}),
    ...(Object.keys(cpu).length ? { cpu } : {}),
  } as NonNullable<ScenarioDoc['platform']>;
  const { platform: _old, ...rest } = doc;
  return Object.keys(platform).length ? { ...rest, platform } : rest;
}

export interface Problem {
  /** fieldKey of the field the message is about, when it names one. */
  readonly field: string | undefined;
  readonly message: string;
}

/** Why `doc` cannot run, or null. */
export function problemOf(doc: ScenarioDoc): Problem | null {
  const p = parseScenario(doc);
  if (!p.ok) {
    const m = /^platform\.(smmu|cpu)\.(\w+): /.exec(p.error);
    return { field: m ? `${m[1]}.${m[2]}` : undefined, message: p.error };
  }
  try {
    createWorld(p.scenario);
  } catch (e) {
    if (e instanceof BootError) return { field: undefined, message: capital(e.message) };
    return {
      field: undefined,
      message: `The run failed: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
  return null;
}

/** The platform `doc` runs on (defaults filled in), or undefined when it does not parse. */
export function platformOf(doc: ScenarioDoc): Platform | undefined {
  const p = parseScenario(doc);
  return p.ok ? p.scenario.platform : undefined;
}

const capital = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** A typed number field's text as the document would hold it (text the schema will refuse). */
export function numberFrom(text: string): PlatformValue {
  const t = text.trim();
  return /^-?\d+$/.test(t) ? Number(t) : text;
}
