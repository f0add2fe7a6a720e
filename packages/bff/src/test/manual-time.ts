import type { SetTimer } from '../outbox/memory-job-queue.js';

/**
 * A clock and timers that move only when a test says so: `runUntil(end, idle)` fires each timer
 * due by `end` at its own time, letting the work it starts settle (`idle`) before the next.
 */
export function manualTime(start = 0) {
  const clock = { now: start };
  const timers = new Set<{ at: number; task: () => void }>();
  const setTimer: SetTimer = (task, delayMs) => {
    const timer = { at: clock.now + delayMs, task };
    timers.add(timer);
    return () => timers.delete(timer);
  };
  const runUntil = async (end: number, idle: () => Promise<void>): Promise<void> => {
    for (;;) {
      await idle();
      const next = [...timers].filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (next === undefined) break;
      timers.delete(next);
      clock.now = Math.max(clock.now, next.at);
      next.task();
    }
    clock.now = end;
    await idle();
  };
  return { clock, timers, setTimer, runUntil };
}
