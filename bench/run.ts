import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { startRedisServer } from '../scripts/redis-server.js';
import {
  BFF_ENTRY,
  bffEnv,
  CHECKOUT_BODY,
  intFromEnv,
  PROXY_ENTRY,
  processCpuMs,
  redisUsedMemory,
  SANDBOX_ENTRY,
  SHOP_ORIGIN,
  sandboxStats,
} from './bench-setup.js';
import {
  type LoadGenerator,
  type LoadOptions,
  type LoadResult,
  type LoadSummary,
  startLoadGenerator,
  summarize,
} from './load.js';
import { type ServerProcess, startServerProcess } from './server-process.js';

/**
 * `pnpm bench`: the BFF's `POST /sessions` against a bare `node:http` pass-through making the same
 * upstream call to the same sandbox (0 ms latency), in alternating rounds of the same run; then
 * one BFF on Redis, then two sharing it; then the BFF's memory before and after many checkouts;
 * then the script bundle's compressed size. Every server and the load generator run in processes
 * of their own, on 127.0.0.1, and every burst is bounded in count and time.
 *
 * Settings (environment): BENCH_CHECKOUTS (memory run, default 100 000), BENCH_ROUNDS (per side,
 * default 3), BENCH_ROUND_REQUESTS (default 5000), BENCH_CONCURRENCY (default 32),
 * BENCH_LATENCY_CONCURRENCY (latency rounds, default 4), BENCH_WARMUP_REQUESTS (default 4000),
 * BENCH_MEMORY_WARMUP_REQUESTS (default 20 000).
 */
const settings = {
  checkouts: intFromEnv('BENCH_CHECKOUTS', 100_000),
  rounds: intFromEnv('BENCH_ROUNDS', 3),
  roundRequests: intFromEnv('BENCH_ROUND_REQUESTS', 5000),
  concurrency: intFromEnv('BENCH_CONCURRENCY', 32),
  latencyConcurrency: intFromEnv('BENCH_LATENCY_CONCURRENCY', 4),
  // The first thousands of requests run before V8 has optimized the hot paths.
  warmupRequests: intFromEnv('BENCH_WARMUP_REQUESTS', 4000),
  memoryWarmupRequests: intFromEnv('BENCH_MEMORY_WARMUP_REQUESTS', 20_000),
  roundMaxMs: 20_000,
  checkoutsMaxMs: 150_000,
};

const BUNDLE = new URL('../packages/buy-button/dist/buy-button.js', import.meta.url);

interface Row {
  figure: string;
  value: string;
  target?: string;
}

async function main(): Promise<void> {
  const stoppers: Array<() => Promise<void>> = [];
  const started = <T extends { stop(): Promise<void> }>(thing: T): T => {
    stoppers.push(() => thing.stop());
    return thing;
  };
  const rows: Row[] = [];
  const benchStarted = performance.now();
  try {
    const load = started(startLoadGenerator());
    const sandbox = started(
      await startServerProcess(SANDBOX_ENTRY, {
        env: { SANDBOX_LATENCY_MS: '0', SANDBOX_FAULT_RATE: '0' },
      }),
    );
    const proxy = started(
      await startServerProcess(PROXY_ENTRY, { env: { UPSTREAM_API_URL: `${sandbox.url}/api` } }),
    );
    const loginsBeforeBff = (await sandboxStats(sandbox.url)).logins;
    const bff = started(await startServerProcess(BFF_ENTRY, { env: bffEnv(sandbox.url) }));

    progress('warm-up');
    await load.run(burst([bff.url], settings.warmupRequests, settings.concurrency));
    await load.run(burst([proxy.url], settings.warmupRequests, settings.concurrency));

    // Alternating rounds, so a slow phase of the machine hits both sides alike.
    const bffRounds: LoadResult[] = [];
    const proxyRounds: LoadResult[] = [];
    const bffLight: LoadResult[] = [];
    const proxyLight: LoadResult[] = [];
    // CPU time each process spends on the loaded rounds, per side: it says what a checkout
    // costs each process, whatever else the machine was doing at the time.
    const bffCpu = cpuMeter({ server: bff.pid, sandbox: sandbox.pid, load: load.pid });
    const proxyCpu = cpuMeter({ server: proxy.pid, sandbox: sandbox.pid, load: load.pid });
    for (let round = 1; round <= settings.rounds; round += 1) {
      progress(`round ${round}/${settings.rounds}`);
      bffRounds.push(
        await bffCpu.during(() =>
          load.run(burst([bff.url], settings.roundRequests, settings.concurrency)),
        ),
      );
      proxyRounds.push(
        await proxyCpu.during(() =>
          load.run(burst([proxy.url], settings.roundRequests, settings.concurrency)),
        ),
      );
      const light = Math.ceil(settings.roundRequests / 4);
      bffLight.push(await load.run(burst([bff.url], light, settings.latencyConcurrency)));
      proxyLight.push(await load.run(burst([proxy.url], light, settings.latencyConcurrency)));
    }
    const bffLogins = (await sandboxStats(sandbox.url)).logins - loginsBeforeBff;
    await bff.stop();
    await proxy.stop();

    const b = summarize(bffRounds);
    const p = summarize(proxyRounds);
    const bl = summarize(bffLight);
    const pl = summarize(proxyLight);
    const c = settings.concurrency;
    const lc = settings.latencyConcurrency;
    rows.push(
      { figure: `BFF POST /sessions, ${c} in flight`, value: describeSummary(b) },
      { figure: `pass-through proxy, ${c} in flight`, value: describeSummary(p) },
      {
        figure: 'throughput ratio BFF / pass-through',
        value: ratio(b.throughput, p.throughput).toFixed(2),
        target: '≥ 0.80 (aim 0.90)',
      },
      { figure: `p99 added by the BFF, ${c} in flight`, value: ms(b.p99Ms - p.p99Ms) },
      ...cpuRows(bffCpu.perRequestUs(b.ok), proxyCpu.perRequestUs(p.ok), c),
      { figure: `BFF POST /sessions, ${lc} in flight`, value: describeSummary(bl) },
      { figure: `pass-through proxy, ${lc} in flight`, value: describeSummary(pl) },
      {
        figure: `p50 / p99 added by the BFF, ${lc} in flight`,
        value: `${ms(bl.p50Ms - pl.p50Ms)} / ${ms(bl.p99Ms - pl.p99Ms)}`,
        target: 'p99 ≤ 2 ms',
      },
      {
        figure: 'upstream logins by the BFF during its rounds',
        value: String(bffLogins),
        target: '1 per token lifetime (1 h)',
      },
    );

    // One instance on Redis first, then a second one joins: the first figure is the cost of
    // keeping state in Redis, the second what a pair does on this machine.
    progress('Redis: one instance, then two');
    const redis = started(await startRedisServer());
    const shared = bffEnv(sandbox.url, { REDIS_URL: redis.url });
    const loginsBeforePair = (await sandboxStats(sandbox.url)).logins;
    const first = started(await startServerProcess(BFF_ENTRY, { env: shared }));
    await load.run(burst([first.url], settings.warmupRequests, settings.concurrency));
    const redisBefore = await redisUsedMemory(redis.port);
    const soloRounds: LoadResult[] = [];
    for (let round = 1; round <= settings.rounds; round += 1) {
      soloRounds.push(
        await load.run(burst([first.url], settings.roundRequests, settings.concurrency)),
      );
    }
    const soloSummary = summarize(soloRounds);
    const redisGrowth = (await redisUsedMemory(redis.port)) - redisBefore;

    const second = started(await startServerProcess(BFF_ENTRY, { env: shared }));
    await load.run(burst([second.url], settings.warmupRequests, settings.concurrency));
    const pairUrls = [first.url, second.url];
    const pairRounds: LoadResult[] = [];
    for (let round = 1; round <= settings.rounds; round += 1) {
      pairRounds.push(
        await load.run(burst(pairUrls, settings.roundRequests, settings.concurrency)),
      );
    }
    const pairLogins = (await sandboxStats(sandbox.url)).logins - loginsBeforePair;
    await first.stop();
    await second.stop();
    rows.push(
      {
        figure: `1 BFF instance + Redis, ${c} in flight`,
        value: describeSummary(soloSummary),
      },
      {
        figure: `2 BFF instances + Redis, ${c} in flight split`,
        value: describeSummary(summarize(pairRounds)),
      },
      {
        figure: 'upstream logins by the instances on Redis',
        value: String(pairLogins),
        target: '1 (token shared through Redis)',
      },
      {
        figure: 'Redis memory per checkout (idempotency record, kept 24 h)',
        value: `${Math.round(redisGrowth / Math.max(1, soloSummary.ok))} B`,
      },
    );

    progress(`memory: ${settings.checkouts} checkouts`);
    rows.push(...(await memoryRows(load, sandbox)));
    rows.push(bundleRow());
  } finally {
    for (const stop of stoppers.reverse()) await stop().catch(() => {});
  }
  const seconds = (performance.now() - benchStarted) / 1000;
  printTable(rows, seconds);
}

/** RSS of a fresh BFF after a short warm-up, then after `checkouts` more, memory store. */
/**
 * RSS and JS heap of a fresh BFF (memory store) before and after `checkouts`, then after half as
 * many again: the in-memory store is capped, so the second step shows whether growth levels off.
 */
async function memoryRows(load: LoadGenerator, sandbox: ServerProcess): Promise<Row[]> {
  const bff = await startServerProcess(BFF_ENTRY, { env: bffEnv(sandbox.url) });
  try {
    // A warm-up that stores nothing (no Idempotency-Key) settles the JIT, the connection pools
    // and V8's first heap growth, so what follows is what checkouts leave behind.
    await load.run({
      ...burst([bff.url], settings.memoryWarmupRequests, settings.concurrency),
      idempotencyKey: false,
    });
    const before = await bff.memory();
    const run = async (count: number) =>
      summarize([
        await load.run({
          ...burst([bff.url], count, settings.concurrency),
          maxDurationMs: settings.checkoutsMaxMs,
        }),
      ]).ok;
    const done = await run(settings.checkouts);
    const after = await bff.memory();
    const more = await run(Math.ceil(settings.checkouts / 2));
    const later = await bff.memory();
    const heapGrowth = after.heapUsed - before.heapUsed;
    return [
      {
        figure: `BFF RSS before → after ${done.toLocaleString('en')} checkouts (memory store)`,
        value:
          `${mib(before.rss)} → ${mib(after.rss)} (${signedMib(after.rss - before.rss)}; ` +
          `JS heap in use ${signedMib(heapGrowth)}, ${Math.round(heapGrowth / Math.max(1, done))} B per checkout)`,
        target: '< 50 MiB growth',
      },
      {
        figure: `BFF RSS after ${more.toLocaleString('en')} more`,
        value:
          `${mib(later.rss)} (${signedMib(later.rss - after.rss)}; ` +
          `JS heap in use ${signedMib(later.heapUsed - after.heapUsed)})`,
        target: 'levels off (store capped)',
      },
    ];
  } finally {
    await bff.stop();
  }
}

function bundleRow(): Row {
  let source: Buffer;
  try {
    source = readFileSync(BUNDLE);
  } catch {
    return {
      figure: 'script bundle',
      value: 'not built (pnpm --filter @buy-button/element build)',
    };
  }
  const gzip = gzipSync(source, { level: 9 }).length;
  const brotli = brotliCompressSync(source, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_SIZE_HINT]: source.length,
    },
  }).length;
  return {
    figure: 'script bundle buy-button.js: raw / gzip -9 / brotli 11',
    value: `${kib(source.length)} / ${kib(gzip)} / ${kib(brotli)}`,
  };
}

type CpuSide = 'server' | 'sandbox' | 'load';

/** Adds up the CPU time `pids` use while the runs given to `during` go on. */
function cpuMeter(pids: Record<CpuSide, number>) {
  const totals: Record<CpuSide, number> = { server: 0, sandbox: 0, load: 0 };
  let known = true;
  const read = () => {
    const now = {} as Record<CpuSide, number>;
    for (const side of Object.keys(pids) as CpuSide[]) {
      const value = processCpuMs(pids[side]);
      if (value === undefined) known = false;
      now[side] = value ?? 0;
    }
    return now;
  };
  return {
    async during<T>(run: () => Promise<T>): Promise<T> {
      const before = read();
      const result = await run();
      const after = read();
      for (const side of Object.keys(totals) as CpuSide[]) {
        totals[side] += after[side] - before[side];
      }
      return result;
    },
    /** µs of CPU per answered request, per process; `undefined` without procfs. */
    perRequestUs(requests: number): Record<CpuSide, number> | undefined {
      if (!known || requests === 0) return undefined;
      const us = (ms: number) => (ms * 1000) / requests;
      return { server: us(totals.server), sandbox: us(totals.sandbox), load: us(totals.load) };
    },
  };
}

function cpuRows(
  bff: Record<CpuSide, number> | undefined,
  proxy: Record<CpuSide, number> | undefined,
  concurrency: number,
): Row[] {
  if (bff === undefined || proxy === undefined) return [];
  const us = (value: number) => `${Math.round(value)} µs`;
  const costs = (side: Record<CpuSide, number>, server: string) =>
    `${server} ${us(side.server)}, sandbox ${us(side.sandbox)}, load generator ${us(side.load)}`;
  return [
    {
      figure: `CPU per checkout with the BFF, ${concurrency} in flight`,
      value: costs(bff, 'BFF'),
    },
    {
      figure: `CPU per checkout with the pass-through, ${concurrency} in flight`,
      value: costs(proxy, 'pass-through'),
    },
  ];
}

function burst(targets: string[], count: number, concurrency: number): LoadOptions {
  return {
    targets,
    count,
    concurrency,
    maxDurationMs: settings.roundMaxMs,
    body: CHECKOUT_BODY,
    headers: { origin: SHOP_ORIGIN },
    idempotencyKey: true,
  };
}

function describeSummary(s: LoadSummary): string {
  const failed = s.failed === 0 ? '' : `, ${s.failed} failed`;
  return `${Math.round(s.throughput)} req/s, p50 ${ms(s.p50Ms)}, p99 ${ms(s.p99Ms)} (${s.requests}${failed})`;
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : Number.NaN);
const ms = (value: number) => `${value.toFixed(2)} ms`;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const signedMib = (bytes: number) => `${bytes >= 0 ? '+' : ''}${mib(bytes)}`;
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

function progress(step: string): void {
  console.error(`bench: ${step}`);
}

function printTable(rows: readonly Row[], seconds: number): void {
  const header: Row = { figure: 'figure', value: 'value', target: 'target' };
  const all = [header, ...rows];
  const width = (key: keyof Row) => Math.max(...all.map((row) => (row[key] ?? '').length));
  const w = { figure: width('figure'), value: width('value'), target: width('target') };
  const line = (row: Row) =>
    `| ${row.figure.padEnd(w.figure)} | ${row.value.padEnd(w.value)} | ${(row.target ?? '').padEnd(w.target)} |`;
  const cpu = cpus();
  console.log(
    `\n${cpu.length} × ${cpu[0]?.model.trim() ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ` +
      `Node ${process.version}; ${settings.rounds} alternating rounds of ${settings.roundRequests} ` +
      `requests per side; ${seconds.toFixed(0)} s\n`,
  );
  console.log(line(header));
  console.log(
    `|${'-'.repeat(w.figure + 2)}|${'-'.repeat(w.value + 2)}|${'-'.repeat(w.target + 2)}|`,
  );
  for (const row of rows) console.log(line(row));
}

main().catch((error: unknown) => {
  console.error('bench: failed:', error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
