// Heap allocated per request (README, part 2), in a child process started by run.ts with V8 flags and its settings
// (JSON): `heapUsed` before and after each batch; a batch during which a GC ran is discarded.
import { PerformanceObserver } from 'node:perf_hooks';
import { CASES, type Case } from './config.js';
import { handleBatch, prepareBatch, sidesOf, type Driver, type Framework, type Side } from './inprocess/drivers.js';
import { setUpSide } from './inprocess/run.js';
import { median } from './stats.js';

export interface AllocRow {
  readonly caseId: string;
  readonly framework: Framework;
  readonly side: Side;
  /** Median bytes allocated per request (undefined when not measured), over `requests` in batches without a collection. */
  readonly bytes: number | undefined;
  readonly requests: number;
  readonly problem: string | undefined;
}

/** The cases whose allocations are reported (the rest scan long lists and add nothing new), on the frameworks run over the stubs. */
const ALLOC_CASES = [
  'simple-10', 'refused-10', 'none-10', 'preflight-10', 'preflight-headers-10', 'patterns-1k', 'simple-10k-rotating', 'async-10',
];
const ALLOC_FRAMEWORKS: readonly Framework[] = ['node', 'fastify', 'koa'];

declare const gc: (() => void) | undefined;
if (typeof gc !== 'function') throw new Error('run with --expose-gc');
const collect = gc;
let gcStarts: number[] = [];
const observer = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcStarts.push(entry.startTime);
});
type Settings = { batch: number; maxRequests: number; budgetMs: number; cases: readonly string[] };
const { batch, maxRequests, budgetMs, cases } = JSON.parse(process.argv[2] ?? '{}') as Settings;

async function measure(c: Case, driver: Driver, async: boolean): Promise<{ bytes: number | undefined; requests: number }> {
  const perRequest: number[] = [];
  const units = new Array<unknown>(batch);
  // Allocated here, not in the measured stretch (an asynchronous side's promises, all in flight at once).
  const pending = async ? new Array<void | Promise<void>>(batch) : undefined;
  let cursor = 0;
  let measured = 0;
  const started = performance.now();
  for (let b = 0; measured < maxRequests && (b < 2 || performance.now() - started < budgetMs); b++) {
    cursor = prepareBatch(driver, c, units, cursor);
    collect();
    await new Promise((resolve) => setImmediate(resolve)); // let the observer catch up
    gcStarts = [];
    const t0 = performance.now();
    const before = process.memoryUsage().heapUsed;
    await handleBatch(driver, units, pending);
    const after = process.memoryUsage().heapUsed;
    const t1 = performance.now();
    await new Promise((resolve) => setImmediate(resolve));
    const collected = gcStarts.some((t) => t >= t0 && t <= t1);
    if (b === 0 || collected) continue; // warm-up batch, or a collection freed part of it
    perRequest.push((after - before) / batch);
    measured += batch;
  }
  return { bytes: perRequest.length > 0 ? median(perRequest) : undefined, requests: measured };
}

observer.observe({ entryTypes: ['gc'] });
const rows: AllocRow[] = [];
for (const c of CASES.filter((x) => ALLOC_CASES.includes(x.id) && (cases.length === 0 || cases.includes(x.id)))) {
  for (const framework of ALLOC_FRAMEWORKS) {
    for (const side of sidesOf(framework, c)) {
      const { driver, async, problem } = await setUpSide(framework, side, c);
      let row: AllocRow = { caseId: c.id, framework, side, bytes: undefined, requests: 0, problem };
      try {
        if (driver !== undefined && problem === undefined) row = { ...row, ...(await measure(c, driver, async)) };
      } catch (error) {
        row = { ...row, problem: String(error) };
      }
      rows.push(row);
      const figure = row.bytes === undefined ? (row.problem ?? 'no clean batch') : `${row.bytes.toFixed(0)} B/request (${row.requests} requests)`;
      process.stderr.write(`  alloc ${c.id.padEnd(22)} ${framework.padEnd(8)} ${side.padEnd(10)} ${figure}\n`);
    }
  }
}
observer.disconnect();
process.stdout.write(`${JSON.stringify(rows)}\n`);
