// The "?" of a card lists what the card shows, and each of those terms has a glossary entry.
import { describe, expect, it } from 'vitest';
import type { Box } from '../../diagram/index.ts';
import { glossary } from '../learn/glossary.ts';
import { cardTerms } from './cardTerms.ts';

const at = { x: 0, y: 0, w: 100, h: 50 };
const stream = (detail: 'cards' | 'rows', caps: string[]) =>
  ({ ...at, id: 'ste:1', kind: 'stream', detail, stream: { caps } }) as unknown as Box;
const cdtable = (rows: unknown[], collapsed = false) =>
  ({ ...at, id: 'cdt:d', kind: 'cdtable', detail: 'rows', collapsed, rows }) as unknown as Box;
const cd = (epd0: boolean) => ({ kind: 'cd', row: { epd0 } });

describe('cardTerms', () => {
  it('names the capabilities only where the card prints them (the map, not the lens card)', () => {
    const caps = ['PCI', 'ATS', 'PRI', '20-bit PASID'];
    expect(cardTerms(stream('rows', caps))).toEqual([
      'STE',
      'StreamID',
      'Config',
      'ATS',
      'PRI',
      'PASID',
    ]);
    expect(cardTerms(stream('cards', caps))).toEqual(['STE', 'StreamID', 'Config']);
    expect(cardTerms(stream('rows', ['platform', 'stall']))).toContain('stall');
  });

  it('adds L1CD and EPD0 to a CD table only when a row shows them', () => {
    expect(cardTerms(cdtable([cd(false)]))).toEqual(['CD', 'SSID', 'ASID', 'ASET']);
    expect(cardTerms(cdtable([{ kind: 'l1cd' }, cd(true)]))).toEqual([
      'CD',
      'SSID',
      'ASID',
      'ASET',
      'L1CD',
      'EPD0',
    ]);
    // Folded, its rows are not drawn.
    expect(cardTerms(cdtable([cd(true)], true))).not.toContain('EPD0');
  });

  it('gives every term it names a glossary entry with a citation', () => {
    const boxes: Box[] = [
      stream('rows', ['PCI', 'ATS', 'PRI', 'stall', '8-bit PASID']),
      cdtable([{ kind: 'l1cd' }, cd(true)]),
      { ...at, id: 's', kind: 'strtab', strtab: { fmt: '2level' } } as unknown as Box,
      ...(['shared', 'cpu', 'io-private', 'io-global', 'guest', 'stage2'] as const).map(
        (role) => ({ ...at, id: 't', kind: 'tree', tree: { role } }) as unknown as Box,
      ),
      { ...at, id: 'p', kind: 'process', proc: { pasid: 1 } } as unknown as Box,
      { ...at, id: 'd', kind: 'domain' } as unknown as Box,
      { ...at, id: 'v', kind: 'vm' } as unknown as Box,
    ];
    const all = new Set(boxes.flatMap((b) => cardTerms(b)));
    expect(all.size).toBeGreaterThan(15);
    for (const t of all) expect(glossary(t)?.cite, t).toMatch(/§|\(\)/);
  });
});
