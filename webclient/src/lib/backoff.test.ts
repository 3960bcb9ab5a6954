import { expect, test } from 'vitest';
import { nextBackoff } from './backoff';

test('grows exponentially and is capped', () => {
  const mid = () => 0.5;
  expect(nextBackoff(0, mid)).toBe(250);
  expect(nextBackoff(1, mid)).toBe(500);
  expect(nextBackoff(3, mid)).toBe(2000);
  expect(nextBackoff(30, mid)).toBe(5000);
});

test('jitter stays within +-25%', () => {
  expect(nextBackoff(2, () => 0)).toBe(750);
  expect(nextBackoff(2, () => 1)).toBe(1250);
});
