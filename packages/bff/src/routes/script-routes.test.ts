import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { loadElementBundle } from '../node.js';
import { problemType } from '../problems/problem-types.js';
import type { LogEntry } from '../runtime/logger.js';
import { createHarness } from '../test/harness.js';
import type { ScriptBundle } from './script-routes.js';

const CODE = `${'customElements.define("buy-button", class extends HTMLElement {});\n'.repeat(40)}//# sourceMappingURL=buy-button.js.map`;
const MAP = JSON.stringify({ version: 3, file: 'buy-button.js', sources: [], mappings: '' });

/** What the element's build writes: the script, its brotli and gzip copies, its source map. */
const built: ScriptBundle = {
  body: CODE,
  br: brotliCompressSync(CODE),
  gzip: gzipSync(CODE, { level: 9 }),
  map: MAP,
};

const bytes = async (response: Response) => Buffer.from(await response.arrayBuffer());
const get = (harness: ReturnType<typeof createHarness>, path: string, headers = {}) =>
  harness.bff.request(path, { headers });

/** The `sourceMappingURL` a script names, resolved against the script's own URL. */
function sourceMapUrl(script: string, scriptUrl: string): string | undefined {
  const named = /\/\/[#@] sourceMappingURL=(\S+)\s*$/.exec(script)?.[1];
  return named === undefined ? undefined : new URL(named, scriptUrl).pathname;
}

describe('GET /buy-button.js: content coding', () => {
  it('answers the brotli copy to a browser, with Vary and an ETag of its own', async () => {
    const harness = createHarness({ deps: { scriptBundle: built } });
    const response = await get(harness, '/buy-button.js', {
      'accept-encoding': 'gzip, deflate, br, zstd',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-encoding')).toBe('br');
    expect(response.headers.get('vary')).toBe('Accept-Encoding');
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const body = await bytes(response);
    expect(body.length).toBeLessThan(CODE.length / 4);
    expect(brotliDecompressSync(body).toString('utf8')).toBe(CODE);
    expect(response.headers.get('etag')).toMatch(/^"[\w-]{20,}-br"$/);
  });

  it('answers gzip to a client without br, and the plain body to one without either', async () => {
    const harness = createHarness({ deps: { scriptBundle: built } });
    const gzip = await get(harness, '/buy-button.js', { 'accept-encoding': 'gzip' });
    expect(gzip.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(await bytes(gzip)).toString('utf8')).toBe(CODE);
    expect(gzip.headers.get('etag')).toMatch(/-gzip"$/);

    const plain = await get(harness, '/buy-button.js');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(plain.headers.get('vary')).toBe('Accept-Encoding');
    expect(await plain.text()).toBe(CODE);

    const tags = new Set(
      [gzip, plain, await get(harness, '/buy-button.js', { 'accept-encoding': 'br' })].map((r) =>
        r.headers.get('etag'),
      ),
    );
    expect(tags.size).toBe(3);
  });

  it('honours q-values', async () => {
    const harness = createHarness({ deps: { scriptBundle: built } });
    const coding = async (acceptEncoding: string) =>
      (await get(harness, '/buy-button.js', { 'accept-encoding': acceptEncoding })).headers.get(
        'content-encoding',
      );
    expect(await coding('br;q=0.5, gzip')).toBe('gzip');
    expect(await coding('br;q=0, gzip;q=0')).toBeNull();
    expect(await coding('identity')).toBeNull();
  });

  it('answers 304 to the ETag of the representation it would send, 200 to another', async () => {
    const harness = createHarness({ deps: { scriptBundle: built } });
    const br = { 'accept-encoding': 'br, gzip' };
    const etag = (await get(harness, '/buy-button.js', br)).headers.get('etag') ?? '';
    const cached = await get(harness, '/buy-button.js', { ...br, 'if-none-match': etag });
    expect(cached.status).toBe(304);
    expect(cached.headers.get('etag')).toBe(etag);
    expect(cached.headers.get('vary')).toBe('Accept-Encoding');
    expect(await cached.text()).toBe('');
    // A client that now takes gzip only holds the br copy: it gets the gzip one.
    const other = await get(harness, '/buy-button.js', {
      'accept-encoding': 'gzip',
      'if-none-match': etag,
    });
    expect(other.status).toBe(200);
    expect(other.headers.get('content-encoding')).toBe('gzip');
  });

  it('serves the plain body only, and no Content-Encoding, when the source gives no copies', async () => {
    const harness = createHarness({ deps: { scriptBundle: { body: 'void 0;\n' } } });
    const response = await get(harness, '/buy-button.js', { 'accept-encoding': 'br, gzip' });
    expect(response.headers.get('content-encoding')).toBeNull();
    expect(await response.text()).toBe('void 0;\n');
  });
});

describe('GET /buy-button.js.map', () => {
  it('answers 200 at the URL the bundle names, as JSON, cacheable from any origin', async () => {
    const harness = createHarness({ deps: { scriptBundle: built } });
    const script = await (await get(harness, '/buy-button.js')).text();
    const url = sourceMapUrl(script, 'http://bff.test/buy-button.js');
    expect(url).toBe('/buy-button.js.map');
    const response = await get(harness, url ?? '');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(await response.json()).toEqual(JSON.parse(MAP));
    const etag = response.headers.get('etag') ?? '';
    expect((await get(harness, '/buy-button.js.map', { 'if-none-match': etag })).status).toBe(304);
  });

  it('leaves the comment out when the map is not given, so no URL answers 404', async () => {
    const logs: LogEntry[] = [];
    const harness = createHarness({
      deps: { scriptBundle: { body: CODE, br: built.br }, log: (entry) => logs.push(entry) },
    });
    const response = await get(harness, '/buy-button.js', { 'accept-encoding': 'br' });
    // The brotli copy still names the map: the plain body is served instead.
    expect(response.headers.get('content-encoding')).toBeNull();
    const script = await response.text();
    expect(sourceMapUrl(script, 'http://bff.test/buy-button.js')).toBeUndefined();
    expect(script).toBe(CODE.slice(0, CODE.lastIndexOf('\n//#')));
    expect(logs).toContainEqual(
      expect.objectContaining({ level: 'warn', msg: expect.stringMatching(/source map/) }),
    );
    const map = await get(harness, '/buy-button.js.map');
    expect(map.status).toBe(404);
    expect(map.headers.get('content-type')).toBe('application/problem+json');
  });

  it('answers the 503 problem while the bundle is not built', async () => {
    const harness = createHarness({ deps: { scriptBundle: async () => undefined } });
    const response = await get(harness, '/buy-button.js.map');
    expect(response.status).toBe(503);
    expect(((await response.json()) as { type: string }).type).toBe(
      problemType('scriptUnavailable'),
    );
  });
});

describe('the files beside the script', () => {
  it('answers another name under /buy-button.* with the 404 problem, built or not', async () => {
    for (const scriptBundle of [built, async () => undefined]) {
      const harness = createHarness({ deps: { scriptBundle } });
      for (const path of ['/buy-button.exe', '/buy-button.DE.json', '/buy-button.de.json/x']) {
        const response = await get(harness, path);
        expect(response.status, path).toBe(404);
        expect(((await response.json()) as { type: string }).type).toBe(problemType('notFound'));
      }
    }
  });

  it("keep the app on Hono's RegExpRouter: one regular expression per request, not a trie walk", async () => {
    const harness = createHarness({ deps: { scriptBundle: built } });
    expect((await get(harness, '/buy-button.js.map')).status).toBe(200);
    // SmartRouter settles on the first router that accepts every route, at the first request.
    expect((harness.bff.router as { activeRouter?: { name: string } }).activeRouter?.name).toBe(
      'RegExpRouter',
    );
  });
});

describe('GET /buy-button.js: Accept-Encoding', () => {
  const coding = async (bundle: ScriptBundle, acceptEncoding?: string) => {
    const harness = createHarness({ deps: { scriptBundle: bundle } });
    const headers = acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding };
    const response = await get(harness, '/buy-button.js', headers);
    expect(response.status).toBe(200);
    return response.headers.get('content-encoding') ?? undefined;
  };

  it.each<[string | undefined, 'br' | 'gzip' | undefined]>([
    [undefined, undefined],
    ['', undefined],
    ['gzip, deflate, br, zstd', 'br'],
    ['deflate, gzip, br, zstd', 'br'],
    ['gzip', 'gzip'],
    ['x-gzip', 'gzip'],
    ['GZIP;Q=0.8', 'gzip'],
    ['br;q=0.5, gzip;q=0.9', 'gzip'],
    ['br;q=0.9, gzip;q=0.9', 'br'],
    ['br;q=0, gzip', 'gzip'],
    ['*', 'br'],
    ['*;q=0.5, br;q=0', 'gzip'],
    ['*;q=0', undefined],
    ['identity', undefined],
    ['gzip;q=0.5, identity', undefined],
    ['gzip;q=0.5', 'gzip'],
    ['identity;q=0', undefined],
    ['deflate', undefined],
  ])('%j gets %s', async (header, expected) => {
    expect(await coding(built, header)).toBe(expected);
  });

  it('picks only among the copies the bundle has', async () => {
    expect(await coding({ ...built, br: undefined }, 'br, gzip')).toBe('gzip');
    expect(await coding({ ...built, br: undefined }, 'br')).toBeUndefined();
  });
});

describe('loadElementBundle (Node)', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  async function writeBuild(files: Record<string, string | Buffer>): Promise<string> {
    dir = await mkdtemp(join(tmpdir(), 'bff-bundle-'));
    for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
    return join(dir, 'buy-button.js');
  }

  it('reads the brotli and gzip copies and the map beside the script', async () => {
    const path = await writeBuild({
      'buy-button.js': CODE,
      'buy-button.js.br': brotliCompressSync(CODE),
      'buy-button.js.gz': gzipSync(CODE),
      'buy-button.js.map': MAP,
    });
    const bundle = await loadElementBundle(() => {}, path);
    expect(bundle?.body).toBe(CODE);
    expect(bundle?.br).toBeDefined();
    expect(bundle?.gzip).toBeDefined();
    expect(bundle?.map).toBe(MAP);
  });

  it('drops a copy that is not the script compressed, and says so', async () => {
    const logs: LogEntry[] = [];
    const path = await writeBuild({
      'buy-button.js': CODE,
      'buy-button.js.br': brotliCompressSync('an older build'),
      'buy-button.js.gz': Buffer.from('not gzip'),
    });
    const bundle = await loadElementBundle((entry) => logs.push(entry), path);
    expect(bundle?.body).toBe(CODE);
    expect(bundle?.br).toBeUndefined();
    expect(bundle?.gzip).toBeUndefined();
    expect(logs.map((entry) => entry.msg)).toEqual([
      expect.stringMatching(/buy-button\.js\.br is not the bundle compressed/),
      expect.stringMatching(/buy-button\.js\.gz is not the bundle compressed/),
    ]);
  });

  it('answers undefined until the script is built', async () => {
    dir = await mkdtemp(join(tmpdir(), 'bff-bundle-'));
    expect(await loadElementBundle(() => {}, join(dir, 'buy-button.js'))).toBeUndefined();
  });

  const elementBuild = fileURLToPath(import.meta.resolve('@buy-button/element/buy-button.js'));
  it.skipIf(!existsSync(elementBuild))(
    "serves the element's real build compressed, and its source map at the URL it names",
    async () => {
      const bundle = await loadElementBundle(() => {});
      expect(bundle?.br).toBeDefined();
      expect(bundle?.gzip).toBeDefined();
      const harness = createHarness({ deps: { scriptBundle: bundle } });
      const br = await get(harness, '/buy-button.js', { 'accept-encoding': 'br, gzip' });
      expect(br.headers.get('content-encoding')).toBe('br');
      const compressed = await bytes(br);
      expect(compressed.length).toBeLessThan(10 * 1024);
      const script = brotliDecompressSync(compressed).toString('utf8');
      const url = sourceMapUrl(script, 'http://bff.test/buy-button.js');
      if (url !== undefined) expect((await get(harness, url)).status).toBe(200);
    },
  );
});

describe('/buy-button.<lang>.json', () => {
  it('serves the languages the element loads on demand, readable from any page, and 404 for others', async () => {
    const harness = createHarness({
      deps: {
        scriptBundle: {
          body: 'void 0;',
          locales: { de: '{"pay":"Mit Krypto bezahlen"}' },
        },
      },
    });
    const de = await harness.bff.request('/buy-button.de.json');
    expect(de.status).toBe(200);
    expect(de.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(de.headers.get('access-control-allow-origin')).toBe('*');
    expect(await de.json()).toEqual({ pay: 'Mit Krypto bezahlen' });
    const etag = de.headers.get('etag') ?? '';
    const again = await harness.bff.request('/buy-button.de.json', {
      headers: { 'if-none-match': etag },
    });
    expect(again.status).toBe(304);
    expect((await harness.bff.request('/buy-button.xx.json')).status).toBe(404);
    expect((await harness.bff.request('/buy-button.deu.json')).status).toBe(404);
  });
});
