import type { EventJob, JobQueue, JobView } from './job-queue.js';

/** Queue ids may not hold `:`; an id made of plain characters is kept as it is. */
export function eventJobId(webhookId: string): string {
  return encodeURIComponent(webhookId);
}

/** An event by its `webhook-id`. */
export function findEvent(
  events: JobQueue<EventJob>,
  webhookId: string,
): Promise<JobView<EventJob> | undefined> {
  return events.get(eventJobId(webhookId));
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
  if (job === undefined) return false;
  return events.rerun(job.id, { ...job.data, windowStart: now });
}

/** Sends every failed event again (at most `limit`); resolves the `webhook-id`s sent. */
export async function redeliverFailed(
  events: JobQueue<EventJob>,
  now: number,
  limit = 10_000,
): Promise<string[]> {
  const sent: string[] = [];
  for (const job of await events.list('failed', limit)) {
    if (await events.rerun(job.id, { ...job.data, windowStart: now })) {
      sent.push(job.data.webhookId);
    }
  }
  return sent;
}
