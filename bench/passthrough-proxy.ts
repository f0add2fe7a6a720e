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
import { FIXTURES } from '@buy-button/sandbox';
import { serveInChildProcess } from './server-process.js';

export interface PassthroughProxyOptions {
  /** The upstream API base, e.g. `http://127.0.0.1:8788/api`. */
  upstreamApiUrl: string;
  /** Sent as `callbackUrl`, as the BFF sends its own webhook URL. */
  callbackUrl?: string;
  port?: number;
  host?: string;
}

export interface RunningPassthroughProxy {
  url: string;
  close(): Promise<void>;
}

/** What the BFF would send for each catalog button: the proxy has no catalog logic of its own. */
const CATALOG: Record<string, { price: string; currency: string; buttonName: string }> = {
  btn_coffee: { price: '4.50', currency: 'EUR', buttonName: 'Coffee beans' },
};

/**
 * The benchmark's baseline: the least a server can do to create a checkout. A bare `node:http`
 * server that, for each `POST /sessions`, makes the same upstream call as the BFF (same
 * endpoint, same fields, a fresh orderRef, a Bearer token obtained once at start, a keep-alive
 * agent) and pipes the upstream answer back as is. No validation, no idempotency, no receipt,
 * no problem details: the BFF's overhead is the difference between the two.
 */
export async function startPassthroughProxy(
  options: PassthroughProxyOptions,
): Promise<RunningPassthroughProxy> {
  const apiUrl = options.upstreamApiUrl.replace(/\/+$/, '');
  const callbackUrl = options.callbackUrl ?? 'http://127.0.0.1:9/webhooks/payment';
  const token = await login(apiUrl);
  const sessionsUrl = new URL(`${apiUrl}/buy-button/sessions`);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const refPrefix = `pt${randomBytes(4).toString('hex')}-`;
  let counter = 0;

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST' || req.url !== '/sessions') {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const button = buttonOf(Buffer.concat(chunks).toString('utf8'));
      const item = CATALOG[button] ?? CATALOG.btn_coffee;
      counter += 1;
      const body = JSON.stringify({
        button,
        orderRef: `${refPrefix}${counter}`,
        callbackUrl,
        ...item,
      });
      const upstream = request(sessionsUrl, {
        method: 'POST',
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      });
      upstream.on('response', (answer) => {
        res.writeHead(answer.statusCode ?? 502, {
          'content-type': answer.headers['content-type'] ?? 'application/json',
        });
        answer.pipe(res);
      });
      upstream.on('error', () => {
        if (!res.headersSent) res.writeHead(502);
        res.end();
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

async function login(apiUrl: string): Promise<string> {
  const { email, password } = FIXTURES.accounts.service;
  const response = await fetch(`${apiUrl}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const envelope = (await response.json()) as { data?: { token?: unknown } };
  const token = envelope.data?.token;
  if (!response.ok || typeof token !== 'string') {
    throw new Error(`login to ${apiUrl} failed with ${response.status}`);
  }
  return token;
}

function buttonOf(body: string): string {
  try {
    const parsed = JSON.parse(body) as { button?: unknown };
    return typeof parsed.button === 'string' ? parsed.button : 'btn_coffee';
  } catch {
    return 'btn_coffee';
  }
}

// As a benchmark child process: `UPSTREAM_API_URL` names the sandbox's API.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  serveInChildProcess(() =>
    startPassthroughProxy({ upstreamApiUrl: process.env.UPSTREAM_API_URL ?? '' }),
  );
}
