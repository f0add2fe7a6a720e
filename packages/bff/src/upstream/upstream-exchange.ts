import type { z } from 'zod';
import { type HttpTransport, isTimeout, type TransportRequest } from '../runtime/http-transport.js';
import { UPSTREAM_ERROR_CODE, UpstreamError, type UpstreamErrorCode } from './upstream-error.js';
import { envelopeSchema, failureSchema } from './upstream-schemas.js';

const statusError = (): UpstreamErrorCode => UPSTREAM_ERROR_CODE.status;

/**
 * One exchange with the upstream API, named after `call` (`METHOD /path`), resolving the `data`
 * of its envelope as `schema` reads it. No answer at all is a timeout or unreachable error; a
 * failure status is the error `failureCode` names, carrying the upstream's own `message` (for the
 * log) if any; a 2xx without that envelope is an invalid response.
 */
export async function exchange<S extends z.ZodType>(
  transport: HttpTransport,
  call: string,
  request: TransportRequest,
  schema: S,
  failureCode: (status: number) => UpstreamErrorCode = statusError,
): Promise<z.output<S>> {
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
  const json = parseJson(body);
  if (status < 200 || status >= 300) {
    const upstreamMessage = failureSchema.safeParse(json).data?.message;
    throw new UpstreamError(failureCode(status), call, { status, upstreamMessage });
  }
  const envelope = envelopeSchema.safeParse(json);
  const data = envelope.success ? schema.safeParse(envelope.data.data) : undefined;
  if (data === undefined || !data.success || envelope.data?.success === false) {
    throw new UpstreamError(UPSTREAM_ERROR_CODE.invalidResponse, call, {
      status,
      cause: data?.error,
    });
  }
  return data.data;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
