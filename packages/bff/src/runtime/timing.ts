/** Waits `ms`. Injected so retries and backoff run instantly in tests. */
export type Sleep = (ms: number) => Promise<void>;

/** `setTimeout` exists on every Fetch runtime (Node, Deno, Bun, Workers). */
export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Exponential backoff with full jitter: a uniform wait in `[0, base * 2^attempt]`, capped, so
 * many clients retrying after one outage do not all come back in the same millisecond.
 */
export function backoffDelay(attempt: number, baseMs: number, capMs: number, random: () => number) {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** attempt));
}
