// isRead: an instruction fetch is a read (§3.2: InD=1 marks an instruction access, RnW=1 a read);
// only a write is not.
import { expect, it } from 'vitest';
import { isRead } from './transaction.ts';

it('isRead is true for a data read and an instruction fetch, false for a write', () => {
  expect(isRead('r')).toBe(true);
  expect(isRead('x')).toBe(true);
  expect(isRead('w')).toBe(false);
});
