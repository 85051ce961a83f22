// The server part: each framework's five servers (`VARIANTS`) in child processes (on core 1 where possible), loaded with
// autocannon (core 0) in interleaved repetitions; per run, also the server's CPU time from /proc/<pid>/stat.
import { execFileSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { request, type IncomingMessage } from 'node:http';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { canPin, spawnNode } from '../child-process.js';
import { BODY, PATH } from '../config.js';
import { interleaved } from '../stats.js';
import { answerProblem, KIND_VARIANTS, KINDS, REQUESTS, type Kind, type ServerFramework, type Variant } from './apps.js';

export type ServerRun = Awaited<ReturnType<typeof load>>;
export type ServerRow = { framework: ServerFramework; kind: Kind; variant: Variant; runs: ServerRun[]; problem: string | undefined };
export type ServerMeta = Awaited<ReturnType<typeof runServer>>['meta'];
type Running = { readonly variant: Variant; readonly child: ChildProcess; readonly port: number };

/** The unit of /proc's CPU times (USER_HZ): 100 on every architecture Node supports on Linux. */
const TICKS_PER_SECOND = 100;

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

/** Start `apps.ts <framework> <variant>` (its stderr is ours); resolves once it prints `READY <port>`, killed after 60 s without. */
async function startChild(framework: ServerFramework, variant: Variant, pin: boolean): Promise<Running> {
  const child = spawnNode(new URL('./apps.ts', import.meta.url), [framework, variant], ['ignore', 'pipe', 'inherit'], { pin });
  const timer = setTimeout(() => child.kill(), 60_000);
  try {
    for await (const line of createInterface({ input: child.stdout! })) {
      const port = /^READY (\d+)$/.exec(line)?.[1];
      if (port !== undefined) return { variant, child, port: Number(port) };
    }
  } finally {
    clearTimeout(timer);
  }
  if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
  throw new Error(`${framework}/${variant} exited (${child.exitCode ?? child.signalCode}) without printing READY: see its error above`);
}

async function stop({ child }: Running): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await once(child, 'exit');
}

/** `answerProblem` of a server's answer to one request of `kind` over HTTP. */
async function check(running: Running, kind: Kind): Promise<string | undefined> {
  const req = request({ host: '127.0.0.1', port: running.port, path: PATH, ...REQUESTS[kind] }).end();
  const [res] = (await once(req, 'response')) as [IncomingMessage];
  let body = '';
  for await (const chunk of res.setEncoding('utf8')) body += chunk as string;
  return answerProblem(running.variant, kind, { status: res.statusCode ?? 0, appRan: body === BODY, headers: res.headers });
}

async function load(running: Running, kind: Kind, duration: number, connections: number) {
  const pid = running.child.pid!;
  const ticks0 = cpuTicks(pid);
  const t0 = performance.now();
  const result = await autocannon({ url: `http://127.0.0.1:${running.port}${PATH}`, ...REQUESTS[kind], connections, pipelining: 1, duration });
  const wall = (performance.now() - t0) / 1000;
  const ticks1 = cpuTicks(pid);
  const total = result.requests.total;
  const cpuSeconds = ticks0 === undefined || ticks1 === undefined ? undefined : (ticks1 - ticks0) / TICKS_PER_SECOND;
  return {
    rps: total / (result.duration > 0 ? result.duration : wall),
    /** Server CPU microseconds per request (user + system). */
    cpuUsPerRequest: cpuSeconds === undefined || total === 0 ? undefined : (cpuSeconds * 1e6) / total,
    /** Server CPU busy fraction during the run (1 = one core fully used). */
    serverCpu: cpuSeconds === undefined ? undefined : cpuSeconds / wall,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

export async function runServer(settings: {
  duration: number; warmup: number; reps: number; connections: number; frameworks: readonly ServerFramework[]; log: (line: string) => void;
}) {
  const { duration, warmup, reps, connections, log } = settings;
  const pin = canPin();
  if (pin) execFileSync('taskset', ['-a', '-cp', '0', String(process.pid)], { stdio: 'ignore' });
  log(pin ? 'server: autocannon pinned to core 0, servers to core 1' : 'server: no pinning (taskset missing or a single core)');
  const all: ServerRow[] = [];
  for (const framework of settings.frameworks) {
    const rows = KINDS.flatMap((kind) =>
      KIND_VARIANTS[kind].map((variant): ServerRow => ({ framework, kind, variant, runs: [], problem: undefined })));
    const row = (kind: Kind, variant: Variant): ServerRow => rows.find((x) => x.kind === kind && x.variant === variant)!;
    const servers: Running[] = [];
    try {
      for (const variant of KIND_VARIANTS.simple) servers.push(await startChild(framework, variant, pin));
      for (const s of servers) {
        for (const kind of KINDS.filter((k) => KIND_VARIANTS[k].includes(s.variant))) {
          const problem = await check(s, kind);
          row(kind, s.variant).problem = problem;
          if (problem !== undefined) log(`  ! ${framework}/${s.variant} ${kind}: ${problem}`);
          // Warm-up (JIT, connection pools): not recorded.
          if (warmup > 0) await load(s, kind, warmup, connections);
        }
      }
      for (let rep = 0; rep < reps; rep++) {
        for (const kind of KINDS) {
          const group = servers.filter((s) => KIND_VARIANTS[kind].includes(s.variant) && row(kind, s.variant).problem === undefined);
          const line: string[] = [];
          for (const s of interleaved(group, rep)) {
            const run = await load(s, kind, duration, connections);
            row(kind, s.variant).runs.push(run);
            line.push(`${s.variant} ${Math.round(run.rps)} req/s${run.cpuUsPerRequest === undefined ? '' : ` ${run.cpuUsPerRequest.toFixed(1)} µs CPU`}`);
          }
          log(`  ${framework.padEnd(13)} ${kind.padEnd(9)} rep ${rep + 1}/${reps}: ${line.join(', ')}`);
        }
      }
    } catch (error) {
      log(`  ! ${framework}: ${String(error)}`);
      for (const x of rows) if (x.runs.length === 0) x.problem = String(error);
    } finally {
      await Promise.all(servers.map(stop));
    }
    all.push(...rows);
  }
  return { rows: all, meta: { pinned: pin } };
}
