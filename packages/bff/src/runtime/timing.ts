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

/**
 * Runs `task` with a signal that aborts (as a `TimeoutError`) after `ms`, and clears the timer as
 * soon as the task settles. `AbortSignal.timeout` would keep a timer and its signal alive for the
 * full delay after every call: thousands of them at checkout rates.
 */
export async function withTimeout<T>(
  ms: number,
  task: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException('The operation timed out.', 'TimeoutError')),
    ms,
  );
  try {
    return await task(controller.signal);
  } finally {
    clearTimeout(timer);
  }
}
