import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningRedisServer, startRedisServer } from '../../../../scripts/redis-server.js';
import { createBullmqQueues } from './bullmq-job-queue.js';
import type { JobOutcome, JobQueue, JobView } from './job-queue.js';
import { MemoryJobQueue } from './memory-job-queue.js';

// A real redis-server: delays, locks and dedupe are BullMQ's scripts, so a mock would prove nothing.
let server: RunningRedisServer;
const opened: JobQueue<unknown>[] = [];

beforeAll(async () => {
  server = await startRedisServer();
});

afterAll(async () => {
  await Promise.all(opened.map((queue) => queue.close()));
  await server?.stop();
});

interface Data {
  n: number;
}

/** Runs `handler` for every job, recording the runs; `outcome` decides what each run came to. */
function recorder(queue: JobQueue<Data>, outcome: (job: JobView<Data>) => JobOutcome) {
  const runs: { id: string; attempts: number; n: number; at: number }[] = [];
  queue.work(async (job, note) => {
    runs.push({ id: job.id, attempts: job.attempts, n: job.data.n, at: Date.now() });
    await note(`run ${job.attempts + 1}`);
    return outcome(job);
  }, 4);
  return runs;
}

const until = async (check: () => boolean | Promise<boolean>, timeoutMs = 10_000) => {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

// The contract every JobQueue keeps, whichever engine holds the jobs.
describe.each([
  {
    name: 'BullMQ on Redis',
    open: (): JobQueue<Data> => {
      const queue = createBullmqQueues(server.url, {
        prefix: `test-${randomUUID()}`,
        keepCompletedMs: 1000,
      }).events as unknown as JobQueue<Data>;
      opened.push(queue);
      return queue;
    },
  },
  {
    name: 'in-process',
    open: (): JobQueue<Data> => {
      const queue = new MemoryJobQueue<Data>({ keepCompletedMs: 1000 });
      opened.push(queue);
      return queue;
    },
  },
])('$name job queue', ({ open }) => {
  it('runs a job once it is due, not before', async () => {
    const queue = open();
    const runs = recorder(queue, () => ({ kind: 'done' }));
    const added = Date.now();
    await queue.add('a', { n: 1 }, { delayMs: 300 });
    expect((await queue.get('a'))?.state).toBe('pending');
    await until(() => runs.length === 1);
    expect((runs[0]?.at ?? 0) - added).toBeGreaterThanOrEqual(280);
    await until(async () => (await queue.get('a'))?.state === 'completed');
    expect(await queue.counts()).toEqual({ pending: 0, failed: 0 });
  });

  it('ignores a second add of the same id, and of a deduplicated id after its record is dropped', async () => {
    const queue = open();
    const runs = recorder(queue, () => ({ kind: 'done' }));
    await queue.add('a', { n: 1 }, { dedupeMs: 60_000 });
    await queue.add('a', { n: 2 }, { dedupeMs: 60_000 });
    await until(async () => (await queue.get('a'))?.state === 'completed');
    // Past its retention, a finished job goes when the next one finishes.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await queue.add('b', { n: 10 });
    await until(async () => (await queue.get('a')) === undefined);
    await queue.add('a', { n: 3 }, { dedupeMs: 60_000 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(runs.map((run) => run.n)).toEqual([1, 10]);
  });

  it('retries on the delay the handler asks for, then keeps a failed job with its reason and history', async () => {
    const queue = open();
    const runs = recorder(queue, (job) =>
      job.attempts < 2
        ? { kind: 'retry', delayMs: 150, reason: 'not yet' }
        : { kind: 'fail', reason: 'given up' },
    );
    await queue.add('a', { n: 1 });
    await until(async () => (await queue.get('a'))?.state === 'failed');
    expect(runs.map((run) => run.attempts)).toEqual([0, 1, 2]);
    const gaps = runs.slice(1).map((run, i) => run.at - (runs[i]?.at ?? 0));
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(140);
    const failed = await queue.get('a');
    expect(failed).toMatchObject({ state: 'failed', failedReason: 'given up' });
    expect(failed?.history).toEqual(['run 1', 'run 2', 'run 3']);
    expect(await queue.counts()).toEqual({ pending: 0, failed: 1 });
    expect((await queue.list('failed', 10)).map((job) => job.id)).toEqual(['a']);
  });

  it('runs a failed job again with new data when asked', async () => {
    const queue = open();
    let fail = true;
    const runs = recorder(queue, () => (fail ? { kind: 'fail', reason: 'no' } : { kind: 'done' }));
    await queue.add('a', { n: 1 });
    await until(async () => (await queue.get('a'))?.state === 'failed');
    fail = false;
    expect(await queue.rerun('a', { n: 2 })).toBe(true);
    await until(async () => (await queue.get('a'))?.state === 'completed');
    expect(runs.map((run) => run.n)).toEqual([1, 2]);
    expect(await queue.rerun('missing')).toBe(false);
  });

  it('runs a completed job again with new data when asked (the shop lost it)', async () => {
    const queue = open();
    const runs = recorder(queue, () => ({ kind: 'done' }));
    await queue.add('a', { n: 1 });
    await until(async () => (await queue.get('a'))?.state === 'completed');
    expect(await queue.rerun('a', { n: 2 })).toBe(true);
    await until(() => runs.length === 2);
    expect(runs.map((run) => run.n)).toEqual([1, 2]);
  });

  it('gives a job still waiting for a worker the new data it is run again with', async () => {
    const queue = open();
    await queue.add('a', { n: 1 });
    expect(await queue.rerun('a', { n: 2 })).toBe(true);
    const runs = recorder(queue, () => ({ kind: 'done' }));
    await until(() => runs.length === 1);
    expect(runs.map((run) => run.n)).toEqual([2]);
  });

  it('runs a delayed job now when asked', async () => {
    const queue = open();
    const runs = recorder(queue, () => ({ kind: 'done' }));
    await queue.add('a', { n: 1 }, { delayMs: 60_000 });
    expect(await queue.list('pending', 10)).toHaveLength(1);
    expect(await queue.rerun('a')).toBe(true);
    await until(() => runs.length === 1);
  });

  it('tries a job again later when its handler throws', async () => {
    const queue = open();
    queue.work(async () => {
      throw new Error('bug');
    }, 1);
    await queue.add('a', { n: 1 });
    await until(async () => ((await queue.get('a'))?.attempts ?? 0) >= 1);
    expect((await queue.get('a'))?.state).toBe('pending');
  });
});
