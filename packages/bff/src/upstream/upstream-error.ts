import type { ProblemKind } from '../problems/problem-types.js';

export const UPSTREAM_ERROR_CODE = {
  /** No answer within the time limit. */
  timeout: 'ERR_UPSTREAM_TIMEOUT',
  /** Connection refused, reset, DNS failure: no HTTP answer at all. */
  unreachable: 'ERR_UPSTREAM_UNREACHABLE',
  /** An HTTP answer with a failure status. */
  status: 'ERR_UPSTREAM_STATUS',
  /** A 2xx whose body is not the envelope we expect. */
  invalidResponse: 'ERR_UPSTREAM_INVALID_RESPONSE',
  /** The credential was refused, or the login needs a second factor. */
  login: 'ERR_UPSTREAM_LOGIN',
} as const;

export type UpstreamErrorCode = (typeof UPSTREAM_ERROR_CODE)[keyof typeof UPSTREAM_ERROR_CODE];

/**
 * A failed upstream call. `upstreamMessage` is the upstream's own text: it goes to the log,
 * never to the browser (the problem mapper only reads `code` and `status`).
 */
export class UpstreamError extends Error {
  readonly code: UpstreamErrorCode;
  /** HTTP status of the upstream answer, when there was one. */
  readonly status: number | undefined;
  readonly upstreamMessage: string | undefined;
  /** `METHOD /path` of the call, for the log. */
  readonly call: string;

  constructor(
    code: UpstreamErrorCode,
    call: string,
    options: { status?: number; upstreamMessage?: string; cause?: unknown } = {},
  ) {
    super(
      `${call}: ${code}${options.status === undefined ? '' : ` ${options.status}`}${
        options.upstreamMessage === undefined ? '' : ` (${options.upstreamMessage})`
      }`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'UpstreamError';
    this.code = code;
    this.call = call;
    this.status = options.status;
    this.upstreamMessage = options.upstreamMessage;
  }

  /** Worth another attempt for a call that is safe to repeat. */
  get transient(): boolean {
    return (
      this.code === UPSTREAM_ERROR_CODE.timeout ||
      this.code === UPSTREAM_ERROR_CODE.unreachable ||
      (this.code === UPSTREAM_ERROR_CODE.status &&
        this.status !== undefined &&
        (this.status >= 500 || this.status === 429))
    );
  }

  /** What the shopper's client is told. */
  get problemKind(): ProblemKind {
    switch (this.code) {
      case UPSTREAM_ERROR_CODE.timeout:
        return 'upstreamTimeout';
      case UPSTREAM_ERROR_CODE.unreachable:
        return 'upstreamUnavailable';
      case UPSTREAM_ERROR_CODE.status:
        if (this.status === 400 || this.status === 422) return 'upstreamRejected';
        if (this.status === 503 || this.status === 429) return 'upstreamUnavailable';
        if (this.status === 504) return 'upstreamTimeout';
        return 'upstreamError';
      default:
        return 'upstreamError';
    }
  }
}
