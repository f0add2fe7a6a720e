/** Waits `ms`. Injected so retries and backoff run instantly in tests. */
export type Sleep = (ms: number) => Promise<void>;

/** `setTimeout` exists on every Fetch runtime (Node, Deno, Bun, Workers). */
export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
