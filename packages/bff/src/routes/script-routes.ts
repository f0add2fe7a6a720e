import { Hono } from 'hono';
import type { BffEnv } from '../app-env.js';
import { ProblemError } from '../problems/problem-error.js';
import type { Logger } from '../runtime/logger.js';

/** The element's script-tag build, as served at `/buy-button.js`. */
export interface ScriptBundle {
  body: string;
  /** Strong ETag, quoted. Computed from the content (SHA-256) when left out. */
  etag?: string;
}

/** A bundle, or a loader the runtime entry provides (the app itself never reads files). */
export type ScriptBundleSource = ScriptBundle | (() => Promise<ScriptBundle | undefined>);

/** The URL is not versioned: browsers keep it 5 minutes, then revalidate with the ETag. */
const CACHE_CONTROL = 'public, max-age=300, stale-while-revalidate=86400';

/**
 * `GET /buy-button.js`, loadable from any shop page: `Access-Control-Allow-Origin: *` and
 * `Cross-Origin-Resource-Policy: cross-origin`, strong ETag with 304s. Without a bundle it is a
 * 503 problem and the log says how to build one.
 */
export function scriptRoutes({
  source,
  log,
}: {
  source: ScriptBundleSource | undefined;
  log: Logger;
}) {
  let ready: { body: string; etag: string } | undefined;
  let warned = false;

  const load = async (): Promise<{ body: string; etag: string } | undefined> => {
    if (ready !== undefined) return ready;
    const bundle = typeof source === 'function' ? await source() : source;
    if (bundle === undefined) return undefined;
    ready = { body: bundle.body, etag: bundle.etag ?? (await contentEtag(bundle.body)) };
    return ready;
  };

  return new Hono<BffEnv>().get('/buy-button.js', async (c) => {
    c.header('Access-Control-Allow-Origin', '*');
    c.header('Cross-Origin-Resource-Policy', 'cross-origin');
    const bundle = await load();
    if (bundle === undefined) {
      if (!warned) {
        warned = true;
        log({
          level: 'warn',
          msg: 'buy-button.js is not built: run "pnpm --filter @buy-button/element build"',
        });
      }
      throw new ProblemError('scriptUnavailable', {
        detail: 'The element bundle has not been built on this server.',
      });
    }
    c.header('ETag', bundle.etag);
    c.header('Cache-Control', CACHE_CONTROL);
    if (etagMatches(c.req.header('if-none-match'), bundle.etag)) return c.body(null, 304);
    return c.body(bundle.body, 200, { 'Content-Type': 'text/javascript; charset=utf-8' });
  });
}

/** RFC 9110: `If-None-Match` compares weakly and may list several tags, or be `*`. */
function etagMatches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  const opaque = etag.replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === opaque);
}

async function contentEtag(body: string): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest('SHA-256', new TextEncoder().encode(body)),
  );
  let binary = '';
  for (const byte of digest.subarray(0, 18)) binary += String.fromCharCode(byte);
  return `"${btoa(binary).replace(/\+/g, '-').replace(/\//g, '_')}"`;
}
