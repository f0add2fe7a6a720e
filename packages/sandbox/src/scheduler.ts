/**
 * Runs `task` after `delayMs` and returns a function that cancels it. Injected so tests run
 * retries and latency without waiting, and so `startSandbox().close()` can drop pending timers.
 */
export type Scheduler = (task: () => void, delayMs: number) => () => void;

export const timerScheduler: Scheduler = (task, delayMs) => {
  const timer = setTimeout(task, delayMs);
  return () => clearTimeout(timer);
};
