// The scenarios the page offers as examples: the seed story (the default), the hand-checked
// golden scenarios (each tells one behaviour of the 2017 series; M1–M5 the same under v6.11,
// what version-1 documents call "mainline", so their titles say v6.11; V1 a VM with nested
// translation through a vSMMU; E1 one SVA life, checked under every upstream era), the stress
// scenario, and empty.
import type { ScenarioDoc } from '../format.ts';
import { emptyScenario } from '../format.ts';
import g01 from '../golden/01-first-bind.json' with { type: 'json' };
import g02 from '../golden/02-second-device.json' with { type: 'json' };
import g03 from '../golden/03-second-process.json' with { type: 'json' };
import g04 from '../golden/04-two-domains.json' with { type: 'json' };
import g05 from '../golden/05-unbind.json' with { type: 'json' };
import g06 from '../golden/06-exit-then-unbind.json' with { type: 'json' };
import g07 from '../golden/07-pasid-wrap.json' with { type: 'json' };
import g08a from '../golden/08-munmap-btm.json' with { type: 'json' };
import g08b from '../golden/08-munmap-no-btm.json' with { type: 'json' };
import g08c from '../golden/08-munmap-no-btm-ril.json' with { type: 'json' };
import g09 from '../golden/09-pri.json' with { type: 'json' };
import g10 from '../golden/10-stall.json' with { type: 'json' };
import g11 from '../golden/11-no-pri-no-stall.json' with { type: 'json' };
import g12 from '../golden/12-pin-reclaim.json' with { type: 'json' };
import g13 from '../golden/13-private-vs-global.json' with { type: 'json' };
import g14 from '../golden/14-burst.json' with { type: 'json' };
import m1 from '../golden/m1-first-bind.json' with { type: 'json' };
import m2 from '../golden/m2-unbind-keeps-pasid.json' with { type: 'json' };
import m3 from '../golden/m3-pasid-lowest-free.json' with { type: 'json' };
import m4 from '../golden/m4-munmap.json' with { type: 'json' };
import m5 from '../golden/m5-pri-denied.json' with { type: 'json' };
import v1 from '../golden/v1-vm-nested.json' with { type: 'json' };
import e1 from '../golden/e1-era-lifecycle.json' with { type: 'json' };
import { expectedErrorsIn } from './expected.ts';
import { seedStory } from './seedStory.ts';
import { stressScenario } from './stress.ts';

/** An op of an example that fails on purpose: the behaviour the example is there to show. */
export interface ExpectedError {
  /** Index into the example's ops. */
  readonly op: number;
  /** The result's error, e.g. "-ESRCH". */
  readonly error: string;
  /** Why it fails, in a few words (the page shows it at the op). */
  readonly why: string;
}

export interface Preset {
  readonly id: string;
  /** What the menu shows. */
  readonly label: string;
  readonly doc: ScenarioDoc;
  /** The errors the example shows on purpose (none when absent). */
  readonly expectedErrors?: readonly ExpectedError[];
}

/** A golden's title reads "Golden N: what it shows"; the menu shows "N. what it shows". */
const golden = (id: string, json: unknown, expectedErrors?: readonly ExpectedError[]): Preset => {
  const doc = json as ScenarioDoc;
  return {
    id,
    label: (doc.title ?? id).replace(/^Golden (\w+): /, '$1. '),
    doc,
    ...(expectedErrors ? { expectedErrors } : {}),
  };
};

/** The 2-bit PASID space of goldens 7 and M3 holds PASIDs 1–3. */
const FULL = 'PASIDs 1–3 are all held: the 2-bit PASID space is full';

export const PRESETS: readonly Preset[] = [
  { id: 'seed', label: 'The review thread’s story (default)', doc: seedStory },
  golden('first-bind', g01),
  golden('second-device', g02),
  golden('second-process', g03),
  golden('two-domains', g04),
  golden('unbind', g05),
  golden('exit-then-unbind', g06, [
    {
      op: 8,
      error: '-ESRCH',
      why: 'at exit the PASID left the IDR; the driver still passes it to unbind',
    },
    { op: 9, error: '-ESRCH', why: 'unbound already: the device holds no PASID for app' },
  ]),
  golden('pasid-wrap', g07, [{ op: 13, error: '-ENOSPC', why: `${FULL} (b, c, d)` }]),
  golden('munmap-btm', g08a),
  golden('munmap-no-btm', g08b),
  golden('munmap-no-btm-ril', g08c),
  golden('pri', g09),
  golden('stall', g10),
  golden('no-pri-no-stall', g11),
  golden('pin-reclaim', g12),
  golden('private-vs-global', g13),
  golden('burst', g14),
  golden('mainline-first-bind', m1),
  golden('mainline-unbind-keeps-pasid', m2),
  golden('mainline-pasid-lowest-free', m3, [
    { op: 11, error: '-ENOSPC', why: `${FULL} (a, b, c)` },
    { op: 13, error: '-ENOSPC', why: `${FULL}: b's mm keeps PASID 2 after its unbind` },
    { op: 17, error: '-ENOSPC', why: `${FULL}: a exited while bound; its mm keeps PASID 1` },
  ]),
  golden('mainline-munmap', m4),
  golden('mainline-pri-denied', m5),
  golden('vm-nested', v1),
  golden('era-lifecycle', e1),
  { id: 'stress', label: stressScenario.title!, doc: stressScenario },
  { id: 'empty', label: 'Empty scenario', doc: emptyScenario() },
];

export { seedStory, stressScenario };

/** The errors a document shows on purpose, among the examples (see expectedErrorsIn). */
export const expectedErrors = (doc: ScenarioDoc): readonly ExpectedError[] =>
  expectedErrorsIn(PRESETS, doc);
