import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import {
  type FieldError,
  MalformedJsonError,
  SandboxError,
  SandboxFullError,
  ValidationError,
} from './errors.js';

/** Success body of every `/api` (and `/__sandbox`) endpoint, as the real API wraps its answers. */
export interface SuccessEnvelope<T> {
  success: true;
  status: number;
  data: T;
}

/** Failure body; `errors` names the offending fields of a validation error. */
export interface FailureEnvelope {
  success: false;
  status: number;
  message: string;
  errors?: FieldError[];
}

export function ok<T>(c: Context, data: T, status: ContentfulStatusCode = 200): Response {
  const body: SuccessEnvelope<T> = { success: true, status, data };
  return c.json(body, status);
}

export function failureBody(
  status: number,
  message: string,
  errors?: FieldError[],
): FailureEnvelope {
  return errors === undefined
    ? { success: false, status, message }
    : { success: false, status, message, errors };
}

/**
 * The one mapper from errors to the wire: domain errors keep their status and message; anything
 * else is a 500 whose detail stays in the log, never in the body.
 */
export function errorResponse(
  c: Context,
  err: unknown,
  log: (message: string) => void = () => {},
): Response {
  if (err instanceof SandboxError) {
    if (err.status === 401) c.header('WWW-Authenticate', 'Bearer');
    if (err instanceof SandboxFullError) c.header('Retry-After', String(err.retryAfterSeconds));
    return c.json(
      failureBody(err.status, err.message, err.errors),
      err.status as ContentfulStatusCode,
    );
  }
  log(
    `sandbox: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
  );
  return c.json(failureBody(500, 'Internal server error'), 500);
}

/** Maps zod issues to the envelope's `errors`, one entry per offending field. */
export function fieldErrorsFromIssues(issues: readonly z.core.$ZodIssue[]): FieldError[] {
  return issues.map((issue) => ({
    field: issue.path.length === 0 ? 'body' : issue.path.map(String).join('.'),
    message: issue.message,
  }));
}

/** Reads the JSON body, rejecting malformed JSON with a 400 instead of a crash. */
export async function readJsonBody(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new MalformedJsonError(cause);
  }
}

/** Reads and validates the JSON body against `schema`, throwing a `ValidationError` naming fields. */
export async function parseJsonBody<S extends z.ZodType>(
  c: Context,
  schema: S,
): Promise<z.output<S>> {
  const result = schema.safeParse(await readJsonBody(c));
  if (!result.success) throw new ValidationError(fieldErrorsFromIssues(result.error.issues));
  return result.data;
}
