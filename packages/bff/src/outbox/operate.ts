import type { EventJob, JobQueue } from './job-queue.js';

/** Queue ids may not hold `:`; an id made of plain characters is kept as it is. */
export function eventJobId(webhookId: string): string {
  return encodeURIComponent(webhookId);
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

/** Sends every failed event again (at most 10 000); resolves the `webhook-id`s sent. */
export async function redeliverFailed(events: JobQueue<EventJob>, now: number): Promise<string[]> {
  const sent: string[] = [];
  for (const job of await events.list('failed', 10_000)) {
    if (await events.rerun(job.id, { ...job.data, windowStart: now })) {
      sent.push(job.data.webhookId);
    }
  }
  return sent;
}
