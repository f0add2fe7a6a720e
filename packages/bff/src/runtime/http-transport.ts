/** One outgoing HTTP exchange, as the BFF's callers (upstream API, login, webhook) make it. */
export interface TransportRequest {
  method: string;
  url: string;
  /** Lowercase names. */
  headers: Record<string, string>;
  body?: string;
  /** Time limit for the whole exchange, answer body included. */
  timeoutMs: number;
}

/** The answer, its body read to the end. Nobody reads answer headers. */
export interface TransportResponse {
  status: number;
  body: string;
}

/**
 * How the BFF's outgoing calls go out. Rejects when no whole answer arrives: on a network failure,
 * and on the time limit with an error `isTimeout` recognises. Redirects are not followed on Node
 * (neither the API nor a webhook receiver should redirect).
 */
export type HttpTransport = (request: TransportRequest) => Promise<TransportResponse>;

/** The error a transport rejects with when `timeoutMs` passes, as the Fetch API's own. */
export function timeoutError(): Error {
  return new DOMException('The operation timed out.', 'TimeoutError');
}

/** Whether a transport (or a fetch) gave up on its time limit rather than failed. */
export function isTimeout(err: unknown): boolean {
  return err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
}

/**
 * A transport on the Fetch API, for any runtime: a signal aborts the call after `timeoutMs`, and
 * its timer is cleared once the body is read (`AbortSignal.timeout` would keep a timer and its
 * signal alive for the full delay after every call). Reading the body to the end also frees the
 * connection for reuse. Tests pass a `fetchImpl` that routes into another app in-process.
 */
export function fetchTransport(
  fetchImpl: typeof fetch = (input, init) => fetch(input, init),
): HttpTransport {
  return async ({ method, url, headers, body, timeoutMs }) => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(timeoutError()), timeoutMs);
    try {
      const response = await fetchImpl(url, {
        method,
        headers,
        body,
        signal: controller.signal,
        // As on Node: neither the API nor a webhook receiver is followed elsewhere.
        redirect: 'manual',
      });
      return { status: response.status, body: await response.text() };
    } finally {
      clearTimeout(timer);
    }
  };
}
