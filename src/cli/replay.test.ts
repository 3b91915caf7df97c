// `sva replay` prints a scenario that `sva run` runs into the same events; `sva maps --ops`.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from './main.ts';
import { runCommand } from './run.ts';

const path = (name: string): string =>
  new URL(`../logs/fixtures/${name}`, import.meta.url).pathname;

describe('replay', () => {
  it('sample 02: stdout is a document run reproduces; stderr names the op', () => {
    const out = main(['replay', path('02-aquantia-atl2-ftranslation.txt')]);
    expect(out.code).toBe(0);
    expect(out.stderr).toBe('replay: line 2: F_TRANSLATION SID 0x20600: reproduced by op 3\n');
    const run = runCommand(out.stdout, true);
    expect(run.code).toBe(0);
    const res = JSON.parse(run.stdout) as { results: { events: { raw: string[] }[] }[] };
    // The dwords sample 02 printed (dw1 has no STAG: not stalled).
    expect(res.results[3]!.events[0]!.raw).toEqual([
      '0x0002060000000010',
      '0x0000020000000000',
      '0x00000000ff9bc000',
      '0x0000000000000000',
    ]);
  });

  it('sample 19 has no event records: exit 1 with the reason', () => {
    const out = main(['replay', path('19-gerror-cmdq-illegal-command.txt')]);
    expect(out).toEqual({
      code: 1,
      stdout: '',
      stderr: 'replay: the log holds no event records to reproduce (only other driver messages)\n',
    });
  });

  it('an event the model cannot raise: exit 1, one line saying why', () => {
    const text = [
      'arm-smmu-v3 a: event 0x12 received:',
      'arm-smmu-v3 a: \t0x0000038000000012',
      'arm-smmu-v3 a: \t0x0000020000000000',
      'arm-smmu-v3 a: \t0x0000000000001000',
      'arm-smmu-v3 a: \t0x0000000000000000',
    ].join('\n');
    const file = join(mkdtempSync(join(tmpdir(), 'sva-replay-')), 'f-access.txt');
    writeFileSync(file, text);
    const out = main(['replay', file]);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(
      /^replay: line 1: F_ACCESS SID 0x380: not reproduced: F_ACCESS needs a leaf with AF=0/,
    );
  });
});

describe('maps --ops', () => {
  it('prints process + mmap ops; the guard pages go to stderr with why', () => {
    const out = main(['maps', path('09-kernel-doc-proc-rst-i386.maps'), '--ops', 'test']);
    expect(out.code).toBe(0);
    const ops = JSON.parse(out.stdout) as { op: string; addr?: string; prot?: string }[];
    expect(ops[0]).toEqual({ op: 'process', name: 'test' });
    // 08048000-08049000 r-xp … /opt/test
    expect(ops[1]).toEqual({
      op: 'mmap',
      proc: 'test',
      addr: '0x8048000',
      size: '0x1000',
      prot: 'rx',
      name: '/opt/test',
    });
    expect(ops).toHaveLength(1 + 18);
    expect(out.stderr.split('\n').filter(Boolean)).toEqual([
      'maps: line 5: 0xa7cb1000-0xa7cb2000 anonymous: not created: no access (---): a guard page or a reserved range; the model’s mmap needs at least one of r, w, x',
      'maps: line 7: 0xa7eb2000-0xa7eb3000 anonymous: not created: no access (---): a guard page or a reserved range; the model’s mmap needs at least one of r, w, x',
    ]);
    expect(readFileSync(path('09-kernel-doc-proc-rst-i386.maps'), 'utf8')).toContain(
      'a7cb1000-a7cb2000 ---p',
    );
  });

  it('a bad process name is a usage error', () => {
    expect(main(['maps', path('09-kernel-doc-proc-rst-i386.maps'), '--ops', 'a b']).code).toBe(2);
  });
});
