import { describe, expect, it } from 'vitest';
import { bringUp, makeSmmu, issue, cmd } from './testkit.ts';
import { translate } from './translate.ts';

// STE at 0x5000_0000 (linear, SID 3 → +3*64), CD at 0x5001_0000, 4 KB tables at 0x5002_0000…
describe('end to end', () => {
  it('walks 4 levels to a page', () => {
    const s = bringUp(makeSmmu(), { strtab: 0x5000_0000n, log2size: 4 });
    const m = s.mem;
    // STE: V=1, Config=5 (0b101 << 1 = 0xA), S1ContextPtr = 0x5001_0000 (bits 55:6), S1CDMax=0.
    m.write64(0x5000_0000n + 3n * 64n, 0x5001_0000n | 0xbn);
    // CD dw0: T0SZ=16 (0x10), TG0=0, EPD1 (bit 30), V (bit 31), IPS=5 (48-bit, bits 34:32),
    // AA64 (bit 41), R (45), A (46), ASID 7 (bits 63:48).
    const cd0 =
      0x10n |
      (1n << 30n) |
      (1n << 31n) |
      (5n << 32n) |
      (1n << 41n) |
      (1n << 45n) |
      (1n << 46n) |
      (7n << 48n);
    m.write64(0x5001_0000n, cd0);
    m.write64(0x5001_0008n, 0x5002_0000n); // TTB0
    const va = 0x0000_7fff_dead_b123n; // L0 0xFF, L1 0x1FF, L2 0xF5, L3 0xDB (smmuv3.md E1)
    m.write64(0x5002_0000n + 0xffn * 8n, 0x5002_1000n | 3n);
    m.write64(0x5002_1000n + 0x1ffn * 8n, 0x5002_2000n | 3n);
    m.write64(0x5002_2000n + 0xf5n * 8n, 0x5002_3000n | 3n);
    // Leaf: page 0x8765_4000, AF (bit 10), AP=01 (EL0 RW, bit 6), valid page (0b11).
    m.write64(0x5002_3000n + 0xdbn * 8n, 0x8765_4000n | (1n << 10n) | (1n << 6n) | 3n);
    const t = translate(s, { sid: 3, addr: va, access: 'r', priv: false });
    expect(t.outcome).toMatchObject({ type: 'translated', pa: 0x8765_4123n });
    expect(t.steps.filter((x) => x.kind === 'tt').map((x) => x.pa)).toEqual([
      0x5002_07f8n,
      0x5002_1ff8n,
      0x5002_27a8n,
      0x5002_36d8n,
    ]);
    const again = translate(s, { sid: 3, addr: va, access: 'r', priv: false });
    expect(again.tlb).toBe('hit');
    // Unmap without TLBI: the stale entry is still used; TLBI + SYNC removes it.
    m.write64(0x5002_3000n + 0xdbn * 8n, 0n);
    expect(translate(s, { sid: 3, addr: va, access: 'r', priv: false }).outcome.type).toBe(
      'translated',
    );
    const log = issue(s, [cmd('TLBI_NH_VA', { ASID: 7, Address: va, Leaf: 1 }), cmd('SYNC', {})]);
    expect(log.commands.map((c) => c.command?.name)).toEqual(['CMD_TLBI_NH_VA', 'CMD_SYNC']);
    const after = translate(s, { sid: 3, addr: va, access: 'r', priv: false });
    expect(after.outcome).toMatchObject({
      type: 'fault',
      event: { name: 'F_TRANSLATION', sid: 3 },
    });
  });
});
