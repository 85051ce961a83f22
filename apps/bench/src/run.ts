// `pnpm bench`: runs the parts asked for (all by default), each writing results/<part>.json, then rebuilds
// docs/benchmarks.md and docs/benchmarks.svg from the latest result of every part. Options: `--help`, and the README.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { canPin, nodeBinary, runNodeForJson } from './child-process.js';
import { FRAMEWORKS } from './inprocess/drivers.js';
import { runInprocess } from './inprocess/run.js';
import { machine } from './machine.js';
import { writeReport } from './report/index.js';
import { resultFile, RESULTS_DIR, type PartMeta } from './report/load.js';
import { profileSettings, profileTargets, runProfiles } from './profile/run.js';
import { SERVER_FRAMEWORKS } from './server/apps.js';
import { runDirect } from './server/direct.js';
import { runServer } from './server/run.js';

const PARTS = ['inprocess', 'inprocess24', 'alloc', 'scale', 'direct', 'profile', 'server'] as const;
type Part = (typeof PARTS)[number];
/** The options that take a value (`--name value` or `--name=value`), with the value's name in the usage. */
const OPTIONS: Record<string, string> = {
  only: PARTS.join(','), 'warmup-time': 'MS', 'paired-time': 'MS', processes: 'N', node: 'MAJOR', 'direct-rounds': 'N', batches: 'N',
  reps: 'N', duration: 'S', warmup: 'S', connections: 'N', frameworks: 'a,b', cases: 'a,b',
};
const USAGE = `usage: pnpm bench [--quick] ${Object.entries(OPTIONS).map(([name, value]) => `[--${name} ${value}]`).join(' ')} [--no-report]`;

const strings = Object.keys(OPTIONS).map((name) => [name, { type: 'string' }] as const);
const booleans = ['quick', 'no-report', 'help'].map((name) => [name, { type: 'boolean' }] as const);
const argv = process.argv.slice(2).filter((a) => a !== '--');
const flags = parseArgs({ args: argv, options: Object.fromEntries([...strings, ...booleans]) }).values as Record<string, string | boolean | undefined>;
if (flags.help === true) {
  console.log(USAGE);
  process.exit(0);
}

const quick = flags.quick === true;
const list = (name: string): string[] => {
  const value = flags[name];
  return typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter((s) => s !== '') : [];
};
/** A positive number option: `normal` by default, `smoke` on a --quick run. */
const num = (name: string, normal: number, smoke = normal): number => {
  const value = flags[name];
  if (value === undefined) return quick ? smoke : normal;
  const n = Number(value);
  if (typeof value !== 'string' || !Number.isFinite(n) || n <= 0) throw new Error(`--${name} needs a positive number`);
  return n;
};
const only = list('only');
for (const part of only) if (!PARTS.includes(part as Part)) throw new Error(`--only takes ${PARTS.join(', ')}`);
const cases = list('cases');
const frameworks = list('frameworks');
const knownFrameworks: readonly string[] = [...new Set<string>([...SERVER_FRAMEWORKS, ...FRAMEWORKS])];
for (const f of frameworks) if (!knownFrameworks.includes(f)) throw new Error(`--frameworks takes ${knownFrameworks.join(', ')}`);
const frameworksOf = <F extends string>(all: readonly F[]): F[] => all.filter((f) => frameworks.length === 0 || frameworks.includes(f));
const log = (line: string): void => console.log(line);

/** Log what a part does and note when and where it runs (read as it starts: the load average before the part). */
function begin(line: string, settings: Record<string, unknown>, node?: string): PartMeta {
  log(line);
  const m = machine();
  return { date: new Date().toISOString(), quick, machine: node === undefined ? m : { ...m, node }, settings };
}

const inprocessSettings = {
  batch: 128, warmup: num('warmup-time', 700, 50), pairedTime: num('paired-time', 2000, 100), processes: num('processes', 5, 1),
};
/** The cases the in-process part runs under the second Node (those of the report's Node 20 / Node 24 table). */
const NODE24_CASES = ['simple-10', 'preflight-10', 'preflight-headers-10', 'simple-10k', 'simple-10k-rotating', 'async-10'];

/** Each part: what its results file holds. */
const RUN: Record<Part, () => Promise<object>> = {
  async inprocess() {
    const s = inprocessSettings;
    const meta = begin(
      `in-process: the sides take turns, ${s.batch} requests per batch; ${s.warmup} ms of warm-up, then ${s.pairedTime} ms of rounds per group, in ${s.processes} processes each`,
      { ...s },
    );
    return { meta, rows: await runInprocess({ ...s, cases, frameworks: frameworksOf(FRAMEWORKS), log }) };
  },
  async inprocess24() {
    const major = num('node', 24);
    const node = await nodeBinary(major);
    const version = execFileSync(node, ['-p', 'process.version'], { encoding: 'utf8' }).trim();
    const settings = { ...inprocessSettings, cases: cases.length > 0 ? cases : NODE24_CASES, frameworks: frameworksOf(FRAMEWORKS) };
    const meta = begin(`in-process under Node ${version} (${node}): cases ${settings.cases.join(', ')}`, { ...inprocessSettings }, version);
    // The whole part runs in that Node, so every group's child process uses it too.
    const child = new URL('./inprocess/child.ts', import.meta.url);
    const rows = await runNodeForJson<unknown[]>(`in-process run under Node ${version}`, child, [JSON.stringify(settings)], { execPath: node });
    return { meta, rows };
  },
  async alloc() {
    const settings = { batch: quick ? 1000 : 10_000, maxRequests: quick ? 2000 : 1_000_000 };
    const meta = begin(`allocations: ${quick ? '2,000' : 'up to 1,000,000'} requests per side and case`, settings);
    // V8 flags: a 64 MB young generation, so that no GC runs inside a batch.
    const v8 = ['--expose-gc', '--min-semi-space-size=64', '--max-semi-space-size=64'];
    const args = [JSON.stringify({ ...settings, budgetMs: quick ? 200 : 4000, cases })];
    return { meta, rows: await runNodeForJson('allocation run', new URL('./alloc.ts', import.meta.url), args, { v8 }) };
  },
  async scale() {
    const rounds = quick ? 1 : 3;
    const meta = begin(`scale: compiling 1,000,000 exact origins and 100,000 patterns, ${rounds} round(s) each`, { rounds });
    const script = new URL('../../../packages/core/bench/compile.bench.ts', import.meta.url);
    const env = { ...process.env, ROUNDS: String(rounds) };
    const { figures } = await runNodeForJson<{ figures: unknown[] }>('scale run', script, ['--json'], { v8: ['--expose-gc'], env });
    return { meta, figures };
  },
  async direct() {
    const settings = { rounds: num('direct-rounds', 1000, 2), batches: num('batches', 2), frameworks: frameworksOf(SERVER_FRAMEWORKS), log };
    const pin = canPin();
    const meta = begin(
      `direct: the real servers driven in-process, ${settings.rounds} interleaved round(s) of ${settings.batches} × 50 requests per variant${pin ? ', pinned to core 1' : ''}`,
      { rounds: settings.rounds, batches: settings.batches, concurrency: 50, pinned: pin },
    );
    return { meta, results: await runDirect(settings, pin) };
  },
  async profile() {
    const settings = profileSettings(quick);
    const targets = profileTargets(frameworksOf(FRAMEWORKS), frameworksOf(SERVER_FRAMEWORKS));
    const line = `profile: ours and the floor under V8's sampling profiler, ${settings.slices} turns of ${settings.sliceMs} ms per side, ${targets.length} targets`;
    const meta = begin(line, settings);
    return { meta, results: await runProfiles(targets, settings, canPin(), log) };
  },
  async server() {
    const settings = {
      duration: num('duration', 5, 1), warmup: num('warmup', 2, 0.3), reps: num('reps', 5, 1), connections: num('connections', 50, 10),
    };
    const { duration, reps, connections } = settings;
    const frameworks = frameworksOf(SERVER_FRAMEWORKS);
    const line = `server: ${reps} interleaved repetition(s) of ${duration} s, ${connections} connections, frameworks ${frameworks.join(', ')}`;
    const meta = begin(line, settings);
    const result = await runServer({ ...settings, frameworks, log });
    return { meta: { ...meta, ...result.meta }, rows: result.rows };
  },
};

const started = Date.now();
if (quick) log('QUICK (smoke) run: the figures prove the scripts work and mean nothing.');
mkdirSync(RESULTS_DIR, { recursive: true });
for (const part of PARTS.filter((p) => only.length === 0 || only.includes(p))) {
  const data = await RUN[part]();
  writeFileSync(new URL(`${resultFile(part)}.json`, RESULTS_DIR), `${JSON.stringify(data, null, 1)}\n`);
}
if (flags['no-report'] !== true) log(`wrote ${writeReport().join(' and ')}`);
log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
