import { expect, test, vi } from 'vitest';
import { pause } from './providers';

function token() {
  const listeners: (() => void)[] = [];
  return {
    isCancellationRequested: false,
    onCancellationRequested: (l: () => void) => listeners.push(l),
    cancel() {
      this.isCancellationRequested = true;
      listeners.forEach((l) => l());
    },
  };
}

test('pause resolves true after the delay, false once cancelled', async () => {
  vi.useFakeTimers();
  const quiet = token();
  const p1 = pause(150, quiet);
  vi.advanceTimersByTime(150);
  expect(await p1).toBe(true);
  const typing = token();
  const p2 = pause(150, typing);
  vi.advanceTimersByTime(30);
  typing.cancel();
  expect(await p2).toBe(false);
  vi.useRealTimers();
});
