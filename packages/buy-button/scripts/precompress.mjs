// Writes brotli (quality 11) and gzip (-9) copies of a built file beside it, byte for byte what
// was written, so a server answers `Content-Encoding: br` / `gzip` without compressing per
// request. Used by vite.config.ts on the script-tag bundle (`dist/buy-button.js.br`,
// `dist/buy-button.js.gz`); `node scripts/precompress.mjs dist/buy-button.js` does it by hand.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** Writes `<path>.br` and `<path>.gz`; answers their sizes in bytes. */
export async function precompressFile(path) {
  const code = await readFile(path);
  const br = brotliCompressSync(code, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: code.length,
    },
  });
  const gzip = gzipSync(code, { level: 9 });
  await Promise.all([writeFile(`${path}.br`, br), writeFile(`${path}.gz`, gzip)]);
  return { br: br.length, gzip: gzip.length };
}

/** A Vite plugin: once the bundle is on disk, precompresses `file` of the output directory. */
export function precompress(file) {
  return {
    name: 'buy-button:precompress',
    apply: 'build',
    async writeBundle(options) {
      await precompressFile(join(options.dir ?? 'dist', file));
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [path] = process.argv.slice(2);
  if (path === undefined) {
    console.error('usage: node scripts/precompress.mjs <file>');
    process.exit(2);
  }
  console.log(`${path}:`, await precompressFile(path));
}
