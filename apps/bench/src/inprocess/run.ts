/**
 * In-process benchmark: every side of every framework handles the same requests through
 * the same stub objects, timed with tinybench.
 *
 * One tinybench iteration handles a batch of `batch` freshly built requests (built in
 * `beforeEach`, so object construction is not timed; the timer's own overhead is spread
 * over the batch). A figure is the median over rounds of each round's median
 * per-request time. Rounds alternate the order of the sides, so that neither side always
 * runs first (JIT warm-up, GC debt, CPU frequency).
 */
import { Bench } from 'tinybench';
import { CASES, type Case } from '../config.js';
import { median, rotate } from '../stats.js';
import { checkOutcome, createDriver, FRAMEWORKS, type Driver, type Framework, type Side } from './drivers.js';

export interface InprocessSettings {
  /** Timed milliseconds per task per round. */
  readonly time: number;
  readonly warmupTime: number;
  readonly rounds: number;
  /** Requests per tinybench iteration. */
  readonly batch: number;
  /** Only these case ids (all when empty). */
  readonly cases: readonly string[];
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
  /** Why this side was not measured, or what its correctness check found. */
  readonly problem: string | undefined;
  /** False when our adapter does not exist yet. */
  readonly available: boolean;
}

const SIDES: Record<Framework, readonly Side[]> = {
  node: ['incumbent', 'ours', 'core', 'baseline'],
  fastify: ['incumbent', 'ours', 'baseline'],
  koa: ['incumbent', 'ours', 'baseline'],
};

interface Prepared {
  readonly c: Case;
  readonly framework: Framework;
  readonly side: Side;
  readonly driver: Driver | undefined;
  readonly async: boolean;
  problem: string | undefined;
  readonly rounds: number[];
  readonly means: number[];
  cursor: number;
}

/** Check a driver on each distinct request of the case (up to 3) before timing it. */
async function check(c: Case, driver: Driver): Promise<{ problem: string | undefined; async: boolean }> {
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

export async function runInprocess(settings: InprocessSettings): Promise<InprocessRow[]> {
  const cases = CASES.filter((c) => settings.cases.length === 0 || settings.cases.includes(c.id));
  const prepared: Prepared[] = [];
  for (const c of cases) {
    for (const framework of FRAMEWORKS) {
      for (const side of SIDES[framework]) {
        let driver: Driver | undefined;
        let problem: string | undefined;
        let async = false;
        try {
          driver = await createDriver(framework, side, c);
        } catch (error) {
          problem = `could not be set up: ${String(error)}`;
        }
        if (driver === undefined && problem === undefined) problem = 'not available yet';
        if (driver !== undefined && side !== 'baseline') ({ problem, async } = await check(c, driver));
        else if (driver !== undefined) async = (await check({ ...c, expect: 'not-cors' }, driver)).async;
        prepared.push({ c, framework, side, driver, async, problem, rounds: [], means: [], cursor: 0 });
        if (problem !== undefined) settings.log(`  ! ${c.id} ${framework}/${side}: ${problem}`);
      }
    }
  }

  for (let round = 0; round < settings.rounds; round++) {
    settings.log(`in-process round ${round + 1}/${settings.rounds}`);
    for (const c of cases) {
      for (const framework of FRAMEWORKS) {
        const group = prepared.filter((p) => p.c === c && p.framework === framework && p.driver !== undefined && p.problem === undefined);
        if (group.length === 0) continue;
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
          .map((p) => `${p.side} ${p.rounds.length > 0 ? `${Math.round(p.rounds.at(-1)!)} ns` : p.problem}`)
          .join(', ');
        settings.log(`  ${c.id.padEnd(22)} ${framework.padEnd(8)} ${line}`);
      }
    }
  }

  return prepared.map((p) => ({
    caseId: p.c.id,
    framework: p.framework,
    side: p.side,
    ns: p.rounds.length > 0 && p.problem === undefined ? median(p.rounds) : undefined,
    rounds: p.rounds,
    means: p.means,
    problem: p.problem,
    available: p.driver !== undefined,
  }));
}

function taskName(p: Prepared): string {
  return `${p.framework}/${p.side}`;
}

function addTask(bench: Bench, p: Prepared, size: number): void {
  const driver = p.driver!;
  const requests = p.c.requests;
  const batch: unknown[] = new Array<unknown>(size);
  const pending: (void | Promise<void>)[] = new Array<void | Promise<void>>(size);
  const refill = (): void => {
    for (let i = 0; i < size; i++) {
      batch[i] = driver.prepare(requests[p.cursor % requests.length]!);
      p.cursor++;
    }
  };
  refill();
  const run = p.async
    ? (): Promise<unknown> => {
        for (let i = 0; i < size; i++) pending[i] = driver.handle(batch[i]);
        return Promise.all(pending);
      }
    : (): void => {
        for (let i = 0; i < size; i++) driver.handle(batch[i]);
      };
  bench.add(taskName(p), run, { beforeEach: refill });
}
