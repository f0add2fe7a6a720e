import { describe, expect, it } from 'vitest';
import type { EventJob } from '../outbox/job-queue.js';
import { MemoryJobQueue } from '../outbox/memory-job-queue.js';
import { eventsCommand } from './events-cli.js';

describe('buy-button-bff events', () => {
  it('redeliver --all-failed sends every failed event again, with a fresh retry window', async () => {
    const queue = new MemoryJobQueue<EventJob>();
    const runs: EventJob[] = [];
    queue.work(async (job) => {
      runs.push(job.data);
      return runs.length <= 2
        ? { kind: 'fail', reason: 'the shop answered 500' }
        : { kind: 'done' };
    }, 1);
    for (const webhookId of ['evt_a_paid', 'evt_b_paid']) {
      await queue.add(webhookId, { webhookId, payload: '{}', windowStart: 0 });
    }
    await queue.whenIdle();
    const lines: string[] = [];
    const io = { out: (line: string) => lines.push(line), err: (line: string) => lines.push(line) };

    expect(await eventsCommand(['redeliver', '--all-failed'], queue, io)).toBe(0);
    await queue.whenIdle();

    expect(lines[0]).toBe('2 failed event(s) queued for delivery now');
    expect(lines.slice(1).sort()).toEqual(['  evt_a_paid', '  evt_b_paid']);
    expect(
      runs
        .slice(2)
        .map((job) => job.webhookId)
        .sort(),
    ).toEqual(['evt_a_paid', 'evt_b_paid']);
    for (const job of runs.slice(2)) expect(job.windowStart).toBeGreaterThan(0);
    expect(await queue.counts()).toEqual({ pending: 0, failed: 0 });
  });
});
