// Checks the package as it is published (`pnpm --filter @buy-button/element test:package`), on
// the built `dist/` (run the build first):
// 1. packs it with pnpm, which applies `publishConfig` (the `dist/` exports);
// 2. `publint --strict` and `attw --profile esm-only` (Are the Types Wrong?) on that tarball, and
//    the README's API tables against the manifest it ships;
// 3. imports every export of the unpacked tarball in a plain Node process, each alone: none may
//    throw where there is no DOM (a server rendering the page, a test runner).
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => join(root, 'node_modules/.bin', name);
for (const file of ['dist/index.js', 'dist/buy-button.js', 'dist/buy-button.d.ts']) {
  if (!existsSync(join(root, file))) {
    console.error(
      `test:package: no ${file}; run \`pnpm --filter @buy-button/element build\` first`,
    );
    process.exit(1);
  }
}

const work = mkdtempSync(join(tmpdir(), 'buy-button-package-'));
let failed = 0;
const step = (label, ok, output = '') => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${label}`);
  if (!ok) {
    failed++;
    if (output) console.log(output.trim().replace(/^/gm, '     '));
  }
};
const run = (command, args, cwd = root) => {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
};

try {
  const packed = run('pnpm', ['pack', '--pack-destination', work]);
  const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'));
  step('pnpm pack', packed.ok && tarball !== undefined, packed.output);
  if (!tarball) throw new Error('nothing packed');
  const tgz = join(work, tarball);

  const publint = run(bin('publint'), ['run', tgz, '--strict']);
  step('publint --strict', publint.ok, publint.output);
  const attw = run(bin('attw'), [
    tgz,
    '--profile',
    'esm-only',
    '--format',
    'table-flipped',
    '--no-color',
  ]);
  step('attw --profile esm-only', attw.ok, attw.output);
  const tables = run(process.execPath, ['scripts/api-tables.mjs', '--check']);
  step('README API tables match custom-elements.json', tables.ok, tables.output);

  // The unpacked package in a node_modules of its own, next to its (dev) dependencies.
  const modules = join(work, 'node_modules');
  const unpacked = join(modules, '@buy-button/element');
  mkdirSync(unpacked, { recursive: true });
  const untar = run('tar', ['xzf', tgz, '-C', unpacked, '--strip-components=1']);
  if (!untar.ok) throw new Error(untar.output);
  for (const name of ['lit', '@lit', 'react', 'react-dom', 'vue', 'svelte']) {
    const target = join(root, 'node_modules', name);
    if (existsSync(target) && !existsSync(join(modules, name))) {
      symlinkSync(target, join(modules, name));
    }
  }
  const manifest = JSON.parse(readFileSync(join(unpacked, 'package.json'), 'utf8'));
  for (const entry of Object.keys(manifest.exports)) {
    const specifier = `@buy-button/element${entry.slice(1)}`;
    const json = entry.endsWith('.json') ? ", { with: { type: 'json' } }" : '';
    const imported = run(
      process.execPath,
      ['--input-type=module', '-e', `await import(${JSON.stringify(specifier)}${json});`],
      work,
    );
    step(`node: import '${specifier}'`, imported.ok, imported.output);
  }
} catch (error) {
  step('package', false, String(error));
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(`package: ${failed === 0 ? 'all checks passed' : `${failed} failed`}`);
process.exit(failed ? 1 : 0);
