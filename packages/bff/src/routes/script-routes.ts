import { type Context, Hono } from 'hono';
import { accepts } from 'hono/accepts';
import { base64url } from 'jose';
import type { BffEnv } from '../app-env.js';
import { ProblemError } from '../problems/problem-error.js';
import type { Logger } from '../runtime/logger.js';

/** The element's script-tag build, as served at `/buy-button.js`. */
export interface ScriptBundle {
  /** The script as built (`dist/buy-button.js`). */
  body: string;
  /**
   * Strong ETag of `body`, quoted. Computed from the content (SHA-256) when left out. The
   * compressed copies answer with tags derived from it (`"…-br"`, `"…-gzip"`).
   */
  etag?: string;
  /** `body` compressed with brotli (`dist/buy-button.js.br`), for clients accepting `br`. */
  br?: Uint8Array;
  /** `body` compressed with gzip (`dist/buy-button.js.gz`), for clients accepting `gzip`. */
  gzip?: Uint8Array;
  /** The source map (`dist/buy-button.js.map`), served at `/buy-button.js.map`. */
  map?: string;
  /**
   * The element's messages in the languages it loads on demand, by language (`de`, `es`, ...):
   * the JSON texts of `dist/buy-button.<lang>.json`, served at `/buy-button.<lang>.json`.
   */
  locales?: Record<string, string>;
}

/** A bundle, or a loader the runtime entry provides (the app itself never reads files). */
export type ScriptBundleSource = ScriptBundle | (() => Promise<ScriptBundle | undefined>);

/** The URL is not versioned: browsers keep it 5 minutes, then revalidate with the ETag. */
const CACHE_CONTROL = 'public, max-age=300, stale-while-revalidate=86400';

/** Content codings the bundle may come precompressed in, most preferred first. */
const CODINGS = ['br', 'gzip'] as const;
type Coding = (typeof CODINGS)[number];

const JAVASCRIPT = 'text/javascript; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';

/** One representation of a resource: what is sent, its media type and coding, its entity tag. */
interface Representation {
  body: string | Uint8Array<ArrayBuffer>;
  type: string;
  coding?: Coding;
  etag: string;
}

interface LoadedBundle {
  identity: Representation;
  encoded: Partial<Record<Coding, Representation>>;
  /** The source map and the message files, by file name (`buy-button.de.json`). */
  files: ReadonlyMap<string, Representation>;
}

/** The source map the bundle may name; the route below serves it. */
const MAP_FILE = 'buy-button.js.map';
/** The files served beside the script: its source map and its messages by language. */
const BUNDLE_FILE = /^buy-button\.(?:js\.map|[a-z]{2}\.json)$/;
/** A trailing `//# sourceMappingURL=…` comment (or the legacy `//@`), as bundlers write it. */
const SOURCE_MAP_COMMENT = /\n?\/\/[#@] sourceMappingURL=(\S*)\s*$/;

/**
 * `GET /buy-button.js`, loadable from any shop page: `Access-Control-Allow-Origin: *` and
 * `Cross-Origin-Resource-Policy: cross-origin`, precompressed brotli or gzip as `Accept-Encoding`
 * allows (`Vary: Accept-Encoding`), a strong ETag per representation with 304s. Without a bundle
 * it is a 503 problem and the log says how to build one.
 *
 * `GET /buy-button.js.map` serves the source map the bundle names. A bundle that names a map
 * it did not come with is served without that comment (and uncompressed, as its compressed copies
 * still carry it), so the URL a browser's devtools follow never answers 404.
 */
export function scriptRoutes({
  source,
  log,
}: {
  source: ScriptBundleSource | undefined;
  log: Logger;
}) {
  let ready: LoadedBundle | undefined;
  let warned = false;

  const loaded = async (c: Context<BffEnv>): Promise<LoadedBundle> => {
    c.header('Access-Control-Allow-Origin', '*');
    c.header('Cross-Origin-Resource-Policy', 'cross-origin');
    if (ready === undefined) {
      const bundle = typeof source === 'function' ? await source() : source;
      if (bundle !== undefined) ready = await prepare(bundle, log);
    }
    if (ready === undefined) {
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
    return ready;
  };

  // The files beside the script answer on a wildcard rather than a `/:file{regex}` route: Hono's
  // RegExpRouter cannot order a regex parameter against static routes, and the whole app would
  // fall back to TrieRouter.
  return new Hono<BffEnv>()
    .get('/buy-button.js', async (c) => {
      const bundle = await loaded(c);
      c.header('Vary', 'Accept-Encoding');
      const coding = accepts(c, {
        header: 'Accept-Encoding',
        supports: CODINGS.filter((name) => bundle.encoded[name] !== undefined),
        default: 'identity',
        match: preferredCoding,
      });
      return answer(c, bundle.encoded[coding as Coding] ?? bundle.identity);
    })
    .get('/buy-button.*', async (c) => {
      const name = c.req.path.slice(1);
      if (!BUNDLE_FILE.test(name)) throw new ProblemError('notFound');
      const file = (await loaded(c)).files.get(name);
      if (file === undefined) throw new ProblemError('notFound');
      return answer(c, file);
    });
}

/** 200 with the representation, or 304 when `If-None-Match` names its tag. */
function answer(c: Context<BffEnv>, { body, type, coding, etag }: Representation) {
  c.header('ETag', etag);
  c.header('Cache-Control', CACHE_CONTROL);
  if (etagMatches(c.req.header('if-none-match'), etag)) return c.body(null, 304);
  if (coding !== undefined) c.header('Content-Encoding', coding);
  return c.body(body, 200, { 'Content-Type': type });
}

/** The representations of a bundle, with their tags: computed once. */
async function prepare(bundle: ScriptBundle, log: Logger): Promise<LoadedBundle> {
  const comment = SOURCE_MAP_COMMENT.exec(bundle.body);
  const named = comment?.[1];
  const strip =
    comment !== null &&
    named !== undefined &&
    !named.startsWith('data:') &&
    !(named === MAP_FILE && bundle.map !== undefined);
  if (strip) {
    const dropped = bundle.br !== undefined || bundle.gzip !== undefined;
    log({
      level: 'warn',
      msg: `buy-button.js names the source map "${named}", which is not given: the comment is left out${
        dropped ? ' and the compressed copies (which carry it) are not used' : ''
      }; give the bundle its map`,
    });
  }
  const body = strip ? bundle.body.slice(0, comment.index) : bundle.body;
  // A stripped body is another body, so another tag than the one given for the original.
  const etag = (strip ? undefined : bundle.etag) ?? (await contentEtag(body));
  const encoded: LoadedBundle['encoded'] = {};
  for (const coding of strip ? [] : CODINGS) {
    const bytes = bundle[coding];
    if (bytes === undefined) continue;
    // A copy on its own `ArrayBuffer` (what a `Response` body takes), safe from later writes.
    const copy = new Uint8Array(bytes);
    encoded[coding] = { body: copy, type: JAVASCRIPT, coding, etag: variantTag(etag, coding) };
  }
  const files = new Map<string, Representation>();
  const addFile = async (name: string, text: string) =>
    files.set(name, { body: text, type: JSON_TYPE, etag: await contentEtag(text) });
  if (bundle.map !== undefined) await addFile(MAP_FILE, bundle.map);
  for (const [lang, text] of Object.entries(bundle.locales ?? {})) {
    await addFile(`buy-button.${lang}.json`, text);
  }
  return { identity: { body, type: JAVASCRIPT, etag }, encoded, files };
}

/**
 * The tag of a content-coded representation: another representation, so another tag (RFC 9110
 * §8.8.3), derived from the plain one's. `"abc"` → `"abc-br"`, `W/"abc"` → `W/"abc-br"`.
 */
function variantTag(etag: string, coding: Coding): string {
  return /^(W\/)?".*"$/.test(etag) ? `${etag.slice(0, -1)}-${coding}"` : `"${etag}-${coding}"`;
}

/**
 * The content coding to answer with, from `Accept-Encoding` as Hono's `accepts` parses it (RFC
 * 9110 §12.5.3): among the codings the bundle has (`supports`), the highest q-value wins, `br`
 * before `gzip` on a tie; `*` stands for every coding not named; `q=0` refuses. The plain body
 * (`identity`) wins only when named, directly or by `*`, with a higher q than every coding.
 */
const preferredCoding: NonNullable<Parameters<typeof accepts>[1]['match']> = (
  accepted,
  { supports },
) => {
  const weight = (coding: string) => {
    const named = accepted.filter(({ type }) => {
      const name = type.toLowerCase();
      return name === coding || (coding === 'gzip' && name === 'x-gzip');
    });
    return named.length === 0 ? undefined : Math.max(...named.map(({ q }) => q));
  };
  const star = weight('*');
  let best = 'identity';
  let bestQ = 0;
  for (const coding of supports) {
    const q = weight(coding) ?? star ?? 0;
    if (q > bestQ) [best, bestQ] = [coding, q];
  }
  const identity = weight('identity') ?? star;
  return identity !== undefined && identity > bestQ ? 'identity' : best;
};

/** RFC 9110: `If-None-Match` compares weakly and may list several tags, or be `*`. */
function etagMatches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  const opaque = etag.replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === opaque);
}

/** A strong tag from the SHA-256 of `text`: its first 18 bytes, base64url. */
async function contentEtag(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return `"${base64url.encode(new Uint8Array(digest, 0, 18))}"`;
}
