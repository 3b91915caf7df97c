// Property: through a VM's vSMMU, a nested DMA lands at stage 2 of stage 1 — composed here from
// the test's own stage-1 map (the guest's VA → IPA pages it wrote) and the VM's RAM placement
// (IPA → host PA), never from the walk. Random stage-2 granules and VM sizes give 4-level,
// 3-level (2 MB blocks) and 16K/64K stage-2 walks; the guest tables are 4 KB, 48-bit.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { GranuleShift } from '../../engine/index.ts';
import { bootedCtx } from './boot.testkit.ts';
import { dma } from '../dma.ts';
import { nest } from './nest.ts';
import { createVm, guestWrite } from './vm.ts';
import { createVdevice, createVsmmu } from './vsmmu.ts';

const CD0 = 0x0005_6205_c000_3510n; // as nested.test.ts: 48-bit 4 KB stage 1, V, R, A, ASID 5
const PAGE = 0x743n; // AF | SH=ISH | AP[1] (EL0) | page

const mapping = fc.record({
  va: fc.bigInt({ min: 0n, max: (1n << 36n) - 1n }), // VA page number (48-bit VA)
  slot: fc.nat(), // which data page of the guest's RAM
  off: fc.bigInt({ min: 0n, max: 0xfffn }),
});

describe('nested DMA through a VM (property)', () => {
  it('PA = VM placement of the guest stage-1 output, for every mapped VA', () => {
    fc.assert(
      fc.property(
        fc.record({
          g: fc.constantFrom<GranuleShift>(12, 14, 16),
          log2size: fc.integer({ min: 20, max: 24 }),
          maps: fc.uniqueArray(mapping, { minLength: 1, maxLength: 6, selector: (m) => m.va }),
        }),
        ({ g, log2size, maps }) => {
          const size = 1n << BigInt(log2size);
          const c = bootedCtx(0x200, 0);
          const ramPa = createVm(c, 'vm', size, undefined, g).ram[0]!.pa;
          createVsmmu(c, 'vs', 'vm');
          createVdevice(c, 'vs', 'gpu', 1);
          // The guest's stage 1, built by the test: tables from IPA 0x1000 up, data pages in the
          // upper half of its RAM. CD table (one CD) at IPA 0.
          let nextTable = 0x1000n;
          const root = nextTable;
          nextTable += 0x1000n;
          const tables = new Map<string, bigint>(); // "level:va prefix" → table IPA
          const dataPages = size / 2n / 0x1000n;
          const s1 = new Map<bigint, bigint>(); // VA page → IPA page
          for (const m of maps) {
            const ipa = size / 2n + (BigInt(m.slot) % dataPages) * 0x1000n;
            s1.set(m.va, ipa);
            let table = root;
            for (let level = 0; level < 3; level++) {
              const key = `${level}:${m.va >> BigInt(9 * (3 - level))}`;
              const idx = (m.va >> BigInt(9 * (3 - level))) & 0x1ffn;
              let next = tables.get(key);
              if (next === undefined) {
                next = nextTable;
                nextTable += 0x1000n;
                tables.set(key, next);
                guestWrite(c, 'vm', table + idx * 8n, next | 3n);
              }
              table = next;
            }
            guestWrite(c, 'vm', table + (m.va & 0x1ffn) * 8n, ipa | PAGE);
          }
          guestWrite(c, 'vm', 8n, root); // CD 0: TTB0
          guestWrite(c, 'vm', 24n, 0xffn); // MAIR
          guestWrite(c, 'vm', 0n, CD0);
          nest(c, 'gpu', 'vs', [0xbn, 0xd4n]); // linear CD table at IPA 0, one CD; S1DSS=SSID0
          for (const m of maps) {
            const va = (m.va << 12n) | m.off;
            const r = dma(c, 'gpu', undefined, va, 'r', false, 1, 0n);
            expect(r.pa).toBe(ramPa + s1.get(m.va)! + m.off);
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
