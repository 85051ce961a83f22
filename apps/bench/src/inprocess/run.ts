/**
 * In-process benchmark: every side of every framework handles the same requests through
 * the same stub objects, timed with tinybench.
 *
 * Each (case, framework) group runs in its own Node process (`child.ts`), like a real server
 * that has one CORS policy: otherwise the JIT's type feedback from a dozen configurations
 * and three frameworks, and the heap left by 10,000-entry lists, leak from one case into the
 * next (measured: the same "10 origins" request cost up to 2× more after the other cases had
 * run in the same process, for every side).
 *
 * One tinybench iteration handles a batch of `batch` freshly built requests (built in
 * `beforeEach`, so object construction is not timed; the timer's own overhead is spread
 * over the batch). A figure is the median over rounds of each round's median
 * per-request time. Rounds alternate the order of the sides, so that neither side always
 * runs first (JIT warm-up, GC debt, CPU frequency).
 *
 * Then a **paired** phase (`pairedTime`): the sides take turns batch by batch (one batch of
 * `batch` requests each, in a rotating order, round after round), each batch timed on its
 * own. tinybench times each side for `time` ms in a row; this VM has stretches of a second
 * or more where everything runs 2× slower, so a side can spend all its rounds in slow
 * stretches while the other side gets fast ones (seen: `@fastify/cors` with no fast round out
 * of 5 while ours had 2). Batches of different sides taken a few hundred microseconds apart
 * see the same machine, so their ratio is the steadier figure; the report uses it for the
 * ratios and keeps tinybench's figures for the absolute tables.
 */
import { fileURLToPath } from 'node:url';
import { Bench } from 'tinybench';
import { runNodeForJson } from '../child-process.js';
import { CASES, type Case } from '../config.js';
import { median, rotate } from '../stats.js';
import { checkOutcome, createDriver, FRAMEWORKS, hasFloor, SIDES, type Driver, type Framework, type Side } from './drivers.js';

export interface InprocessSettings {
  /** Timed milliseconds per task per round. */
  readonly time: number;
  readonly warmupTime: number;
  readonly rounds: number;
  /** Requests per tinybench iteration, and per batch of the paired phase. */
  readonly batch: number;
  /** Milliseconds of paired rounds per group (at least `PAIRED_MIN_ROUNDS`, at most `PAIRED_MAX_ROUNDS` rounds). */
  readonly pairedTime: number;
  /** Only these case ids (all when empty). */
  readonly cases: readonly string[];
  /** Only these frameworks (all when absent or empty). */
  readonly frameworks?: readonly Framework[];
  readonly log: (line: string) => void;
}

export interface InprocessRow {
  readonly caseId: string;
  readonly framework: Framework;
  readonly side: Side;
  /** Median over rounds of the per-round median, nanoseconds per request. */
  readonly ns: number | undefined;
  /** Per-round medians. */
  readonly rounds: readonly number[];
  /** Per-round means (include GC pauses). */
  readonly means: readonly number[];
  /**
   * Paired phase: nanoseconds per request of this side's batch in each paired round. Rows of
   * one group have the same number of rounds, and round i of every row was measured within
   * the same few milliseconds. Absent from results written before the paired phase existed.
   */
  readonly paired?: readonly number[];
  /** Why this side was not measured, or what its correctness check found. */
  readonly problem: string | undefined;
  /** False when our adapter does not exist yet. */
  readonly available: boolean;
}

/**
 * The cases measured on the frameworks added later, whose groups cost more to start (NestJS)
 * and whose list-size behaviour is the core's, already measured on node, Fastify and Koa:
 * the requests of the headline table, refused, no Origin and async. The others run every case
 * and the flat group.
 */
export const FRAMEWORK_CASES: Partial<Record<Framework, readonly string[]>> = Object.fromEntries(
  (['fetch', 'hono', 'nest-express', 'nest-fastify'] as const).map((f) => [f, ['simple-10', 'refused-10', 'none-10', 'preflight-10', 'preflight-headers-10', 'async-10']]),
);

/** Whether a case (or the flat group) is measured on a framework by default. */
export function runsOn(framework: Framework, caseId: string): boolean {
  const only = FRAMEWORK_CASES[framework];
  return only === undefined || only.includes(caseId);
}

/** The sides measured for a case (the floor only where the case has one fixed answer). */
export function sidesOf(framework: Framework, c: Case): Side[] {
  return SIDES[framework].filter((side) => side !== 'floor' || hasFloor(c));
}

interface Prepared {
  readonly c: Case;
  readonly framework: Framework;
  readonly side: Side;
  readonly driver: Driver | undefined;
  readonly async: boolean;
  problem: string | undefined;
  readonly rounds: number[];
  readonly means: number[];
  readonly paired: number[];
  cursor: number;
}

/** Bounds of the paired phase, in rounds (a round is one batch of every side). */
export const PAIRED_MIN_ROUNDS = 12;
export const PAIRED_MAX_ROUNDS = 600;

/** Check a driver on each distinct request of the case (up to 3) before timing it. */
/** Check a side's answers to the case's first requests before timing it; whether it completes asynchronously. */
export async function checkDriver(c: Case, driver: Driver): Promise<{ problem: string | undefined; async: boolean }> {
  let async = false;
  for (const spec of c.requests.slice(0, 3)) {
    const unit = driver.prepare(spec);
    let result: void | Promise<void>;
    try {
      result = driver.handle(unit);
      if (result instanceof Promise) {
        async = true;
        await result;
      }
    } catch (error) {
      return { problem: `threw: ${String(error)}`, async };
    }
    const problem = checkOutcome(c, spec, driver.outcome(unit));
    if (problem !== undefined) return { problem, async };
  }
  return { problem: undefined, async };
}

/** Settings a child process needs (everything but the logger). */
export type GroupSettings = Omit<InprocessSettings, 'cases' | 'log'>;

/** Run every (case, framework) group, each in a fresh child process. */
export async function runInprocess(settings: InprocessSettings): Promise<InprocessRow[]> {
  const cases = CASES.filter((c) => settings.cases.length === 0 || settings.cases.includes(c.id));
  const rows: InprocessRow[] = [];
  const script = fileURLToPath(new URL('./child.ts', import.meta.url));
  const group: GroupSettings = { time: settings.time, warmupTime: settings.warmupTime, rounds: settings.rounds, batch: settings.batch, pairedTime: settings.pairedTime };
  const frameworks = FRAMEWORKS.filter((f) => settings.frameworks === undefined || settings.frameworks.length === 0 || settings.frameworks.includes(f));
  for (const c of cases) {
    for (const framework of frameworks) {
      if (runsOn(framework, c.id)) rows.push(...(await runChild(script, c.id, framework, group, settings.log)));
    }
  }
  if (settings.cases.length === 0 || settings.cases.includes(FLAT_GROUP)) {
    for (const framework of frameworks) if (runsOn(framework, FLAT_GROUP)) rows.push(...(await runChild(script, FLAT_GROUP, framework, group, settings.log)));
  }
  return rows;
}

/**
 * The "flat with list size" comparison: ours with 10 origins, 10,000 origins and 1,000
 * patterns (plus the baseline) interleaved in ONE process, round by round. Separate groups
 * run minutes apart, and this VM has stretches where everything, the baseline included, runs
 * 2× slower; only an interleaved A/B answers "does a bigger list cost more". The policies are
 * of the same class and their cached path is the same code, so sharing a process is fair.
 * Rows are reported with case ids `flat:<case id>`.
 */
export const FLAT_GROUP = 'flat';
export const FLAT_CASES: readonly string[] = ['simple-10', 'simple-10k', 'patterns-1k'];

/** The (case, side) pairs measured together in one child process for a group id. */
export function groupEntries(groupId: string, framework: Framework): { c: Case; side: Side }[] {
  if (groupId === FLAT_GROUP) {
    const flat = FLAT_CASES.map((id) => CASES.find((c) => c.id === id)!);
    return [...flat.map((c) => ({ c, side: 'ours' as Side })), { c: flat[0]!, side: 'baseline' as Side }];
  }
  const c = CASES.find((x) => x.id === groupId);
  if (c === undefined) throw new Error(`unknown case ${groupId}`);
  return sidesOf(framework, c).map((side) => ({ c, side }));
}

function runChild(script: string, caseId: string, framework: Framework, settings: GroupSettings, log: (line: string) => void): Promise<InprocessRow[]> {
  const args = [...process.execArgv, script, JSON.stringify({ caseId, framework, settings })];
  return runNodeForJson<InprocessRow[]>(`in-process group ${caseId}/${framework}`, args, { onStderrLine: log });
}

/** Measure one group on one framework, every entry, in this process (called by child.ts). */
export async function measureGroup(groupId: string, framework: Framework, settings: GroupSettings, log: (line: string) => void): Promise<InprocessRow[]> {
  const prepared: Prepared[] = [];
  const entries = groupEntries(groupId, framework);
  const many = new Set(entries.map((e) => e.c.id)).size > 1;
  for (const { c, side } of entries) {
    let driver: Driver | undefined;
    let problem: string | undefined;
    let async = false;
    try {
      driver = await createDriver(framework, side, c);
    } catch (error) {
      problem = `could not be set up: ${String(error)}`;
    }
    if (driver === undefined && problem === undefined) problem = 'not available yet';
    if (driver !== undefined && side !== 'baseline') ({ problem, async } = await checkDriver(c, driver));
    else if (driver !== undefined) async = (await checkDriver({ ...c, expect: 'not-cors' }, driver)).async;
    prepared.push({ c, framework, side, driver, async, problem, rounds: [], means: [], paired: [], cursor: 0 });
    if (problem !== undefined) log(`  ! ${c.id} ${framework}/${side}: ${problem}`);
  }

  const group = prepared.filter((p) => p.driver !== undefined && p.problem === undefined);
  for (let round = 0; round < settings.rounds && group.length > 0; round++) {
    const bench = new Bench({
      time: settings.time,
      warmupTime: settings.warmupTime,
      iterations: 3,
      warmupIterations: 2,
      throws: true,
    });
    // Alternate which side goes first from one round to the next.
    const ordered = round % 2 === 0 ? rotate(group, round) : rotate(group, round).reverse();
    for (const p of ordered) addTask(bench, p, settings.batch);
    await bench.run();
    for (const p of ordered) {
      const result = bench.getTask(taskName(p))?.result;
      if (result === undefined || result.error !== undefined) {
        p.problem = `failed while timed: ${String(result?.error)}`;
        continue;
      }
      const toNs = (ms: number): number => (ms * 1e6) / settings.batch;
      p.rounds.push(toNs(result.latency.p50 ?? result.latency.mean));
      p.means.push(toNs(result.latency.mean));
    }
    const line = ordered
      .map((p) => `${many ? `${p.c.id} ` : ''}${p.side} ${p.rounds.length > 0 ? `${Math.round(p.rounds.at(-1)!)} ns` : p.problem}`)
      .join(', ');
    log(`  ${groupId.padEnd(22)} ${framework.padEnd(8)} round ${round + 1}/${settings.rounds}: ${line}`);
  }

  // The paired phase (see the module comment). Sides whose tinybench run failed are left out.
  const paired = group.filter((p) => p.problem === undefined);
  const batch: unknown[] = new Array<unknown>(settings.batch);
  const pending: (void | Promise<void>)[] = new Array<void | Promise<void>>(settings.batch);
  const started = performance.now();
  for (let round = 0; round < PAIRED_MAX_ROUNDS && paired.length > 0; round++) {
    if (round >= PAIRED_MIN_ROUNDS && performance.now() - started >= settings.pairedTime) break;
    for (const p of rotate(paired, round)) p.paired.push(await timeBatch(p, batch, pending));
  }
  if (paired.length > 0) {
    const line = paired.map((p) => `${many ? `${p.c.id} ` : ''}${p.side} ${Math.round(median(p.paired))} ns`).join(', ');
    log(`  ${groupId.padEnd(22)} ${framework.padEnd(8)} paired, ${paired[0]!.paired.length} rounds, medians: ${line}`);
  }

  return prepared.map((p) => ({
    caseId: groupId === FLAT_GROUP ? `${FLAT_GROUP}:${p.c.id}` : p.c.id,
    framework: p.framework,
    side: p.side,
    ns: p.rounds.length > 0 && p.problem === undefined ? median(p.rounds) : undefined,
    rounds: p.rounds,
    means: p.means,
    paired: p.problem === undefined ? p.paired : [],
    problem: p.problem,
    available: p.driver !== undefined,
  }));
}

/** Fill `batch` with freshly prepared requests of the case (not timed), continuing its rotation. */
function fillBatch(p: Prepared, batch: unknown[]): void {
  const driver = p.driver!;
  const requests = p.c.requests;
  for (let i = 0; i < batch.length; i++) batch[i] = driver.prepare(requests[p.cursor++ % requests.length]!);
}

/** Handle every request of `batch`: nothing to wait for on a synchronous side, else a promise of them all. */
function handleBatch(p: Prepared, batch: readonly unknown[], pending: (void | Promise<void>)[]): void | Promise<unknown> {
  const driver = p.driver!;
  if (!p.async) {
    for (let i = 0; i < batch.length; i++) driver.handle(batch[i]);
    return;
  }
  for (let i = 0; i < batch.length; i++) pending[i] = driver.handle(batch[i]);
  return Promise.all(pending);
}

/** One batch of the paired phase: fill it (not timed), then time handling it. Nanoseconds per request. */
async function timeBatch(p: Prepared, batch: unknown[], pending: (void | Promise<void>)[]): Promise<number> {
  fillBatch(p, batch);
  const start = performance.now();
  const all = handleBatch(p, batch, pending);
  if (all !== undefined) await all;
  return ((performance.now() - start) * 1e6) / batch.length;
}

function taskName(p: Prepared): string {
  return `${p.framework}/${p.c.id}/${p.side}`;
}

function addTask(bench: Bench, p: Prepared, size: number): void {
  const batch: unknown[] = new Array<unknown>(size);
  const pending: (void | Promise<void>)[] = new Array<void | Promise<void>>(size);
  const refill = (): void => fillBatch(p, batch);
  refill();
  bench.add(taskName(p), () => handleBatch(p, batch, pending), { beforeEach: refill });
}
