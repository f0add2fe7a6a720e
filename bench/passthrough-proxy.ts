import { randomBytes } from 'node:crypto';
import {
  Agent,
  createServer,
  type IncomingMessage,
  request,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { BENCH_CALLBACK_URL, BENCH_CATALOG, login } from './bench-setup.js';
import { serveInChildProcess } from './server-process.js';

export interface PassthroughProxyOptions {
  /** The upstream API base, e.g. `http://127.0.0.1:8788/api`. */
  upstreamApiUrl: string;
  /** The payment portal, e.g. `http://127.0.0.1:8788/pay`: the answer's `redirectUrl`. */
  portalUrl?: string;
  /** Sent as `callbackUrl`, as the BFF sends its own webhook URL. */
  callbackUrl?: string;
  port?: number;
  host?: string;
}

export interface RunningPassthroughProxy {
  url: string;
  close(): Promise<void>;
}

const JSON_HEADERS = { 'content-type': 'application/json' } as const;

/**
 * The benchmark's baseline: the least a server can do to create a checkout. A bare `node:http`
 * server that, for each `POST /sessions`, parses the JSON body, prices its button from the same
 * catalog as the BFF, makes the same upstream call (`POST /buy-button/sessions` with the same
 * fields: button, a fresh unique orderRef, price, currency, buttonName, callbackUrl; a Bearer token
 * obtained once at start; a keep-alive agent), parses the upstream's JSON answer and answers a
 * small JSON body of its own (`sessionId`, `orderRef`, `conversionCode`, `redirectUrl`). No
 * validation beyond that, no idempotency, no receipt, no problem details, no CORS or security
 * headers: the BFF's overhead is the difference between the two.
 */
export async function startPassthroughProxy(
  options: PassthroughProxyOptions,
): Promise<RunningPassthroughProxy> {
  const apiUrl = options.upstreamApiUrl.replace(/\/+$/, '');
  const callbackUrl = options.callbackUrl ?? BENCH_CALLBACK_URL;
  const portalUrl = options.portalUrl ?? `${apiUrl.replace(/\/api$/, '')}/pay`;
  const token = await login(apiUrl);
  const authorization = `Bearer ${token}`;
  const sessionsUrl = new URL(`${apiUrl}/buy-button/sessions`);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const refPrefix = `pt${randomBytes(4).toString('hex')}-`;
  let counter = 0;

  const answer = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, JSON_HEADERS).end(JSON.stringify(body));
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST' || req.url !== '/sessions') {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const button = buttonOf(Buffer.concat(chunks).toString('utf8'));
      const item = button === undefined ? undefined : BENCH_CATALOG[button];
      if (button === undefined || item === undefined) {
        answer(res, 400, { error: 'unknown button' });
        return;
      }
      counter += 1;
      const orderRef = `${refPrefix}${counter}`;
      const body = JSON.stringify({
        button,
        orderRef,
        price: item.price,
        currency: item.currency,
        buttonName: item.name,
        callbackUrl,
      });
      const upstream = request(sessionsUrl, {
        method: 'POST',
        agent,
        headers: {
          authorization,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      });
      upstream.on('response', (reply) => {
        const parts: Buffer[] = [];
        reply.on('data', (chunk: Buffer) => parts.push(chunk));
        reply.on('end', () => {
          const session = sessionOf(reply.statusCode, Buffer.concat(parts).toString('utf8'));
          if (session === undefined || session.orderRef !== orderRef) {
            answer(res, 502, { error: 'upstream failed' });
            return;
          }
          answer(res, 201, {
            sessionId: session.id,
            orderRef,
            conversionCode: session.conversionCode,
            redirectUrl: `${portalUrl}?code=${encodeURIComponent(session.conversionCode)}`,
          });
        });
      });
      upstream.on('error', () => {
        if (!res.headersSent) answer(res, 502, { error: 'upstream unreachable' });
        else res.end();
      });
      upstream.end(body);
    });
  };

  const server: Server = createServer({ keepAlive: true }, handle);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      agent.destroy();
    },
  };
}

/** The request's `button`, `undefined` when the body is not JSON or has none. */
function buttonOf(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { button?: unknown };
    return typeof parsed.button === 'string' ? parsed.button : undefined;
  } catch {
    return undefined;
  }
}

interface CreatedSession {
  id: string;
  orderRef: string;
  conversionCode: string;
}

/** The session in the upstream's `{ data: { ... } }` envelope, `undefined` on anything else. */
function sessionOf(status: number | undefined, body: string): CreatedSession | undefined {
  if (status === undefined || status < 200 || status >= 300) return undefined;
  try {
    const data = (JSON.parse(body) as { data?: Record<string, unknown> }).data;
    const id = data?.id ?? data?._id;
    const { orderRef, conversionCode } = data ?? {};
    if (typeof id !== 'string' || typeof orderRef !== 'string') return undefined;
    if (typeof conversionCode !== 'string') return undefined;
    return { id, orderRef, conversionCode };
  } catch {
    return undefined;
  }
}

// As a benchmark child process: `UPSTREAM_API_URL` names the sandbox's API, `PORTAL_URL` its
// portal, `CALLBACK_URL` what to send as `callbackUrl` (see `peerEnv` in `bench-setup.ts`).
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  serveInChildProcess(() =>
    startPassthroughProxy({
      upstreamApiUrl: process.env.UPSTREAM_API_URL ?? '',
      ...(process.env.PORTAL_URL === undefined ? {} : { portalUrl: process.env.PORTAL_URL }),
      ...(process.env.CALLBACK_URL === undefined ? {} : { callbackUrl: process.env.CALLBACK_URL }),
    }),
  );
}
