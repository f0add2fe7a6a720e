import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** A function run in a child process of its own, one call at a time. */
export interface ChildWorker<Options, Result> {
  /** The child's process id (for its CPU time). */
  pid: number;
  run(options: Options): Promise<Result>;
  stop(): Promise<void>;
}

type Message<Result> = { type: 'result'; result: Result } | { type: 'error'; message: string };

/**
 * Forks the module at `moduleUrl` (which calls `serveInChild` with the same function): on a small
 * machine it still shares the cores with the servers, but not their event loops, so a slow server
 * is not hidden by a busy client.
 */
export function startChildWorker<Options, Result>(moduleUrl: string): ChildWorker<Options, Result> {
  const child: ChildProcess = fork(fileURLToPath(moduleUrl), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    pid: child.pid ?? 0,
    run(options) {
      return new Promise((resolve, reject) => {
        const onExit = () => reject(new Error('the load generator exited'));
        child.once('exit', onExit);
        child.once('message', (raw) => {
          child.off('exit', onExit);
          const message = raw as Message<Result>;
          if (message.type === 'result') resolve(message.result);
          else reject(new Error(message.message));
        });
        child.send(options as object);
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

/**
 * The child side, when `moduleUrl` is the process's entry: one `run` per message; it dies with
 * its parent.
 */
export function serveInChild<Options, Result>(
  moduleUrl: string,
  run: (options: Options) => Promise<Result>,
): void {
  if (moduleUrl !== pathToFileURL(process.argv[1] ?? '').href || process.send === undefined) return;
  process.once('disconnect', () => process.exit(0));
  process.on('message', (options: Options) => {
    run(options).then(
      (result) => process.send?.({ type: 'result', result } satisfies Message<Result>),
      (error: unknown) =>
        process.send?.({
          type: 'error',
          message: error instanceof Error ? error.message : String(error),
        } satisfies Message<Result>),
    );
  });
}
