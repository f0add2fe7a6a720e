import type { Problem } from '@buy-button/element/wire';
import type { Context } from 'hono';
import { html } from 'hono/html';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { describeError, type Logger } from '../runtime/logger.js';
import { ProblemError } from './problem-error.js';

/** A form post: a browser with JavaScript off. */
export const FORM_CONTENT = /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i;

/**
 * A browser posting the checkout form (JavaScript off) shows our answer to the shopper as a page,
 * so form posts to `/sessions` get a small HTML page carrying the same status; everyone else
 * (the payment callback and unknown paths included) gets problem+json.
 */
export function wantsHtml(c: Context): boolean {
  return (
    c.req.method === 'POST' &&
    c.req.path === '/sessions' &&
    FORM_CONTENT.test(c.req.header('content-type') ?? '')
  );
}

/**
 * Turns any thrown value into a problem answer; the one error mapper of the app. It is logged:
 * server failures as errors, refusals that have a cause underneath as warnings, unless the client
 * has already closed the connection (its request's `signal` is aborted).
 */
export function problemFromError(err: unknown, c: Context, log: Logger): Response {
  const problem = toProblemError(err);
  const requestId = c.get('requestId') as string | undefined;
  if (problem.status >= 500) {
    log({
      level: 'error',
      msg: problem.kind === 'internal' ? 'unexpected error' : 'request failed',
      requestId,
      problem: problem.kind,
      error: describeError(err),
      stack: problem.kind === 'internal' && err instanceof Error ? err.stack : undefined,
    });
  } else if (problem.cause !== undefined && !c.req.raw.signal.aborted) {
    // A client that hung up mid-body is not worth a warning: the access log's line says so.
    log({
      level: 'warn',
      msg: 'request refused',
      requestId,
      problem: problem.kind,
      error: describeError(problem.cause),
    });
  }
  return problemResponse(c, problem);
}

export function problemResponse(c: Context, problem: ProblemError): Response {
  for (const [name, value] of Object.entries(problem.headers)) c.header(name, value);
  const body = problem.toProblem();
  const status = problem.status as ContentfulStatusCode;
  if (wantsHtml(c)) return c.html(problemPage(body), status);
  return c.body(JSON.stringify(body), status, { 'Content-Type': 'application/problem+json' });
}

function toProblemError(err: unknown): ProblemError {
  if (err instanceof ProblemError) return err;
  if (err instanceof HTTPException) {
    if (err.status === 413) return new ProblemError('bodyTooLarge', { cause: err });
    if (err.status === 400) return new ProblemError('malformedBody', { cause: err });
  }
  // Shared-state outages (the Redis store's `STORE_UNAVAILABLE`) are transient, not bugs.
  if ((err as { code?: unknown } | null)?.code === 'STORE_UNAVAILABLE') {
    return new ProblemError('storeUnavailable', { cause: err, headers: { 'Retry-After': '1' } });
  }
  return new ProblemError('internal', { cause: err });
}

/**
 * The page a shopper without JavaScript sees when a checkout form is refused. Hono's `html`
 * escapes every interpolated string; nothing in it is async, so it is a plain string.
 */
function problemPage({ title, detail, status, errors = [] }: Problem): string {
  const fields = errors.map((e) => html`<li>${e.field}: ${e.message}</li>`);
  return String(html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head>
<body>
<main>
<h1>${title}</h1>
<p>${detail ?? ''}</p>
${fields.length === 0 ? '' : html`<ul>${fields}</ul>`}
<p>Error ${status}. Go back to the shop and try again.</p>
</main>
</body>
</html>
`);
}
