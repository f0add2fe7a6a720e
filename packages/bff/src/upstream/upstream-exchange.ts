import { type HttpTransport, isTimeout, type TransportRequest } from '../runtime/http-transport.js';
import { UPSTREAM_ERROR_CODE, UpstreamError, type UpstreamErrorCode } from './upstream-error.js';
import { failureSchema } from './upstream-schemas.js';

/** An upstream answer: its status and its body as JSON (`undefined` when it is not JSON). */
export interface UpstreamAnswer {
  status: number;
  json: unknown;
}

/**
 * One exchange with the upstream API. No answer at all is an `UpstreamError` (timeout or
 * unreachable) named after `call` (`METHOD /path`); any answer resolves, whatever its status.
 */
export async function exchange(
  transport: HttpTransport,
  request: TransportRequest,
  call: string,
): Promise<UpstreamAnswer> {
  let body: string;
  let status: number;
  try {
    ({ status, body } = await transport(request));
  } catch (cause) {
    const code = isTimeout(cause)
      ? UPSTREAM_ERROR_CODE.timeout
      : (cause as Error | undefined)?.name === 'AnswerTooLargeError'
        ? UPSTREAM_ERROR_CODE.invalidResponse
        : UPSTREAM_ERROR_CODE.unreachable;
    throw new UpstreamError(code, call, { cause });
  }
  return { status, json: parseJson(body) };
}

/** Whether the answer has a 2xx status. */
export const succeeded = (answer: UpstreamAnswer): boolean =>
  answer.status >= 200 && answer.status < 300;

/** The error for a failure answer, carrying the upstream's own `message` (for the log) if any. */
export function failureError(
  code: UpstreamErrorCode,
  call: string,
  answer: UpstreamAnswer,
): UpstreamError {
  return new UpstreamError(code, call, {
    status: answer.status,
    upstreamMessage: failureSchema.safeParse(answer.json).data?.message,
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
