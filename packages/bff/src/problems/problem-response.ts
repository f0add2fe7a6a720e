import type { Problem } from '@buy-button/element/wire';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { describeError, type Logger } from '../runtime/logger.js';
import { ProblemError } from './problem-error.js';

const FORM_CONTENT = /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i;

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

/** Turns any thrown value into a problem answer; the one error mapper of the app. */
export function problemFromError(err: unknown, c: Context, log: Logger): Response {
  return problemResponse(c, loggedProblem(err, log, c.get('requestId') as string | undefined));
}

/**
 * The problem any thrown value answers with, logged: server failures as errors, refusals that
 * have a cause underneath as warnings.
 */
export function loggedProblem(err: unknown, log: Logger, requestId: string | undefined) {
  const problem = toProblemError(err);
  if (problem.status >= 500) {
    log({
      level: 'error',
      msg: problem.kind === 'internal' ? 'unexpected error' : 'request failed',
      requestId,
      problem: problem.kind,
      error: describeError(err),
      stack: problem.kind === 'internal' && err instanceof Error ? err.stack : undefined,
    });
  } else if (problem.cause !== undefined) {
    log({
      level: 'warn',
      msg: 'request refused',
      requestId,
      problem: problem.kind,
      error: describeError(problem.cause),
    });
  }
  return problem;
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

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);

/** The page a shopper without JavaScript sees when a checkout form is refused. */
export function problemPage(problem: Problem): string {
  const fields = (problem.errors ?? [])
    .map((e) => `<li>${escapeHtml(e.field)}: ${escapeHtml(e.message)}</li>`)
    .join('');
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(problem.title)}</title></head>
<body>
<main>
<h1>${escapeHtml(problem.title)}</h1>
<p>${escapeHtml(problem.detail ?? '')}</p>
${fields === '' ? '' : `<ul>${fields}</ul>`}
<p>Error ${problem.status}. Go back to the shop and try again.</p>
</main>
</body>
</html>
`;
}
