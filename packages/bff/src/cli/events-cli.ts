import { parseArgs } from 'node:util';
import type { EventJob, JobQueue, JobView } from '../outbox/job-queue.js';
import { eventJobId } from '../webhooks/payment-events.js';

/** Where the command writes; `main.ts` passes the console, tests collect lines. */
export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}

export const EVENTS_USAGE = `Usage: buy-button-bff events <command>

Commands:
  list [--pending|--failed|--delivered] [--limit N] [--json]
                               events in the outbox (default: pending and failed)
  show <webhook-id>            one event: its state, attempts, history and payload
  redeliver <webhook-id>       send one event again now, with a fresh retry window
  redeliver --all-failed       send every failed event again

Reads REDIS_URL (from the environment or the BFF_CONFIG file): the outbox of a BFF without
Redis lives inside its process and cannot be reached from here.`;

/** `events list`'s options, as `util.parseArgs` reads them (`--limit 5` or `--limit=5`). */
const LIST_OPTIONS = {
  pending: { type: 'boolean' },
  failed: { type: 'boolean' },
  delivered: { type: 'boolean' },
  limit: { type: 'string', default: '100' },
  json: { type: 'boolean' },
} as const;

const listOptions = (args: string[]) => parseArgs({ args, options: LIST_OPTIONS }).values;

/**
 * `buy-button-bff events …`, on the outbox's event queue. Resolves the process exit code: 0 done,
 * 1 nothing found or not sent, 2 a usage error.
 */
export async function eventsCommand(
  args: readonly string[],
  events: JobQueue<EventJob>,
  io: CliOutput,
): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case 'list': {
      let values: ReturnType<typeof listOptions>;
      try {
        values = listOptions(rest);
      } catch (err) {
        io.err(`events list: ${(err as Error).message}\n\n${EVENTS_USAGE}`);
        return 2;
      }
      const limit = Number(values.limit);
      if (!/^\d+$/.test(values.limit) || limit < 1) {
        io.err(`events list: --limit must be a whole number from 1, not "${values.limit}"`);
        return 2;
      }
      const named = (['pending', 'failed', 'delivered'] as const).filter((state) => values[state]);
      const states = named.length > 0 ? named : (['pending', 'failed'] as const);
      const jobs: JobView<EventJob>[] = [];
      for (const state of states) {
        jobs.push(...(await events.list(state === 'delivered' ? 'completed' : state, limit)));
      }
      if (values.json) {
        io.out(JSON.stringify(jobs.map(summary), null, 2));
      } else if (jobs.length === 0) {
        io.out('no events');
      } else {
        for (const job of jobs) io.out(line(job));
      }
      return 0;
    }
    case 'show': {
      const [id] = rest;
      if (id === undefined || rest.length !== 1) {
        io.err(`events show: give one webhook-id\n\n${EVENTS_USAGE}`);
        return 2;
      }
      const job = await events.get(eventJobId(id));
      if (job === undefined) {
        io.err(`events show: no event ${id} (delivered events are kept 24 h, failed ones 30 days)`);
        return 1;
      }
      const event = JSON.parse(job.data.payload);
      io.out(JSON.stringify({ ...summary(job), history: job.history, event }, null, 2));
      return 0;
    }
    case 'redeliver': {
      const [target] = rest;
      if (target === undefined || rest.length !== 1) {
        io.err(`events redeliver: give one webhook-id or --all-failed\n\n${EVENTS_USAGE}`);
        return 2;
      }
      const now = Date.now();
      if (target === '--all-failed') {
        const sent: string[] = [];
        for (const job of await events.list('failed', 10_000)) {
          if (await events.rerun(job.id, { ...job.data, windowStart: now })) {
            sent.push(job.data.webhookId);
          }
        }
        io.out(`${sent.length} failed event(s) queued for delivery now`);
        for (const id of sent) io.out(`  ${id}`);
        return 0;
      }
      if (await redeliver(events, target, now)) {
        io.out(`${target} queued for delivery now`);
        return 0;
      }
      io.err(`events redeliver: no event ${target}, or it is being sent right now`);
      return 1;
    }
    default:
      io.err(EVENTS_USAGE);
      return 2;
  }
}

/**
 * Sends an event again now, with a fresh retry window: a failed one, a delivered one (the shop
 * lost it), or a pending one ahead of its next attempt. Resolves `false` when there is no such
 * event or it is being sent right now.
 */
export async function redeliver(
  events: JobQueue<EventJob>,
  webhookId: string,
  now: number,
): Promise<boolean> {
  const job = await events.get(eventJobId(webhookId));
  return job !== undefined && events.rerun(job.id, { ...job.data, windowStart: now });
}

function summary(job: JobView<EventJob>) {
  return {
    webhookId: job.data.webhookId,
    state: job.state === 'completed' ? 'delivered' : job.state,
    attempts: job.attempts,
    recordedAt: new Date(job.createdAt).toISOString(),
    ageSeconds: Math.max(0, Math.round((Date.now() - job.createdAt) / 1000)),
    ...(job.failedReason === undefined ? {} : { failedReason: job.failedReason }),
  };
}

function line(job: JobView<EventJob>): string {
  const s = summary(job);
  return [
    s.webhookId,
    s.state,
    `${s.attempts} attempt(s)`,
    `recorded ${s.recordedAt}`,
    s.failedReason ?? '',
  ]
    .join('  ')
    .trimEnd();
}
