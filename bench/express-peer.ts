import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import cors from 'cors';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import helmet from 'helmet';
import { SignJWT } from 'jose';
import { z } from 'zod';
import { BENCH_CATALOG, login } from './bench-setup.js';
import { serveInChildProcess } from './server-process.js';

export interface ExpressPeerOptions {
  /** The upstream API base, e.g. `http://127.0.0.1:8788/api`. */
  upstreamApiUrl: string;
  /** The payment portal, e.g. `http://127.0.0.1:8788/pay`: the answer's `redirectUrl`. */
  portalUrl: string;
  /** Sent upstream as `callbackUrl`. */
  callbackUrl: string;
  /** Page origins allowed to create a checkout. */
  allowedOrigins: readonly string[];
  /** Signs the receipts (HS256). */
  receiptSecret: string;
  /** How long a receipt is valid. Default 24 h, as the BFF's. */
  receiptTtlSeconds?: number;
  port?: number;
  host?: string;
}

export interface RunningExpressPeer {
  url: string;
  close(): Promise<void>;
}

/** What a merchant would accept from the page: a catalog button, optional redirect URLs. */
const createSessionBody = z.object({
  button: z.string().min(1).max(64),
  returnUrl: z.url().max(2048).optional(),
  cancelUrl: z.url().max(2048).optional(),
});

/** The part of the upstream's `{ data: { ... } }` answer the peer relies on. */
const upstreamSession = z.object({
  data: z.object({
    id: z.string().min(1),
    orderRef: z.string().min(1),
    conversionCode: z.string().min(1),
  }),
});

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The conventional peer of the BFF: what a merchant would write instead, with the usual Express 5
 * stack. `POST /sessions` behind `helmet()` (security headers) and `cors()` (the allowlist), an
 * explicit Origin check (403 for a foreign one), `express.json()`, the body validated with zod, the
 * same upstream call as the BFF's (`POST /buy-button/sessions` with button, a fresh orderRef,
 * price, currency, buttonName and callbackUrl, a Bearer token obtained once at start) through the
 * global `fetch` with a timeout, the upstream's answer validated with zod, and a receipt signed
 * with jose (HS256 JWT, `sub` = orderRef, `exp`). Answers 201
 * `{ sessionId, orderRef, conversionCode, redirectUrl, receipt }`. No idempotency, no rate limit,
 * no problem details, no access log (the bench runs the BFF with logging off too).
 */
export async function startExpressPeer(options: ExpressPeerOptions): Promise<RunningExpressPeer> {
  const apiUrl = options.upstreamApiUrl.replace(/\/+$/, '');
  const token = await login(apiUrl);
  const secret = new TextEncoder().encode(options.receiptSecret);
  const ttlSeconds = options.receiptTtlSeconds ?? 24 * 3600;
  const allowed = new Set(options.allowedOrigins);

  const checkOrigin: RequestHandler = (req, _res, next) => {
    const origin = req.get('origin');
    if (origin === undefined || !allowed.has(origin))
      throw new HttpError(403, 'origin not allowed');
    next();
  };

  const app = express();
  app.use(helmet());
  app.use(cors({ origin: [...allowed] }));

  app.post('/sessions', checkOrigin, express.json({ limit: '16kb' }), async (req, res) => {
    const parsed = createSessionBody.safeParse(req.body);
    if (!parsed.success) throw new HttpError(400, z.prettifyError(parsed.error));
    const { button, returnUrl, cancelUrl } = parsed.data;
    const item = BENCH_CATALOG[button];
    if (item === undefined) throw new HttpError(400, 'unknown button');

    const orderRef = `shop-${randomUUID()}`;
    const upstream = await fetch(`${apiUrl}/buy-button/sessions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        button,
        orderRef,
        price: item.price,
        currency: item.currency,
        buttonName: item.name,
        callbackUrl: options.callbackUrl,
        ...(returnUrl === undefined ? {} : { returnUrl }),
        ...(cancelUrl === undefined ? {} : { cancelUrl }),
      }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!upstream.ok) throw new HttpError(502, `upstream answered ${upstream.status}`);
    const session = upstreamSession.safeParse(await upstream.json());
    if (!session.success || session.data.data.orderRef !== orderRef) {
      throw new HttpError(502, 'unexpected upstream answer');
    }
    const { id, conversionCode } = session.data.data;

    const receipt = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(orderRef)
      .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
      .sign(secret);
    const redirectUrl = new URL(options.portalUrl);
    redirectUrl.searchParams.set('code', conversionCode);
    res.status(201).json({
      sessionId: id,
      orderRef,
      conversionCode,
      redirectUrl: redirectUrl.href,
      receipt,
    });
  });

  const onError: ErrorRequestHandler = (err, _req, res, _next) => {
    const status =
      err instanceof HttpError
        ? err.status
        : typeof err?.status === 'number' && err.status >= 400 && err.status < 500
          ? err.status
          : 500;
    res.status(status).json({ error: err instanceof HttpError ? err.message : 'request failed' });
  };
  app.use(onError);

  const host = options.host ?? '127.0.0.1';
  const server: Server = await new Promise((resolve, reject) => {
    const listening = app.listen(options.port ?? 0, host, (error?: Error) =>
      error === undefined ? resolve(listening) : reject(error),
    );
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

// As a benchmark child process, configured like the pass-through (`peerEnv` in `bench-setup.ts`).
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const env = (name: string) => {
    const value = process.env[name];
    if (value === undefined || value === '') throw new Error(`${name} is not set`);
    return value;
  };
  serveInChildProcess(async () =>
    startExpressPeer({
      upstreamApiUrl: env('UPSTREAM_API_URL'),
      portalUrl: env('PORTAL_URL'),
      callbackUrl: env('CALLBACK_URL'),
      allowedOrigins: env('ALLOWED_ORIGINS').split(','),
      receiptSecret: env('RECEIPT_SECRET'),
    }),
  );
}
