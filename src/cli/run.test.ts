// `sva run FILE --json` through the CLI entry (main.ts): the run-results shape of
// scenario-format.md "Run results" on a golden scenario, and bad documents → a non-zero exit with
// one stderr line naming the op index and the field.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { goldenPath } from '../scenario/golden.testkit.ts';
import { main } from './main.ts';

const HEX64 = /^0x[0-9a-f]{16}$/;
const HEX = /^0x[0-9a-f]+$/;

interface Json {
  [k: string]: unknown;
}

describe('run --json on golden 10 (stall)', () => {
  const out = main(['run', goldenPath('10-stall'), '--json']);
  const json = JSON.parse(out.stdout) as { ok: boolean; kernel: string; results: Json[] };

  it('exits 0 with the documented top level', () => {
    expect(out.code).toBe(0);
    expect(out.stderr).toBe('');
    expect(json.ok).toBe(true);
    expect(json.kernel).toBe('rfc2017');
    expect(json.results).toHaveLength(9);
  });

  it('every result has index, op, status and the per-op lists', () => {
    const ops = ['device', 'domain', 'attach', 'process', 'mmap', 'bind', 'dma', 'touch', 'dma'];
    json.results.forEach((r, i) => {
      expect(r).toMatchObject({ index: i, op: ops[i], status: 'ok' });
      for (const k of ['commands', 'events', 'pageRequests', 'writes'])
        expect(Array.isArray(r[k])).toBe(true);
    });
    expect(json.results[5]).toMatchObject({ pasid: 1 });
  });

  it('commands carry their spec name, scenario-named fields and raw dwords', () => {
    const bind = json.results[5]!.commands as Json[];
    expect(bind.map((c) => c['name'])).toEqual([
      'CMD_CFGI_CD',
      'CMD_SYNC',
      'CMD_CFGI_CD',
      'CMD_SYNC',
    ]);
    expect(bind[0]).toMatchObject({ sid: 0x400, ssid: 1, leaf: true });
    // CFGI_CD SID 0x400 SSID 1 leaf: 0x05 | 1<<12 | 0x400<<32 (smmuv3.md §6.1, E14).
    expect(bind[0]!['raw']).toEqual(['0x0000040000001005', '0x0000000000000001']);
    expect(bind[1]!['raw']).toEqual(['0x000000000fc02046', '0x0000000000000000']);
    for (const c of bind) for (const w of c['raw'] as string[]) expect(w).toMatch(HEX64);
  });

  it('the stalled DMA: an event with raw dwords, a RESUME, and the retried translation', () => {
    const r = json.results[6]!;
    const [ev] = r['events'] as Json[];
    expect(ev).toMatchObject({
      name: 'F_TRANSLATION',
      id: 0x10,
      sid: 0x400,
      ssv: true,
      ssid: 1,
      stall: true,
      rnw: false,
      class: 'IN',
      addr: '0x7fff00000000',
    });
    const stag = ev!['stag'] as number;
    // dw0 = 0x10 | SSV<<11 | 1<<12 | 0x400<<32; dw1 = STAG | Stall<<31 | CLASS IN (2)<<40.
    const dw1 = (0x0000_0200_8000_0000n | BigInt(stag)).toString(16).padStart(16, '0');
    expect(ev!['raw']).toEqual([
      '0x0000040000001810',
      `0x${dw1}`,
      '0x00007fff00000000',
      '0x0000000000000000',
    ]);
    const [resume] = r['commands'] as Json[];
    expect(resume).toMatchObject({ name: 'CMD_RESUME', sid: 0x400, stag });
    const dma = r['dma'] as Json;
    expect(dma['outcome']).toBe('translated');
    expect(dma['pa']).toMatch(HEX);
    expect(dma['pa']).toBe(json.results[7]!['pa']);
    const steps = dma['steps'] as Json[];
    expect(steps.length).toBeGreaterThan(0);
    for (const s of steps) expect(typeof s['kind']).toBe('string');
    expect((dma['attempts'] as Json[]).length).toBeGreaterThan(1);
  });

  it('the aborted access outcome', () => {
    expect((json.results[8]!['dma'] as Json)['outcome']).toBe('aborted');
  });
});

describe('run with a bad document', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sva-run-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const runDoc = (name: string, ops: unknown[], extra: Json = {}) => {
    const path = join(dir, `${name}.json`);
    const doc = { format: 'sva-explorer/scenario', version: 1, ...extra, ops };
    writeFileSync(path, JSON.stringify(doc));
    return main(['run', path, '--json']);
  };
  const base = [
    { op: 'device', name: 'gpu', sid: 256, pasidBits: 20, ats: true, pri: true },
    { op: 'domain', name: 'dom' },
    { op: 'process', name: 'app' },
  ];

  const cases: [string, unknown[], string][] = [
    [
      'misaligned size',
      [...base, { op: 'mmap', proc: 'app', addr: '0x7fff_0000_0000', size: '0x1800', prot: 'rw' }],
      'run: ops[3].size: must be a multiple of 0x1000',
    ],
    [
      'unknown op',
      [...base, { op: 'teleport', proc: 'app' }],
      'run: ops[3].op: unknown op "teleport" (expected one of device, ',
    ],
    [
      'unknown field',
      [...base, { op: 'bind', dev: 'gpu', proc: 'app', colour: 'red' }],
      'run: ops[3].colour: unknown field',
    ],
    [
      'out-of-range value',
      [{ op: 'device', name: 'gpu', sid: 256, pasidBits: 21 }],
      'run: ops[0].pasidBits: must be ≤ 20',
    ],
  ];

  it.each(cases)('%s → exit 1 and one stderr line naming op and field', (_, ops, line) => {
    const out = runDoc(_.replace(/ /g, '-'), ops);
    expect(out.code).not.toBe(0);
    expect(out.stdout).toBe('');
    expect(out.stderr.endsWith('\n')).toBe(true);
    expect(out.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(out.stderr.startsWith(line)).toBe(true);
  });

  it('a platform the kernel cannot boot on is one line, not a crash', () => {
    // A linear stream table for 32-bit StreamIDs: arm_smmu_init_strtab_linear cannot allocate
    // 2^32 STEs of 64 bytes, so the driver's probe fails with -ENOMEM (kernel/smmu/probe.ts).
    const out = runDoc('linear-32', base, {
      platform: { smmu: { streamTable: 'linear', sidBits: 32 } },
    });
    expect(out.code).toBe(1);
    expect(out.stdout).toBe('');
    expect(out.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(out.stderr).toMatch(
      /^run: the kernel cannot boot on this platform: -ENOMEM: arm-smmu-v3: failed to allocate linear stream table \(274877906944 bytes/,
    );
  });

  it('nesting 5,000 deep is one short line (was: "Maximum call stack size exceeded")', () => {
    const deep = '['.repeat(5_000) + ']'.repeat(5_000);
    const path = join(dir, 'deep.json');
    writeFileSync(path, `{"format":"sva-explorer/scenario","version":1,"ops":[{"op":${deep}}]}`);
    const out = main(['run', path]);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(
      /^run: ops\[0\]\.op: unknown op \[…\] \(a list\) \(expected one of /,
    );
    expect(out.stderr.length).toBeLessThan(400);
  });

  it('work beyond the budget is refused before it runs, saying what costs (cost.ts)', () => {
    // A burst of 10 million accesses through the kernel: 0.15 + 10^7 × 0.3 ms ≈ 3,000 s.
    const t = performance.now();
    const out = runDoc('burst', [
      ...base,
      { op: 'dma', dev: 'gpu', addr: '0x0', access: 'r', count: 10_000_000 },
    ]);
    expect(performance.now() - t).toBeLessThan(2_000);
    expect(out.code).toBe(1);
    expect(out.stderr).toBe(
      'run: the scenario would take about 3,000 s to run, mostly for its 10,000,000 device accesses (dma counts); at most 10.0 s of work is run\n',
    );
  });

  it('a missing file is one line too', () => {
    const out = main(['run', join(dir, 'nope.json'), '--json']);
    expect(out.code).not.toBe(0);
    expect(out.stderr).toMatch(/^run: cannot read .*nope\.json: ENOENT\n$/);
  });
});
