import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeHttpTransport } from './node-http-transport.js';
import { isTimeout, MAX_ANSWER_BYTES } from './runtime/http-transport.js';

let server: http.Server;
let base = '';
const hanging: http.ServerResponse[] = [];
/** Remote ports of the sockets the server saw, one entry per request. */
const ports: number[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    ports.push(req.socket.remotePort ?? 0);
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => {
      if (req.url === '/hang') {
        hanging.push(res);
        return;
      }
      if (req.url === '/slow-body') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"partial":');
        hanging.push(res);
        return;
      }
      if (req.url === '/cut') {
        res.writeHead(200, { 'content-length': '100' });
        res.write('{"partial":');
        setTimeout(() => res.destroy(), 10);
        return;
      }
      if (req.url === '/huge') {
        // 64 MB announced and streamed in 1 MB chunks while the client keeps reading.
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(1024 * 1024, 32);
        let sent = 0;
        const more = () => {
          while (sent < 64 && res.write(chunk)) sent += 1;
          if (sent < 64) res.once('drain', more);
          else res.end();
        };
        res.on('error', () => undefined);
        more();
        return;
      }
      if (req.url === '/empty') {
        res.writeHead(204).end();
        return;
      }
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          method: req.method,
          url: req.url,
          body,
          length: req.headers['content-length'],
          test: req.headers['x-test'],
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const res of hanging) res.end();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('createNodeHttpTransport', () => {
  const send = createNodeHttpTransport();
  const call = (path: string, extra: { method?: string; body?: string; timeoutMs?: number } = {}) =>
    send({
      method: extra.method ?? 'GET',
      url: `${base}${path}`,
      headers: { 'x-test': 'yes', 'content-type': 'application/json' },
      ...(extra.body === undefined ? {} : { body: extra.body }),
      timeoutMs: extra.timeoutMs ?? 5000,
    });

  it('sends method, path, headers and body, and answers the status and the whole body', async () => {
    const response = await call('/echo?x=1', { method: 'POST', body: '{"é":1}' });
    expect(response.status).toBe(201);
    expect(JSON.parse(response.body)).toEqual({
      method: 'POST',
      url: '/echo?x=1',
      body: '{"é":1}',
      length: '8',
      test: 'yes',
    });
  });

  it('answers an empty body for 204 and for HEAD', async () => {
    expect(await call('/empty')).toEqual({ status: 204, body: '' });
    expect(await call('/echo', { method: 'HEAD' })).toEqual({ status: 201, body: '' });
  });

  it('reuses one kept-alive connection for calls one after another', async () => {
    const before = ports.length;
    for (let i = 0; i < 5; i += 1) expect((await call('/echo')).status).toBe(201);
    const used = ports.slice(before);
    expect(used).toHaveLength(5);
    expect(new Set(used).size).toBe(1);
  });

  it('rejects with a timeout error when the server does not answer in time', async () => {
    const started = Date.now();
    const err = await call('/hang', { timeoutMs: 50 }).catch((error: unknown) => error);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(err).toMatchObject({ name: 'TimeoutError' });
    expect(isTimeout(err)).toBe(true);
  });

  it('rejects with a timeout error when the body does not finish in time', async () => {
    const err = await call('/slow-body', { timeoutMs: 50 }).catch((error: unknown) => error);
    expect(isTimeout(err)).toBe(true);
  });

  it('still works after a timed-out call destroyed its connection', async () => {
    await call('/hang', { timeoutMs: 20 }).catch(() => undefined);
    expect((await call('/echo')).status).toBe(201);
  });

  it('rejects, not as a timeout, when the connection breaks mid-body', async () => {
    const err = await call('/cut').catch((error: unknown) => error);
    expect(err).toBeInstanceOf(Error);
    expect(isTimeout(err)).toBe(false);
  });

  it('rejects when nothing listens, and on a URL that is not http(s)', async () => {
    const refused = await send({
      method: 'GET',
      url: 'http://127.0.0.1:1/',
      headers: {},
      timeoutMs: 5000,
    }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(Error);
    expect(isTimeout(refused)).toBe(false);
    await expect(
      send({ method: 'GET', url: 'ftp://127.0.0.1/', headers: {}, timeoutMs: 5000 }),
    ).rejects.toThrow(TypeError);
  });

  it('refuses an answer past MAX_ANSWER_BYTES without buffering it', async () => {
    const transport = createNodeHttpTransport();
    const before = process.memoryUsage().arrayBuffers;
    const err = await transport({
      method: 'GET',
      url: `${base}/huge`,
      headers: {},
      timeoutMs: 10_000,
    }).catch((error: unknown) => error);
    expect(err).toMatchObject({ name: 'AnswerTooLargeError' });
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(8 * MAX_ANSWER_BYTES);
  });
});
