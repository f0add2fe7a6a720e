import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROBLEM, PROBLEM_BASE, type ProblemKind, problemType } from './problem-types.js';

describe('problem types', () => {
  it('are the URIs and statuses the README lists, one for one', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Problem types'));
    const listed = [...section.matchAll(/^\| `([a-z-]+)` \| (\d{3}) \|/gm)].map(
      ([, slug, status]) => `${PROBLEM_BASE}${slug} ${status}`,
    );
    const kinds = Object.keys(PROBLEM) as ProblemKind[];
    expect(kinds.map((kind) => `${problemType(kind)} ${PROBLEM[kind].status}`).sort()).toEqual(
      listed.sort(),
    );
  });

  it('spell a kind in kebab case', () => {
    expect(problemType('idempotencyKeyReused')).toBe(
      'https://buy-button.dev/problems/idempotency-key-reused',
    );
    expect(problemType('internal')).toBe('https://buy-button.dev/problems/internal');
  });
});
