import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createApp } from './app.js';
import { loadConfig } from './config/load-config.js';
import { SHOP, testEnv } from './test/harness.js';

const SRC = dirname(fileURLToPath(import.meta.url));

/** Every module `app.ts` reaches through relative imports. */
function reachableFrom(entry: string): Map<string, string> {
  const seen = new Map<string, string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    // Doc comments may show Node usage; only code counts.
    const text = readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => !/^\s*(\*|\/\/|\/\*)/.test(line))
      .join('\n');
    seen.set(file, text);
    for (const match of text.matchAll(/from '(\.[^']+)\.js'/g)) {
      visit(resolve(dirname(file), `${match[1]}.ts`));
    }
  };
  visit(join(SRC, entry));
  return seen;
}

describe('runtime neutrality', () => {
  it.each(['app.ts', 'fetch.ts'])(
    '%s imports nothing from node:* and never reads process.env',
    (entry) => {
      const modules = reachableFrom(entry);
      expect(modules.size).toBeGreaterThan(20);
      for (const [file, text] of modules) {
        expect({ file, node: /from 'node:/.test(text) }).toEqual({ file, node: false });
        expect({ file, env: /process\.env/.test(text) }).toEqual({ file, env: false });
      }
    },
  );

  it('answers through app.fetch alone, with standard Request and Response', async () => {
    const app = createApp(loadConfig(testEnv()), {
      log: () => {},
      scriptBundle: { body: '/* element */' },
      fetch: async () => new Response('upstream unreachable in this test', { status: 503 }),
    });
    const health = await app.fetch(new Request('http://bff.test/healthz'));
    expect(health).toBeInstanceOf(Response);
    expect(health.status).toBe(200);
    const script = await app.fetch(new Request('http://bff.test/buy-button.js'));
    expect(await script.text()).toBe('/* element */');
    const refused = await app.fetch(
      new Request('http://bff.test/sessions', {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: SHOP },
        body: JSON.stringify({ button: 'btn_coffee' }),
      }),
    );
    expect(refused.status).toBe(503);
  });
});
