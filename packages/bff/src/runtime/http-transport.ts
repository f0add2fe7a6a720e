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
 * on the time limit with an error `isTimeout` recognises, and on an answer past
 * `MAX_ANSWER_BYTES`. Redirects are not followed (neither the API nor a webhook receiver should
 * redirect).
 */
export type HttpTransport = (request: TransportRequest) => Promise<TransportResponse>;

/**
 * The largest answer body a transport reads: the BFF's exchanges are small JSON, and a peer that
 * sends more (a misbehaving upstream, a shop's error page) must not make it buffer megabytes.
 */
export const MAX_ANSWER_BYTES = 1024 * 1024;

/** The error a transport rejects with when an answer body passes `MAX_ANSWER_BYTES`. */
export function answerTooLarge(): Error {
  const err = new Error(`The answer is larger than ${MAX_ANSWER_BYTES} bytes.`);
  err.name = 'AnswerTooLargeError';
  return err;
}

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
      return { status: response.status, body: await readCapped(response) };
    } finally {
      clearTimeout(timer);
    }
  };
}

/** The body as text, refused past `MAX_ANSWER_BYTES` whether or not its length was declared. */
async function readCapped(response: Response): Promise<string> {
  if (Number(response.headers.get('content-length')) > MAX_ANSWER_BYTES) {
    await response.body?.cancel();
    throw answerTooLarge();
  }
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    size += value.byteLength;
    if (size > MAX_ANSWER_BYTES) {
      await reader.cancel();
      throw answerTooLarge();
    }
    text += decoder.decode(value, { stream: true });
  }
}
