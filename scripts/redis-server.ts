import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createConnection } from 'node:net';
import { freePort } from './free-port.js';

export interface RunningRedisServer {
  /** `redis://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** The server's process id (tests pause it with SIGSTOP to play a Redis that stops answering). */
  pid: number;
  /** Stops the server and waits for the process to exit. Safe to call twice. */
  stop(): Promise<void>;
}

export interface StartRedisServerOptions {
  /** The `redis-server` binary. Default `REDIS_SERVER_PATH`, else `/usr/bin/redis-server`. */
  binary?: string;
  /** Port to listen on; default a free one. Pass the old port to restart a stopped server. */
  port?: number;
  /** How long the server may take to accept a PING, in ms. Default 10 000. */
  readyTimeoutMs?: number;
  /**
   * A folder for an append-only file (`appendonly yes`, fsync every write), as production runs
   * Redis: restarted with the same folder, the server has every write back. Default none.
   */
  persistDir?: string;
}

const DEFAULT_BINARY = '/usr/bin/redis-server';

/**
 * Starts a throwaway `redis-server` on 127.0.0.1 for tests and benchmarks: no persistence unless
 * `persistDir` is given, no config file, a free port, resolved once it answers PING. The CI script installs the Debian
 * package when the binary is absent; elsewhere point `REDIS_SERVER_PATH` at one.
 *
 * ```ts
 * const redis = await startRedisServer();
 * try { ... redis.url ... } finally { await redis.stop(); }
 * ```
 */
export async function startRedisServer(
  options: StartRedisServerOptions = {},
): Promise<RunningRedisServer> {
  const binary = options.binary ?? process.env.REDIS_SERVER_PATH ?? DEFAULT_BINARY;
  try {
    accessSync(binary, constants.X_OK);
  } catch {
    throw new Error(
      `redis-server not found at ${binary}: install it (Debian: apt-get install redis-server) ` +
        'or set REDIS_SERVER_PATH to the binary',
    );
  }
  const host = '127.0.0.1';
  const port = options.port ?? (await freePort(host));
  const child = spawn(
    binary,
    [
      '--port',
      String(port),
      '--bind',
      host,
      '--save',
      '',
      ...(options.persistDir === undefined
        ? ['--appendonly', 'no']
        : ['--appendonly', 'yes', '--appendfsync', 'always', '--dir', options.persistDir]),
      // A test server has no password; protected mode would refuse nothing on loopback anyway.
      '--protected-mode',
      'no',
      '--loglevel',
      'warning',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-2000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      // A paused server would hold SIGTERM until resumed.
      child.kill('SIGCONT');
    }
    await exited;
  };

  try {
    await waitForPong(child, host, port, options.readyTimeoutMs ?? 10_000, () => stderr);
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    throw error;
  }
  return { url: `redis://${host}:${port}`, port, pid: child.pid ?? 0, stop };
}

/** Connects and sends PING until the server answers PONG, the process dies, or time runs out. */
async function waitForPong(
  child: ChildProcess,
  host: string,
  port: number,
  timeoutMs: number,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let spawnError: Error | undefined;
  child.once('error', (error) => {
    spawnError = error;
  });
  while (Date.now() < deadline) {
    if (spawnError !== undefined) throw spawnError;
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`redis-server exited before it was ready: ${output().trim()}`);
    }
    if (await answersPing(host, port)) return;
    // Each attempt already waits for the OS to refuse or the server to answer; the short pause
    // only keeps a server that is still binding its port from being hammered.
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`redis-server did not answer PING on ${host}:${port} within ${timeoutMs} ms`);
}

function answersPing(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    let reply = '';
    const finish = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.setEncoding('utf8').on('data', (chunk: string) => {
      reply += chunk;
      if (reply.includes('\r\n')) finish(reply.startsWith('+PONG'));
    });
  });
}
