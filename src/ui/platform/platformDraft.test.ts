import { describe, expect, it } from 'vitest';
import { PLATFORM_FIELDS, seedStory, type ScenarioDoc } from '../../scenario/index.ts';
import {
  draftDoc,
  fieldKey,
  NO_EDITS,
  numberFrom,
  platformOf,
  problemOf,
} from './platformDraft.ts';
import { FIELD_TEXT, GROUPS } from './platformText.ts';

const story = (): ScenarioDoc => seedStory;

describe('draftDoc', () => {
  it('no edits: the document as it is (no platform block is invented)', () => {
    const d = draftDoc(story(), NO_EDITS);
    expect(d.platform).toBeUndefined();
    expect(d.ops).toEqual(story().ops);
  });

  it('an edit lands in its section; the rest of the document is kept', () => {
    const d = draftDoc(story(), { fromDefaults: false, edits: { 'smmu.ssidBits': 16 } });
    expect(d.platform).toEqual({ smmu: { ssidBits: 16 } });
    expect(d.title).toBe(story().title);
  });

  it('edits merge with the platform the document already has', () => {
    const doc = { ...story(), platform: { smmu: { btm: false }, cpu: { vaBits: 39 as const } } };
    const d = draftDoc(doc, { fromDefaults: false, edits: { 'cpu.granule': '16K' } });
    expect(d.platform).toEqual({ smmu: { btm: false }, cpu: { vaBits: 39, granule: '16K' } });
  });

  it('Defaults drops the platform block, then takes only the new edits', () => {
    const doc = { ...story(), platform: { smmu: { btm: false } } };
    expect(draftDoc(doc, { fromDefaults: true, edits: {} }).platform).toBeUndefined();
    expect(draftDoc(doc, { fromDefaults: true, edits: { 'smmu.pri': false } }).platform).toEqual({
      smmu: { pri: false },
    });
  });
});

describe('problemOf', () => {
  it('a valid platform has no problem', () => {
    expect(problemOf(story())).toBeNull();
    const edited = draftDoc(story(), { fromDefaults: false, edits: { 'smmu.ssidBits': 16 } });
    expect(problemOf(edited)).toBeNull();
  });

  it("a value the schema refuses names its field, in the validation's words", () => {
    const p = problemOf(draftDoc(story(), { fromDefaults: false, edits: { 'smmu.ssidBits': 99 } }));
    expect(p?.field).toBe('smmu.ssidBits');
    expect(p?.message).toMatch(/^platform\.smmu\.ssidBits: /);
  });

  it('text typed into a number field is refused at that field', () => {
    const p = problemOf(
      draftDoc(story(), { fromDefaults: false, edits: { 'smmu.sidBits': numberFrom('1x') } }),
    );
    expect(p?.field).toBe('smmu.sidBits');
  });

  it("a platform the kernel cannot boot on says why, in the probe's words", () => {
    // 2^32 STEs × 64 bytes = 256 GiB in one linear table: arm_smmu_init_strtab_linear fails.
    const p = problemOf(
      draftDoc(story(), {
        fromDefaults: false,
        edits: { 'smmu.streamTable': 'linear', 'smmu.sidBits': 32 },
      }),
    );
    expect(p?.field).toBeUndefined();
    expect(p?.message).toMatch(/^The kernel cannot boot on this platform: -ENOMEM: /);
    expect(p?.message).toContain('failed to allocate linear stream table');
  });
});

describe('numberFrom and platformOf', () => {
  it('whole numbers become numbers; anything else stays text for the schema to refuse', () => {
    expect(numberFrom(' 16 ')).toBe(16);
    expect(numberFrom('-3')).toBe(-3);
    expect(numberFrom('0x10')).toBe('0x10');
    expect(numberFrom('')).toBe('');
  });

  it('the platform a document runs on, or undefined when it does not parse', () => {
    expect(platformOf(story())?.smmu.ssidBits).toBe(20); // the model's default SSIDSIZE
    expect(
      platformOf(draftDoc(story(), { fromDefaults: false, edits: { 'smmu.ssidBits': 99 } })),
    ).toBeUndefined();
  });
});

describe('platformText', () => {
  it('every schema field has a label, a source and a group (none falls into "Other")', () => {
    const missing = PLATFORM_FIELDS.map(fieldKey).filter((k) => !FIELD_TEXT[k]);
    expect(missing).toEqual([]);
    const groups = new Set(GROUPS.map((g) => g.id));
    for (const t of Object.values(FIELD_TEXT)) expect(groups.has(t.group)).toBe(true);
  });
});
