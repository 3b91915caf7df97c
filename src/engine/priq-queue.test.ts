// The PRI queue (smmuv3.md §7.1, §7.2, E15; spec-facts Q6): 16-byte page-request records, automatic
// responses while PRIQEN=0, and overflow, which (unlike the event queue) blocks new entries while
// it is active and answers Last=1 requests with Success.
import { describe, expect, it } from 'vitest';
import type { PageRequest } from './priq.ts';
import { writeRegister } from './regwrite.ts';
import type { Smmu } from './smmu.ts';
import { env } from './tables.testkit.ts';
import { PRIQ_PA } from './testkit.ts';

const OVFLG = 1n << 31n;
const req = (o: Partial<PageRequest> = {}): PageRequest => ({
  sid: 0x42,
  ssv: false,
  ssid: 0,
  priv: false,
  exec: false,
  read: true,
  write: false,
  last: false,
  prgIndex: 1,
  addr: 0x1000n,
  ...o,
});
const slot = (s: Smmu, i: number) => s.mem.readWords(PRIQ_PA + BigInt(i) * 16n, 2);
const responses = (s: Smmu) =>
  s.inbox.flatMap((m) => (m.kind === 'pri-resp' ? [[m.prgIndex, m.resp, m.auto]] : []));

describe('page request records', () => {
  it('E15: SID 0x100, PASID 5, R+W, Last, PRG 0x1F at 0x7FFF_DEAD_B000', () => {
    const s = env();
    const w = s.recordPageRequest(
      req({
        sid: 0x100,
        ssv: true,
        ssid: 5,
        read: true,
        write: true,
        last: true,
        prgIndex: 0x1f,
        addr: 0x7fff_dead_b000n,
      }),
    );
    expect(w).toMatchObject({ written: true, slot: 0, pa: PRIQ_PA });
    expect(slot(s, 0)).toEqual([0xf000_0005_0000_0100n, 0x0000_7fff_dead_b01fn]);
    expect(s.regs.PRIQ_PROD).toBe(1n);
    expect(s.inbox).toEqual([]); // software answers, not the SMMU
  });

  it('without a PASID the Priv and Exec bits are 0 (§7.1)', () => {
    const s = env();
    s.recordPageRequest(req({ priv: true, exec: true, last: true }));
    // SID 0x42 | Read (60) | Last (62); SSV (63), Exec (59), Priv (58) clear.
    expect(slot(s, 0)).toEqual([0x5000_0000_0000_0042n, 0x1001n]);
  });

  it('E14: CMD_PRI_RESP Success for PRG 0x1F reaches the endpoint', () => {
    const s = env({ bring: { log2size: 9 } });
    s.mem.writeWords(0x4000_0000n, [0x0000_0100_0000_5841n, 0x0000_0000_0000_201fn]);
    writeRegister(s, 'CMDQ_PROD', 1n);
    expect(s.inbox).toEqual([
      { kind: 'pri-resp', sid: 0x100, ssid: 5, prgIndex: 0x1f, resp: 2, auto: false },
    ]);
  });
});

describe('automatic responses', () => {
  it('PRIQEN=0: nothing written; Last=1 gets ResponseFailure (0), Last=0 nothing', () => {
    const s = env();
    writeRegister(s, 'CR0', 0b1101n);
    s.recordPageRequest(req({ prgIndex: 1 }));
    s.recordPageRequest(req({ prgIndex: 1, last: true }));
    expect(s.regs.PRIQ_PROD).toBe(0n);
    expect(slot(s, 0)).toEqual([0n, 0n]);
    expect(responses(s)).toEqual([[1, 0, true]]);
  });

  it('overflow: OVFLG toggles; Last=1 answered Success, Last=0 dropped; blocked until acknowledged', () => {
    const s = env();
    for (let i = 0; i < 8; i++)
      expect(s.recordPageRequest(req({ prgIndex: i })).written).toBe(true);
    expect(s.regs.PRIQ_PROD).toBe(0b1000n);
    s.recordPageRequest(req({ prgIndex: 8 })); // Last=0: dropped silently
    expect(s.regs.PRIQ_PROD).toBe(OVFLG | 0b1000n);
    s.recordPageRequest(req({ prgIndex: 9, last: true }));
    expect(responses(s)).toEqual([[9, 2, true]]);
    // Software frees four slots but has not acknowledged: still no new entries (§8.1).
    writeRegister(s, 'PRIQ_CONS', 4n);
    const w = s.recordPageRequest(req({ prgIndex: 10, last: true }));
    expect(w).toMatchObject({ written: false, autoResponse: 2 });
    expect(s.regs.PRIQ_PROD).toBe(OVFLG | 0b1000n);
    expect(slot(s, 0)?.[1]).toBe(0x1000n); // PRG 0 still there
    // Acknowledge: OVACKFLG := OVFLG. The next request is written at slot 0.
    writeRegister(s, 'PRIQ_CONS', OVFLG | 4n);
    expect(s.recordPageRequest(req({ prgIndex: 11 }))).toMatchObject({ written: true, slot: 0 });
    expect(slot(s, 0)?.[1]).toBe(0x100bn);
    expect(s.regs.PRIQ_PROD).toBe(OVFLG | 0b1001n);
  });
});
