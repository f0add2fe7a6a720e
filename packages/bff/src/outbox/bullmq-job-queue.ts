import { type Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { failFastRedis, type RedisStoreOptions } from '../store/redis-store.js';
import {
  type AddJobOptions,
  AFTER_HANDLER_ERROR_MS,
  type EventJob,
  type JobHandler,
  type JobQueue,
  type JobState,
  type JobView,
  type OrderCheckJob,
  type OutboxQueues,
} from './job-queue.js';

export interface BullmqQueuesOptions {
  /**
   * Namespace of the queues' keys (`<prefix>:payment-events:*`, `<prefix>:order-checks:*`), so
   * several merchants can share one Redis. Default `bb`, beside the store's `bb:` keys.
   */
  prefix?: string;
  /**
   * How long a worker holds a job before another instance may take it over, in ms: a killed
   * instance's running delivery is picked up again after at most this plus `stalledIntervalMs`.
   * A live worker renews its lock every half of it. Default 10 000.
   */
  lockDurationMs?: number;
  /** How often workers look for such abandoned jobs, in ms. Default 5000. */
  stalledIntervalMs?: number;
  /** How long a delivered event stays listable. Default 24 h. */
  keepCompletedMs?: number;
  /** How long a failed event stays listable and re-sendable. Default 30 days. */
  keepFailedMs?: number;
  /** Told about connection errors; see `RedisStoreOptions.onError`. */
  onError?: (error: Error) => void;
  /** Connect and command time limits of the side that adds jobs (request paths). */
  connection?: Pick<RedisStoreOptions, 'connectTimeoutMs' | 'commandTimeoutMs'>;
}

/** Far more runs than any window allows: when to give up is the handler's decision. */
const UNLIMITED_ATTEMPTS = 1_000_000;
/** BullMQ's states of a job that is not finished. */
const PENDING_TYPES = ['active', 'waiting', 'prioritized', 'delayed'] as const;
/** The states `rerun` moves a job from: any but running (or unknown). */
const RERUNNABLE: readonly string[] = ['waiting', 'prioritized', 'delayed', 'failed', 'completed'];

/** A run that asked to be tried again later; the backoff strategy reads its delay. */
class RetryLater extends Error {
  readonly delayMs: number;

  constructor(delayMs: number, reason: string) {
    super(reason);
    this.name = 'RetryLater';
    this.delayMs = delayMs;
  }
}

/**
 * The outbox on Redis through BullMQ: delayed jobs, retries on the handler's own schedule,
 * one worker per job across every instance, and a job whose instance died taken over once its
 * lock expires. Adding a job is one Redis script, so the job and its dedupe mark are stored
 * together. Requires Node (ioredis); the runtime-neutral app takes any `OutboxQueues`.
 *
 * ```ts
 * const queues = createBullmqQueues(process.env.REDIS_URL);
 * const app = createApp(config, { store, queues });
 * ```
 */
export function createBullmqQueues(url: string, options: BullmqQueuesOptions = {}): OutboxQueues {
  return {
    events: new BullmqJobQueue<EventJob>('payment-events', url, options),
    orderChecks: new BullmqJobQueue<OrderCheckJob>('order-checks', url, options),
  };
}

class BullmqJobQueue<T> implements JobQueue<T> {
  readonly #name: string;
  readonly #url: string;
  readonly #options: BullmqQueuesOptions;
  readonly #prefix: string;
  readonly #producer: ReturnType<typeof failFastRedis>;
  #ready: Queue | undefined;
  #worker: Worker | undefined;
  #workerConnection: Redis | undefined;

  constructor(name: string, url: string, options: BullmqQueuesOptions) {
    this.#name = name;
    this.#url = url;
    this.#options = options;
    this.#prefix = options.prefix ?? 'bb';
    this.#producer = failFastRedis(url, {
      ...options.connection,
      keyPrefix: '',
      onError: options.onError,
    });
  }

  /**
   * Runs `operation` on the queue, failing fast while Redis is away. The BullMQ queue is made on
   * the first connection: it reads the server's version once when made, and on a connection that
   * fails fast, made any earlier, that read would fail and leave it unusable for good.
   */
  #run<R>(operation: (queue: Queue) => Promise<R>): Promise<R> {
    return this.#producer.run(async () => {
      let queue = this.#ready;
      if (queue === undefined) {
        queue = new Queue(this.#name, { connection: this.#producer.client, prefix: this.#prefix });
        queue.on('error', (error) => this.#options.onError?.(error));
        try {
          await queue.waitUntilReady();
        } catch (error) {
          await queue.close().catch(() => undefined);
          throw error;
        }
        this.#ready = queue;
      }
      return operation(queue);
    });
  }

  add(id: string, data: T, options: AddJobOptions = {}): Promise<void> {
    return this.#run(async (queue) => {
      await queue.add(this.#name, data, {
        jobId: id,
        delay: Math.max(0, Math.ceil(options.delayMs ?? 0)),
        attempts: UNLIMITED_ATTEMPTS,
        backoff: { type: 'custom' },
        ...(options.dedupeMs === undefined
          ? {}
          : { deduplication: { id, ttl: Math.ceil(options.dedupeMs) } }),
        removeOnComplete: { age: seconds(this.#options.keepCompletedMs ?? 24 * 3600 * 1000) },
        removeOnFail: { age: seconds(this.#options.keepFailedMs ?? 30 * 24 * 3600 * 1000) },
      });
    });
  }

  remove(id: string): Promise<void> {
    return this.#run(async (queue) => {
      await queue.remove(id);
    });
  }

  get(id: string): Promise<JobView<T> | undefined> {
    return this.#run(async (queue) => {
      const job = await queue.getJob(id);
      if (job === undefined) return undefined;
      const [state, logs] = await Promise.all([job.getState(), queue.getJobLogs(id, 0, 199, true)]);
      const jobState = state === 'failed' || state === 'completed' ? state : 'pending';
      return toView<T>(job, jobState, logs.logs);
    });
  }

  list(state: JobState, limit: number): Promise<JobView<T>[]> {
    return this.#run(async (queue) => {
      const types = state === 'pending' ? PENDING_TYPES : [state];
      const jobs = await queue.getJobs([...types], 0, Math.max(0, limit - 1), true);
      return jobs.slice(0, limit).map((job) => toView<T>(job, state, []));
    });
  }

  rerun(id: string, data?: T): Promise<boolean> {
    return this.#run(async (queue) => {
      const job = await queue.getJob(id);
      if (job === undefined) return false;
      const state = await job.getState();
      if (!RERUNNABLE.includes(state)) return false;
      if (data !== undefined) await job.updateData(data);
      // A job waiting for a worker runs next anyway, with the new data.
      if (state === 'delayed') await job.promote();
      if (state === 'failed' || state === 'completed') await job.retry(state);
      return true;
    });
  }

  counts(): Promise<{ pending: number; failed: number }> {
    return this.#run(async (queue) => {
      const counts = await queue.getJobCounts(...PENDING_TYPES, 'failed');
      const pending = PENDING_TYPES.reduce((sum, type) => sum + (counts[type] ?? 0), 0);
      return { pending, failed: counts.failed ?? 0 };
    });
  }

  work(handler: JobHandler<T>, concurrency: number): void {
    // Blocking commands need a connection that waits for Redis instead of failing fast.
    this.#workerConnection = new Redis(this.#url, { maxRetriesPerRequest: null });
    this.#workerConnection.on('error', (error: Error) => this.#options.onError?.(error));
    this.#worker = new Worker(
      this.#name,
      async (job: Job) => {
        const outcome = await handler(toView<T>(job, 'pending', []), async (line) => {
          await job.log(line);
        });
        if (outcome.kind === 'retry') throw new RetryLater(outcome.delayMs, outcome.reason);
        if (outcome.kind === 'fail') throw new UnrecoverableError(outcome.reason);
      },
      {
        connection: this.#workerConnection,
        prefix: this.#prefix,
        concurrency,
        lockDuration: this.#options.lockDurationMs ?? 10_000,
        stalledInterval: this.#options.stalledIntervalMs ?? 5000,
        // A job whose instance died is taken over, however often that happens.
        maxStalledCount: UNLIMITED_ATTEMPTS,
        settings: {
          backoffStrategy: (_attempts, _type, error) =>
            error instanceof RetryLater ? error.delayMs : AFTER_HANDLER_ERROR_MS,
        },
      },
    );
    this.#worker.on('error', (error) => this.#options.onError?.(error));
  }

  async close(): Promise<void> {
    if (this.#workerConnection?.status === 'ready') {
      // A job under way finishes (and is marked) first.
      await this.#worker?.close();
    } else {
      // Redis is away: a graceful close would wait for it forever. Nothing can be marked anyway;
      // a job under way is taken over once its lock expires.
      this.#workerConnection?.disconnect();
      await this.#worker?.close(true);
    }
    await this.#ready?.close();
    await this.#producer.close();
    await this.#workerConnection?.quit().catch(() => this.#workerConnection?.disconnect());
  }
}

function toView<T>(job: Job, state: JobState, history: string[]): JobView<T> {
  return {
    id: job.id ?? '',
    data: job.data as T,
    state,
    createdAt: job.timestamp,
    attempts: job.attemptsMade,
    failedReason: state === 'failed' ? job.failedReason : undefined,
    history,
  };
}

function seconds(ms: number): number {
  return Math.ceil(ms / 1000);
}
