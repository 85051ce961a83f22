/**
 * Server benchmark: each framework bare, with its incumbent and with ours, over loopback.
 *
 * - Each server is a child process pinned to core 1 (`taskset -c 1`) when `taskset` exists
 *   and there are at least 2 cores; this process (autocannon) pins itself to core 0.
 * - The three servers of a framework run side by side; runs are interleaved: each
 *   repetition runs every variant once, in an order that rotates (and reverses every other
 *   repetition), so drift on a noisy machine hits all variants alike.
 * - Per run: requests/s (autocannon), and the server's CPU time per request, read from
 *   /proc/<pid>/stat (less sensitive to the load generator than throughput); plus the
 *   server's CPU utilisation, to show whether the server was the bottleneck.
 * - Before measuring, one simple request and one preflight check each server's answers.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { canPin, spawnNode } from '../child-process.js';
import { PATH, PREFLIGHT_METHOD } from '../config.js';
import { rotate } from '../stats.js';
import { SERVER_FRAMEWORKS, type ServerFramework, type Variant } from './apps.js';

export type Kind = 'simple' | 'preflight';

export interface ServerSettings {
  readonly duration: number;
  readonly warmup: number;
  readonly reps: number;
  readonly connections: number;
  readonly frameworks: readonly ServerFramework[];
  readonly log: (line: string) => void;
}

export interface ServerRun {
  readonly rps: number;
  /** Server CPU microseconds per request (user + system). */
  readonly cpuUsPerRequest: number | undefined;
  /** Server CPU busy fraction during the run (1 = one core fully used). */
  readonly serverCpu: number | undefined;
  readonly p50: number;
  readonly p99: number;
  readonly non2xx: number;
  readonly errors: number;
}

export interface ServerRow {
  readonly framework: ServerFramework;
  readonly kind: Kind;
  readonly variant: Variant;
  readonly runs: readonly ServerRun[];
  readonly problem: string | undefined;
}

export interface ServerMeta {
  readonly pinned: boolean;
  readonly clockTicks: number;
}

const ORIGIN = 'https://app9.example.com';
const REQUEST_HEADERS = 'content-type,x-request-id';

const HEADERS: Record<Kind, Record<string, string>> = {
  simple: { origin: ORIGIN },
  preflight: { origin: ORIGIN, 'access-control-request-method': PREFLIGHT_METHOD, 'access-control-request-headers': REQUEST_HEADERS },
};
const METHOD: Record<Kind, string> = { simple: 'GET', preflight: 'OPTIONS' };
/** Variants measured per kind: a bare framework does not answer preflights, so it has no preflight figure. */
const KIND_VARIANTS: Record<Kind, readonly Variant[]> = { simple: ['bare', 'floor', 'incumbent', 'ours'], preflight: ['incumbent', 'ours'] };

function clockTicks(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

/** utime + stime of a process, in clock ticks; undefined where /proc is missing. */
function cpuTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}

interface Running {
  readonly variant: Variant;
  readonly child: ChildProcess;
  readonly port: number;
}

const APPS = fileURLToPath(new URL('./apps.ts', import.meta.url));

function startChild(framework: ServerFramework, variant: Variant, pin: boolean): Promise<Running> {
  const nodeArgs = [...process.execArgv, APPS, framework, variant];
  const child = spawnNode(nodeArgs, pin, ['ignore', 'pipe', 'pipe']);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`${framework}/${variant} did not start within 60 s: ${err.slice(0, 500)}`));
    }, 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /READY (\d+)/.exec(out);
      if (match !== null) {
        clearTimeout(timer);
        resolve({ variant, child, port: Number(match[1]) });
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${framework}/${variant} exited (${code}): ${err.slice(0, 500)}`));
    });
  });
}

function stop(running: Running): Promise<void> {
  return new Promise((resolve) => {
    if (running.child.exitCode !== null) return resolve();
    running.child.once('exit', () => resolve());
    running.child.kill('SIGTERM');
  });
}

/** One request; resolves with status and headers. */
function probe(port: number, kind: Kind): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: PATH, method: METHOD[kind], headers: HEADERS[kind] }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function check(running: Running, kind: Kind): Promise<string | undefined> {
  const { status, headers } = await probe(running.port, kind);
  const acao = headers['access-control-allow-origin'];
  if (running.variant === 'bare') return status === 200 && acao === undefined ? undefined : `bare answered ${status}, ACAO ${String(acao)}`;
  if (acao !== ORIGIN) return `Access-Control-Allow-Origin: ${String(acao)} (expected ${ORIGIN})`;
  if (kind === 'simple') return status === 200 ? undefined : `status ${status}`;
  if (status < 200 || status > 299) return `preflight status ${status}`;
  if (headers['access-control-allow-methods'] === undefined) return 'no Access-Control-Allow-Methods';
  return undefined;
}

async function load(running: Running, kind: Kind, duration: number, connections: number, ticksPerSecond: number): Promise<ServerRun> {
  const pid = running.child.pid!;
  const ticks0 = cpuTicks(pid);
  const t0 = performance.now();
  const result = await autocannon({
    url: `http://127.0.0.1:${running.port}${PATH}`,
    method: METHOD[kind],
    headers: HEADERS[kind],
    connections,
    pipelining: 1,
    duration,
  });
  const wall = (performance.now() - t0) / 1000;
  const ticks1 = cpuTicks(pid);
  const total = result.requests.total;
  const cpuSeconds = ticks0 === undefined || ticks1 === undefined ? undefined : (ticks1 - ticks0) / ticksPerSecond;
  return {
    rps: total / (result.duration > 0 ? result.duration : wall),
    cpuUsPerRequest: cpuSeconds === undefined || total === 0 ? undefined : (cpuSeconds * 1e6) / total,
    serverCpu: cpuSeconds === undefined ? undefined : cpuSeconds / wall,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

export async function runServer(settings: ServerSettings): Promise<{ rows: ServerRow[]; meta: ServerMeta }> {
  const pin = canPin();
  if (pin) execFileSync('taskset', ['-a', '-cp', '0', String(process.pid)], { stdio: 'ignore' });
  const ticks = clockTicks();
  settings.log(pin ? 'server: autocannon pinned to core 0, servers to core 1' : 'server: no pinning (taskset missing or a single core)');
  const rows: ServerRow[] = [];
  for (const framework of settings.frameworks) {
    const runs = new Map<string, ServerRun[]>();
    const problems = new Map<string, string>();
    const key = (kind: Kind, variant: Variant): string => `${kind}/${variant}`;
    const servers: Running[] = [];
    try {
      for (const variant of ['bare', 'floor', 'incumbent', 'ours'] as const) servers.push(await startChild(framework, variant, pin));
      for (const s of servers) {
        for (const kind of ['simple', 'preflight'] as const) {
          if (!KIND_VARIANTS[kind].includes(s.variant)) continue;
          const problem = await check(s, kind);
          if (problem !== undefined) {
            problems.set(key(kind, s.variant), problem);
            settings.log(`  ! ${framework}/${s.variant} ${kind}: ${problem}`);
          }
          // Warm-up (JIT, connection pools): not recorded.
          if (settings.warmup > 0) await load(s, kind, settings.warmup, settings.connections, ticks);
        }
      }
      for (let rep = 0; rep < settings.reps; rep++) {
        for (const kind of ['simple', 'preflight'] as const) {
          const group = servers.filter((s) => KIND_VARIANTS[kind].includes(s.variant) && !problems.has(key(kind, s.variant)));
          const ordered = rep % 2 === 0 ? rotate(group, rep) : rotate(group, rep).reverse();
          const line: string[] = [];
          for (const s of ordered) {
            const run = await load(s, kind, settings.duration, settings.connections, ticks);
            const list = runs.get(key(kind, s.variant)) ?? [];
            list.push(run);
            runs.set(key(kind, s.variant), list);
            line.push(`${s.variant} ${Math.round(run.rps)} req/s${run.cpuUsPerRequest === undefined ? '' : ` ${run.cpuUsPerRequest.toFixed(1)} µs CPU`}`);
          }
          settings.log(`  ${framework.padEnd(13)} ${kind.padEnd(9)} rep ${rep + 1}/${settings.reps}: ${line.join(', ')}`);
        }
      }
    } catch (error) {
      settings.log(`  ! ${framework}: ${String(error)}`);
      for (const kind of ['simple', 'preflight'] as const) {
        for (const variant of KIND_VARIANTS[kind]) if (!runs.has(key(kind, variant))) problems.set(key(kind, variant), String(error));
      }
    } finally {
      await Promise.all(servers.map(stop));
    }
    for (const kind of ['simple', 'preflight'] as const) {
      for (const variant of KIND_VARIANTS[kind]) {
        rows.push({ framework, kind, variant, runs: runs.get(key(kind, variant)) ?? [], problem: problems.get(key(kind, variant)) });
      }
    }
  }
  return { rows, meta: { pinned: pin, clockTicks: ticks } };
}

export { SERVER_FRAMEWORKS };
