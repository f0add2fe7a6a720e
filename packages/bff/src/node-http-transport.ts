import http from 'node:http';
import https from 'node:https';
import { urlToHttpOptions } from 'node:url';
import {
  answerTooLarge,
  type HttpTransport,
  MAX_ANSWER_BYTES,
  type TransportRequest,
  type TransportResponse,
  timeoutError,
} from './runtime/http-transport.js';

export interface NodeHttpTransportOptions {
  /** Connections kept per upstream host. Default 256. */
  maxSockets?: number;
}

/**
 * The BFF's outgoing calls (upstream API, login, merchant webhook) on Node's `http` module with
 * keep-alive agents. The calls are small JSON exchanges, and the Fetch machinery around one
 * (`AbortController` and its event target for the time limit, `Request`, `Response`, `Headers`,
 * web streams) costs more CPU than the exchange itself on the checkout hot path. Here a call is
 * one `http.request` and one timer that destroys it when the time limit passes; the answer is
 * buffered whole, up to `MAX_ANSWER_BYTES`. Redirects are not followed.
 */
export function createNodeHttpTransport(options: NodeHttpTransportOptions = {}): HttpTransport {
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 256 };
  const agents = { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) };

  // The BFF calls a handful of URLs over and over: each is parsed once.
  const targets = new Map<string, Target>();
  const targetOf = (href: string): Target => {
    let target = targets.get(href);
    if (target === undefined) {
      const url = new URL(href);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new TypeError(`${url.protocol} URLs are not supported: ${url.origin}`);
      }
      const secure = url.protocol === 'https:';
      // Built field by field: every target has one shape, so reading it per request stays cheap.
      const { protocol, hostname, port, path, auth } = urlToHttpOptions(url);
      target = {
        module: secure ? https : http,
        protocol,
        hostname,
        port,
        path,
        auth,
        agent: secure ? agents.https : agents.http,
      };
      if (targets.size >= MAX_TARGETS) targets.clear();
      targets.set(href, target);
    }
    return target;
  };

  return (request) =>
    new Promise((resolve, reject) => {
      send(targetOf(request.url), request, resolve, reject);
    });
}

const MAX_TARGETS = 256;

/** A parsed URL: what `http.request` needs of it, the module for its scheme and that one's agent. */
type Target = Pick<http.ClientRequestArgs, 'protocol' | 'hostname' | 'port' | 'path' | 'auth'> & {
  module: typeof http | typeof https;
  agent: http.Agent;
};

/** One exchange: settles once, on the answer's end, the first error, or the time limit. */
function send(
  target: Target,
  { method, headers, body, timeoutMs }: TransportRequest,
  resolve: (response: TransportResponse) => void,
  reject: (err: unknown) => void,
): void {
  const fail = (err: unknown) => {
    clearTimeout(timer);
    reject(err);
  };
  const request = target.module.request(
    {
      protocol: target.protocol,
      hostname: target.hostname,
      port: target.port,
      path: target.path,
      auth: target.auth,
      agent: target.agent,
      method,
      // Node sets Content-Length itself from the body given to `end`.
      headers,
    },
    (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_ANSWER_BYTES) return void chunks.push(chunk);
        const err = answerTooLarge();
        fail(err);
        request.destroy(err);
      });
      res.on('error', fail);
      res.on('end', () => {
        clearTimeout(timer);
        // Node's parser reads no body for HEAD, 204 and 304: `chunks` is empty then.
        resolve({
          status: res.statusCode ?? 502,
          body:
            chunks.length === 1
              ? (chunks[0] as Buffer).toString('utf8')
              : Buffer.concat(chunks).toString('utf8'),
        });
      });
    },
  );
  // Settled first, so the errors the destroyed request and answer emit afterwards change nothing.
  const timer = setTimeout(() => {
    const err = timeoutError();
    reject(err);
    request.destroy(err);
  }, timeoutMs);
  request.on('error', fail);
  request.end(body);
}
