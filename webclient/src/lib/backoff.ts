/** Reconnection delays: exponential from 250 ms, capped at 5 s, with jitter so clients spread out. */
export function nextBackoff(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(5000, 250 * 2 ** Math.min(attempt, 10));
  return Math.round(base * (0.75 + 0.5 * random()));
}
