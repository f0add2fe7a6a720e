import { sandboxOptionsFromEnv, startSandbox } from '@buy-button/sandbox';
import { serveInChildProcess } from './server-process.js';

/**
 * The sandbox as a benchmark child process, configured by its usual environment
 * (`SANDBOX_LATENCY_MS`, `SANDBOX_FAULT_RATE`, ...). `BENCH_PORT` pins the port, so a restarted
 * sandbox comes back at the same address; default a free one.
 */
serveInChildProcess(() =>
  startSandbox({
    ...sandboxOptionsFromEnv(process.env),
    host: '127.0.0.1',
    port: Number(process.env.BENCH_PORT ?? 0),
  }),
);
