import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { freePort } from '../scripts/free-port.js';
import { startRedisServer } from '../scripts/redis-server.js';
import {
  type AutocannonProcess,
  type BurstOptions,
  type BurstResult,
  startAutocannonProcess,
} from './autocannon-load.js';
import {
  BENCH_SANDBOX_ENV,
  BFF_ENTRY,
  bffEnv,
  CHECKOUT_BODY,
  EXPRESS_PEER_ENTRY,
  intFromEnv,
  machineCpuMs,
  PROXY_ENTRY,
  peerEnv,
  processCpuMs,
  redisUsedMemory,
  SANDBOX_ENTRY,
  SHOP_ORIGIN,
  sandboxStats,
} from './bench-setup.js';
import { type GcPauses, type ServerProcess, startServerProcess } from './server-process.js';

/**
 * `pnpm bench`: what the BFF's `POST /sessions` costs, against two other servers making the same
 * upstream call to the same sandbox (0 ms latency): a bare `node:http` pass-through (the floor)
 * and the conventional Express 5 peer a merchant would write instead. Load from autocannon in a
 * process of its own; every server in a process of its own; rounds alternate between the three
 * sides. Reported per side: 2xx/s, p50/p99, and the CPU time of the server, the sandbox and the
 * load generator per answered checkout, with each one's CPU use over the rounds (which process
 * saturates). Then one BFF on Redis and two sharing it; then the BFF's memory over many checkouts;
 * then the script bundle's compressed size. All on 127.0.0.1, every burst bounded in time.
 *
 * Settings (environment): BENCH_ROUNDS (per side, default 3), BENCH_ROUND_SECONDS (32-connection
 * rounds, default 4), BENCH_LATENCY_ROUND_SECONDS (4-connection rounds, default 2),
 * BENCH_CONCURRENCY (default 32), BENCH_LATENCY_CONCURRENCY (default 4), BENCH_WARMUP_SECONDS
 * (per side and per Redis instance, default 3), BENCH_REDIS_ROUNDS (per Redis setup, default 2),
 * BENCH_CHECKOUTS (memory run, default 100 000; at most 75 s, then a quarter more in at most
 * 20 s), BENCH_MEMORY_WARMUP_REQUESTS (default 10 000).
 */
const settings = {
  rounds: intFromEnv('BENCH_ROUNDS', 3),
  roundSeconds: intFromEnv('BENCH_ROUND_SECONDS', 4),
  latencyRoundSeconds: intFromEnv('BENCH_LATENCY_ROUND_SECONDS', 2),
  concurrency: intFromEnv('BENCH_CONCURRENCY', 32),
  latencyConcurrency: intFromEnv('BENCH_LATENCY_CONCURRENCY', 4),
  // The first thousands of requests run before V8 has optimized the hot paths.
  warmupSeconds: intFromEnv('BENCH_WARMUP_SECONDS', 3),
  redisRounds: intFromEnv('BENCH_REDIS_ROUNDS', 2),
  checkouts: intFromEnv('BENCH_CHECKOUTS', 100_000),
  memoryWarmupRequests: intFromEnv('BENCH_MEMORY_WARMUP_REQUESTS', 10_000),
  /** Time limits of the memory run's two steps: the run stays bounded on a slow or busy host. */
  checkoutsMaxMs: 75_000,
  moreCheckoutsMaxMs: 20_000,
};

/** Load through the pass-through on each fresh sandbox before a round, so its JIT is warm. */
const SANDBOX_WARMUP_MS = 2000;

/** A process at or above this share of one core is taken as saturated... */
const SATURATED = 0.9;
/** ...and near saturation from this share on. */
const NEAR_SATURATED = 0.8;

const BUNDLE = new URL('../packages/buy-button/dist/buy-button.js', import.meta.url);

interface Row {
  figure: string;
  value: string;
  target?: string;
  verdict?: string;
}

type Role = 'server' | 'sandbox' | 'load';

interface Side {
  /** How the side is named in the output. */
  name: string;
  server: ServerProcess;
  /** The 32-connection rounds and what they cost each process. */
  loaded: Tally;
  /** The 4-connection rounds. */
  light: Tally;
}

/** Bursts of one side and one connection count, with the CPU time each process spent on them. */
class Tally {
  readonly bursts: BurstResult[] = [];
  readonly cpuMs: Record<Role, number> = { server: 0, sandbox: 0, load: 0 };
  wallMs = 0;
  machineBusyMs = 0;
  machineTotalMs = 0;
  cpuKnown = true;
  /** The server's GC pauses over the bursts (`longestMs`: the longest of them). */
  readonly gc: GcPauses = { youngMs: 0, youngCount: 0, otherMs: 0, otherCount: 0, longestMs: 0 };

  get ok(): number {
    return this.bursts.reduce((n, b) => n + b.ok, 0);
  }
}

/**
 * The run's sandbox, started again (same port, same token secret, so every server's token and
 * address stay good) at the start of each round and each part of the run: its expiry sweep walks
 * every pending order once a second, in one go, so its cost and the stall it causes grow with the
 * orders left pending (none is ever paid). Counts what each one created.
 */
class SandboxSeries {
  readonly #env: Record<string, string>;
  #current: ServerProcess | undefined;
  #created = 0;
  #logins = 0;
  #mostPending = 0;
  #count = 0;

  constructor(port: number) {
    this.#env = {
      ...BENCH_SANDBOX_ENV,
      BENCH_PORT: String(port),
      SANDBOX_TOKEN_SECRET: randomBytes(32).toString('base64url'),
    };
  }

  get current(): ServerProcess {
    if (this.#current === undefined) throw new Error('no sandbox running');
    return this.#current;
  }

  /** Stops the current sandbox (counting what it did) and starts a fresh one on the same port. */
  async restart(): Promise<ServerProcess> {
    await this.stop();
    this.#current = await startServerProcess(SANDBOX_ENTRY, { env: this.#env });
    this.#count += 1;
    return this.#current;
  }

  /** Totals over every sandbox so far: sessions created, logins, the most orders left pending. */
  async totals(): Promise<{
    sessionsCreated: number;
    logins: number;
    mostPending: number;
    sandboxes: number;
  }> {
    const now = this.#current === undefined ? undefined : await sandboxStats(this.#current.url);
    return {
      sessionsCreated: this.#created + (now?.sessionsCreated ?? 0),
      logins: this.#logins + (now?.logins ?? 0),
      mostPending: Math.max(this.#mostPending, now?.ordersByState['state:pending'] ?? 0),
      sandboxes: this.#count,
    };
  }

  async stop(): Promise<void> {
    const current = this.#current;
    if (current === undefined) return;
    this.#current = undefined;
    try {
      const stats = await sandboxStats(current.url);
      this.#created += stats.sessionsCreated;
      this.#logins += stats.logins;
      this.#mostPending = Math.max(this.#mostPending, stats.ordersByState['state:pending']);
    } finally {
      await current.stop();
    }
  }
}

/** Every answer of the whole run by status, and requests with no answer: a 503 shows here. */
const allStatuses: Record<string, number> = {};
let allNoAnswer = 0;

async function main(): Promise<void> {
  const stoppers: Array<() => Promise<void>> = [];
  const started = <T extends { stop(): Promise<void> }>(thing: T): T => {
    stoppers.push(() => thing.stop());
    return thing;
  };
  const rows: Row[] = [];
  const notes: string[] = [];
  const benchStarted = performance.now();
  const c = settings.concurrency;
  const lc = settings.latencyConcurrency;
  try {
    // Read now, right after `pnpm bench` built it: a build elsewhere may replace it meanwhile.
    const bundle = bundleRow();
    const background = await machineBusyCores(1000);
    const load = started(startAutocannonProcess());
    const sandboxes = new SandboxSeries(await freePort());
    stoppers.push(() => sandboxes.stop());
    const sandbox = await sandboxes.restart();
    const peer = peerEnv(sandbox.url);
    const proxy = started(await startServerProcess(PROXY_ENTRY, { env: peer }));
    const express = started(await startServerProcess(EXPRESS_PEER_ENTRY, { env: peer }));
    const loginsBeforeBff = (await sandboxes.totals()).logins;
    const bff = started(await startServerProcess(BFF_ENTRY, { env: bffEnv(sandbox.url) }));
    const side = (name: string, server: ServerProcess): Side => ({
      name,
      server,
      loaded: new Tally(),
      light: new Tally(),
    });
    const sides: Side[] = [
      side('BFF', bff),
      side('pass-through', proxy),
      side('Express peer', express),
    ];

    for (const s of sides) {
      progress(`warm-up: ${s.name}, ${settings.warmupSeconds} s`);
      await run(load, burst([s.server.url], c, settings.warmupSeconds * 1000));
    }

    // Alternating rounds, the order rotated every round, so a slow phase of the machine (other
    // work on it) hits every side alike. Each round starts on a fresh sandbox, warmed up, with
    // the light rounds first, while it holds few pending orders and its sweep stalls it least.
    let pendingAtRoundEnd = 0;
    let idleSandbox = Number.NaN;
    for (let round = 0; round < settings.rounds; round += 1) {
      await sandboxes.restart();
      await run(load, burst([proxy.url], c, SANDBOX_WARMUP_MS));
      const order = sides.map((_, i) => sides[(i + round) % sides.length] as Side);
      const processes = (s: Side) => ({ server: s.server, sandbox: sandboxes.current, load });
      for (const s of order) {
        await measured(s.light, processes(s), () =>
          run(load, burst([s.server.url], lc, settings.latencyRoundSeconds * 1000, true)),
        );
      }
      const said: string[] = [];
      for (const s of order) {
        const result = await measured(s.loaded, processes(s), () =>
          run(load, burst([s.server.url], c, settings.roundSeconds * 1000, true)),
        );
        said.push(`${s.name} ${Math.round(throughputOf([result]))}/s`);
      }
      progress(`round ${round + 1}/${settings.rounds}, ${c} connections: ${said.join(', ')}`);
      if (round === settings.rounds - 1) {
        // What the sandbox spends with nothing to answer, at the end of a round: its sweep.
        idleSandbox = await idleCpuShare(sandboxes.current.pid, 2000);
      }
      pendingAtRoundEnd = Math.max(
        pendingAtRoundEnd,
        (await sandboxStats(sandboxes.current.url)).ordersByState['state:pending'],
      );
    }
    const bffLogins = (await sandboxes.totals()).logins - loginsBeforeBff;
    for (const s of sides) await s.server.stop();

    const [b, p, e] = sides as [Side, Side, Side];
    for (const s of sides) {
      rows.push({
        figure: `${s.name} POST /sessions, ${c} connections`,
        value: summary(s.loaded),
      });
    }
    for (const s of sides) rows.push(cpuRow(s, c));
    for (const s of sides) rows.push(gcRow(s, c, lc));
    for (const s of sides) {
      const { row, note } = saturationRow(s, c);
      rows.push(row);
      notes.push(note);
    }
    for (const s of sides) {
      rows.push({
        figure: `${s.name} POST /sessions, ${lc} connections`,
        value: summary(s.light),
      });
    }

    const cpuRatio = ratio(perCheckoutUs(b.loaded, 'server'), perCheckoutUs(p.loaded, 'server'));
    const throughputRatio = ratio(throughputOf(b.loaded.bursts), throughputOf(e.loaded.bursts));
    const addedP99 = percentileOf(b.light.bursts, 0.99) - percentileOf(p.light.bursts, 0.99);
    rows.push(
      {
        figure: `BFF CPU per checkout ÷ pass-through CPU per checkout (${c} connections)`,
        value: fixed(cpuRatio),
        target: '≤ 2.5 (aim 1.5)',
        verdict: judge(cpuRatio <= 1.5, cpuRatio <= 2.5),
      },
      {
        figure: `BFF throughput ÷ Express peer throughput (${c} connections)`,
        value: fixed(throughputRatio),
        target: '≥ 2 (aim 3)',
        verdict: judge(throughputRatio >= 3, throughputRatio >= 2),
      },
      {
        figure: `p99 added by the BFF over the pass-through, ${lc} connections`,
        value: ms(addedP99),
        target: '≤ 1 ms',
        verdict: judge(false, addedP99 <= 1),
      },
      {
        figure: `p50 added by the BFF over the pass-through, ${lc} connections`,
        value: ms(percentileOf(b.light.bursts, 0.5) - percentileOf(p.light.bursts, 0.5)),
      },
      {
        // What the throughput ratio would be if each server had a core to itself.
        figure: `Express peer CPU per checkout ÷ BFF CPU per checkout (${c} connections)`,
        value: fixed(ratio(perCheckoutUs(e.loaded, 'server'), perCheckoutUs(b.loaded, 'server'))),
        target: 'BFF ÷ Express throughput, a core each',
      },
      {
        figure: 'upstream logins by the BFF during its rounds',
        value: String(bffLogins),
        target: '1 per token lifetime (1 h)',
        verdict: judge(false, bffLogins === 1),
      },
      {
        figure: 'sandbox: most orders pending at the end of a round; its CPU idle then',
        value:
          `${pendingAtRoundEnd.toLocaleString('en')} (cap ${Number(BENCH_SANDBOX_ENV.SANDBOX_MAX_ORDERS).toLocaleString('en')}); ` +
          `${percent(idleSandbox)} of a core (its expiry sweep)`,
      },
    );

    // One instance on Redis first, then a second one joins: the first figure is the cost of
    // keeping state in Redis, the second what a pair does on this machine.
    progress('Redis: one instance, then two');
    await sandboxes.restart();
    const redis = started(await startRedisServer());
    const shared = bffEnv(sandbox.url, { REDIS_URL: redis.url });
    const loginsBeforePair = (await sandboxes.totals()).logins;
    const first = started(await startServerProcess(BFF_ENTRY, { env: shared }));
    await run(load, burst([first.url], c, settings.warmupSeconds * 1000));
    const redisBefore = await redisUsedMemory(redis.port);
    const solo = new Tally();
    for (let round = 0; round < settings.redisRounds; round += 1) {
      solo.bursts.push(await run(load, burst([first.url], c, settings.roundSeconds * 1000, true)));
    }
    const redisGrowth = (await redisUsedMemory(redis.port)) - redisBefore;

    const second = started(await startServerProcess(BFF_ENTRY, { env: shared }));
    await run(load, burst([second.url], c, settings.warmupSeconds * 1000));
    const pair = new Tally();
    for (let round = 0; round < settings.redisRounds; round += 1) {
      pair.bursts.push(
        await run(load, burst([first.url, second.url], c, settings.roundSeconds * 1000, true)),
      );
    }
    const pairLogins = (await sandboxes.totals()).logins - loginsBeforePair;
    await first.stop();
    await second.stop();
    rows.push(
      { figure: `1 BFF instance + Redis, ${c} connections`, value: summary(solo) },
      { figure: `2 BFF instances + Redis, ${c} connections split`, value: summary(pair) },
      {
        figure: 'upstream logins by the instances on Redis',
        value: String(pairLogins),
        target: '1 (token shared through Redis)',
        verdict: judge(false, pairLogins === 1),
      },
      {
        figure: 'Redis memory per checkout (idempotency record, notes, outbox order check)',
        value: `${Math.round(redisGrowth / Math.max(1, solo.ok))} B`,
      },
    );

    progress(`memory: ${settings.checkouts} checkouts`);
    rows.push(...(await memoryRows(load, await sandboxes.restart())));
    rows.push(bundle);

    const stats = await sandboxes.totals();
    const others = Object.entries(allStatuses)
      .filter(([status]) => !status.startsWith('2'))
      .map(([status, n]) => `${status}×${n}`);
    const clean = others.length === 0 && allNoAnswer === 0;
    rows.push({
      figure: 'answers other than 2xx over the whole run (all bursts)',
      value:
        (clean
          ? 'none'
          : `${others.join(', ')}${allNoAnswer > 0 ? `, no answer×${allNoAnswer}` : ''}`) +
        ` (${stats.sessionsCreated.toLocaleString('en')} sessions created by ${stats.sandboxes} ` +
        `sandbox processes, at most ${stats.mostPending.toLocaleString('en')} pending in one)`,
      target: 'none (no 503 from a full sandbox)',
      verdict: judge(false, clean),
    });
    notes.unshift(
      `before the run the machine had ${background === undefined ? '?' : background.toFixed(2)} of ` +
        `${cpus().length} cores busy with other work`,
    );
  } finally {
    for (const stop of stoppers.reverse()) await stop().catch(() => {});
  }
  const seconds = (performance.now() - benchStarted) / 1000;
  printTable(rows, notes, seconds);
}

/** A burst of checkouts (fresh Idempotency-Key each, the element's body and Origin). */
function burst(
  targets: string[],
  connections: number,
  durationMs: number,
  keepLatencies = false,
): BurstOptions {
  return {
    targets,
    connections,
    durationMs,
    maxDurationMs: durationMs + 5000,
    body: CHECKOUT_BODY,
    headers: { origin: SHOP_ORIGIN },
    idempotencyKey: true,
    keepLatencies,
  };
}

/** Runs one burst, adding its answers to the run's count by status. */
async function run(load: AutocannonProcess, options: BurstOptions): Promise<BurstResult> {
  const result = await load.run(options);
  for (const [status, n] of Object.entries(result.statuses)) {
    allStatuses[status] = (allStatuses[status] ?? 0) + n;
  }
  allNoAnswer += result.errors;
  return result;
}

/** Runs `burst` and adds it, with the CPU time each process and the machine spent, to `tally`. */
async function measured(
  tally: Tally,
  processes: { server: ServerProcess; sandbox: ServerProcess; load: AutocannonProcess },
  burst: () => Promise<BurstResult>,
): Promise<BurstResult> {
  const roles = Object.keys(processes) as Role[];
  const read = () => roles.map((role) => processCpuMs(processes[role].pid));
  const gcBefore = await processes.server.gcPauses();
  const machineBefore = machineCpuMs();
  const before = read();
  const t0 = performance.now();
  const result = await burst();
  const wallMs = performance.now() - t0;
  const after = read();
  const machineAfter = machineCpuMs();
  const gcAfter = await processes.server.gcPauses();
  for (const key of ['youngMs', 'youngCount', 'otherMs', 'otherCount'] as const) {
    tally.gc[key] += gcAfter[key] - gcBefore[key];
  }
  tally.gc.longestMs = Math.max(tally.gc.longestMs, gcAfter.longestMs);
  tally.bursts.push(result);
  tally.wallMs += wallMs;
  roles.forEach((role, i) => {
    const a = after[i];
    const b = before[i];
    if (a === undefined || b === undefined) tally.cpuKnown = false;
    else tally.cpuMs[role] += a - b;
  });
  if (machineBefore === undefined || machineAfter === undefined) tally.cpuKnown = false;
  else {
    tally.machineBusyMs += machineAfter.busy - machineBefore.busy;
    tally.machineTotalMs += machineAfter.total - machineBefore.total;
  }
  return result;
}

/** µs of CPU per answered checkout for one process of a side. */
function perCheckoutUs(tally: Tally, role: Role): number {
  const ok = tally.ok;
  return tally.cpuKnown && ok > 0 ? (tally.cpuMs[role] * 1000) / ok : Number.NaN;
}

function cpuRow(side: Side, connections: number): Row {
  const t = side.loaded;
  const us = (role: Role) => `${Math.round(perCheckoutUs(t, role))} µs`;
  return {
    figure: `CPU per checkout, ${side.name} side, ${connections} connections`,
    value: t.cpuKnown
      ? `${side.name} ${us('server')}, sandbox ${us('sandbox')}, load generator ${us('load')}`
      : 'unknown (no /proc)',
  };
}

/**
 * The server's GC pauses: what they take per checkout under load, and how long one young
 * collection stops it in the light rounds, where a pause lands on every request in flight (p99).
 */
function gcRow(side: Side, connections: number, lightConnections: number): Row {
  const { loaded, light } = side;
  const perCheckout = (g: GcPauses, ok: number) =>
    ok > 0 ? `${Math.round(((g.youngMs + g.otherMs) * 1000) / ok)} µs` : '?';
  const average = (totalMs: number, count: number) => (count > 0 ? ms(totalMs / count) : '-');
  return {
    figure: `GC pauses of the ${side.name} server`,
    value:
      `${perCheckout(loaded.gc, loaded.ok)} per checkout at ${connections} connections; at ` +
      `${lightConnections}: ${light.gc.youngCount} young collections of ` +
      `${average(light.gc.youngMs, light.gc.youngCount)} on average, ${light.gc.otherCount} ` +
      `other pauses of ${average(light.gc.otherMs, light.gc.otherCount)}, longest ` +
      `${ms(light.gc.longestMs)}`,
  };
}

/**
 * Each process's CPU use over the side's loaded rounds (CPU seconds ÷ wall seconds, 1 = one core
 * busy all along) and the machine's, and which of them is the limit.
 */
function saturationRow(side: Side, connections: number): { row: Row; note: string } {
  const t = side.loaded;
  const figure = `CPU use over the ${connections}-connection rounds, ${side.name} side`;
  if (!t.cpuKnown || t.wallMs <= 0) {
    return { row: { figure, value: 'unknown (no /proc)' }, note: `${side.name}: CPU unknown` };
  }
  const cores = cpus().length;
  const share: Record<Role, number> = {
    server: t.cpuMs.server / t.wallMs,
    sandbox: t.cpuMs.sandbox / t.wallMs,
    load: t.cpuMs.load / t.wallMs,
  };
  const machine = t.machineTotalMs > 0 ? (t.machineBusyMs / t.machineTotalMs) * cores : Number.NaN;
  const label: Record<Role, string> = {
    server: side.name,
    sandbox: 'sandbox',
    load: 'load generator',
  };
  // What the rest of the machine did meanwhile (other work on a shared host, the kernel).
  const others = Math.max(0, machine - share.server - share.sandbox - share.load);
  const value =
    `${side.name} ${percent(share.server)}, sandbox ${percent(share.sandbox)}, ` +
    `load generator ${percent(share.load)} of a core; machine ${machine.toFixed(2)} of ${cores} ` +
    `cores busy, ${others.toFixed(2)} of them by other processes`;
  const ranked = (Object.keys(share) as Role[]).sort((x, y) => share[y] - share[x]);
  const top = ranked[0] as Role;
  const state = (role: Role) =>
    share[role] >= SATURATED ? 'saturated' : share[role] >= NEAR_SATURATED ? 'near saturation' : '';
  const busyMachine =
    `machine ${machine.toFixed(2)} of ${cores} cores busy` +
    (others >= 0.1 ? `, ${others.toFixed(2)} by other processes` : '');
  let verdict: string;
  if (state(top) !== '' && top !== 'server' && state('server') === '') {
    verdict =
      `the ${label[top]} is ${state(top)} (${percent(share[top])} of a core) while the ` +
      `${side.name} is not (${percent(share.server)}): the ${label[top]}, not the ${side.name}, ` +
      `bounds this side's throughput (${busyMachine})`;
  } else if (state('server') !== '') {
    verdict =
      `the ${side.name} is ${state('server')} (${percent(share.server)} of a core)` +
      (top === 'server'
        ? ', first of the three'
        : `, and the ${label[top]} at ${percent(share[top])}`) +
      ` (${busyMachine})`;
  } else if (machine >= SATURATED * cores) {
    verdict =
      `no process is near a full core, but the ${cores} cores are (${busyMachine}): they are ` +
      `the limit, shared by all; busiest: the ${label[top]} (${percent(share[top])})`;
  } else {
    verdict = `nothing saturates (busiest: the ${label[top]}, ${percent(share[top])}; ${busyMachine})`;
  }
  return {
    row: { figure, value },
    note: `${side.name} side: ${verdict}`,
  };
}

/** The share of one core a process uses over `ms` of waiting. */
async function idleCpuShare(pid: number, ms: number): Promise<number> {
  const before = processCpuMs(pid);
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = processCpuMs(pid);
  return before === undefined || after === undefined ? Number.NaN : (after - before) / ms;
}

/** Cores busy (all processes) over `ms`, before the bench starts anything. */
async function machineBusyCores(ms: number): Promise<number | undefined> {
  const before = machineCpuMs();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = machineCpuMs();
  if (before === undefined || after === undefined || after.total === before.total) return undefined;
  return ((after.busy - before.busy) / (after.total - before.total)) * cpus().length;
}

/**
 * RSS and JS heap of a fresh BFF (memory store) before and after `checkouts`, then after a quarter
 * as many again: the in-memory store is capped, so the second step shows whether growth levels off.
 * Checkouts go in chunks, and the run stops early if the BFF's pace falls below a fifth of its
 * first chunk's: then that is what the rows say.
 */
async function memoryRows(load: AutocannonProcess, sandbox: ServerProcess): Promise<Row[]> {
  const bff = await startServerProcess(BFF_ENTRY, { env: bffEnv(sandbox.url) });
  const c = settings.concurrency;
  try {
    // A warm-up without Idempotency-Key (no idempotency record; each still leaves its order
    // notes and its outbox order check) settles the JIT, the connection pools and V8's first heap
    // growth, so what follows is what checkouts leave behind.
    await run(load, {
      ...burst([bff.url], c, 60_000),
      amount: Math.max(c, settings.memoryWarmupRequests),
      idempotencyKey: false,
    });
    const before = await bff.memory();
    const pace = new Pace();
    const done = await checkoutsInChunks(
      load,
      bff,
      settings.checkouts,
      settings.checkoutsMaxMs,
      pace,
    );
    const after = await bff.memory();
    const heapGrowth = after.heapUsed - before.heapUsed;
    const rows: Row[] = [
      {
        figure: `BFF RSS before → after ${done.toLocaleString('en')} checkouts (memory store)`,
        value:
          `${mib(before.rss)} → ${mib(after.rss)} (${signedMib(after.rss - before.rss)}; ` +
          `JS heap in use ${signedMib(heapGrowth)}, ${Math.round(heapGrowth / Math.max(1, done))} B per checkout)`,
        target: '< 50 MiB growth',
        verdict: judge(false, after.rss - before.rss < 50 * 2 ** 20),
      },
    ];
    if (pace.collapsedAfter === undefined) {
      // Past the store's cap (100 000 keys) every new record evicts the oldest: a quarter more
      // is enough to see whether memory still grows.
      const more = await checkoutsInChunks(
        load,
        bff,
        Math.ceil(settings.checkouts / 4),
        settings.moreCheckoutsMaxMs,
        pace,
      );
      const later = await bff.memory();
      rows.push({
        figure: `BFF RSS after ${more.toLocaleString('en')} more`,
        value:
          `${mib(later.rss)} (${signedMib(later.rss - after.rss)}; ` +
          `JS heap in use ${signedMib(later.heapUsed - after.heapUsed)})`,
        target: 'levels off (store capped)',
      });
    }
    rows.push({
      figure: `BFF pace over the memory run (chunks of ${MEMORY_CHUNK.toLocaleString('en')})`,
      value: pace.describe(settings.memoryWarmupRequests),
      target: 'steady (no chunk under half the first)',
      verdict: judge(false, pace.steady),
    });
    return rows;
  } finally {
    await bff.stop();
  }
}

const MEMORY_CHUNK = 10_000;

/** The BFF's checkouts per second chunk after chunk, and where it fell below a fifth of the first. */
class Pace {
  first: number | undefined;
  slowest = Number.POSITIVE_INFINITY;
  /** Checkouts (after the warm-up) before the chunk where the pace collapsed. */
  collapsedAfter: number | undefined;
  collapsedRate = Number.NaN;
  total = 0;

  /** Adds a chunk; true when the pace has collapsed. */
  add(ok: number, durationMs: number): boolean {
    const rate = durationMs > 0 ? (ok * 1000) / durationMs : 0;
    this.first ??= rate;
    this.slowest = Math.min(this.slowest, rate);
    if (rate < this.first / 5) {
      this.collapsedAfter = this.total;
      this.collapsedRate = rate;
    }
    this.total += ok;
    return this.collapsedAfter !== undefined;
  }

  /** No chunk at less than half the first chunk's pace. */
  get steady(): boolean {
    return this.first !== undefined && this.slowest >= this.first / 2;
  }

  describe(warmup: number): string {
    const first = `${Math.round(this.first ?? Number.NaN)}/s over the first chunk`;
    if (this.collapsedAfter === undefined) {
      return `${first}, slowest chunk ${Math.round(this.slowest)}/s`;
    }
    return (
      `${first}, then ${Math.round(this.collapsedRate)}/s after ` +
      `${this.collapsedAfter.toLocaleString('en')} checkouts ` +
      `(+${warmup.toLocaleString('en')} warm-up sessions): stopped there`
    );
  }
}

/** Up to `total` checkouts in chunks, within `maxMs`, stopping if the pace collapses. */
async function checkoutsInChunks(
  load: AutocannonProcess,
  bff: ServerProcess,
  total: number,
  maxMs: number,
  pace: Pace,
): Promise<number> {
  const deadline = performance.now() + maxMs;
  let done = 0;
  while (done < total && pace.collapsedAfter === undefined) {
    const left = deadline - performance.now();
    if (left < 1000) break;
    const amount = Math.max(settings.concurrency, Math.min(MEMORY_CHUNK, total - done));
    const result = await run(load, {
      ...burst([bff.url], settings.concurrency, Math.min(left, 15_000)),
      maxDurationMs: Math.min(left, 15_000),
      amount,
    });
    done += result.ok;
    pace.add(result.ok, result.durationMs);
  }
  return done;
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

/** 2xx per second over bursts taken together (each from its start to its last answer). */
function throughputOf(bursts: readonly BurstResult[]): number {
  const ok = bursts.reduce((n, b) => n + b.ok, 0);
  const seconds = bursts.reduce((n, b) => n + b.durationMs, 0) / 1000;
  return seconds > 0 ? ok / seconds : Number.NaN;
}

/** Nearest-rank percentile of the 2xx latencies of bursts taken together, in ms. */
function percentileOf(bursts: readonly BurstResult[], fraction: number): number {
  const sorted = bursts.flatMap((b) => b.latenciesMs).sort((x, y) => x - y);
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

function summary(tally: Tally): string {
  const { bursts } = tally;
  const answered = bursts.reduce(
    (n, b) => n + Object.values(b.statuses).reduce((m, k) => m + k, 0),
    0,
  );
  const noAnswer = bursts.reduce((n, b) => n + b.errors, 0);
  const failed = answered - tally.ok + noAnswer;
  return (
    `${Math.round(throughputOf(bursts))} 2xx/s, p50 ${ms(percentileOf(bursts, 0.5))}, ` +
    `p99 ${ms(percentileOf(bursts, 0.99))} (${tally.ok.toLocaleString('en')} 2xx` +
    `${failed === 0 ? '' : `, ${failed} not 2xx`})`
  );
}

/** "met (aim too)", "met", "missed". */
function judge(aim: boolean, target: boolean): string {
  if (aim) return 'met, aim too';
  return target ? 'met' : 'missed';
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : Number.NaN);
const fixed = (value: number) => value.toFixed(2);
const ms = (value: number) => `${value.toFixed(2)} ms`;
const percent = (share: number) => `${Math.round(share * 100)}%`;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const signedMib = (bytes: number) => `${bytes >= 0 ? '+' : ''}${mib(bytes)}`;
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

function progress(step: string): void {
  console.error(`bench: ${step}`);
}

function printTable(rows: readonly Row[], notes: readonly string[], seconds: number): void {
  const header: Row = { figure: 'figure', value: 'value', target: 'target', verdict: 'met?' };
  const all = [header, ...rows];
  const keys = ['figure', 'value', 'target', 'verdict'] as const;
  const width = (key: keyof Row) => Math.max(...all.map((row) => (row[key] ?? '').length));
  const line = (row: Row) =>
    `| ${keys.map((key) => (row[key] ?? '').padEnd(width(key))).join(' | ')} |`;
  const cpu = cpus();
  console.log(
    `\n${cpu.length} × ${cpu[0]?.model.trim() ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ` +
      `Node ${process.version}; load from autocannon; ${settings.rounds} alternating rounds per ` +
      `side of ${settings.roundSeconds} s at ${settings.concurrency} connections and ` +
      `${settings.latencyRoundSeconds} s at ${settings.latencyConcurrency}; ${seconds.toFixed(0)} s\n`,
  );
  console.log(line(header));
  console.log(`|${keys.map((key) => '-'.repeat(width(key) + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
  console.log('\nWhich process saturates:');
  for (const note of notes) console.log(`- ${note}`);
}

main().catch((error: unknown) => {
  console.error('bench: failed:', error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
