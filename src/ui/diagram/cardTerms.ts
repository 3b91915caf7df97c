// The glossary terms a diagram card shows, so its "?" can open their definitions: only what the
// card draws at its detail (a 2-level table's L1 rows, a capability line in the map, an EPD0
// in a CD row's tooltip), never a term the student cannot see on it. Summary lines and the
// frames list name no term.
import { assertNever } from '../../engine/index.ts';
import type { Box, TreeRole } from '../../diagram/index.ts';

// A CD's TTB0 points at a stage-1 tree; a CPU-only tree is the process's (tagged by its ASID);
// a stage-2 tree is the VM's (tagged by its VMID).
const TREE_TERMS: Readonly<Record<TreeRole, readonly string[]>> = {
  shared: ['TTB0', 'ASID'],
  cpu: ['ASID'],
  'io-private': ['io-pgtable', 'TTB0'],
  'io-global': ['io-pgtable', 'TTB0'],
  guest: ['TTB0'],
  stage2: ['VMID'],
};

const when = (cond: boolean, ...terms: string[]): string[] => (cond ? terms : []);

export function cardTerms(b: Box): readonly string[] {
  switch (b.kind) {
    case 'strtab':
      return ['Stream table', 'StreamID', 'STE', ...when(b.strtab.fmt !== 'linear', 'L1STD')];
    case 'stream': {
      const caps = b.detail === 'cards' ? [] : b.stream.caps;
      return [
        'STE',
        'StreamID',
        'Config',
        ...when(caps.includes('ATS'), 'ATS'),
        ...when(caps.includes('PRI'), 'PRI'),
        ...when(caps.includes('stall'), 'stall'),
        ...when(
          caps.some((c) => c.endsWith('PASID')),
          'PASID',
        ),
      ];
    }
    case 'cdtable': {
      const rows = b.collapsed ? [] : b.rows;
      return [
        'CD',
        'SSID',
        'ASID',
        'ASET',
        ...when(
          rows.some((r) => r.kind === 'l1cd'),
          'L1CD',
        ),
        ...when(
          rows.some((r) => r.kind === 'cd' && r.row.epd0),
          'EPD0',
        ),
      ];
    }
    case 'tree':
      return TREE_TERMS[b.tree.role];
    case 'process':
      return ['ASID', ...when(b.proc.pasid !== undefined, 'PASID')];
    case 'domain':
      return ['PASID'];
    case 'vm':
      return ['VMID'];
    case 'frames':
    case 'summary':
      return [];
    default:
      return assertNever(b, 'box');
  }
}
