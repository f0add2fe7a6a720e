import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import { urlToHttpOptions } from 'node:url';

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

  // The BFF calls a handful of URLs over and over: each is parsed once.
  const targets = new Map<string, Target | null>();
  const targetOf = (href: string): Target | null => {
    let target = targets.get(href);
    if (target === undefined) {
      const url = new URL(href);
      target =
        url.protocol === 'http:' || url.protocol === 'https:'
          ? {
              transport: url.protocol === 'https:' ? https : http,
              options: {
                ...urlToHttpOptions(url),
                agent: agents[url.protocol as keyof typeof agents],
              },
            }
          : null;
      if (targets.size >= MAX_TARGETS) targets.clear();
      targets.set(href, target);
    }
    return target;
  };

  return (input, init) => {
    const body = init?.body;
    if (input instanceof Request || (body != null && typeof body !== 'string')) {
      return fetch(input, init);
    }
    const target = targetOf(String(input));
    if (target === null) return fetch(input, init);
    const signal = init?.signal ?? undefined;
    const method = (init?.method ?? 'GET').toUpperCase();
    const headers = plainHeaders(init?.headers);
    if (typeof body === 'string') headers['content-length'] = String(Buffer.byteLength(body));

    return new Promise<Response>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const request = target.transport.request({ ...target.options, method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', fail);
        res.on('end', () => {
          signal?.removeEventListener('abort', onAbort);
          const status = res.statusCode ?? 502;
          const empty = status === 204 || status === 304 || method === 'HEAD';
          resolve(
            new BufferedResponse(
              empty ? Buffer.alloc(0) : Buffer.concat(chunks),
              { status, statusText: res.statusMessage ?? '' },
              res.headers,
            ),
          );
        });
      });
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

const MAX_TARGETS = 256;

interface Target {
  transport: typeof http | typeof https;
  options: http.RequestOptions;
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
  #rawHeaders: IncomingHttpHeaders | undefined;
  #headers: Headers | undefined;

  /** `headers` as Node parsed them; turned into `Headers` only if someone reads them. */
  constructor(buffer: Buffer, init: ResponseInit, headers: IncomingHttpHeaders) {
    super(null, init);
    this.#buffer = buffer;
    this.#rawHeaders = headers;
  }

  override get headers(): Headers {
    if (this.#headers === undefined) {
      const headers = new Headers();
      for (const [name, value] of Object.entries(this.#rawHeaders ?? {})) {
        if (Array.isArray(value)) for (const item of value) headers.append(name, item);
        else if (value !== undefined) headers.set(name, value);
      }
      this.#headers = headers;
      this.#rawHeaders = undefined;
    }
    return this.#headers;
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
