/**
 * Errors of the emulated API. Each carries the HTTP status the real API answers with and a stable
 * `code`, so callers (and the one mapper in `envelope.ts`) `switch (err.code)` instead of parsing
 * messages.
 */

/** One offending input field, as listed in a failure envelope's `errors`. */
export interface FieldError {
  field: string;
  message: string;
}

export const SANDBOX_ERROR_CODE = {
  validation: 'ERR_VALIDATION',
  malformedJson: 'ERR_MALFORMED_JSON',
  invalidCredentials: 'ERR_INVALID_CREDENTIALS',
  tokenMissing: 'ERR_TOKEN_MISSING',
  tokenInvalid: 'ERR_TOKEN_INVALID',
  tokenExpired: 'ERR_TOKEN_EXPIRED',
  forbidden: 'ERR_FORBIDDEN',
  notFound: 'ERR_NOT_FOUND',
  orderRefInUse: 'ERR_ORDER_REF_IN_USE',
  orderNotPending: 'ERR_ORDER_NOT_PENDING',
  injectedFault: 'ERR_INJECTED_FAULT',
  payloadTooLarge: 'ERR_PAYLOAD_TOO_LARGE',
  sandboxFull: 'ERR_SANDBOX_FULL',
} as const;

export type SandboxErrorCode = (typeof SANDBOX_ERROR_CODE)[keyof typeof SANDBOX_ERROR_CODE];

export class SandboxError extends Error {
  readonly code: SandboxErrorCode;
  readonly status: number;
  readonly errors: FieldError[] | undefined;

  constructor(
    code: SandboxErrorCode,
    status: number,
    message: string,
    options?: { errors?: FieldError[]; cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SandboxError';
    this.code = code;
    this.status = status;
    this.errors = options?.errors;
  }
}

export class ValidationError extends SandboxError {
  constructor(errors: FieldError[], message = 'Validation error') {
    super(SANDBOX_ERROR_CODE.validation, 400, message, { errors });
    this.name = 'ValidationError';
  }

  /** A validation error about a single field. */
  static field(field: string, message: string): ValidationError {
    return new ValidationError([{ field, message }]);
  }
}

export class MalformedJsonError extends SandboxError {
  constructor(cause: unknown) {
    super(SANDBOX_ERROR_CODE.malformedJson, 400, 'Malformed JSON body', { cause });
    this.name = 'MalformedJsonError';
  }
}

export class UnauthorizedError extends SandboxError {
  constructor(
    code:
      | typeof SANDBOX_ERROR_CODE.invalidCredentials
      | typeof SANDBOX_ERROR_CODE.tokenMissing
      | typeof SANDBOX_ERROR_CODE.tokenInvalid
      | typeof SANDBOX_ERROR_CODE.tokenExpired,
    message: string,
    cause?: unknown,
  ) {
    super(code, 401, message, { cause });
    this.name = 'UnauthorizedError';
  }
}

export class ForbiddenError extends SandboxError {
  constructor(message = 'Forbidden: your role may not call this endpoint') {
    super(SANDBOX_ERROR_CODE.forbidden, 403, message);
    this.name = 'ForbiddenError';
  }
}

export class NotFoundError extends SandboxError {
  constructor(message: string) {
    super(SANDBOX_ERROR_CODE.notFound, 404, message);
    this.name = 'NotFoundError';
  }
}

export class OrderRefInUseError extends SandboxError {
  constructor(orderRef: string) {
    super(
      SANDBOX_ERROR_CODE.orderRefInUse,
      409,
      `Duplicate orderRef with active order: ${orderRef}`,
      { errors: [{ field: 'orderRef', message: 'is already used by an active order' }] },
    );
    this.name = 'OrderRefInUseError';
  }
}

export class OrderNotPendingError extends SandboxError {
  readonly state: string;

  constructor(code: string, state: string) {
    super(SANDBOX_ERROR_CODE.orderNotPending, 409, `Order ${code} is no longer pending (${state})`);
    this.name = 'OrderNotPendingError';
    this.state = state;
  }
}

export class InjectedFaultError extends SandboxError {
  constructor() {
    super(
      SANDBOX_ERROR_CODE.injectedFault,
      503,
      'Service temporarily unavailable (injected fault)',
    );
    this.name = 'InjectedFaultError';
  }
}

/** A request body over the sandbox's `maxBodyBytes`, refused before anything reads it. */
export class PayloadTooLargeError extends SandboxError {
  readonly maxBytes: number;

  constructor(maxBytes: number) {
    super(
      SANDBOX_ERROR_CODE.payloadTooLarge,
      413,
      `Request body too large: the limit is ${maxBytes} bytes`,
    );
    this.name = 'PayloadTooLargeError';
    this.maxBytes = maxBytes;
  }
}

/**
 * A create refused because the sandbox keeps `maxOrders` orders and every one is still pending:
 * none may be evicted to make room. `retryAfterSeconds` is when the oldest one expires.
 */
export class SandboxFullError extends SandboxError {
  readonly retryAfterSeconds: number;

  constructor(maxOrders: number, retryAfterSeconds: number) {
    super(
      SANDBOX_ERROR_CODE.sandboxFull,
      503,
      `Sandbox full: it keeps at most ${maxOrders} orders (maxOrders) and all are pending; retry once one is paid, canceled or expired`,
    );
    this.name = 'SandboxFullError';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
