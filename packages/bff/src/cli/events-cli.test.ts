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

  it('list takes its options as a CLI user writes them, and refuses what it does not know', async () => {
    const queue = new MemoryJobQueue<EventJob>();
    queue.work(
      async (job) => ({
        kind: job.data.webhookId.endsWith('paid') ? 'done' : 'fail',
        reason: 'the shop answered 500',
      }),
      1,
    );
    for (const webhookId of ['evt_a_paid', 'evt_b_paid', 'evt_c_expired']) {
      await queue.add(webhookId, { webhookId, payload: '{}', windowStart: 0 });
    }
    await queue.whenIdle();
    const run = async (...args: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await eventsCommand(['list', ...args], queue, {
        out: (line) => out.push(line),
        err: (line) => err.push(line),
      });
      return { code, out, err: err.join('\n') };
    };

    const delivered = await run('--delivered', '--json');
    expect(delivered.code).toBe(0);
    const listed = JSON.parse(delivered.out.join('\n')) as { webhookId: string; state: string }[];
    expect(listed.map((event) => event.webhookId).sort()).toEqual(['evt_a_paid', 'evt_b_paid']);
    expect(listed.every((event) => event.state === 'delivered')).toBe(true);

    expect((await run('--delivered', '--limit=1')).out).toHaveLength(1);
    expect((await run('--delivered', '--limit', '1')).out).toHaveLength(1);
    const byDefault = await run();
    expect(byDefault.out).toHaveLength(1);
    expect(byDefault.out[0]).toMatch(/^evt_c_expired {2}failed {2}1 attempt\(s\)/);

    const unknown = await run('--everything');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain("'--everything'");
    const zero = await run('--limit', '0');
    expect(zero.code).toBe(2);
    expect(zero.err).toContain('--limit must be a whole number from 1, not "0"');
  });
});
