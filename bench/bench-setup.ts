import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { FIXTURES, type SandboxStats } from '@buy-button/sandbox';

/** The page origin the load claims to come from; the BFF allows it. */
export const SHOP_ORIGIN = 'http://127.0.0.1:5173';

/** The checkout every benchmark request asks for: the fixed-price coffee, priced by the catalog. */
export const CHECKOUT_BODY = { button: 'btn_coffee' } as const;

/**
 * The one button of the bench's shop, as every side knows it: the BFF from `BUTTONS`, the
 * pass-through and the Express peer from this table, so all three send the same upstream fields.
 */
export const BENCH_CATALOG: Readonly<
  Record<string, { name: string; price: string; currency: string }>
> = {
  btn_coffee: { name: 'Coffee beans', price: '4.50', currency: 'EUR' },
};

/** The BFF's `PUBLIC_URL`: its `callbackUrl` upstream is this plus `/webhooks/payment`. */
const BENCH_PUBLIC_URL = 'http://127.0.0.1:8787';
/** The `callbackUrl` every side sends upstream (the BFF's, so the fields are byte for byte alike). */
export const BENCH_CALLBACK_URL = `${BENCH_PUBLIC_URL}/webhooks/payment`;

export const BFF_ENTRY = new URL('./serve-bff.ts', import.meta.url);
export const SANDBOX_ENTRY = new URL('./serve-sandbox.ts', import.meta.url);
export const PROXY_ENTRY = new URL('./passthrough-proxy.ts', import.meta.url);
export const EXPRESS_PEER_ENTRY = new URL('./express-peer.ts', import.meta.url);
export const AUTOCANNON_ENTRY = new URL('./autocannon-load.ts', import.meta.url);

/**
 * The sandbox as `pnpm bench` runs it: no latency, no faults, and room for every order the run
 * creates. A run leaves several hundred thousand orders pending (nobody pays them); past
 * `SANDBOX_MAX_ORDERS` (default 100 000) a cap full of pending orders answers 503, so the cap is
 * raised to 2 000 000. Orders stay pending an hour (`SANDBOX_ORDER_TTL`), so none expires during a
 * run and the sandbox sends no expiry callback (to a `callbackUrl` where nothing listens).
 */
export const BENCH_SANDBOX_ENV: Readonly<Record<string, string>> = {
  SANDBOX_LATENCY_MS: '0',
  SANDBOX_FAULT_RATE: '0',
  SANDBOX_MAX_ORDERS: '2000000',
  SANDBOX_ORDER_TTL: '3600',
};
/**
 * The BFF's own `main` from its build, what `pnpm --filter @buy-button/bff start` and the bin run:
 * configured only by its environment (`BFF_PORT`, `PUBLIC_URL`, `REDIS_URL` with the outbox in
 * Redis), logging one JSON line per request. Run it with plain `node`.
 */
export const BFF_MAIN = new URL('../packages/bff/dist/main.js', import.meta.url);

/**
 * One merchant's BFF settings against `sandboxUrl`, as its environment. Instances of one merchant
 * share `receiptSecret` (a receipt from one is honoured by the other). No rate limit: the load
 * comes from one IP and would be refused otherwise.
 */
export function bffEnv(
  sandboxUrl: string,
  extra: Record<string, string> = {},
  receiptSecret = randomBytes(32).toString('base64url'),
): Record<string, string> {
  return {
    UPSTREAM_API_URL: `${sandboxUrl}/api`,
    PORTAL_URL: `${sandboxUrl}/pay`,
    UPSTREAM_EMAIL: FIXTURES.accounts.service.email,
    UPSTREAM_PASSWORD: FIXTURES.accounts.service.password,
    PUBLIC_URL: BENCH_PUBLIC_URL,
    ALLOWED_ORIGINS: SHOP_ORIGIN,
    ALLOWED_REDIRECT_ORIGINS: SHOP_ORIGIN,
    BUTTONS: JSON.stringify(BENCH_CATALOG),
    RECEIPT_SECRET: receiptSecret,
    RATE_LIMIT: '0',
    ORDER_REF_PREFIX: 'bench-',
    ...extra,
  };
}

/**
 * The environment of the bench's other two sides (`bench/passthrough-proxy.ts`,
 * `bench/express-peer.ts`): the same upstream, portal, callback URL and origin as the BFF's.
 */
export function peerEnv(
  sandboxUrl: string,
  receiptSecret = randomBytes(32).toString('base64url'),
): Record<string, string> {
  return {
    UPSTREAM_API_URL: `${sandboxUrl}/api`,
    PORTAL_URL: `${sandboxUrl}/pay`,
    CALLBACK_URL: BENCH_CALLBACK_URL,
    ALLOWED_ORIGINS: SHOP_ORIGIN,
    RECEIPT_SECRET: receiptSecret,
  };
}

/** The sandbox's counters (`GET /__sandbox/stats`). */
export async function sandboxStats(sandboxUrl: string): Promise<SandboxStats> {
  const response = await fetch(`${sandboxUrl}/__sandbox/stats`);
  // The figures sit at the top level and, like every sandbox answer, also under `data`.
  const body = (await response.json()) as SandboxStats & { data?: SandboxStats };
  return body.data ?? body;
}

/** Changes the sandbox's injected latency and fault rate at runtime. */
export async function setSandboxFaults(
  sandboxUrl: string,
  faults: { latencyMs?: number; faultRate?: number },
): Promise<void> {
  const response = await fetch(`${sandboxUrl}/__sandbox/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
  if (!response.ok) throw new Error(`POST /__sandbox/faults answered ${response.status}`);
}

/** Reads a positive integer setting of the bench from the environment. */
export function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  }
  return value;
}

/** Redis's `used_memory` in bytes, read with one raw `INFO memory` (no client library needed). */
export function redisUsedMemory(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    socket.setTimeout(2000, () => socket.destroy(new Error('INFO memory timed out')));
    socket.once('error', reject);
    socket.once('connect', () => socket.write('INFO memory\r\n'));
    socket.setEncoding('utf8').on('data', (chunk: string) => {
      reply += chunk;
      const used = /used_memory:(\d+)\r\n/.exec(reply);
      if (used?.[1] !== undefined) {
        socket.destroy();
        resolve(Number(used[1]));
      }
    });
  });
}

/**
 * CPU time (user + system, all threads) a process has used so far, in ms, from
 * `/proc/<pid>/stat`; `undefined` where there is no procfs (the figure is then left out).
 */
export function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which sits in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? (ticks * 1000) / CLOCK_TICKS_PER_SECOND : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The whole machine's CPU time so far, in ms, busy and in all (every core, every process, ours
 * or not), from the first line of `/proc/stat`; `undefined` without procfs.
 */
export function machineCpuMs(): { busy: number; total: number } | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
    // cpu  user nice system idle iowait irq softirq steal ...
    const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number);
    if (ticks.length < 8 || ticks.some((n) => !Number.isFinite(n))) return undefined;
    const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
    const total = ticks.reduce((sum, n) => sum + n, 0);
    const ms = (n: number) => (n * 1000) / CLOCK_TICKS_PER_SECOND;
    return { busy: ms(total - idle), total: ms(total) };
  } catch {
    return undefined;
  }
}

/** `USER_HZ`: 100 on every Linux architecture Node runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

/** The sandbox's service account token, once, for a peer server that calls the API directly. */
export async function login(apiUrl: string): Promise<string> {
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

export const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs a soak script's `main`: its result is the exit code, a throw is a one-line failure. */
export function runSoak(main: () => Promise<number>): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error('soak: failed:', error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
