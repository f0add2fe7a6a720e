// The type tests of the published typings (`pnpm --filter @buy-button/element test:types`):
// 1. emits the package's declarations as `tsc -p tsconfig.build.json` does for `dist/`, into
//    node_modules/.cache/buy-button-types, which test/types/tsconfig.json maps the package to;
// 2. React 19: `tsc` over test/types/react/CoffeeCheckout.tsx, importing only the React wrapper;
// 3. Vue 3: `vue-tsc` with `strictTemplates` over test/types/vue/CoffeeCheckout.vue;
// 4. Svelte 5: `svelte-check` over test/types/svelte/DonationCheckout.svelte.
// React and Vue fixtures mark the misuses they must reject with `@ts-expect-error` /
// `@vue-expect-error`, which fail the check once their error disappears. Svelte has no such
// comment for markup, so here `<!-- expect-error: why -->` means the same: the next line must
// have an error, and no other line may have one.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => fileURLToPath(new URL(`../node_modules/.bin/${name}`, import.meta.url));
const types = 'node_modules/.cache/buy-button-types';

function run(label, command, args) {
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8' });
  return { label, ok: result.status === 0, output: `${result.stdout}${result.stderr}`.trim() };
}

function svelte() {
  const dir = 'test/types/svelte';
  const result = run('svelte-check', bin('svelte-check'), [
    '--workspace',
    dir,
    '--tsconfig',
    `${root}/${dir}/tsconfig.json`,
    '--output',
    'machine',
    '--fail-on-warnings',
  ]);
  const found = new Map();
  for (const line of result.output.split('\n')) {
    const match = /^\d+ (ERROR|WARNING) "([^"]+)" (\d+):\d+ (.*)$/.exec(line);
    if (match) found.set(`${match[2]}:${match[3]}`, `${match[1]} ${match[4]}`);
  }
  const expected = new Set();
  for (const file of readdirSync(`${root}/${dir}`).filter((name) => name.endsWith('.svelte'))) {
    readFileSync(`${root}/${dir}/${file}`, 'utf8')
      .split('\n')
      .forEach((line, index) => {
        // The marked line is index + 1 (1-based), the one it is about, index + 2.
        if (/<!--\s*expect-error\b/.test(line)) expected.add(`${file}:${index + 2}`);
      });
  }
  const problems = [
    ...[...expected].filter((at) => !found.has(at)).map((at) => `${at}: expected an error, none`),
    ...[...found].filter(([at]) => !expected.has(at)).map(([at, what]) => `${at}: ${what}`),
  ];
  if (!/COMPLETED \d+ FILES/.test(result.output)) problems.push(result.output);
  return {
    label: `svelte-check (${expected.size} expected errors)`,
    ok: problems.length === 0,
    output: problems.join('\n'),
  };
}

rmSync(`${root}/${types}`, { recursive: true, force: true });
const steps = [
  () =>
    run('declarations', bin('tsc'), [
      '-p',
      'tsconfig.build.json',
      '--emitDeclarationOnly',
      '--declarationMap',
      'false',
      '--outDir',
      types,
    ]),
  () => run('react (tsc)', bin('tsc'), ['-p', 'test/types/react/tsconfig.json']),
  () =>
    run('vue (vue-tsc, strictTemplates)', bin('vue-tsc'), ['-p', 'test/types/vue/tsconfig.json']),
  svelte,
];
let failed = 0;
for (const step of steps) {
  const { label, ok, output } = step();
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${label}`);
  if (!ok) {
    failed++;
    console.log(output.replace(/^/gm, '     '));
  }
}
console.log(`types: ${steps.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
