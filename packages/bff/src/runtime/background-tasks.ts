/**
 * Work that outlives the response (a token refresh ahead of expiry). Each task is
 * handed to the runtime's `waitUntil` when there is one (Workers), and tracked so `whenIdle()`
 * lets tests and graceful shutdown wait for it instead of sleeping.
 */
export interface BackgroundTasks {
  /** Runs nothing itself: tracks `task` until it settles. Rejections must be handled by the caller. */
  add(task: Promise<unknown>): void;
  /** Resolves once every tracked task (and any task they added) has settled. */
  whenIdle(): Promise<void>;
}

export function createBackgroundTasks(
  waitUntil?: (task: Promise<unknown>) => void,
): BackgroundTasks {
  const running = new Set<Promise<unknown>>();
  return {
    add(task) {
      const tracked = task.catch(() => {});
      running.add(tracked);
      void tracked.finally(() => running.delete(tracked));
      waitUntil?.(tracked);
    },
    async whenIdle() {
      while (running.size > 0) await Promise.all(running);
    },
  };
}
