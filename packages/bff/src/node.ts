import { readdir, readFile } from 'node:fs/promises';
import {
  createServer,
  type IncomingMessage,
  type OutgoingHttpHeader,
  type OutgoingHttpHeaders,
  ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { getRequestListener } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { type BffApp, type BffDeps, createApp } from './app.js';
import type { BffConfig } from './config/load-config.js';
import { createNodeHttpTransport } from './node-http-transport.js';
import type { ScriptBundle } from './routes/script-routes.js';
import { describeError, jsonLogger, type Logger } from './runtime/logger.js';

export interface StartBffOptions {
  config: BffConfig;
  /** TCP port; 0 picks a free one (read it from `url`). Default `config.port`. */
  port?: number;
  /** Interface to bind. Default `config.host`. */
  host?: string;
  deps?: BffDeps;
}

export interface RunningBff {
  /** Where it listens, e.g. `http://127.0.0.1:8787` (the real port when 0 was asked). */
  url: string;
  app: BffApp;
  /**
   * Stops accepting connections, lets in-flight requests, background work and a delivery attempt
   * under way finish (up to `SHUTDOWN_TIMEOUT_MS`), then drops what is left and releases the
   * outbox and the store.
   */
  close(): Promise<void>;
}

/**
 * Serves the BFF on Node with `@hono/node-server`, every request through the one Hono app: the
 * socket peer address feeds the rate limit, outgoing calls go through keep-alive `node:http`
 * agents, and `/buy-button.js` is read from the element package's build
 * (`@buy-button/element/buy-button.js`).
 */
export async function startBff(options: StartBffOptions): Promise<RunningBff> {
  const { config, port = config.port, host = config.host, deps = {} } = options;
  const log = deps.log ?? jsonLogger;
  let scriptBundle = deps.scriptBundle ?? (await loadElementBundle(log));
  if (scriptBundle === undefined) {
    log({
      level: 'warn',
      msg: 'buy-button.js is not built: run "pnpm --filter @buy-button/element build"; /buy-button.js answers 503 until then',
    });
    scriptBundle = () => loadElementBundle(log);
  }
  const app = createApp(config, {
    clientIp: (c) => getConnInfo(c).remote.address,
    // A `fetch` in `deps` is for the default, Fetch-based transport (tests route it in-process).
    transport: deps.fetch === undefined ? createNodeHttpTransport() : undefined,
    scriptBundle,
    ...deps,
  });
  // Answers whose head is written once shutdown has started end their keep-alive connection, so
  // closing does not wait for clients to drop idle sockets. Decided by the answer itself when it
  // writes its head, with no per-request bookkeeping. A long-lived Set that every answer entered
  // and left kept them alive through young-generation collections (V8 allocates a Set's
  // replacement tables in the old generation once one got there, and a replaced table keeps its
  // entries until the next full collection): about 5 KB of every checkout was promoted.
  let stopping = false;
  const server = createServer(
    { ServerResponse: closingResponse(() => stopping) },
    getRequestListener(app.fetch, { hostname: host }),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port: actualPort } = server.address() as AddressInfo;

  const url = `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`;
  const outboxLog = setInterval(() => logOutbox(app, log), OUTBOX_LOG_INTERVAL_MS);
  outboxLog.unref();

  let closing: Promise<void> | undefined;
  const close = async (): Promise<void> => {
    const deadline = new Promise<'timeout'>((resolve) => {
      setTimeout(() => resolve('timeout'), config.shutdownTimeoutMs).unref();
    });
    stopping = true;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Keep-alive connections with no request in flight would hold `close` open: drop them now.
    server.closeIdleConnections();
    if ((await Promise.race([closed, deadline])) === 'timeout') server.closeAllConnections();
    await closed;
    clearInterval(outboxLog);
    await Promise.race([app.whenIdle(), deadline]);
    // A delivery attempt under way finishes first; on Redis, what is left waits there.
    await Promise.race([app.close(), deadline]);
    await app.store.close();
  };
  return {
    url,
    app,
    close: () => {
      closing ??= close();
      return closing;
    },
  };
}

type HeadFields = OutgoingHttpHeaders | OutgoingHttpHeader[];

/** `ServerResponse` whose head says `Connection: close` once `closing()` is true. */
function closingResponse(closing: () => boolean): typeof ServerResponse {
  return class ClosingResponse<
    Request extends IncomingMessage = IncomingMessage,
  > extends ServerResponse<Request> {
    override writeHead(statusCode: number, statusMessage?: string, headers?: HeadFields): this;
    override writeHead(statusCode: number, headers?: HeadFields): this;
    override writeHead(
      statusCode: number,
      message?: string | HeadFields,
      headers?: HeadFields,
    ): this {
      if (closing() && !this.headersSent) this.setHeader('Connection', 'close');
      return typeof message === 'string' || headers !== undefined
        ? super.writeHead(statusCode, message as string | undefined, headers)
        : super.writeHead(statusCode, message);
    }
  };
}

/** How often a BFF with events pending or failed says so in its log. */
const OUTBOX_LOG_INTERVAL_MS = 60_000;

/** One line about the outbox while anything is pending or failed: what an operator watches. */
async function logOutbox(app: BffApp, log: Logger): Promise<void> {
  try {
    const status = await app.outboxStatus();
    if (status.pending === 0 && status.failed === 0) return;
    log({ level: status.failed > 0 ? 'warn' : 'info', msg: 'outbox', ...status });
  } catch (err) {
    log({ level: 'warn', msg: 'outbox status unavailable', error: describeError(err) });
  }
}

/**
 * Reads the element's script-tag bundle, with what its build writes beside it: the brotli and
 * gzip copies and the source map. `undefined` until it is built (retried per request). A copy
 * that does not decompress to the bundle (left from another build) is not used.
 */
export async function loadElementBundle(
  log: Logger,
  path = fileURLToPath(import.meta.resolve('@buy-button/element/buy-button.js')),
): Promise<ScriptBundle | undefined> {
  const optional = (file: string) => readFile(file).catch(() => undefined);
  const code = await optional(path);
  if (code === undefined) return undefined;
  const dir = dirname(path);
  const [br, gzip, map, names] = await Promise.all([
    optional(`${path}.br`),
    optional(`${path}.gz`),
    optional(`${path}.map`),
    readdir(dir).catch(() => [] as string[]),
  ]);
  const verified = (
    bytes: Buffer | undefined,
    suffix: string,
    decompress: (bytes: Buffer) => Buffer,
  ) => {
    try {
      if (bytes === undefined || decompress(bytes).equals(code)) return bytes;
    } catch {
      // Not compressed data at all: refused like a copy left from another build.
    }
    log({
      level: 'warn',
      msg: `${path}${suffix} is not the bundle compressed (left from another build?): not served; rebuild the element`,
    });
    return undefined;
  };
  // The languages the element loads on demand sit beside it: `buy-button.<lang>.json`.
  const locales = names.filter((name) => /^buy-button\.[a-z]{2}\.json$/.test(name));
  return {
    body: code.toString('utf8'),
    br: verified(br, '.br', brotliDecompressSync),
    gzip: verified(gzip, '.gz', gunzipSync),
    map: map?.toString('utf8'),
    locales: Object.fromEntries(
      await Promise.all(
        locales.map(
          async (name) => [name.slice(11, 13), await readFile(join(dir, name), 'utf8')] as const,
        ),
      ),
    ),
  };
}
