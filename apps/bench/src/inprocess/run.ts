// The in-process part (README, part 1): each (case, framework) group in its own process, the sides taking turns batch
// by batch (built untimed, then timed as a whole), so that a slow stretch of the machine hits every side alike. Every
// group runs in `processes` processes, one pass over all groups after another: the JIT's choices differ between them.
import { runNodeForJson } from '../child-process.js';
import { caseById, CASES, type Case } from '../config.js';
import { median, rotate } from '../stats.js';
import { checkOutcome, createDriver, handleBatch, prepareBatch, sidesOf, type Driver, type Framework, type Side } from './drivers.js';

/** A group's process: requests per batch, ms of unrecorded rounds (JIT warm-up), then of recorded rounds. */
export type GroupSettings = { readonly batch: number; readonly warmup: number; readonly pairedTime: number };

export interface InprocessRow {
  readonly caseId: string;
  readonly framework: Framework;
  readonly side: Side;
  /** Which of the group's processes measured this row (absent: the only one). */
  readonly process?: number;
  /** ns per request of this side's batch in each round (round i of every row of a group taken together). */
  readonly paired: readonly number[];
  /** Why this side was not measured, or what its check found. */
  readonly problem: string | undefined;
}

/** NestJS costs more to start, and list sizes are the core's work (measured on node, Fastify and Koa). */
const FEW_CASES = ['simple-10', 'refused-10', 'none-10', 'preflight-10', 'preflight-headers-10', 'async-10'];
const FRAMEWORK_CASES: Partial<Record<Framework, readonly string[]>> = {
  fetch: FEW_CASES, hono: FEW_CASES, 'nest-express': FEW_CASES, 'nest-fastify': FEW_CASES,
};

// The "flat with list size" group (rows `flat:<case id>`): ours on these cases, plus the baseline, in ONE process: only
// an interleaved A/B answers "does a bigger list, or a cache miss, cost more" (separate groups run minutes apart: a slow
// stretch of the VM in one and not the other once made a cache miss look 0.6 µs dearer).
const FLAT_GROUP = 'flat';
const FLAT_CASES = ['simple-10', 'simple-10k', 'patterns-1k', 'simple-10k-rotating'];

/** Rounds (one batch of every side): 200 recorded at least, so that NestJS on Express (35 ms a round) gets 10 blocks of 20. */
const MIN_ROUNDS = { 'warm-up': 60, recorded: 200 } as const;
const MAX_ROUNDS = 3000;

/** `problem`: why the side cannot be timed (its driver could not be built, or a failed check). */
type ReadySide = { readonly driver: Driver | undefined; readonly async: boolean; readonly problem: string | undefined };

/** Build a side's driver and check its answers to the case's first requests (up to 3); the baseline only for async. */
export async function setUpSide(framework: Framework, side: Side, c: Case): Promise<ReadySide> {
  const driver = await createDriver(framework, side, c).catch((error: unknown) => `could not be set up: ${String(error)}`);
  if (typeof driver === 'string') return { driver: undefined, async: false, problem: driver };
  let async = false;
  let problem: string | undefined;
  for (const spec of c.requests.slice(0, 3)) {
    const unit = driver.prepare(spec);
    try {
      const result = driver.handle(unit);
      async ||= result instanceof Promise;
      await result;
    } catch (error) {
      problem = `threw: ${String(error)}`;
      break;
    }
    problem = checkOutcome(c.expect, spec.headers.origin, driver.outcome(unit));
    if (problem !== undefined) break;
  }
  return { driver, async, problem: side === 'baseline' ? undefined : problem };
}

export async function runInprocess(
  settings: GroupSettings & { processes: number; cases: readonly string[]; frameworks: readonly Framework[]; log: (line: string) => void },
): Promise<InprocessRow[]> {
  const { batch, warmup, pairedTime, processes, cases, frameworks, log } = settings;
  const wanted = (id: string): boolean => cases.length === 0 || cases.includes(id);
  const groups = [...CASES.map((c) => c.id).filter(wanted), ...(wanted(FLAT_GROUP) ? [FLAT_GROUP] : [])];
  const rows: InprocessRow[] = [];
  for (let pass = 0; pass < processes; pass++) {
    log(`  process ${pass + 1} of ${processes} for every group`);
    for (const caseId of groups) {
      for (const framework of frameworks) {
        if (FRAMEWORK_CASES[framework]?.includes(caseId) === false) continue;
        const args = [JSON.stringify({ caseId, framework, settings: { batch, warmup, pairedTime } })];
        const label = `in-process group ${caseId}/${framework}`;
        const measured = await runNodeForJson<InprocessRow[]>(label, new URL('./child.ts', import.meta.url), args, { onStderrLine: log });
        rows.push(...measured.map((row) => ({ ...row, process: pass })));
      }
    }
  }
  return rows;
}

/** Measure one group on one framework, every (case, side) of it, in this process (called by child.ts). */
export async function measureGroup(groupId: string, framework: Framework, settings: GroupSettings, log: (line: string) => void): Promise<InprocessRow[]> {
  const flat = groupId === FLAT_GROUP;
  const c = flat ? undefined : caseById(groupId);
  const entries: { c: Case; side: Side }[] =
    c === undefined ?
      [...FLAT_CASES.map((id) => ({ c: caseById(id), side: 'ours' as const })), { c: caseById(FLAT_CASES[0]!), side: 'baseline' }]
    : sidesOf(framework, c).map((side) => ({ c, side }));
  const prepared: (ReadySide & { c: Case; side: Side; paired: number[]; cursor: number })[] = [];
  for (const entry of entries) {
    const ready = await setUpSide(framework, entry.side, entry.c);
    prepared.push({ ...entry, ...ready, paired: [], cursor: 0 });
    if (ready.problem !== undefined) log(`  ! ${entry.c.id} ${framework}/${entry.side}: ${ready.problem}`);
  }
  const group = prepared.filter((p) => p.driver !== undefined && p.problem === undefined);
  const batch: unknown[] = new Array<unknown>(settings.batch);
  const pending: (void | Promise<void>)[] = new Array<void | Promise<void>>(settings.batch);
  /** ns per request of one batch, its requests freshly prepared first (not timed). */
  async function timeBatch(p: (typeof group)[number]): Promise<number> {
    p.cursor = prepareBatch(p.driver!, p.c, batch, p.cursor);
    const start = performance.now();
    const done = handleBatch(p.driver!, batch, p.async ? pending : undefined);
    if (done !== undefined) await done;
    return ((performance.now() - start) * 1e6) / batch.length;
  }
  // Warm-up, then the recorded rounds; each round every side once, in a rotating order.
  for (const [phase, ms] of [['warm-up', settings.warmup], ['recorded', settings.pairedTime]] as const) {
    const started = performance.now();
    for (let round = 0; round < MAX_ROUNDS && group.length > 0; round++) {
      if (round >= MIN_ROUNDS[phase] && performance.now() - started >= ms) break;
      for (const p of rotate(group, round)) {
        const time = await timeBatch(p);
        if (phase === 'recorded') p.paired.push(time);
      }
    }
  }
  if (group.length > 0) {
    const medians = group.map((p) => `${flat ? `${p.c.id} ` : ''}${p.side} ${Math.round(median(p.paired))} ns`).join(', ');
    log(`  ${groupId.padEnd(22)} ${framework.padEnd(8)} ${group[0]!.paired.length} rounds, medians: ${medians}`);
  }
  return prepared.map((p) => ({ caseId: flat ? `${FLAT_GROUP}:${p.c.id}` : p.c.id, framework, side: p.side, paired: p.paired, problem: p.problem }));
}
