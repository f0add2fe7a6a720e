import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { STORE_ERROR_MESSAGE } from './store/store-error-log.js';
import { testEnv } from './test/harness.js';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

describe('main with REDIS_URL', () => {
  it('logs Redis connection errors as rate-limited JSON lines, without the password', async () => {
    const env = {
      PATH: process.env.PATH ?? '',
      ...testEnv(),
      BFF_PORT: '0',
      UPSTREAM_RETRIES: '0',
      UPSTREAM_TIMEOUT_MS: '500',
      // Nothing listens on port 1: every connection attempt is refused.
      REDIS_URL: 'redis://bff:hunter2-redis-password@127.0.0.1:1/0',
    };
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: PACKAGE_DIR,
      env,
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /listening on (http:\/\/\S+)/.exec(stdout);
        if (match?.[1] !== undefined) resolve(match[1]);
      });
      child.once('exit', () => reject(new Error(`exited before listening:\n${stderr}`)));
    });
    try {
      for (let i = 0; i < 3; i += 1) {
        expect((await fetch(`${url}/readyz`)).status).toBe(503);
      }
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);

    const storeLines = stderr
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { msg?: string; store?: string; level?: string })
      .filter((entry) => entry.msg === STORE_ERROR_MESSAGE);
    expect(storeLines).toHaveLength(1);
    expect(storeLines[0]).toMatchObject({ level: 'error', store: 'redis://127.0.0.1:1/0' });
    expect(stdout + stderr).not.toContain('hunter2');
  }, 30_000);
});

describe('main as a command', () => {
  const run = (...args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
        cwd: PACKAGE_DIR,
        // No settings at all: these must answer without starting anything.
        env: { PATH: process.env.PATH ?? '' },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
      });
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      child.once('exit', (code) => resolve({ code, stdout, stderr }));
    });

  it('prints its usage for --help and its version for --version, exit 0', async () => {
    const help = await run('--help');
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toContain('buy-button-bff events <command>');
    // Without REDIS_URL too: asking for help needs no outbox.
    const eventsHelp = await run('events', '--help');
    expect(eventsHelp).toMatchObject({ code: 0, stderr: '' });
    expect(eventsHelp.stdout).toContain('redeliver --all-failed');
    const manifest = JSON.parse(readFileSync(`${PACKAGE_DIR}/package.json`, 'utf8'));
    expect(await run('--version')).toEqual({
      code: 0,
      stdout: `${manifest.version}\n`,
      stderr: '',
    });
  }, 30_000);

  it('refuses an argument it does not know with its usage, exit 2, instead of starting', async () => {
    const unknown = await run('serve');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('bff: "serve" is not a command');
    expect(unknown.stderr).toContain('Usage: buy-button-bff');
  }, 30_000);
});
