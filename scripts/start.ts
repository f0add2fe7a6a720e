// `pnpm start`: the whole product on one machine, with no account and no network.
import { FIXTURES } from '@buy-button/sandbox';
import { startStack } from './stack.js';

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    console.error(`${name} must be a port number between 0 and 65535 (got "${raw}")`);
    process.exit(1);
  }
  return value;
}

const options = {
  host: process.env.HOST ?? '127.0.0.1',
  sandboxPort: port('SANDBOX_PORT', 8788),
  bffPort: port('BFF_PORT', 8787),
  demoPort: port('DEMO_PORT', 5173),
};

let stack: Awaited<ReturnType<typeof startStack>>;
try {
  stack = await startStack(options);
} catch (error) {
  console.error(`Could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

const { accounts } = FIXTURES;
const rows = [
  ['demo', stack.demoUrl, '← open this: the shop'],
  ['bff', stack.bffUrl, '(POST /sessions, /buy-button.js, /openapi.json)'],
  ['sandbox', stack.sandboxUrl, '(API under /api, portal at /pay, stats at /__sandbox/stats)'],
];
const width = Math.max(...rows.map(([, url]) => url?.length ?? 0));
console.log(`
  Buy-button demo is running.

${rows.map(([name, url, note]) => `  ${name?.padEnd(8)} ${url?.padEnd(width)}  ${note}`).join('\n')}

  Sandbox logins: ${accounts.service.email} / ${accounts.service.password} (Service, used by the BFF)
                  ${accounts.manager.email} / ${accounts.manager.password} (Manager, read-only)
  Press Ctrl-C to stop.
`);

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping demo, BFF and sandbox…`);
  await stack.close();
  process.exit(0);
};
process.once('SIGINT', () => void stop('SIGINT'));
process.once('SIGTERM', () => void stop('SIGTERM'));
