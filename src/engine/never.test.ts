import { describe, expect, it } from 'vitest';
import { assertNever } from './never.ts';

describe('assertNever', () => {
  it('names the stray variant even when it holds bigints', () => {
    const step = { kind: 'warp', pa: 0x1000n } as never;
    expect(() => assertNever(step, 'trace step')).toThrow('unexpected trace step: kind warp');
  });
  it('names a stray op', () => {
    expect(() => assertNever({ op: 'teleport' } as never)).toThrow('unexpected value: op teleport');
  });
});
