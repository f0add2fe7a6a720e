import http from 'node:http';
import https from 'node:https';

export interface NodeHttpFetchOptions {
  /** Connections kept per upstream host. Default 256. */
  maxSockets?: number;
}

/**
 * A `fetch` for the BFF's own outgoing calls (upstream API, merchant webhook) on Node's `http`
 * module with keep-alive agents. The calls are small JSON exchanges, and the global fetch's
 * stream machinery costs more CPU than the exchange itself on the checkout hot path. Bodies are
 * buffered whole; redirects are not followed (neither the API nor a webhook receiver should
 * redirect). Anything else (a `Request` object, a streamed body) goes to the global `fetch`.
 */
export function createNodeHttpFetch(options: NodeHttpFetchOptions = {}): typeof fetch {
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 256 };
  const agents = { 'http:': new http.Agent(agentOptions), 'https:': new https.Agent(agentOptions) };

  return (input, init) => {
    const body = init?.body;
    if (input instanceof Request || (body != null && typeof body !== 'string')) {
      return fetch(input, init);
    }
    const url = new URL(String(input));
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return fetch(input, init);
    const signal = init?.signal ?? undefined;
    const method = (init?.method ?? 'GET').toUpperCase();
    const headers = plainHeaders(init?.headers);
    if (typeof body === 'string') headers['content-length'] = String(Buffer.byteLength(body));

    return new Promise<Response>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const transport = url.protocol === 'https:' ? https : http;
      const request = transport.request(
        url,
        { method, headers, agent: agents[url.protocol as 'http:' | 'https:'] },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', fail);
          res.on('end', () => {
            signal?.removeEventListener('abort', onAbort);
            const status = res.statusCode ?? 502;
            const responseHeaders = new Headers();
            for (const [name, value] of Object.entries(res.headers)) {
              if (Array.isArray(value))
                for (const item of value) responseHeaders.append(name, item);
              else if (value !== undefined) responseHeaders.set(name, value);
            }
            const empty = status === 204 || status === 304 || method === 'HEAD';
            resolve(
              new BufferedResponse(empty ? Buffer.alloc(0) : Buffer.concat(chunks), {
                status,
                statusText: res.statusMessage ?? '',
                headers: responseHeaders,
              }),
            );
          });
        },
      );
      function fail(err: unknown) {
        signal?.removeEventListener('abort', onAbort);
        reject(err);
      }
      function onAbort() {
        request.destroy();
        fail(signal?.reason);
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      request.on('error', fail);
      request.end(typeof body === 'string' ? body : undefined);
    });
  };
}

/** Header init as a plain object; the BFF passes plain objects, which need no `Headers` copy. */
function plainHeaders(init: HeadersInit | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  if (init === undefined) return headers;
  if (init instanceof Headers || Array.isArray(init)) {
    new Headers(init).forEach((value, name) => {
      headers[name] = value;
    });
    return headers;
  }
  for (const [name, value] of Object.entries(init)) headers[name.toLowerCase()] = value;
  return headers;
}

/**
 * A `Response` whose body is already in memory and is read without a web stream: building a
 * `ReadableStream` for a 500-byte JSON answer costs more than parsing it. `body` is `null`; read
 * it with `text()`, `json()` or `arrayBuffer()`, once, as with any `Response`.
 */
class BufferedResponse extends Response {
  readonly #buffer: Buffer;
  #used = false;

  constructor(buffer: Buffer, init: ResponseInit) {
    super(null, init);
    this.#buffer = buffer;
  }

  override get bodyUsed(): boolean {
    return this.#used;
  }

  override async text(): Promise<string> {
    return this.#take().toString('utf8');
  }

  override async json(): Promise<unknown> {
    return JSON.parse(await this.text()) as unknown;
  }

  override async arrayBuffer(): Promise<ArrayBuffer> {
    const buffer = this.#take();
    return buffer.buffer.slice(
      buffer.byteOffset,
      buffer.byteOffset + buffer.byteLength,
    ) as ArrayBuffer;
  }

  #take(): Buffer {
    if (this.#used) throw new TypeError('Body is unusable: Body has already been read');
    this.#used = true;
    return this.#buffer;
  }
}
