import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { FIXTURES } from '@buy-button/sandbox';

const entry = fileURLToPath(new URL('../packages/bff/src/main.ts', import.meta.url));

/** One receipt secret for every BFF a test run starts: instances of one merchant share it. */
const RECEIPT_SECRET = randomBytes(32).toString('base64url');

/**
 * The settings every system test's BFF shares: the sandbox at `sandboxUrl` with its service
 * account, the shop's origin, the coffee button, the run's receipt secret, loopback only.
 */
export function bffSettings(sandboxUrl: string, shop: string): Record<string, string> {
  return {
    UPSTREAM_API_URL: `${sandboxUrl}/api`,
    PORTAL_URL: `${sandboxUrl}/pay`,
    UPSTREAM_EMAIL: FIXTURES.accounts.service.email,
    UPSTREAM_PASSWORD: FIXTURES.accounts.service.password,
    ALLOWED_ORIGINS: shop,
    BUTTONS: JSON.stringify({
      btn_coffee: { name: 'Coffee beans', price: '4.50', currency: 'EUR' },
    }),
    RECEIPT_SECRET,
    HOST: '127.0.0.1',
  };
}

export interface BffProcess {
  url: string;
  /** Everything it printed so far (JSON log lines on stdout and stderr). */
  output(): string;
  /** Sends `signal` and resolves once the process has exited. */
  kill(signal: NodeJS.Signals): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Runs the BFF exactly as `pnpm --filter @buy-button/bff start` does (its `main.ts`, configured
 * only by its environment) and resolves once it prints where it listens.
 */
export async function startBffProcess(env: Record<string, string>): Promise<BffProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let printed = '';
  const keep = (chunk: Buffer) => {
    printed += chunk.toString();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = await listeningUrl(child);
  return {
    url,
    output: () => printed,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`BFF did not start within 30 s:\n${output}`));
    }, 30_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`BFF exited with code ${code} before listening:\n${output}`));
    });
  });
}
