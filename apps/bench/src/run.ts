/**
 * `pnpm bench` — runs the benchmarks and writes docs/benchmarks.md and docs/benchmarks.svg.
 *
 *   pnpm bench                      everything (in-process on Node 20 and 24, allocations, scale, direct, servers)
 *   pnpm bench --quick              smoke run: proves the scripts work, figures are meaningless
 *   pnpm bench --only inprocess     only some parts (inprocess, inprocess24, alloc, scale, direct, profile, server; comma-separated)
 *   pnpm bench --only server --frameworks express,koa --reps 7 --duration 10
 *
 * Options: --rounds N --time MS --paired-time MS (in-process), --node MAJOR (Node of inprocess24, default 24),
 * --direct-rounds N --batches N (direct),
 * --reps N --duration S --warmup S --connections N (server), --frameworks a,b (in-process, direct, server), --cases a,b (in-process and alloc),
 * --no-report (keep results/*.json, do not rewrite docs/).
 * Each part writes apps/bench/results/<part>.json; the report is built from the latest
 * result of every part, each labelled with its own date and settings.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { canPin, nodeBinary, runNodeForJson } from './child-process.js';
import { FRAMEWORKS } from './inprocess/drivers.js';
import { runInprocess } from './inprocess/run.js';
import { machine, type Machine } from './machine.js';
import { writeReport, RESULTS_DIR, type PartMeta } from './report/index.js';
import { RESULT_FILES } from './report/load.js';
import { profileTargets, runProfiles } from './profile/run.js';
import { runDirect } from './server/direct.js';
import { runServer, SERVER_FRAMEWORKS } from './server/run.js';

const PARTS = ['inprocess', 'inprocess24', 'alloc', 'scale', 'direct', 'profile', 'server'] as const;
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
const known = ['quick', 'only', 'rounds', 'time', 'paired-time', 'node', 'direct-rounds', 'batches', 'reps', 'duration', 'warmup', 'connections', 'frameworks', 'cases', 'no-report', 'help'];
for (const name of flags.keys()) if (!known.includes(name)) throw new Error(`unknown option --${name} (known: ${known.map((k) => `--${k}`).join(' ')})`);
if (flags.has('help')) {
  console.log(`usage: pnpm bench [--quick] [--only ${PARTS.join(',')}] [--rounds N] [--time MS] [--paired-time MS] [--node MAJOR] [--direct-rounds N] [--batches N] [--reps N] [--duration S] [--warmup S] [--connections N] [--frameworks a,b] [--cases a,b] [--no-report]`);
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
const knownFrameworks: readonly string[] = [...new Set<string>([...SERVER_FRAMEWORKS, ...FRAMEWORKS])];
for (const f of frameworks) if (!knownFrameworks.includes(f)) throw new Error(`--frameworks takes ${knownFrameworks.join(', ')}`);
/** The frameworks of a part that were asked for (all of its own when --frameworks is absent). */
function frameworksOf<F extends string>(all: readonly F[]): F[] {
  return all.filter((f) => frameworks.length === 0 || frameworks.includes(f));
}

const log = (line: string): void => console.log(line);
mkdirSync(RESULTS_DIR, { recursive: true });

function meta(settings: Record<string, unknown>, node?: string): PartMeta {
  const m: Machine = machine();
  return { date: new Date().toISOString(), quick, machine: node === undefined ? m : { ...m, node }, settings };
}

function save(part: Part, data: unknown): void {
  writeFileSync(new URL(`${RESULT_FILES[part]}.json`, RESULTS_DIR), `${JSON.stringify(data, null, 1)}\n`);
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

// tinybench rounds give the absolute figures (fastest of 3 rounds of 300 ms); the ratios come
// from the paired phase, so fewer, shorter rounds than the former 5 × 500 ms lose no precision there.
const inprocessSettings = {
  time: num('time', quick ? 100 : 300),
  warmupTime: quick ? 20 : 100,
  rounds: num('rounds', quick ? 1 : 3),
  batch: 128,
  pairedTime: num('paired-time', quick ? 100 : 3000),
};
const inprocessMeta = (): PartMeta => meta({ ...inprocessSettings });

if (parts.includes('inprocess')) {
  const s = inprocessSettings;
  log(`in-process: ${s.rounds} round(s), ${s.time} ms per task per round, ${s.batch} requests per iteration; then ${s.pairedTime} ms of paired rounds per group`);
  const m = inprocessMeta();
  const rows = await runInprocess({ ...s, cases, frameworks: frameworksOf(FRAMEWORKS), log });
  save('inprocess', { meta: m, rows });
}

/** The cases the in-process part runs under the second Node (those of the report's Node 20 / Node 24 table). */
const NODE24_CASES = ['simple-10', 'preflight-10', 'preflight-headers-10', 'simple-10k', 'simple-10k-rotating', 'async-10'];

if (parts.includes('inprocess24')) {
  const major = num('node', 24);
  const node = await nodeBinary(major);
  const version = (await runNodeForJson<string>(`node ${major}`, ['-p', 'JSON.stringify(process.version)'], { execPath: node })).trim();
  const settings = { ...inprocessSettings, cases: cases.length > 0 ? cases : NODE24_CASES, frameworks: frameworksOf(FRAMEWORKS) };
  log(`in-process under Node ${version} (${node}): cases ${settings.cases.join(', ')}`);
  const m = meta({ ...inprocessSettings }, version);
  const script = fileURLToPath(new URL('./inprocess-node.ts', import.meta.url));
  const rows = await runNodeForJson<unknown[]>(`in-process run under Node ${version}`, [...process.execArgv, script, JSON.stringify(settings)], { execPath: node });
  save('inprocess24', { meta: m, rows });
}

if (parts.includes('alloc')) {
  log(`allocations: ${quick ? '2,000' : 'up to 1,000,000'} requests per side and case`);
  const m = meta({ batch: quick ? 1000 : 10_000, maxRequests: quick ? 2000 : 1_000_000 });
  const rows = await runAllocChild();
  save('alloc', { meta: m, rows });
}

if (parts.includes('scale')) {
  const rounds = quick ? 1 : 3;
  log(`scale: compiling 1,000,000 exact origins and 100,000 patterns, ${rounds} round(s) each`);
  const m = meta({ rounds });
  const script = fileURLToPath(new URL('../../../packages/core/bench/compile.bench.ts', import.meta.url));
  const { figures } = await runNodeForJson<{ figures: unknown[] }>('scale run', ['--expose-gc', ...process.execArgv, script, '--json'], { env: { ...process.env, ROUNDS: String(rounds) } });
  save('scale', { meta: m, figures });
}

if (parts.includes('direct')) {
  const settings = {
    rounds: num('direct-rounds', quick ? 2 : 300),
    batches: num('batches', quick ? 2 : 2),
    frameworks: frameworksOf(SERVER_FRAMEWORKS),
    log,
  };
  const pin = canPin();
  log(`direct: the real servers driven in-process, ${settings.rounds} interleaved round(s) of ${settings.batches} × 50 requests per variant${pin ? ', pinned to core 1' : ''}`);
  const m = meta({ rounds: settings.rounds, batches: settings.batches, concurrency: 50, pinned: pin });
  const results = await runDirect(settings, pin);
  save('direct', { meta: m, results });
}

if (parts.includes('profile')) {
  const settings = { warmupMs: quick ? 50 : 1000, slices: quick ? 1 : 12, sliceMs: quick ? 50 : 250, intervalUs: 100, top: 8 };
  const targets = profileTargets(frameworksOf(FRAMEWORKS), frameworksOf(SERVER_FRAMEWORKS));
  const pin = canPin();
  log(`profile: ours and the floor under V8's sampling profiler, ${settings.slices} turns of ${settings.sliceMs} ms per side, ${targets.length} targets`);
  const m = meta(settings);
  const results = await runProfiles(targets, settings, pin, log);
  save('profile', { meta: m, results });
}

if (parts.includes('server')) {
  const settings = {
    duration: num('duration', quick ? 1 : 5),
    warmup: flags.has('warmup') ? num('warmup', 1) : quick ? 0.3 : 2,
    reps: num('reps', quick ? 1 : 5),
    connections: num('connections', quick ? 10 : 50),
    frameworks: frameworksOf(SERVER_FRAMEWORKS),
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
