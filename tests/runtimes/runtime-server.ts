import { spawn } from 'node:child_process';
import { ROOT } from './root.js';

export interface RuntimeServer {
  url: string;
  /** Everything it printed so far (its banner and JSON log lines, stdout and stderr). */
  output(): string;
  /** SIGTERM (SIGKILL after 5 s); resolves once it has exited. */
  stop(): Promise<void>;
}

export interface StartProcessOptions {
  name: string;
  command: string;
  args: string[];
  /** The whole environment of the process besides PATH and HOME. */
  env: Record<string, string>;
  /**
   * Where it will listen, when known in advance: ready once `/healthz` answers 200 there.
   * Otherwise it prints `listening on <url>`, and is ready then.
   */
  url?: string;
  /** Run once it has exited (cleanup of its files). */
  onExit?: () => void;
}

const START_TIMEOUT_MS = 20_000;

/**
 * Starts a server process with only `env` (and PATH, HOME) in its environment, so nothing of the
 * developer's own BFF settings leaks in, and resolves once it answers.
 */
export async function startProcess(options: StartProcessOptions): Promise<RuntimeServer> {
  const { name, command, args, env } = options;
  const child = spawn(command, args, {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      NO_COLOR: '1',
      DENO_NO_UPDATE_CHECK: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let printed = '';
  const keep = (chunk: Buffer) => {
    printed += chunk.toString();
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<void>((resolve) => {
    child.once('close', () => {
      options.onExit?.();
      resolve();
    });
  });

  const failure = new Promise<never>((_, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      reject(new Error(`${name} exited (${code ?? signal}) before it answered:\n${printed}`));
    });
  });
  // Only the race below listens, until the server is up; a later exit (stop()) is no failure.
  failure.catch(() => {});
  const ready = options.url === undefined ? printedUrl(() => printed) : healthy(options.url);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${name} did not answer within ${START_TIMEOUT_MS} ms:\n${printed}`)),
      START_TIMEOUT_MS,
    );
  });
  let url: string;
  try {
    url = await Promise.race([ready.promise, failure, timeout]);
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    throw error;
  } finally {
    ready.cancel();
    clearTimeout(timer);
  }

  return {
    url,
    output: () => printed,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(kill);
      } else {
        await exited;
      }
    },
  };
}

interface Waiting {
  promise: Promise<string>;
  cancel(): void;
}

/** Polls what the process printed for `listening on <url>`. */
function printedUrl(printed: () => string): Waiting {
  let poll: NodeJS.Timeout | undefined;
  const promise = new Promise<string>((resolve) => {
    poll = setInterval(() => {
      const match = /listening on (http:\/\/\S+)/.exec(printed());
      if (match?.[1] !== undefined) resolve(match[1]);
    }, 20);
  });
  return { promise, cancel: () => clearInterval(poll) };
}

/** Polls `url/healthz` until it answers 200. */
function healthy(url: string): Waiting {
  let cancelled = false;
  const promise = (async () => {
    while (!cancelled) {
      try {
        const res = await fetch(`${url}/healthz`);
        await res.body?.cancel();
        if (res.status === 200) return url;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return url;
  })();
  return {
    promise,
    cancel: () => {
      cancelled = true;
    },
  };
}
