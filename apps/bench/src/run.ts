/**
 * `pnpm bench` — runs the benchmarks and writes docs/benchmarks.md and docs/benchmarks.svg.
 *
 *   pnpm bench                      everything (in-process, allocations, direct, servers): ~35 min
 *   pnpm bench --quick              smoke run: proves the scripts work, figures are meaningless
 *   pnpm bench --only inprocess     only one part (inprocess, alloc, direct, server; comma-separated)
 *   pnpm bench --only server --frameworks express,koa --reps 7 --duration 10
 *
 * Options: --rounds N --time MS --paired-time MS (in-process), --direct-rounds N --batches N (direct),
 * --reps N --duration S --warmup S --connections N (server), --frameworks a,b (direct, server), --cases a,b (in-process and alloc),
 * --no-report (keep results/*.json, do not rewrite docs/).
 * Each part writes apps/bench/results/<part>.json; the report is built from the latest
 * result of every part, each labelled with its own date and settings.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { canPin, runNodeForJson } from './child-process.js';
import { runInprocess } from './inprocess/run.js';
import { machine } from './machine.js';
import { writeReport, RESULTS_DIR, type PartMeta } from './report.js';
import { runDirect } from './server/direct.js';
import { runServer, SERVER_FRAMEWORKS } from './server/run.js';
import type { ServerFramework } from './server/apps.js';

const PARTS = ['inprocess', 'alloc', 'direct', 'server'] as const;
type Part = (typeof PARTS)[number];

function parseArgs(argv: readonly string[]): Map<string, string | true> {
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}`);
    const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    if (inline !== undefined) flags.set(name, inline);
    else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) flags.set(name, argv[++i]!);
    else flags.set(name, true);
  }
  return flags;
}

const flags = parseArgs(process.argv.slice(2).filter((a) => a !== '--'));
const known = ['quick', 'only', 'rounds', 'time', 'paired-time', 'direct-rounds', 'batches', 'reps', 'duration', 'warmup', 'connections', 'frameworks', 'cases', 'no-report', 'help'];
for (const name of flags.keys()) if (!known.includes(name)) throw new Error(`unknown option --${name} (known: ${known.map((k) => `--${k}`).join(' ')})`);
if (flags.has('help')) {
  console.log('usage: pnpm bench [--quick] [--only inprocess,alloc,direct,server] [--rounds N] [--time MS] [--paired-time MS] [--direct-rounds N] [--batches N] [--reps N] [--duration S] [--warmup S] [--connections N] [--frameworks a,b] [--cases a,b] [--no-report]');
  process.exit(0);
}

const quick = flags.has('quick');
const list = (name: string): string[] => {
  const value = flags.get(name);
  return typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter((s) => s !== '') : [];
};
const num = (name: string, fallback: number): number => {
  const value = flags.get(name);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (typeof value !== 'string' || !Number.isFinite(n) || n <= 0) throw new Error(`--${name} needs a positive number`);
  return n;
};
const only = list('only');
for (const part of only) if (!PARTS.includes(part as Part)) throw new Error(`--only takes ${PARTS.join(', ')}`);
const parts = PARTS.filter((p) => only.length === 0 || only.includes(p));
const cases = list('cases');
const frameworks = list('frameworks');
for (const f of frameworks) if (!SERVER_FRAMEWORKS.includes(f as ServerFramework)) throw new Error(`--frameworks takes ${SERVER_FRAMEWORKS.join(', ')}`);

const log = (line: string): void => console.log(line);
mkdirSync(RESULTS_DIR, { recursive: true });

function meta(settings: Record<string, unknown>): PartMeta {
  return { date: new Date().toISOString(), quick, machine: machine(), settings };
}

function save(part: Part, data: unknown): void {
  writeFileSync(new URL(`${part}.json`, RESULTS_DIR), `${JSON.stringify(data, null, 1)}\n`);
}

/** The allocation part needs V8 flags, so it runs in a child process. */
function runAllocChild(): Promise<unknown> {
  const script = fileURLToPath(new URL('./alloc.ts', import.meta.url));
  const args = ['--expose-gc', '--min-semi-space-size=64', '--max-semi-space-size=64', ...process.execArgv, script];
  if (quick) args.push('--quick');
  if (cases.length > 0) args.push('--cases', cases.join(','));
  return runNodeForJson('allocation run', args);
}

const started = Date.now();
if (quick) log('QUICK (smoke) run: the figures prove the scripts work and mean nothing.');

if (parts.includes('inprocess')) {
  const settings = { time: num('time', quick ? 100 : 500), warmupTime: quick ? 20 : 200, rounds: num('rounds', quick ? 1 : 5), batch: 128, pairedTime: num('paired-time', quick ? 100 : 3000), cases, log };
  log(`in-process: ${settings.rounds} round(s), ${settings.time} ms per task per round, ${settings.batch} requests per iteration; then ${settings.pairedTime} ms of paired rounds per group`);
  const m = meta({ time: settings.time, warmupTime: settings.warmupTime, rounds: settings.rounds, batch: settings.batch, pairedTime: settings.pairedTime });
  const rows = await runInprocess(settings);
  save('inprocess', { meta: m, rows });
}

if (parts.includes('alloc')) {
  log(`allocations: ${quick ? '2,000' : 'up to 1,000,000'} requests per side and case`);
  const m = meta({ batch: quick ? 1000 : 10_000, maxRequests: quick ? 2000 : 1_000_000 });
  const rows = await runAllocChild();
  save('alloc', { meta: m, rows });
}

if (parts.includes('direct')) {
  const settings = {
    rounds: num('direct-rounds', quick ? 2 : 15),
    batches: num('batches', quick ? 2 : 20),
    frameworks: (frameworks.length > 0 ? frameworks : SERVER_FRAMEWORKS) as ServerFramework[],
    log,
  };
  const pin = canPin();
  log(`direct: the real servers driven in-process, ${settings.rounds} interleaved round(s) of ${settings.batches} × 50 requests per variant${pin ? ', pinned to core 1' : ''}`);
  const m = meta({ rounds: settings.rounds, batches: settings.batches, concurrency: 50, pinned: pin });
  const results = await runDirect(settings, pin);
  save('direct', { meta: m, results });
}

if (parts.includes('server')) {
  const settings = {
    duration: num('duration', quick ? 1 : 5),
    warmup: flags.has('warmup') ? num('warmup', 1) : quick ? 0.3 : 2,
    reps: num('reps', quick ? 1 : 5),
    connections: num('connections', quick ? 10 : 50),
    frameworks: (frameworks.length > 0 ? frameworks : SERVER_FRAMEWORKS) as ServerFramework[],
    log,
  };
  log(`server: ${settings.reps} interleaved repetition(s) of ${settings.duration} s, ${settings.connections} connections, frameworks ${settings.frameworks.join(', ')}`);
  const m = meta({ duration: settings.duration, warmup: settings.warmup, reps: settings.reps, connections: settings.connections });
  const { rows, meta: serverMeta } = await runServer(settings);
  save('server', { meta: { ...m, ...serverMeta }, rows });
}

if (!flags.has('no-report')) {
  const written = writeReport();
  log(`wrote ${written.join(' and ')}`);
}
log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
