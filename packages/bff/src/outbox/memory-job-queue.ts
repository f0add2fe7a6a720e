import FlatQueue from 'flatqueue';
import {
  type AddJobOptions,
  AFTER_HANDLER_ERROR_MS,
  type JobHandler,
  type JobOutcome,
  type JobQueue,
  type JobState,
  type JobView,
} from './job-queue.js';

/** Starts a timer; returns what cancels it. */
export type SetTimer = (task: () => void, delayMs: number) => () => void;

export interface MemoryJobQueueOptions {
  /** Clock, epoch ms. Default `Date.now`. */
  now?: () => number;
  /** Default `setTimeout`, unref'd on Node so a queue never holds a process open. */
  setTimer?: SetTimer;
  /** How long a delivered job stays listable. Default 24 h. */
  keepCompletedMs?: number;
  /** How long a failed job stays listable and re-runnable. Default 30 days. */
  keepFailedMs?: number;
  /**
   * Finished jobs and dedupe marks kept at most, the oldest dropped first. Pending jobs are never
   * dropped, nor counted here. Default 100 000.
   */
  maxEntries?: number;
}

interface Entry<T> extends JobView<T> {
  dueAt: number;
  running: boolean;
  finishedAt: number;
}

/** `setTimeout` takes at most 2^31 - 1 ms; a later job is looked at again then. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const PRUNE_EVERY_MS = 60_000;

const defaultSetTimer: SetTimer = (task, delayMs) => {
  const timer = setTimeout(task, delayMs) as unknown as { unref?: () => void };
  timer.unref?.();
  return () => clearTimeout(timer as unknown as ReturnType<typeof setTimeout>);
};

/**
 * `JobQueue` in this process's memory, for a single instance without Redis: the same handlers,
 * delays, retries, dedupe marks and failed-job retention as on Redis, on one timer for the next
 * due job. Nothing survives a restart; the BFF says so at start.
 */
export class MemoryJobQueue<T> implements JobQueue<T> {
  readonly #jobs = new Map<string, Entry<T>>();
  /** id → the time until which the id is refused. */
  readonly #dedupe = new Map<string, number>();
  /** Finished jobs, oldest finish first: what pruning walks (never the pending ones). */
  readonly #finished = new Set<Entry<T>>();
  readonly #o: Required<MemoryJobQueueOptions>;
  #handler: JobHandler<T> | undefined;
  #concurrency = 1;
  readonly #running = new Set<Promise<void>>();
  /** Pending jobs' ids by due time; an item whose job has moved on since is skipped when reached. */
  readonly #due = new FlatQueue<string>();
  #cancelTimer: (() => void) | undefined;
  #timerAt = Number.POSITIVE_INFINITY;
  #prunedAt = Number.NEGATIVE_INFINITY;
  #closed = false;

  constructor(options: MemoryJobQueueOptions = {}) {
    this.#o = {
      now: options.now ?? Date.now,
      setTimer: options.setTimer ?? defaultSetTimer,
      keepCompletedMs: options.keepCompletedMs ?? 24 * 60 * 60 * 1000,
      keepFailedMs: options.keepFailedMs ?? 30 * 24 * 60 * 60 * 1000,
      maxEntries: options.maxEntries ?? 100_000,
    };
  }

  async add(id: string, data: T, options: AddJobOptions = {}): Promise<void> {
    this.#check();
    this.#prune();
    const now = this.#o.now();
    if (this.#jobs.has(id) || (this.#dedupe.get(id) ?? 0) > now) return;
    if (options.dedupeMs !== undefined) {
      this.#dedupe.delete(id);
      this.#dedupe.set(id, now + options.dedupeMs);
    }
    const entry: Entry<T> = {
      id,
      data,
      state: 'pending',
      createdAt: now,
      attempts: 0,
      dueAt: now + (options.delayMs ?? 0),
      running: false,
      finishedAt: 0,
      history: [],
    };
    this.#jobs.set(id, entry);
    this.#due.push(id, entry.dueAt);
    this.#pump();
  }

  async remove(id: string): Promise<void> {
    this.#check();
    const entry = this.#jobs.get(id);
    if (entry === undefined || entry.running) return;
    this.#drop(entry);
    this.#dedupe.delete(id);
  }

  async get(id: string): Promise<JobView<T> | undefined> {
    this.#check();
    const entry = this.#jobs.get(id);
    return entry === undefined ? undefined : view(entry);
  }

  async list(state: JobState, limit: number): Promise<JobView<T>[]> {
    this.#check();
    this.#prune();
    const found = [...this.#jobs.values()].filter((entry) => entry.state === state);
    found.sort((a, b) => (state === 'pending' ? a.dueAt - b.dueAt : b.finishedAt - a.finishedAt));
    return found.slice(0, limit).map(view);
  }

  async rerun(id: string, data?: T): Promise<boolean> {
    this.#check();
    const entry = this.#jobs.get(id);
    if (entry === undefined || entry.running) return false;
    if (data !== undefined) entry.data = data;
    this.#finished.delete(entry);
    entry.state = 'pending';
    entry.dueAt = this.#o.now();
    entry.failedReason = undefined;
    this.#due.push(id, entry.dueAt);
    this.#pump();
    return true;
  }

  async counts(): Promise<{ pending: number; failed: number }> {
    this.#check();
    let pending = 0;
    let failed = 0;
    for (const entry of this.#jobs.values()) {
      if (entry.state === 'pending') pending += 1;
      else if (entry.state === 'failed') failed += 1;
    }
    return { pending, failed };
  }

  work(handler: JobHandler<T>, concurrency: number): void {
    this.#handler = handler;
    this.#concurrency = Math.max(1, concurrency);
    this.#pump();
  }

  /** Resolves once no job is running and none is due now (tests, between steps). */
  async whenIdle(): Promise<void> {
    while (this.#running.size > 0) await Promise.all(this.#running);
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#cancelTimer?.();
    await this.whenIdle();
  }

  /** Starts every due job it has room for, then sets the timer for the next one. */
  #pump(): void {
    if (this.#handler === undefined || this.#closed) return;
    const now = this.#o.now();
    let next = Number.POSITIVE_INFINITY;
    for (let id = this.#due.peek(); id !== undefined; id = this.#due.peek()) {
      const entry = this.#jobs.get(id);
      if (entry?.state !== 'pending' || entry.running || entry.dueAt !== this.#due.peekValue()) {
        this.#due.pop();
        continue;
      }
      if (entry.dueAt > now) {
        next = entry.dueAt;
        break;
      }
      if (this.#running.size >= this.#concurrency) break;
      this.#due.pop();
      this.#start(entry, this.#handler);
    }
    if (next < this.#timerAt) {
      this.#cancelTimer?.();
      this.#timerAt = next;
      this.#cancelTimer = this.#o.setTimer(
        () => {
          this.#cancelTimer = undefined;
          this.#timerAt = Number.POSITIVE_INFINITY;
          this.#pump();
        },
        Math.min(MAX_TIMER_MS, Math.max(0, next - now)),
      );
    }
  }

  #start(entry: Entry<T>, handler: JobHandler<T>): void {
    entry.running = true;
    const note = async (line: string) => {
      entry.history.push(line);
    };
    const run = handler(view(entry), note)
      .catch(
        (err: unknown): JobOutcome => ({
          kind: 'retry',
          delayMs: AFTER_HANDLER_ERROR_MS,
          reason: `handler error: ${err instanceof Error ? err.message : String(err)}`,
        }),
      )
      .then((outcome) => {
        entry.running = false;
        entry.attempts += 1;
        const now = this.#o.now();
        if (outcome.kind === 'retry') {
          entry.dueAt = now + outcome.delayMs;
          this.#due.push(entry.id, entry.dueAt);
        } else {
          entry.state = outcome.kind === 'done' ? 'completed' : 'failed';
          entry.finishedAt = now;
          this.#finished.add(entry);
          if (outcome.kind === 'fail') entry.failedReason = outcome.reason;
        }
      })
      .finally(() => {
        this.#running.delete(run);
        this.#pump();
      });
    this.#running.add(run);
  }

  /**
   * Drops finished jobs past their retention and expired dedupe marks, at most once a minute,
   * then the oldest of them while over `maxEntries`: never a walk over the pending jobs, however
   * many orders are waiting for their check.
   */
  #prune(): void {
    const now = this.#o.now();
    const over = () => this.#finished.size + this.#dedupe.size > this.#o.maxEntries;
    if (now - this.#prunedAt >= Math.min(PRUNE_EVERY_MS, this.#o.keepCompletedMs)) {
      this.#prunedAt = now;
      for (const entry of this.#finished) {
        const keep = entry.state === 'failed' ? this.#o.keepFailedMs : this.#o.keepCompletedMs;
        if (entry.finishedAt + keep <= now) this.#drop(entry);
      }
      for (const [id, until] of this.#dedupe) if (until <= now) this.#dedupe.delete(id);
      // The queue's arrays keep the ids it popped until overwritten; let go of them.
      this.#due.shrink();
    }
    for (const id of this.#dedupe.keys()) {
      if (!over()) break;
      this.#dedupe.delete(id);
    }
    for (const entry of this.#finished) {
      if (!over()) break;
      this.#drop(entry);
    }
  }

  #drop(entry: Entry<T>): void {
    this.#finished.delete(entry);
    this.#jobs.delete(entry.id);
  }

  #check(): void {
    if (this.#closed) throw new Error('The job queue is closed');
  }
}

/** A copy for callers: the queue's own fields left out, the history not shared. */
function view<T>({ running, finishedAt, dueAt, ...job }: Entry<T>): JobView<T> {
  return { ...job, history: [...job.history] };
}
