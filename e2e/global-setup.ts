import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Runs `scripts/start.ts` (what `pnpm start` runs after building) on free ports and hands the
 * printed URLs to the tests as DEMO_URL, BFF_URL and SANDBOX_URL. Stopping it with SIGTERM at the
 * end also checks that the process stops all three servers.
 */
export default async function globalSetup() {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: root,
    // Every test shopper comes from 127.0.0.1: the per-IP limit is raised so it is not what a test meets.
    env: {
      ...process.env,
      SANDBOX_PORT: '0',
      BFF_PORT: '0',
      DEMO_PORT: '0',
      RATE_LIMIT: '10000/60s',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const urls = await readUrls(child);
  process.env.DEMO_URL = urls.demo;
  process.env.BFF_URL = urls.bff;
  process.env.SANDBOX_URL = urls.sandbox;

  return async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const code = await Promise.race([
      exited,
      new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 10_000)),
    ]);
    if (code === 'timeout') {
      child.kill('SIGKILL');
      throw new Error('the stack did not stop within 10 s of SIGTERM');
    }
  };
}

function readUrls(child: ChildProcess): Promise<Record<'demo' | 'bff' | 'sandbox', string>> {
  return new Promise((resolve, reject) => {
    let output = '';
    const found: Partial<Record<'demo' | 'bff' | 'sandbox', string>> = {};
    const timer = setTimeout(() => fail(new Error('the stack did not start within 60 s')), 60_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${error.message}\n${output}`));
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      for (const match of output.matchAll(/^\s*(demo|bff|sandbox)\s+(http:\/\/\S+)/gm)) {
        found[match[1] as 'demo' | 'bff' | 'sandbox'] = match[2] as string;
      }
      if (found.demo && found.bff && found.sandbox) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        resolve(found as Record<'demo' | 'bff' | 'sandbox', string>);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => fail(new Error(`the stack exited early with code ${code}`)));
  });
}
