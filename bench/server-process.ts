import { type ChildProcess, fork } from 'node:child_process';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

/**
 * Every server of a benchmark runs in a process of its own, so each has its own event loop and
 * the load generator never competes with it inside one loop. Parent and child talk over the
 * fork IPC channel: the child says where it listens, and answers memory and GC questions.
 */
type ChildMessage =
  | { type: 'ready'; url: string }
  | { type: 'failed'; message: string }
  | ({ type: 'memory' } & ChildHealth)
  | ({ type: 'gc' } & GcPauses);

type ParentMessage = { type: 'memory' } | { type: 'gc' };

/**
 * The main thread's GC pauses since the process started: young-generation collections
 * (scavenges) and the rest (mark-compact and its incremental steps, weak callbacks), and the
 * longest single pause since the previous question.
 */
export interface GcPauses {
  youngMs: number;
  youngCount: number;
  otherMs: number;
  otherCount: number;
  longestMs: number;
}

export interface ChildHealth {
  rss: number;
  heapUsed: number;
  /** V8 heap reserved, used or not. */
  heapTotal: number;
  /** Memory outside the V8 heap held by JS objects (Buffers, ArrayBuffers). */
  external: number;
  unhandledRejections: number;
}

export interface ServerProcess {
  url: string;
  pid: number;
  /**
   * Resident set size and V8 heap in use after a full collection, in bytes, and how many promise
   * rejections nobody handled so far.
   */
  memory(): Promise<ChildHealth>;
  /** Its GC pauses so far; each answer starts a new "longest pause" window. */
  gcPauses(): Promise<GcPauses>;
  /** Resolves when the process has exited, whoever stopped it. */
  exited: Promise<void>;
  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. Safe to call twice. */
  stop(graceMs?: number): Promise<void>;
}

export interface StartServerProcessOptions {
  /** Environment added to the parent's. */
  env?: Record<string, string>;
  /** How long the child may take to report `ready`, in ms. Default 30 000. */
  readyTimeoutMs?: number;
  /** Keep the child's stdout/stderr (default: stderr only, stdout dropped). */
  stdout?: boolean;
  /** Extra Node flags, e.g. `--cpu-prof` to see where a server spends its time. */
  execArgv?: string[];
}

/** Forks `entry` (a `.ts` file run through tsx) and resolves once it reports its URL. */
export async function startServerProcess(
  entry: URL,
  options: StartServerProcessOptions = {},
): Promise<ServerProcess> {
  const child = fork(fileURLToPath(entry), [], {
    // --expose-gc: memory is read after a full collection, so garbage does not count as growth.
    execArgv: ['--import', 'tsx', '--expose-gc', ...(options.execArgv ?? [])],
    env: { ...process.env, ...options.env },
    stdio: ['ignore', options.stdout === true ? 'inherit' : 'ignore', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const url = await waitForReady(child, options.readyTimeoutMs ?? 30_000);
    return {
      url,
      pid: child.pid ?? 0,
      memory: () => ask(child, 'memory'),
      gcPauses: () => ask(child, 'gc'),
      exited,
      async stop(graceMs = 5000) {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
          await exited;
          clearTimeout(timer);
        }
      },
    };
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    throw error;
  }
}

function waitForReady(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server process ${child.pid} not ready within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`server process exited (${code}) before it was ready`));
    };
    child.once('exit', onExit);
    child.on('message', function onMessage(raw) {
      const message = raw as ChildMessage;
      if (message.type !== 'ready' && message.type !== 'failed') return;
      clearTimeout(timer);
      child.off('exit', onExit);
      child.off('message', onMessage);
      if (message.type === 'ready') resolve(message.url);
      else reject(new Error(`server process failed to start: ${message.message}`));
    });
  });
}

type Answer<T extends ParentMessage['type']> = Omit<Extract<ChildMessage, { type: T }>, 'type'>;

function ask<T extends ParentMessage['type']>(child: ChildProcess, type: T): Promise<Answer<T>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${type} answer within 5 s`)), 5000);
    child.on('message', function onMessage(raw) {
      const message = raw as ChildMessage;
      if (message.type !== type) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      const { type: _, ...answer } = message;
      resolve(answer as unknown as Answer<T>);
    });
    child.send({ type } satisfies ParentMessage);
  });
}

/**
 * The child side: starts the server, reports its URL, answers memory questions, and closes on
 * SIGTERM or when the parent goes away (its IPC channel closes), so no server outlives a bench.
 */
export function serveInChildProcess(start: () => Promise<{ url: string; close(): Promise<void> }>) {
  const send = (message: ChildMessage) => process.send?.(message);
  let close: (() => Promise<void>) | undefined;
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    const done = close === undefined ? Promise.resolve() : close();
    // A close that hangs must not keep a bench from finishing.
    setTimeout(() => process.exit(0), 3000).unref();
    done.then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.once('disconnect', stop);
  // Counted (and shown) rather than fatal, so a soak can report them instead of dying on the first.
  let unhandledRejections = 0;
  process.on('unhandledRejection', (reason) => {
    unhandledRejections += 1;
    console.error('unhandled rejection:', reason);
  });
  const gc: GcPauses = { youngMs: 0, youngCount: 0, otherMs: 0, otherCount: 0, longestMs: 0 };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as { detail?: { kind?: number } }).detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MINOR) {
        gc.youngMs += entry.duration;
        gc.youngCount += 1;
      } else {
        gc.otherMs += entry.duration;
        gc.otherCount += 1;
      }
      gc.longestMs = Math.max(gc.longestMs, entry.duration);
    }
  }).observe({ type: 'gc' });
  process.on('message', (raw) => {
    const { type } = raw as ParentMessage;
    if (type === 'memory') {
      globalThis.gc?.();
      const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
      send({ type: 'memory', rss, heapUsed, heapTotal, external, unhandledRejections });
    } else if (type === 'gc') {
      send({ type: 'gc', ...gc });
      gc.longestMs = 0;
    }
  });
  start().then(
    (server) => {
      close = () => server.close();
      send({ type: 'ready', url: server.url });
      if (stopping) stop();
    },
    (error: unknown) => {
      send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
      process.exit(1);
    },
  );
}
