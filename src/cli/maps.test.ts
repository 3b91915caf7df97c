// The `maps` CLI command.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mapsCommand } from './maps.ts';

const fixture = (name: string): string =>
  readFileSync(new URL(`../logs/fixtures/${name}`, import.meta.url), 'utf8');

describe('maps', () => {
  it('prints the VMAs of the i386 sample as JSON', () => {
    const out = mapsCommand(fixture('09-kernel-doc-proc-rst-i386.maps'));
    expect(out.code).toBe(0);
    expect(out.stderr).toBe('');
    const json = JSON.parse(out.stdout) as { vmas: { start: string; path?: string }[] };
    expect(json.vmas).toHaveLength(20);
    expect(json.vmas[2]).toMatchObject({ start: '0x804a000', path: '[heap]' });
  });

  it('exits 1 with one stderr line naming line and field', () => {
    const out = mapsCommand(
      '08048000-08049000 r-xp 00000000 03:00 8312 /opt/test\n08049000-0804a000 rw 0 03:00 1\n',
    );
    expect(out).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'maps: line 2: perms: "rw" must be 4 characters: r or -, w or -, x or -, then p (private) or s (shared)\n',
    });
  });
});
