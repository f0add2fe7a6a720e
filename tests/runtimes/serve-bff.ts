/**
 * Serves the BFF's runtime-neutral entry (`@buy-button/bff/fetch`, its TypeScript source) with
 * the server of whichever runtime runs this file: `Bun.serve`, `Deno.serve`, or
 * `@hono/node-server` on Node. Configured only by the environment, like `main.ts`, except that
 * `PUBLIC_URL` is set to where it listens (a free port, picked by the runtime). Prints
 * `listening on <url>` once it answers.
 */
import { type BffApp, createApp, loadConfig } from '@buy-button/bff/fetch';

type Env = Record<string, string | undefined>;
type Handler = (request: Request) => Response | Promise<Response>;

interface Runtimes {
  Bun?: {
    version: string;
    env: Env;
    serve(options: { hostname: string; port: number; fetch: Handler }): { port: number };
  };
  Deno?: {
    version: { deno: string };
    env: { toObject(): Env };
    serve(
      options: { hostname: string; port: number; onListen(addr: { port: number }): void },
      handler: Handler,
    ): unknown;
  };
}

const { Bun, Deno } = globalThis as typeof globalThis & Runtimes;
const HOST = '127.0.0.1';

let app: BffApp | undefined;
// The app is built once the port is known, so PUBLIC_URL (the payment callback's base) is exact.
const handler: Handler = (request) =>
  app === undefined ? new Response('starting', { status: 503 }) : app.fetch(request);

let runtime: string;
let env: Env;
let port: number;
if (Bun !== undefined) {
  runtime = `bun ${Bun.version}`;
  env = Bun.env;
  port = Bun.serve({ hostname: HOST, port: 0, fetch: handler }).port;
} else if (Deno !== undefined) {
  runtime = `deno ${Deno.version.deno}`;
  env = Deno.env.toObject();
  port = await new Promise<number>((resolve) => {
    Deno.serve({ hostname: HOST, port: 0, onListen: (addr) => resolve(addr.port) }, handler);
  });
} else {
  runtime = `node ${process.versions.node}`;
  env = process.env;
  const { serve } = await import('@hono/node-server');
  port = await new Promise<number>((resolve) => {
    serve({ fetch: handler, hostname: HOST, port: 0 }, (info) => resolve(info.port));
  });
}

const url = `http://${HOST}:${port}`;
app = createApp(loadConfig({ ...env, PUBLIC_URL: url }));
console.log(`${runtime} listening on ${url}`);
