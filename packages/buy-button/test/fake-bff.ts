import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import type { SessionCreated, SessionStatus } from '../src/wire.js';

/**
 * A small HTTP server that answers like the BFF's `POST /sessions` (CORS included), with the
 * answer chosen by the endpoint path, so each test drives the element against a real socket:
 *
 *   <url>/<test-id>/<mode>/sessions
 *
 * modes: `ok` (201), `hold` (201 once the test posts `<url>/<test-id>/release`),
 * `problem-<status>` (RFC 9457 problem of type `about:blank`), `problem-<status>-<slug>` (the
 * BFF's problem `https://buy-button.dev/problems/<slug>`; 429, 409 and 503 with `Retry-After`,
 * exposed to the page as the BFF exposes it), `drop-once` (socket closed on the first request, then
 * 201), `drop` (socket always closed), `hang` (never answers, though the session is created, as
 * a BFF whose answer is lost would), `garbage` (201 that is no session), `redirect-<url>` (201
 * whose `redirectUrl` is the percent-encoded `<url>`). Modes joined by commas answer the 1st,
 * 2nd… POST in turn, the last one repeating: `hang,ok` hangs once, then answers 201.
 * Sessions are kept per Idempotency-Key: a request that repeats a key gets the same session.
 * `GET <url>/<test-id>/log` lists the POSTs it received (with the id of the session each one
 * created or replayed); `GET <url>/<test-id>/<mode>/sessions/:id` answers the shopper-safe
 * status to a request that carries that session's receipt.
 *
 * As the real BFF, it also serves the script-tag bundle at `<url>/buy-button.js` (and, for tests
 * of a bundle whose script cannot be told apart, at `<url>/assets/element.js`), built from the
 * sources when the run starts, and answers `POST <url>/sessions` with a 201 (logged under the
 * test id `root`). The languages that build writes beside the bundle (`buy-button.<lang>.json`)
 * are served as the BFF serves them (`Access-Control-Allow-Origin: *`), at `<url>/` and under any
 * `<url>/<test-id>/<mode>/`, where `hold` answers once the test posts `<url>/<test-id>/release`
 * and `problem-<status>` fails; `GET <url>/<test-id>/languages` lists the ones requested there.
 */
export function startFakeBff(
  bundle = '',
  languages: ReadonlyMap<string, string> = new Map(),
): Promise<{ url: string; close(): Promise<void> }> {
  const logs = new Map<
    string,
    Array<{ idempotencyKey: string | null; body: unknown; sessionId?: string }>
  >();
  const held = new Map<string, Array<() => void>>();
  const sessionsByKey = new Map<string, SessionCreated>();
  // What each session was created with, for its status.
  const requested = new Map<string, { quantity?: number; reference?: string }>();
  const languageLogs = new Map<string, string[]>();
  const hanging = new Set<ServerResponse>();
  let sequence = 0;

  const server = createServer(async (req, res) => {
    // A fresh connection per request: a request on a reused connection that the server closes
    // is retried by Chromium itself, which would hide the element's own retry.
    res.setHeader('connection', 'close');
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader('access-control-allow-headers', 'content-type, idempotency-key, authorization');
    res.setHeader('access-control-allow-methods', 'GET, POST, DELETE');
    res.setHeader('access-control-expose-headers', 'X-Request-Id, Retry-After');
    if (req.method === 'OPTIONS') return send(res, 204);

    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (req.method === 'GET' && (path === '/buy-button.js' || path === '/assets/element.js')) {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(bundle);
      return;
    }
    const [testId = '', modes = '', resource = '', sessionId] =
      path === '/sessions'
        ? ['root', 'ok', 'sessions']
        : /^\/buy-button\.\w+\.json$/.test(path)
          ? ['root', 'ok', path.slice(1)]
          : path.split('/').slice(1);
    if (req.method === 'GET' && modes === 'log') return send(res, 200, logs.get(testId) ?? []);
    if (req.method === 'GET' && modes === 'languages') {
      return send(res, 200, languageLogs.get(testId) ?? []);
    }
    const language = /^buy-button\.(\w+)\.json$/.exec(resource)?.[1];
    if (req.method === 'GET' && language) {
      const log = languageLogs.get(testId) ?? [];
      languageLogs.set(testId, log);
      log.push(language);
      const text = languages.get(language);
      const answer = () =>
        text === undefined
          ? send(res, 404, problem(404, 'Not Found'))
          : res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(text);
      const failing = Number(/^problem-(\d{3})$/.exec(modes)?.[1]);
      if (failing) return send(res, failing, problem(failing, 'Refused'));
      if (modes === 'hold') {
        const queue = held.get(testId) ?? [];
        held.set(testId, queue);
        queue.push(answer);
        return;
      }
      return answer();
    }
    if (req.method === 'POST' && modes === 'release') {
      for (const release of held.get(testId)?.splice(0) ?? []) release();
      return send(res, 204);
    }
    if (resource !== 'sessions') return send(res, 404, problem(404, 'Not Found'));

    if (req.method === 'GET' && sessionId) {
      const session = [...sessionsByKey.values()].find((s) => s.sessionId === sessionId);
      if (!session) return send(res, 404, problem(404, 'Not Found'));
      if (req.headers.authorization !== `Bearer ${session.receipt}`) {
        return send(res, 401, problem(401, 'Unauthorized'));
      }
      const { quantity = 1, reference } = requested.get(sessionId) ?? {};
      const status: SessionStatus = {
        sessionId,
        orderRef: session.orderRef,
        status: 'pending',
        amount: (4.5 * quantity).toFixed(2),
        currency: 'EUR',
        quantity,
        ...(reference === undefined ? {} : { reference }),
      };
      return send(res, 200, status);
    }
    if (req.method !== 'POST') return send(res, 405, problem(405, 'Method Not Allowed'));

    const body = await readJson(req);
    const idempotencyKey = header(req, 'idempotency-key');
    const log = logs.get(testId) ?? [];
    logs.set(testId, log);
    const entry: { idempotencyKey: string | null; body: unknown; sessionId?: string } = {
      idempotencyKey,
      body,
    };
    log.push(entry);
    const steps = modes.split(',');
    const mode = steps[Math.min(log.length, steps.length) - 1] ?? '';

    const created = (): SessionCreated => {
      const key = `${testId}:${idempotencyKey ?? ++sequence}`;
      let session = sessionsByKey.get(key);
      if (!session) {
        const n = ++sequence;
        session = {
          sessionId: `ses_${n}`,
          orderRef: `ord_${testId}_${n}`,
          conversionCode: `code_${n}`,
          redirectUrl: `https://portal.test/pay?code=code_${n}`,
          receipt: `rcpt_${n}`,
        };
        sessionsByKey.set(key, session);
        const { quantity, reference } = (body ?? {}) as { quantity?: number; reference?: string };
        requested.set(session.sessionId, { quantity, reference });
      }
      entry.sessionId = session.sessionId;
      return session;
    };

    if (mode === 'ok') return send(res, 201, created());
    if (mode === 'garbage') return send(res, 201, { hello: 'world' });
    if (mode.startsWith('redirect-')) {
      const redirectUrl = decodeURIComponent(mode.slice('redirect-'.length));
      return send(res, 201, { ...created(), redirectUrl });
    }
    if (mode === 'hold') {
      const queue = held.get(testId) ?? [];
      held.set(testId, queue);
      queue.push(() => send(res, 201, created()));
      return;
    }
    if (mode === 'hang') {
      created();
      hanging.add(res);
      return;
    }
    if (mode === 'drop' || (mode === 'drop-once' && log.length === 1)) {
      req.socket.destroy();
      return;
    }
    if (mode === 'drop-once') return send(res, 201, created());
    const [, code, slug] = /^problem-(\d{3})(?:-([a-z-]+))?$/.exec(mode) ?? [];
    const status = Number(code);
    if (status) {
      const retryAfter = { 429: '60', 409: '1', 503: '1' }[status];
      if (retryAfter) res.setHeader('retry-after', retryAfter);
      return send(res, status, {
        ...problem(status, 'Refused', 'server-side detail, not for shoppers'),
        ...(slug ? { type: `https://buy-button.dev/problems/${slug}` } : {}),
      });
    }
    return send(res, 404, problem(404, 'Not Found'));
  });

  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done) => {
            for (const res of hanging) res.destroy();
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

function problem(status: number, title: string, detail?: string) {
  return { type: 'about:blank', title, status, ...(detail ? { detail } : {}) };
}

function send(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  const type = status >= 400 ? 'application/problem+json' : 'application/json';
  res.writeHead(status, { 'content-type': type }).end(JSON.stringify(body));
}

function header(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return typeof value === 'string' ? value : null;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return undefined;
  }
}

/**
 * The script-tag bundle, built from the sources with the package's own Vite config, and the
 * languages it loads from the BFF (`buy-button.<lang>.json` → language → its JSON text).
 */
async function buildBundle(): Promise<{ code: string; languages: Map<string, string> }> {
  const { build } = await import('vite');
  // Vitest runs with NODE_ENV=test, which would give the bundle Lit's development build.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  const output = await build({
    configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)),
    mode: 'production',
    logLevel: 'warn',
    build: { write: false, sourcemap: false, reportCompressedSize: false },
  }).finally(() => {
    process.env.NODE_ENV = nodeEnv;
  });
  const [result] = Array.isArray(output) ? output : [output];
  const items =
    (
      result as {
        output?: Array<{ type: string; fileName: string; code?: string; source?: unknown }>;
      }
    ).output ?? [];
  const chunk = items.find((item) => item.type === 'chunk');
  if (!chunk?.code) throw new Error('the script-tag bundle did not build');
  const languages = new Map<string, string>();
  for (const item of items) {
    const language = /^buy-button\.(\w+)\.json$/.exec(item.fileName)?.[1];
    if (language) languages.set(language, String(item.source));
  }
  return { code: chunk.code, languages };
}

/** Vitest global setup: one fake BFF for the whole run, its URL given to the tests. */
export default async function setup(project: TestProject) {
  const { code, languages } = await buildBundle();
  const bff = await startFakeBff(code, languages);
  project.provide('fakeBffUrl', bff.url);
  return () => bff.close();
}

declare module 'vitest' {
  export interface ProvidedContext {
    fakeBffUrl: string;
  }
}
