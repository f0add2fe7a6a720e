import { afterEach, describe, expect, it, vi } from 'vitest';
import { fetchTransport, isTimeout } from './http-transport.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('fetchTransport', () => {
  it('sends method, headers and body through fetch, and answers the status and the body', async () => {
    const send = fetchTransport(async (input, init) => {
      const request = new Request(input, init);
      return Response.json(
        {
          method: request.method,
          url: request.url,
          test: request.headers.get('x-test'),
          body: await request.text(),
        },
        { status: 201 },
      );
    });
    const response = await send({
      method: 'POST',
      url: 'http://api.test/echo',
      headers: { 'x-test': 'yes' },
      body: '{"a":1}',
      timeoutMs: 1000,
    });
    expect(response.status).toBe(201);
    expect(JSON.parse(response.body)).toEqual({
      method: 'POST',
      url: 'http://api.test/echo',
      test: 'yes',
      body: '{"a":1}',
    });
  });

  it('aborts the call with a timeout error when the time limit passes', async () => {
    vi.useFakeTimers();
    const send = fetchTransport(
      (_input, init) =>
        new Promise((_resolve, reject) => {
          init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
        }),
    );
    const pending = send({ method: 'GET', url: 'http://api.test/', headers: {}, timeoutMs: 500 });
    const outcome = pending.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(500);
    const err = await outcome;
    expect(err).toMatchObject({ name: 'TimeoutError' });
    expect(isTimeout(err)).toBe(true);
  });

  it('clears its timer once the answer is read', async () => {
    vi.useFakeTimers();
    const send = fetchTransport(async () => new Response('ok'));
    await send({ method: 'GET', url: 'http://api.test/', headers: {}, timeoutMs: 500 });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('passes a network failure on, not as a timeout', async () => {
    const send = fetchTransport(async () => {
      throw new TypeError('fetch failed');
    });
    const err = await send({
      method: 'GET',
      url: 'http://api.test/',
      headers: {},
      timeoutMs: 500,
    }).catch((error: unknown) => error);
    expect(err).toBeInstanceOf(TypeError);
    expect(isTimeout(err)).toBe(false);
  });
});
