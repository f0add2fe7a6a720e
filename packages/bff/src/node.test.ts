import { spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config/load-config.js';
import { startBff } from './node.js';
import { createHarness, SHOP, testEnv } from './test/harness.js';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

describe('startBff', () => {
  it('listens on a free port with port 0 and serves the app', async () => {
    const running = await startBff({
      config: loadConfig(testEnv()),
      port: 0,
      host: '127.0.0.1',
      deps: { log: () => {} },
    });
    try {
      expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(running.url).not.toMatch(/:0$/);
      const response = await fetch(`${running.url}/healthz`);
      expect(response.status).toBe(200);
    } finally {
      await running.close();
    }
    await expect(fetch(`${running.url}/healthz`)).rejects.toThrow();
  });

  it('finishes a request in flight before closing, and ends its keep-alive connection', async () => {
    const harness = createHarness();
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let reached: () => void = () => {};
    const upstreamReached = new Promise<void>((resolve) => {
      reached = resolve;
    });
    const running = await startBff({
      config: harness.config,
      port: 0,
      host: '127.0.0.1',
      deps: {
        log: () => {},
        fetch: async (input, init) => {
          reached();
          await held;
          return harness.sandbox.app.fetch(new Request(input, init));
        },
      },
    });
    const inFlight = fetch(`${running.url}/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: SHOP },
      body: JSON.stringify({ button: 'btn_coffee' }),
    });
    await upstreamReached;
    const closed = running.close();
    release();
    const answer = await inFlight;
    expect(answer.status).toBe(201);
    // The client drops the socket instead of keeping it for a server that is going away.
    expect(answer.headers.get('connection')).toBe('close');
    await closed;
  });
});

describe('startBff over a real socket', () => {
  async function withBff(
    run: (url: string, harness: ReturnType<typeof createHarness>) => Promise<void>,
    env: Record<string, string> = {},
  ) {
    const harness = createHarness({ env });
    const running = await startBff({
      config: harness.config,
      port: 0,
      host: '127.0.0.1',
      deps: {
        log: () => {},
        fetch: async (input, init) => harness.sandbox.app.fetch(new Request(input, init)),
      },
    });
    try {
      await run(running.url, harness);
    } finally {
      await running.close();
    }
  }

  /** A raw `node:http` POST, chunked when `chunked` (no Content-Length). */
  function post(url: string, body: string, headers: Record<string, string>, chunked = false) {
    return new Promise<{
      status: number;
      location: string | undefined;
      text: string;
      headers: http.IncomingHttpHeaders;
    }>((resolve, reject) => {
      const req = http.request(`${url}/sessions`, {
        method: 'POST',
        headers: chunked
          ? headers
          : { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      });
      req.on('response', (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => {
          text += chunk.toString();
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            location: res.headers.location,
            text,
            headers: res.headers,
          }),
        );
      });
      req.on('error', reject);
      if (chunked) {
        for (let i = 0; i < body.length; i += 4096) req.write(body.slice(i, i + 4096));
        req.end();
      } else req.end(body);
    });
  }

  it('creates a session from a JSON body and from a form', async () => {
    await withBff(async (url) => {
      const json = await post(url, '{"button":"btn_coffee"}', {
        'content-type': 'application/json',
        origin: SHOP,
      });
      expect(json.status).toBe(201);
      const form = await post(url, 'button=btn_coffee&price=', {
        'content-type': 'application/x-www-form-urlencoded',
        origin: SHOP,
      });
      expect(form.status).toBe(303);
      expect(form.location).toMatch(/\/pay\?code=/);
    });
  });

  it('answers a multipart body with a bad or missing boundary with a 400 problem', async () => {
    await withBff(async (url) => {
      for (const type of ['multipart/form-data', 'multipart/form-data; boundary=zzz']) {
        const answer = await post(url, '--nope\r\nnot a part\r\n', {
          'content-type': type,
          origin: SHOP,
        });
        // A form post gets the problem as a small page, with its status.
        expect(answer.status, type).toBe(400);
        expect(answer.text, type).toContain('Error 400');
      }
    });
  });

  it('refuses a chunked body past the limit with a 413 problem', async () => {
    await withBff(async (url) => {
      const big = JSON.stringify({ button: 'btn_coffee', padding: 'x'.repeat(64 * 1024) });
      const answer = await post(
        url,
        big,
        { 'content-type': 'application/json', origin: SHOP },
        true,
      );
      expect(answer.status).toBe(413);
    });
  });

  it('takes 500 uploads aborted mid-body with one info line each at most, and no 500', async () => {
    const lines: {
      level: string;
      msg: string;
      status?: number;
      requestId?: string;
      aborted?: boolean;
    }[] = [];
    let fromUploads = 0;
    const harness = createHarness();
    const running = await startBff({
      config: harness.config,
      port: 0,
      host: '127.0.0.1',
      deps: {
        log: (entry) => lines.push(entry),
        fetch: async (input, init) => harness.sandbox.app.fetch(new Request(input, init)),
      },
    });
    try {
      const { port } = new URL(running.url);
      const paths = ['/sessions', '/webhooks/payment'];
      fromUploads = lines.length;
      for (let i = 0; i < 500; i += 1) {
        await new Promise<void>((resolve) => {
          const socket = net.connect(Number(port), '127.0.0.1', () => {
            socket.write(
              `POST ${paths[i % 2]} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
                `Origin: ${SHOP}\r\nContent-Length: 1000\r\n\r\n{"button":`,
            );
            setImmediate(() => {
              socket.destroy();
              resolve();
            });
          });
          socket.on('error', () => resolve());
        });
      }
      // The server is still fine.
      const ok = await post(running.url, '{"button":"btn_coffee"}', {
        'content-type': 'application/json',
        origin: SHOP,
      });
      expect(ok.status).toBe(201);
      // Nothing above info, and at most one line per upload, saying its client left.
      const logged = lines
        .slice(fromUploads)
        .filter((line) => line.requestId !== undefined && line.status !== 201);
      expect(logged.length).toBeGreaterThan(0);
      expect(logged.filter((line) => line.level !== 'info' || line.aborted !== true)).toEqual([]);
      expect(new Set(logged.map((line) => line.requestId)).size).toBe(logged.length);
    } finally {
      await running.close();
    }
    expect(lines.filter((line) => line.level === 'error')).toEqual([]);
    expect(lines.filter((line) => line.status === 500)).toEqual([]);
  });

  it('counts the rate limit per socket address, or per forwarded client behind TRUST_PROXY', async () => {
    const checkout = (url: string, forwardedFor: string) =>
      post(url, '{"button":"btn_coffee"}', {
        'content-type': 'application/json',
        origin: SHOP,
        'x-forwarded-for': forwardedFor,
      });
    await withBff(
      async (url) => {
        expect((await checkout(url, '198.51.100.1')).status).toBe(201);
        const limited = await checkout(url, '198.51.100.2');
        expect(limited.status).toBe(429);
        expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
        expect(JSON.parse(limited.text)).toMatchObject({ status: 429 });
      },
      { RATE_LIMIT: '1/60s' },
    );
    await withBff(
      async (url) => {
        expect((await checkout(url, '198.51.100.1')).status).toBe(201);
        expect((await checkout(url, '198.51.100.2')).status).toBe(201);
        expect((await checkout(url, 'forged, 198.51.100.1')).status).toBe(429);
      },
      { RATE_LIMIT: '1/60s', TRUST_PROXY: 'true' },
    );
  });

  it.each([
    ['with Content-Length', false],
    ['chunked', true],
  ])('refuses an oversize body %s with 413', async (_name, chunked) => {
    await withBff(async (url, harness) => {
      const body = JSON.stringify({ button: 'btn_coffee', buttonName: 'x'.repeat(20_000) });
      const response = await post(
        url,
        body,
        { 'content-type': 'application/json', origin: SHOP },
        chunked,
      );
      expect(response.status).toBe(413);
      expect(harness.sandbox.stats().sessionsCreated).toBe(0);
    });
  });
});

/** Runs `src/main.ts` with `env` and resolves when it exits, or calls `onOutput` as lines come. */
function runMain(env: Record<string, string>, onOutput?: (text: string, stop: () => void) => void) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: PACKAGE_DIR,
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    let signaled = false;
    const stop = () => {
      if (signaled) return;
      signaled = true;
      child.kill('SIGTERM');
    };
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      onOutput?.(stdout, stop);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('main', () => {
  it('refuses to start without its settings, naming them, without a stack trace', async () => {
    const { code, stderr } = await runMain({});
    expect(code).toBe(1);
    for (const setting of [
      'UPSTREAM_API_URL',
      'PORTAL_URL',
      'RECEIPT_SECRET',
      'ALLOWED_ORIGINS',
      'BUTTONS',
    ]) {
      expect(stderr).toContain(setting);
    }
    expect(stderr).not.toMatch(/^\s+at /m);
  }, 30_000);

  it('starts, prints its URL, and stops cleanly on SIGTERM', async () => {
    const { code, stdout } = await runMain({ ...testEnv(), BFF_PORT: '0' }, (text, stop) => {
      if (/listening on http:\/\/127\.0\.0\.1:\d+/.test(text)) stop();
    });
    expect(stdout).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+/);
    expect(code).toBe(0);
  }, 30_000);
});
