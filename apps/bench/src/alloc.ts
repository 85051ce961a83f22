/**
 * Heap allocated per request, measured in a child process started with
 * `--expose-gc --min-semi-space-size=64 --max-semi-space-size=64` (see `measureAllocations`).
 *
 * Method: build a batch of requests, collect garbage, read `heapUsed`, handle the batch,
 * read `heapUsed` again. With a 64 MB young generation no collection runs inside a batch
 * (checked with a `gc` PerformanceObserver; a batch during which one ran is discarded), so
 * the difference is what the batch allocated. The figure is the median over batches of
 * (difference ÷ batch size), after one warm-up batch. The same is measured for a baseline
 * (no CORS layer) over the same objects; the report shows both.
 *
 * Run directly: `tsx --conditions=@preflight/source src/alloc.ts [--quick] [--cases a,b]`,
 * with the node flags above; prints one JSON document on stdout.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { CASES, type Case } from './config.js';
import { createDriver, FRAMEWORKS, type Driver, type Framework, type Side } from './inprocess/drivers.js';
import { median } from './stats.js';

export interface AllocRow {
  readonly caseId: string;
  readonly framework: Framework;
  readonly side: Side;
  /** Median bytes allocated per request, undefined when not measured. */
  readonly bytes: number | undefined;
  /** Requests measured (batches without a collection). */
  readonly requests: number;
  readonly problem: string | undefined;
}

/** The cases whose allocations are reported (the rest scan long lists and add nothing new). */
export const ALLOC_CASES = ['simple-10', 'refused-10', 'none-10', 'preflight-10', 'preflight-headers-10', 'patterns-1k', 'simple-10k-rotating', 'async-10'];

const SIDES: Partial<Record<Framework, readonly Side[]>> = { node: ['incumbent', 'ours', 'core', 'baseline'], fastify: ['incumbent', 'ours', 'baseline'], koa: ['incumbent', 'ours', 'baseline'] };

declare const gc: (() => void) | undefined;

let gcStarts: number[] = [];
const observer = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcStarts.push(entry.startTime);
});

async function runBatch(driver: Driver, units: unknown[], async: boolean): Promise<void> {
  if (!async) {
    for (let i = 0; i < units.length; i++) driver.handle(units[i]);
    return;
  }
  const pending: (void | Promise<void>)[] = new Array<void | Promise<void>>(units.length);
  for (let i = 0; i < units.length; i++) pending[i] = driver.handle(units[i]);
  await Promise.all(pending);
}

async function measure(c: Case, driver: Driver, batch: number, maxRequests: number, budgetMs: number): Promise<{ bytes: number | undefined; requests: number }> {
  const collect = gc!;
  const probe = driver.handle(driver.prepare(c.requests[0]!));
  const async = probe instanceof Promise;
  if (async) await probe;
  const perRequest: number[] = [];
  let cursor = 0;
  let measured = 0;
  const started = performance.now();
  for (let b = 0; measured < maxRequests && (b < 2 || performance.now() - started < budgetMs); b++) {
    const units = new Array<unknown>(batch);
    for (let i = 0; i < batch; i++) units[i] = driver.prepare(c.requests[cursor++ % c.requests.length]!);
    collect();
    await new Promise((resolve) => setImmediate(resolve)); // let the observer catch up
    gcStarts = [];
    const t0 = performance.now();
    const before = process.memoryUsage().heapUsed;
    await runBatch(driver, units, async);
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

export async function runAlloc(quick: boolean, only: readonly string[]): Promise<AllocRow[]> {
  if (typeof gc !== 'function') throw new Error('run with --expose-gc');
  observer.observe({ entryTypes: ['gc'] });
  const batch = quick ? 1000 : 10_000;
  const maxRequests = quick ? 2000 : 1_000_000;
  const budgetMs = quick ? 200 : 4000;
  const rows: AllocRow[] = [];
  for (const c of CASES.filter((x) => ALLOC_CASES.includes(x.id) && (only.length === 0 || only.includes(x.id)))) {
    for (const framework of FRAMEWORKS) {
      for (const side of SIDES[framework] ?? []) {
        let row: AllocRow;
        try {
          const driver = await createDriver(framework, side, c);
          if (driver === undefined) row = { caseId: c.id, framework, side, bytes: undefined, requests: 0, problem: 'not available' };
          else row = { caseId: c.id, framework, side, ...(await measure(c, driver, batch, maxRequests, budgetMs)), problem: undefined };
        } catch (error) {
          row = { caseId: c.id, framework, side, bytes: undefined, requests: 0, problem: String(error) };
        }
        rows.push(row);
        process.stderr.write(`  alloc ${c.id.padEnd(22)} ${framework.padEnd(8)} ${side.padEnd(10)} ${row.bytes === undefined ? row.problem ?? 'no clean batch' : `${row.bytes.toFixed(0)} B/request (${row.requests} requests)`}\n`);
      }
    }
  }
  observer.disconnect();
  return rows;
}

// Entry point when run as the child process.
if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').pop()!)) {
  const args = process.argv.slice(2);
  const casesArg = args.indexOf('--cases');
  const only = casesArg === -1 ? [] : (args[casesArg + 1] ?? '').split(',').filter((s) => s !== '');
  const rows = await runAlloc(args.includes('--quick'), only);
  process.stdout.write(`${JSON.stringify(rows)}\n`);
}
