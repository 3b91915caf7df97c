// The PRI queue (smmuv3.md §7.1, §7.2, E15; spec-facts Q6): 16-byte page-request records, automatic
// responses while PRIQEN=0, and overflow, which (unlike the event queue) blocks new entries while
// it is active and answers Last=1 requests with Success.
import { describe, expect, it } from 'vitest';
import type { PageRequest } from './priq.ts';
import { writeRegister } from './regwrite.ts';
import type { Smmu } from './smmu.ts';
import { STRTAB, env, steWords } from './tables.testkit.ts';
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
  it('PRIQEN=0: nothing written; every PPR gets ResponseFailure (0), Last or not (§8.2)', () => {
    // §8.2: "All incoming PPRs cause an automatic PRG Response having ResponseCode == 0b1111"
    // (unlike overflow, where only Last=1 is answered).
    const s = env();
    writeRegister(s, 'CR0', 0b1101n);
    s.recordPageRequest(req({ prgIndex: 1 }));
    s.recordPageRequest(req({ prgIndex: 1, last: true }));
    expect(s.regs.PRIQ_PROD).toBe(0n);
    expect(slot(s, 0)).toEqual([0n, 0n]);
    expect(responses(s)).toEqual([
      [1, 0, true],
      [1, 0, true],
    ]);
  });

  it('SMMUEN=0 makes the effective PRIQEN 0: ResponseFailure without a PASID (§8.2)', () => {
    const s = env();
    writeRegister(s, 'CR0', 0b1110n);
    s.recordPageRequest(req({ ssv: true, ssid: 3, last: true }));
    expect(s.regs.PRIQ_PROD).toBe(0n);
    expect(s.inbox).toEqual([
      { kind: 'pri-resp', sid: 0x42, ssid: undefined, prgIndex: 1, resp: 0, auto: true },
    ]);
  });

  it('no response to a Stop marker (Last=1, R=W=0, with a PASID) when PRIQEN=0 (§8.2)', () => {
    const s = env();
    writeRegister(s, 'CR0', 0b1101n);
    s.recordPageRequest(req({ ssv: true, ssid: 3, last: true, read: false }));
    expect(s.inbox).toEqual([]);
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

describe('Stop markers and page requests without a PASID (§8)', () => {
  // §8: "A message that arrives without a PASID and that has LWR == 0b100 is not a Stop Marker,
  // has SSV == 0, and is treated as a PRI Page Request."
  const overflowed = (platform = {}, bring = {}): Smmu => {
    const s = env({ platform, bring });
    for (let i = 0; i < 9; i++) s.recordPageRequest(req({ prgIndex: i })); // 8 fit, the 9th overflows
    expect(s.regs.PRIQ_PROD).toBe(OVFLG | 0b1000n);
    return s;
  };

  it('LWR=0b100 without a PASID is a page request: answered Success on overflow', () => {
    const s = overflowed();
    s.recordPageRequest(req({ prgIndex: 20, last: true, read: false }));
    expect(responses(s)).toEqual([[20, 2, true]]);
  });

  it('a Stop marker (with a PASID) is discarded on overflow with no response (§8.1)', () => {
    const s = overflowed();
    const w = s.recordPageRequest(
      req({ prgIndex: 21, last: true, read: false, ssv: true, ssid: 4 }),
    );
    expect(w).toMatchObject({ written: false });
    expect(w.autoResponse).toBeUndefined();
    expect(s.inbox).toEqual([]);
  });

  it('a Stop marker is written to a queue with room, like any PPR', () => {
    const s = env();
    s.recordPageRequest(req({ last: true, read: false, ssv: true, ssid: 4 }));
    // SID 0x42 | SSID 4 << 32 | Last (62) | SSV (63); R=W=0.
    expect(slot(s, 0)).toEqual([0xc000_0004_0000_0042n, 0x1001n]);
  });
});

describe('overflow auto-responses and the PASID: IDR3.PPS and STE.PPAR (§8.1)', () => {
  const withPasid = req({ ssv: true, ssid: 7, last: true, prgIndex: 30 });
  const full = (s: Smmu): Smmu => {
    for (let i = 0; i < 9; i++) s.recordPageRequest(req({ prgIndex: i }));
    s.inbox.length = 0;
    return s;
  };
  const ste = (s: Smmu, ppar: boolean, v = true) => {
    const w = steWords({ v, config: 4 });
    w[1] = w[1]! | (ppar ? 1n << 18n : 0n); // STE.PPAR: dw1 bit 18
    s.mem.writeWords(STRTAB + 0x42n * 64n, w);
  };
  const answer = (s: Smmu) => {
    s.recordPageRequest(withPasid);
    return s.inbox.map((m) => (m.kind === 'pri-resp' ? [m.resp, m.ssid] : []));
  };

  it('PPS=1: Success with the PASID; the STE is not read', () => {
    const s = full(env({ platform: { pps: true } }));
    expect(answer(s)).toEqual([[2, 7]]);
    expect(s.cfg.size).toBe(0);
  });

  it('PPS=0, STE.PPAR=1: Success with the PASID', () => {
    const s = full(env({ platform: { pps: false } }));
    ste(s, true);
    expect(answer(s)).toEqual([[2, 7]]);
  });

  it('PPS=0, STE.PPAR=0: Success without a PASID', () => {
    const s = full(env({ platform: { pps: false } }));
    ste(s, false);
    expect(answer(s)).toEqual([[2, undefined]]);
  });

  it('PPS=0, STE invalid (V=0): ResponseFailure without a PASID, and no event recorded', () => {
    const s = full(env({ platform: { pps: false } }));
    ste(s, true, false);
    expect(answer(s)).toEqual([[0, undefined]]);
    expect(s.regs.EVENTQ_PROD).toBe(0n);
  });

  it('PPS=0, StreamID beyond the stream table: ResponseFailure without a PASID', () => {
    const s = full(env({ platform: { pps: false } }));
    s.recordPageRequest({ ...withPasid, sid: 0x1000 });
    expect(s.inbox.map((m) => (m.kind === 'pri-resp' ? [m.resp, m.ssid] : []))).toEqual([
      [0, undefined],
    ]);
  });

  it('a request without a PASID gets Success without one, whatever PPS says', () => {
    const s = full(env({ platform: { pps: false } }));
    ste(s, true, false); // even an invalid STE is not consulted
    s.recordPageRequest(req({ last: true, prgIndex: 31 }));
    expect(s.inbox.map((m) => (m.kind === 'pri-resp' ? [m.resp, m.ssid] : []))).toEqual([
      [2, undefined],
    ]);
  });
});

describe('PRI queue write abort: GERROR.PRIQ_ABT_ERR (§8.2)', () => {
  it('a failed write raises PRIQ_ABT_ERR and answers ResponseFailure; later PPRs too', () => {
    const s = env({ bring: { priq: 0x1000_0000n } }); // PRIQ_BASE outside RAM
    const w = s.recordPageRequest(req({ last: true, prgIndex: 5 }));
    expect(w).toMatchObject({ written: false, autoResponse: 0 });
    expect(s.regs.GERROR ^ s.regs.GERRORN).toBe(1n << 3n);
    expect(s.regs.PRIQ_PROD).toBe(0n); // PROD does not move for an aborted write
    s.recordPageRequest(req({ prgIndex: 6 })); // Last=0, still answered while the error is active
    expect(responses(s)).toEqual([
      [5, 0, true],
      [6, 0, true],
    ]);
  });

  it('after GERRORN acknowledges it, requests are written again', () => {
    const s = env();
    s.raiseGerror(3);
    s.recordPageRequest(req({ last: true }));
    expect(s.regs.PRIQ_PROD).toBe(0n);
    writeRegister(s, 'GERRORN', s.regs.GERROR);
    expect(s.recordPageRequest(req({ last: true }))).toMatchObject({ written: true, slot: 0 });
  });
});

describe('CMD_PRI_RESP while SMMUEN=0', () => {
  it('is IGNORED: no response reaches the endpoint (spec-facts Q7, §4.5.2)', () => {
    const s = env({ bring: { log2size: 9 } });
    writeRegister(s, 'CR0', 0b1100n); // CMDQEN and EVENTQEN, SMMUEN=0
    s.mem.writeWords(0x4000_0000n, [0x0000_0100_0000_5841n, 0x0000_0000_0000_201fn]);
    writeRegister(s, 'CMDQ_PROD', 1n);
    expect(s.regs.CMDQ_CONS).toBe(1n); // consumed
    expect(s.inbox).toEqual([]);
  });
});
