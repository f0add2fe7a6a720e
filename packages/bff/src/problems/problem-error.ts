import type { Problem } from '@buy-button/element/wire';
import { PROBLEM, type ProblemKind, problemType } from './problem-types.js';

export type FieldProblem = NonNullable<Problem['errors']>[number];

export interface ProblemErrorOptions {
  /** Shopper-safe explanation; defaults to the title. Never upstream text. */
  detail?: string;
  errors?: FieldProblem[];
  /** Extra response headers, e.g. `Retry-After`. */
  headers?: Record<string, string>;
  /** What went wrong underneath: logged, never sent. */
  cause?: unknown;
}

/**
 * The one HTTP error of the BFF (the role `HTTPException` plays in Hono): thrown anywhere, turned
 * into `application/problem+json` by the single `onError` mapper. `kind` is its stable code.
 */
export class ProblemError extends Error {
  readonly kind: ProblemKind;
  readonly status: number;
  readonly detail: string;
  readonly errors: FieldProblem[] | undefined;
  readonly headers: Record<string, string>;

  constructor(kind: ProblemKind, options: ProblemErrorOptions = {}) {
    const { title, status } = PROBLEM[kind];
    super(
      options.detail ?? title,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'ProblemError';
    this.kind = kind;
    this.status = status;
    this.detail = options.detail ?? title;
    this.errors = options.errors;
    this.headers = options.headers ?? {};
  }

  /** The wire body. */
  toProblem(): Problem {
    const problem: Problem = {
      type: problemType(this.kind),
      title: PROBLEM[this.kind].title,
      status: this.status,
      detail: this.detail,
    };
    if (this.errors !== undefined && this.errors.length > 0) problem.errors = this.errors;
    return problem;
  }
}
