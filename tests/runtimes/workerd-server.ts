import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../scripts/free-port.js';
import { ROOT } from './root.js';
import { type RuntimeServer, startProcess } from './runtime-server.js';

const ENTRY = fileURLToPath(new URL('./serve-worker.ts', import.meta.url));
/** A date this workerd knows; no compatibility flag (no `nodejs_compat`). */
const COMPATIBILITY_DATE = '2026-01-01';

/**
 * Bundles serve-worker.ts with `bun build` (what wrangler does with esbuild), writes a workerd
 * config that serves it on a free port with `env` as text bindings and lets its `fetch` reach
 * loopback only (workerd's default outbound network is public addresses only), and starts
 * `workerd serve`. Ready once `/healthz` answers.
 */
export async function startWorkerd(
  workerd: string,
  bun: string,
  env: Record<string, string>,
): Promise<RuntimeServer> {
  const dir = mkdtempSync(join(tmpdir(), 'bff-workerd-'));
  const cleanUp = () => rmSync(dir, { recursive: true, force: true });
  try {
    const build = spawnSync(
      bun,
      [
        'build',
        ENTRY,
        '--target=browser',
        '--conditions=workerd',
        '--conditions=worker',
        '--format=esm',
        `--outfile=${join(dir, 'worker.js')}`,
      ],
      { cwd: ROOT, encoding: 'utf8', timeout: 20_000 },
    );
    if (build.status !== 0) throw new Error(`bun build failed:\n${build.stderr}${build.stdout}`);
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    writeFileSync(join(dir, 'config.capnp'), workerdConfig(port, { ...env, PUBLIC_URL: url }));
    return await startProcess({
      name: 'workerd',
      command: workerd,
      args: ['serve', join(dir, 'config.capnp')],
      env: {},
      url,
      onExit: cleanUp,
    });
  } catch (error) {
    cleanUp();
    throw error;
  }
}

function workerdConfig(port: number, bindings: Record<string, string>): string {
  // Cap'n Proto text strings take the same escapes as JSON strings of ASCII text.
  const text = Object.entries(bindings)
    .map(
      ([name, value]) => `    (name = ${JSON.stringify(name)}, text = ${JSON.stringify(value)}),`,
    )
    .join('\n');
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "bff", worker = .bff),
    (name = "loopback", network = (allow = ["local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "bff")],
);

const bff :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  compatibilityDate = "${COMPATIBILITY_DATE}",
  globalOutbound = "loopback",
  bindings = [
${text}
  ],
);
`;
}
