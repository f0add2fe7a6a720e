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
  override readonly name = 'ProblemError';
  readonly kind: ProblemKind;
  readonly status: number;
  readonly errors: FieldProblem[] | undefined;
  readonly headers: Record<string, string>;

  /** `detail` becomes the `message`. */
  constructor(
    kind: ProblemKind,
    { detail, errors, headers = {}, cause }: ProblemErrorOptions = {},
  ) {
    super(detail ?? PROBLEM[kind].title, cause === undefined ? undefined : { cause });
    this.kind = kind;
    this.status = PROBLEM[kind].status;
    this.errors = errors;
    this.headers = headers;
  }

  /** The wire body. */
  toProblem(): Problem {
    const { status, title } = PROBLEM[this.kind];
    const problem: Problem = { type: problemType(this.kind), title, status, detail: this.message };
    if (this.errors !== undefined && this.errors.length > 0) problem.errors = this.errors;
    return problem;
  }
}
