#!/usr/bin/env node
import { formatFixtures } from './fixtures.js';
import { SandboxConfigError } from './sandbox-options.js';
import { sandboxOptionsFromEnv } from './sandbox-options-from-env.js';
import { startSandbox } from './start-sandbox.js';

/** The sandbox as a process: configured from the environment, stopped by SIGINT / SIGTERM. */
async function main(): Promise<void> {
  let options: ReturnType<typeof sandboxOptionsFromEnv>;
  try {
    options = sandboxOptionsFromEnv(process.env);
  } catch (err) {
    if (err instanceof SandboxConfigError) {
      console.error(`sandbox: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
  const running = await startSandbox({ ...options, log: (line) => console.error(line) });
  console.log(`Sandbox payment API listening on ${running.url}`);
  console.log(`  API     ${running.url}/api`);
  console.log(`  portal  ${running.url}/pay?code=<conversionCode>`);
  console.log(`  stats   ${running.url}/__sandbox/stats`);
  console.log('');
  console.log(formatFixtures());

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    console.log(`sandbox: ${signal}, stopping`);
    running.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error('sandbox: error while stopping', err);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error('sandbox: failed to start', err);
  process.exit(1);
});
