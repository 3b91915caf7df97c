// Document → Scenario: schema check, then the rules that need context (granule alignment, command
// fields, register names), each failing with one line naming the op index and field.
import {
  DEFAULT_SMMU,
  granuleFromName,
  hex,
  type GranuleShift,
  type SmmuPlatform,
} from '../engine/index.ts';
import { DEFAULT_CPU, DEFAULT_ERA, type CpuPlatform, type KernelProfile } from '../kernel/index.ts';
import { docCost, type Cost } from './cost.ts';
import type { ScenarioDoc } from './format.ts';
import { big, DocError, fail } from './ops/def.ts';
import { parseOp, type Op } from './ops/index.ts';
import { brief } from './quote.ts';
import { checkAnnotations, parseNote, parseTour, type Note, type Tour } from './notes.ts';
import { upgradeDoc } from './upgrade.ts';

export interface Platform {
  readonly smmu: SmmuPlatform;
  readonly cpu: CpuPlatform;
}

/** A scenario as the runner sees it: defaults filled in, every op typed. */
export interface Scenario {
  readonly title: string | undefined;
  readonly kernel: KernelProfile;
  readonly platform: Platform;
  readonly ops: readonly Op[];
  readonly cursor: { readonly op: number; readonly step: number } | undefined;
  /** What running it is estimated to cost (cost.ts); openTimeline refuses it over a budget. */
  readonly cost?: Cost;
  /** Notes and tours ride along; the runner never reads them. */
  readonly notes: readonly Note[];
  readonly tours: readonly Tour[];
}

/** A valid document, its scenario, and the document upgraded to the current version. */
export type Parsed =
  { ok: true; scenario: Scenario; doc: ScenarioDoc } | { ok: false; error: string };

/** The schema check of validate.ts, once loaded (loadValidation) or installed (installValidation). */
let validator: ((input: unknown) => Parsed) | undefined;

/**
 * Loads the document schema (validate.ts, and zod with it: a chunk of its own in the page). The
 * page's first view needs none — the seed story is its own document (parseTrusted) — so the page
 * loads it when something from outside is to be checked: a link, saved work, an import, a form.
 */
export async function loadValidation(): Promise<void> {
  validator ??= (await import('./validate.ts')).validateScenario;
}
/** Installs the schema check synchronously (the CLI and scripts, which import validate.ts). */
export function installValidation(v: (input: unknown) => Parsed): void {
  validator = v;
}
/** Whether parseScenario can run now (loadValidation has finished). */
export const validationLoaded = (): boolean => validator !== undefined;

/**
 * Parses JSON text or an already-parsed value: the schema, then the rules that need context.
 * Never throws on any input; throws only if called before the schema is loaded (a page bug).
 */
export function parseScenario(input: unknown): Parsed {
  if (!validator)
    throw new Error('parseScenario: the document schema is not loaded (await loadValidation())');
  return validator(input);
}

/**
 * A document the page itself wrote (the seed story it opens on): the schema check is left out —
 * it is most of the cost of parsing and the first paint waits for it, and it cannot fail on this
 * document (trusted.test.ts holds the two parses equal). The context rules still run.
 */
export function parseTrusted(doc: ScenarioDoc): Parsed {
  return fromDoc(doc);
}

/** A document that passed the schema (or is trusted): upgraded, then the context rules. */
export function fromDoc(doc: ScenarioDoc): Parsed {
  const up = upgradeDoc(doc);
  try {
    return { ok: true, scenario: toScenario(up), doc: up };
  } catch (e) {
    if (e instanceof DocError) return { ok: false, error: brief(e.message) };
    throw e;
  }
}

function platformOf(doc: ScenarioDoc): Platform {
  const s = doc.platform?.smmu ?? {};
  const c = doc.platform?.cpu ?? {};
  const { ramBase, ramSize, ...rest } = s;
  const base = ramBase !== undefined ? big(ramBase) : DEFAULT_SMMU.ram[0]!.base;
  const size = ramSize !== undefined ? big(ramSize) : DEFAULT_SMMU.ram[0]!.size;
  if (base % 0x1000n !== 0n) fail('platform.smmu.ramBase', 'must be a multiple of 0x1000');
  if (size < 0x100_0000n || size % 0x1000n !== 0n)
    fail('platform.smmu.ramSize', 'must be a multiple of 0x1000 and at least 16 MB');
  const smmu: SmmuPlatform = {
    ...DEFAULT_SMMU,
    ...(rest as Partial<SmmuPlatform>),
    ram: [{ base, size }],
  };
  if (base + size > 1n << BigInt(smmu.oas))
    fail('platform.smmu.ramSize', `RAM ends beyond the ${smmu.oas}-bit OAS`);
  const cpu: CpuPlatform = {
    granule: granuleFromName(c.granule ?? '4K') ?? DEFAULT_CPU.granule,
    vaBits: c.vaBits ?? DEFAULT_CPU.vaBits,
    asidBits: c.asidBits ?? DEFAULT_CPU.asidBits,
  };
  return { smmu, cpu };
}

function toScenario(doc: ScenarioDoc): Scenario {
  const platform = platformOf(doc);
  const pageSize = 1n << BigInt(platform.cpu.granule);
  // Domain granules by name, as the ops declare them (for map/unmap alignment).
  const domainGranule = new Map<string, GranuleShift>();
  const ops = doc.ops.map((o, i) => {
    const at = `ops[${i}]`;
    const aligned = (field: string, v: bigint, unit: bigint): void => {
      if (v % unit !== 0n) fail(`${at}.${field}`, `must be a multiple of ${hex(unit)}`);
    };
    const nonZero = (field: string, v: bigint): void => {
      if (v === 0n) fail(`${at}.${field}`, 'must not be 0');
    };
    const cpuRange = (addr: string, size: string): [bigint, bigint] => {
      const a = big(addr);
      const s = big(size);
      aligned('addr', a, pageSize);
      aligned('size', s, pageSize);
      nonZero('size', s);
      if (a + s > 1n << BigInt(platform.cpu.vaBits))
        fail(
          `${at}.size`,
          `the range ends beyond the ${platform.cpu.vaBits}-bit user address space`,
        );
      return [a, s];
    };
    return parseOp(o, at, { platform, cpuRange, aligned, nonZero, domainGranule });
  });
  if (doc.cursor && doc.cursor.op >= Math.max(ops.length, 1))
    fail('cursor.op', `must point at one of the ${ops.length} ops`);
  const bad = checkAnnotations(doc.notes, doc.tours, ops.length);
  if (bad) throw new DocError(bad);
  return {
    title: doc.title,
    kernel: doc.kernel ?? DEFAULT_ERA,
    platform,
    ops,
    cursor: doc.cursor,
    cost: docCost(doc.ops),
    notes: (doc.notes ?? []).map(parseNote),
    tours: (doc.tours ?? []).map(parseTour),
  };
}
