/**
 * The durable work of the BFF that outlives a request: payment events on their way to the shop,
 * and orders waiting to be checked again. One interface, two engines: BullMQ on Redis
 * (`createBullmqQueues`, several instances, survives restarts) and an in-process queue
 * (`MemoryJobQueue`, the default without `REDIS_URL`). What a job does is decided by its handler,
 * which is the same code on both.
 */
export interface JobQueue<T> {
  /**
   * Adds a job under `id` unless a job with that id exists, or (with `dedupeMs`) one was added
   * within that time, even if it has since finished: the job and its dedupe mark are written
   * together. Resolves once both are stored; a duplicate is dropped without an error.
   */
  add(id: string, data: T, options?: AddJobOptions): Promise<void>;
  /** Removes a waiting or finished job and its dedupe mark; one being worked on is left alone. */
  remove(id: string): Promise<void>;
  get(id: string): Promise<JobView<T> | undefined>;
  /** Jobs in `state`, those due first (pending) or newest first (finished), at most `limit`. */
  list(state: JobState, limit: number): Promise<JobView<T>[]>;
  /**
   * Runs a failed or delivered job again, or a delayed one now; `data` replaces its data.
   * Resolves `false` when there is no such job, or it is running.
   */
  rerun(id: string, data?: T): Promise<boolean>;
  /** How many jobs are pending (waiting, delayed or running) and failed. */
  counts(): Promise<{ pending: number; failed: number }>;
  /** Starts working jobs with `handler`, `concurrency` at a time. Call once. */
  work(handler: JobHandler<T>, concurrency: number): void;
  /** Stops working (running jobs finish first) and releases the queue. */
  close(): Promise<void>;
}

export interface AddJobOptions {
  /** Wait this long before the first run. Default 0. */
  delayMs?: number;
  /** Refuse the same id for this long after it was added, whatever became of the job. */
  dedupeMs?: number;
}

export type JobState = 'pending' | 'failed' | 'completed';

/** A job as operators and handlers see it. */
export interface JobView<T> {
  id: string;
  data: T;
  state: JobState;
  /** When it was added, epoch ms. */
  createdAt: number;
  /** Runs finished so far (succeeded or not). */
  attempts: number;
  /** Why it failed, for a failed job. */
  failedReason?: string | undefined;
  /** One line per run, oldest first. */
  history: string[];
}

/** What a run of a job came to. */
export type JobOutcome =
  | { kind: 'done' }
  | { kind: 'retry'; delayMs: number; reason: string }
  | { kind: 'fail'; reason: string };

/**
 * Runs one job. `note` adds a line to the job's history. A handler that throws is a bug: the
 * job is tried again after a minute, so nothing is lost.
 */
export type JobHandler<T> = (
  job: JobView<T>,
  note: (line: string) => Promise<void>,
) => Promise<JobOutcome>;

/** How long a job whose handler threw waits before its next run. */
export const AFTER_HANDLER_ERROR_MS = 60_000;

/** The two queues of a BFF. */
export interface OutboxQueues {
  /** Payment events for the shop (`WEBHOOK_FORWARD_URL`), one per order and final status. */
  events: JobQueue<EventJob>;
  /** Orders created and not yet seen in a final state, checked again after they expire. */
  orderChecks: JobQueue<OrderCheckJob>;
}

/** A payment event waiting for (or done with) delivery. */
export interface EventJob {
  /** The Standard Webhooks `webhook-id`, the same on every attempt. */
  webhookId: string;
  /** The event exactly as the shop receives it (signed per attempt). */
  payload: string;
  /** Start of the retry window, epoch ms: when the event was recorded, or last redelivered. */
  windowStart: number;
}

/** An order to read again until it is final. */
export interface OrderCheckJob {
  orderRef: string;
  /** When the first check was due, epoch ms (the order's expiry plus the margin). */
  firstDueAt: number;
}
