// The Platform dialog's fields, read off the schema: kinds and ranges as docs/scenario-format.md
// states them, and values that mean the platform they were read from.
import { describe, expect, it } from 'vitest';
import type { ScenarioDoc } from './format.ts';
import { parseScenario } from './parse.ts';
import { PLATFORM_FIELDS, platformValues, type PlatformField } from './platformFields.ts';
import { cpuSchema, smmuSchema } from './schema.ts';

const field = (section: string, key: string): PlatformField | undefined =>
  PLATFORM_FIELDS.find((f) => f.section === section && f.key === key);
const doc = (platform: ScenarioDoc['platform']): ScenarioDoc => ({
  format: 'sva-explorer/scenario',
  version: 1,
  ...(platform ? { platform } : {}),
  ops: [],
});
const platformOf = (d: ScenarioDoc) => {
  const p = parseScenario(d);
  if (!p.ok) throw new Error(p.error);
  return p.scenario.platform;
};

describe('PLATFORM_FIELDS', () => {
  it('lists every field of platform.smmu and platform.cpu, once', () => {
    const keys = PLATFORM_FIELDS.map((f) => `${f.section}.${f.key}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toEqual([
      ...Object.keys(smmuSchema.shape).map((k) => `smmu.${k}`),
      ...Object.keys(cpuSchema.shape).map((k) => `cpu.${k}`),
    ]);
    for (const k of ['sidBits', 'ssidBits', 'streamTable', 'cd2l', 'ats', 'pri', 'stall', 'btm'])
      expect(keys).toContain(`smmu.${k}`);
    for (const k of ['httu', 'rangeInv', 'tlbEntries', 'cmdqEntries', 'evtqEntries', 'priqEntries'])
      expect(keys).toContain(`smmu.${k}`);
    expect(keys).toEqual(expect.arrayContaining(['cpu.granule', 'cpu.vaBits', 'cpu.asidBits']));
  });

  it('carries the ranges and choices the format states', () => {
    expect(field('smmu', 'sidBits')).toEqual({
      section: 'smmu',
      key: 'sidBits',
      kind: 'int',
      min: 1,
      max: 32,
    });
    expect(field('smmu', 'ssidBits')).toMatchObject({ kind: 'int', min: 0, max: 20 });
    expect(field('smmu', 'streamTable')).toMatchObject({
      kind: 'choice',
      options: ['linear', '2level'],
    });
    expect(field('smmu', 'stall')?.options).toEqual(['none', 'supported', 'forced']);
    expect(field('smmu', 'httu')?.options).toEqual(['none', 'af', 'af+dirty']);
    expect(field('smmu', 'asidBits')?.options).toEqual([8, 16]);
    expect(field('smmu', 'oas')?.options).toEqual([32, 36, 40, 42, 44, 48]);
    expect(field('smmu', 'cmdqEntries')?.options).toEqual([
      2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096,
    ]);
    expect(field('smmu', 'ats')?.kind).toBe('bool');
    expect(field('smmu', 'ramBase')?.kind).toBe('u64');
    expect(field('cpu', 'granule')?.options).toEqual(['4K', '16K', '64K']);
    expect(field('cpu', 'vaBits')?.options).toEqual([39, 42, 47, 48]);
  });
});

describe('platformValues', () => {
  it('spells the default platform as docs/scenario-format.md lists the defaults', () => {
    const v = platformValues(platformOf(doc(undefined)));
    expect(v.smmu).toMatchObject({
      sidBits: 16,
      ssidBits: 20,
      asidBits: 16,
      vmidBits: 16,
      oas: 48,
      streamTable: '2level',
      cd2l: true,
      ats: true,
      pri: true,
      stall: 'supported',
      btm: true,
      httu: 'none',
      rangeInv: false,
      tlbEntries: 128,
      cmdqEntries: 256,
      evtqEntries: 64,
      priqEntries: 64,
    });
    expect(v.cpu).toEqual({ granule: '4K', vaBits: 48, asidBits: 16 });
  });

  it('has a value for every field, and the values mean the same platform', () => {
    const odd = doc({
      smmu: { streamTable: 'linear', sidBits: 8, btm: false, httu: 'af', ramBase: '0x1_0000_0000' },
      cpu: { granule: '64K', vaBits: 42 },
    });
    const p = platformOf(odd);
    const v = platformValues(p);
    for (const f of PLATFORM_FIELDS)
      expect(v[f.section][f.key], `${f.section}.${f.key}`).toBeDefined();
    expect(v.smmu['ramBase']).toBe('0x100000000');
    expect(v.cpu['granule']).toBe('64K');
    expect(platformOf(doc(v))).toEqual(p);
  });
});
