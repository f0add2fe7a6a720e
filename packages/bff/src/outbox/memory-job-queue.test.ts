import { describe, expect, it } from 'vitest';
import { manualTime } from '../test/manual-time.js';
import { MemoryJobQueue } from './memory-job-queue.js';

describe('MemoryJobQueue', () => {
  it('runs thousands of delayed jobs each at its own due time, earliest first, on one timer', async () => {
    const time = manualTime();
    const queue = new MemoryJobQueue<{ dueAt: number }>({
      now: () => time.clock.now,
      setTimer: time.setTimer,
    });
    const runs: { dueAt: number; at: number }[] = [];
    queue.work(async (job) => {
      runs.push({ dueAt: job.data.dueAt, at: time.clock.now });
      return { kind: 'done' };
    }, 4);
    // A fixed pseudo-random spread of due times, some equal.
    let seed = 7;
    for (let i = 0; i < 3000; i += 1) {
      seed = (seed * 48_271) % 2_147_483_647;
      const delayMs = seed % 100_000;
      await queue.add(`job-${i}`, { dueAt: delayMs }, { delayMs });
      expect(time.timers.size).toBeLessThanOrEqual(1);
    }
    await time.runUntil(100_000, () => queue.whenIdle());
    expect(runs).toHaveLength(3000);
    for (const run of runs) expect(run.at).toBe(run.dueAt);
    const dues = runs.map((run) => run.dueAt);
    expect(dues).toEqual([...dues].sort((a, b) => a - b));
    expect(await queue.counts()).toEqual({ pending: 0, failed: 0 });
  });

  it('runs no more jobs at once than its concurrency', async () => {
    const queue = new MemoryJobQueue<number>();
    let running = 0;
    let most = 0;
    queue.work(async () => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running -= 1;
      return { kind: 'done' };
    }, 3);
    await Promise.all(Array.from({ length: 20 }, (_, i) => queue.add(`j${i}`, i)));
    await queue.whenIdle();
    expect(most).toBe(3);
    expect(await queue.list('completed', 100)).toHaveLength(20);
  });

  it('never drops a pending job to stay in bounds; finished ones go, oldest first', async () => {
    const time = manualTime();
    const queue = new MemoryJobQueue<number>({
      now: () => time.clock.now,
      setTimer: time.setTimer,
      maxEntries: 10,
    });
    queue.work(async () => ({ kind: 'done' }), 4);
    for (let i = 0; i < 20; i += 1) await queue.add(`done-${i}`, i);
    await queue.whenIdle();
    for (let i = 0; i < 50; i += 1) await queue.add(`later-${i}`, i, { delayMs: 60_000 });
    expect(await queue.counts()).toEqual({ pending: 50, failed: 0 });
    const kept = await queue.list('completed', 100);
    expect(kept.map((job) => job.id).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `done-${i + 10}`).sort(),
    );
    await time.runUntil(60_000, () => queue.whenIdle());
    expect(await queue.counts()).toEqual({ pending: 0, failed: 0 });
  });
});
