// What each command did, as the command log says it (cmdq.ts execute/sync): the sentences the
// page shows for a step, and what reached the device (the inbox). Scopes from the spec: prefetches
// are hints (§4.2), CMD_PRI_RESP is IGNORED while SMMUEN=0 (§4.5.2), invalidations complete at the
// next CMD_SYNC (§4.7), and CS=SIG_IRQ with MSIAddress 0 writes nothing (§4.7.3).
import { describe, expect, it } from 'vitest';
import { writeRegister } from './regwrite.ts';
import type { Smmu } from './smmu.ts';
import { AF, AP_EL0, CDTAB, NG, PAGE, Tables, env, putCd, putSte, txn } from './tables.testkit.ts';
import { cmd, issue } from './testkit.ts';
import { translate } from './translate.ts';

const effects = (s: Smmu, cmds: Parameters<typeof issue>[1]): (string | undefined)[] =>
  issue(s, cmds).commands.map((c) => c.effect);

describe('command effects', () => {
  it('prefetches are hints; other invalidations wait for the next CMD_SYNC', () => {
    const s = env();
    expect(
      effects(s, [
        cmd('PREFETCH_CONFIG', { StreamID: 1 }),
        cmd('PREFETCH_ADDR', { StreamID: 1, Address: 0x1000n }),
        cmd('TLBI_NH_ALL', {}),
      ]),
    ).toEqual([
      'prefetch hint: this model fetches on demand instead',
      'prefetch hint: this model fetches on demand instead',
      'consumed; takes effect by the next CMD_SYNC',
    ]);
    expect(effects(s, [cmd('SYNC', {})])).toEqual([
      '1 earlier command(s) completed: nothing was cached',
    ]);
    expect(effects(s, [cmd('SYNC', {})])).toEqual(['nothing outstanding: completes at once']);
  });

  it('CMD_SYNC with CS=SIG_IRQ and MSIAddress 0 signals the wired interrupt only', () => {
    const s = env();
    expect(effects(s, [cmd('SYNC', { CS: 1, MSIData: 0x1234n })])).toEqual([
      'nothing outstanding: completes at once; CS=SIG_IRQ with MSIAddress=0: wired interrupt only, no MSI write',
    ]);
  });

  it('CMD_PRI_RESP answers a page request group by name; IGNORED while SMMUEN=0', () => {
    const s = env();
    expect(
      effects(s, [
        cmd('PRI_RESP', { StreamID: 3, PRGIndex: 5, Resp: 2 }),
        cmd('PRI_RESP', { StreamID: 3, SSV: 1, SubstreamID: 7, PRGIndex: 6, Resp: 1 }),
        cmd('PRI_RESP', { StreamID: 0x10, PRGIndex: 0x1ff, Resp: 0 }),
      ]),
    ).toEqual([
      'page request group 5 of StreamID 0x3 answered Success',
      'page request group 6 of StreamID 0x3 answered InvalidRequest',
      'page request group 511 of StreamID 0x10 answered ResponseFailure',
    ]);
    expect(s.inbox).toEqual([
      { kind: 'pri-resp', sid: 3, ssid: undefined, prgIndex: 5, resp: 2, auto: false },
      { kind: 'pri-resp', sid: 3, ssid: 7, prgIndex: 6, resp: 1, auto: false },
      { kind: 'pri-resp', sid: 0x10, ssid: undefined, prgIndex: 0x1ff, resp: 0, auto: false },
    ]);
    writeRegister(s, 'CR0', 0b1110n); // SMMUEN=0, queues still enabled
    expect(effects(s, [cmd('PRI_RESP', { StreamID: 3, PRGIndex: 8, Resp: 2 })])).toEqual([
      'SMMUEN=0: CMD_PRI_RESP is IGNORED',
    ]);
    expect(s.inbox).toHaveLength(3);
  });

  it('a CMD_SYNC counts what each completed invalidation removed', () => {
    const s = env();
    const t = new Tables(s.mem, 12);
    const root = t.alloc();
    putSte(s, 1, { config: 5, s1ctx: CDTAB });
    putCd(s, CDTAB, { ttb0: root, asid: 1 });
    const va = (i: number): bigint => 0x10_0000n + BigInt(i) * 0x1000n;
    for (let i = 0; i < 4; i++)
      t.map(root, 0, 48, va(i), 3, (0x9000_0000n + BigInt(i) * 0x1000n) | AF | AP_EL0 | NG | PAGE);
    for (let i = 0; i < 4; i++) translate(s, txn(1, va(i)));
    expect(s.tlb.entries()).toHaveLength(4);
    expect(
      effects(s, [
        cmd('TLBI_NH_VA', { ASID: 1, Address: va(0), Leaf: 1 }),
        cmd('TLBI_NH_VA', { ASID: 2, Address: va(1), Leaf: 1 }),
        cmd('TLBI_NH_VA', { ASID: 1, Address: va(1), Leaf: 1 }),
        cmd('SYNC', {}),
      ])[3],
    ).toBe('3 earlier command(s) completed: 1 TLB entry removed; 1 TLB entry removed');
    expect(effects(s, [cmd('TLBI_NH_ASID', { ASID: 1 }), cmd('SYNC', {})])[1]).toBe(
      '1 earlier command(s) completed: 2 TLB entries removed',
    );
  });

  it('a range TLBI is legal with any of NUM, SCALE or TTL non-zero (§4.4.1)', () => {
    const s = env({ platform: { rangeInv: true } });
    const log = issue(s, [
      cmd('TLBI_NH_VA', { ASID: 1, Address: 0x1000n, TG: 1, NUM: 1 }),
      cmd('TLBI_NH_VA', { ASID: 1, Address: 0x1000n, TG: 1, SCALE: 1 }),
      cmd('TLBI_NH_VA', { ASID: 1, Address: 0x1000n, TG: 1, TTL: 3 }),
      cmd('TLBI_NH_VA', { ASID: 1, Address: 0x1000n, TG: 1 }),
    ]);
    expect(log.commands.map((c) => c.error)).toEqual([
      undefined,
      undefined,
      undefined,
      'CERROR_ILL',
    ]);
    expect(log.commands[3]?.effect).toMatch(
      /^CERROR_ILL: CMD_TLBI_NH_VA: TG≠0 with NUM=SCALE=TTL=0 is reserved;/,
    );
  });
});
