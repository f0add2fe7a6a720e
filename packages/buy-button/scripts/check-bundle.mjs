// Checks the script-tag bundle the way a strict page will load it, and prints its size:
// a classic script (no import/export statements), nothing CSP's 'unsafe-eval' would be needed
// for, under the gzip budget.
import { readFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

// Lit itself, trimmed (vite.config.ts), is about 4 KiB of it.
const BUDGET_GZIP_BYTES = 9 * 1024;
const file = new URL('../dist/buy-button.js', import.meta.url);
const code = readFileSync(file, 'utf8');

const problems = [];
if (/(^|[;}\s])import\s*[\s{*'"(]/.test(code.replace(/`[^`]*`/g, ''))) {
  problems.push('has an import (not a classic script)');
}
if (/(^|[;}\s])export\s*[{*]|export default/.test(code)) problems.push('has an export statement');
if (/\beval\s*\(|new\s+Function\s*\(/.test(code)) problems.push("needs 'unsafe-eval'");
// Pages that declare no charset decode the script as windows-1252: ASCII reads the same in all.
if (/[\u0080-\uffff]/.test(code)) problems.push('has non-ASCII characters');
try {
  // Parses as a classic script (throws on module syntax).
  new Function(code);
} catch (error) {
  problems.push(`does not parse as a classic script: ${error.message}`);
}

const gzip = gzipSync(code, { level: 9 }).length;
const brotli = brotliCompressSync(code, {
  params: { [constants.BROTLI_PARAM_QUALITY]: 11 },
}).length;
if (gzip > BUDGET_GZIP_BYTES)
  problems.push(`gzip ${gzip} B is over the ${BUDGET_GZIP_BYTES} B budget`);

const kb = (bytes) => `${(bytes / 1024).toFixed(2)} KiB`;
console.log(
  `dist/buy-button.js: ${kb(code.length)} minified, ${kb(gzip)} (${gzip} B) gzip -9, ${kb(brotli)} (${brotli} B) brotli -q 11; budget ${BUDGET_GZIP_BYTES} B gzip`,
);
if (problems.length > 0) {
  console.error(`dist/buy-button.js ${problems.join('; ')}`);
  process.exit(1);
}
