/**
 * Micro-benchmark of `policy.decide()`: nanoseconds per decision and heap bytes allocated
 * per decision, for the cases that matter to a CORS layer.
 *
 *   pnpm bench                     # in packages/core
 *   BENCH_MS=200 pnpm bench        # time budget per case (default 300 ms)
 *
 * No benchmark library: the harness below is deliberately small: warm-up, then timed batches
 * with process.hrtime.bigint(), reporting the median batch (robust against GC pauses and a
 * shared CPU).
 *
 * "warm" cases repeat one request, as a real server sees the same few origins again and
 * again (decisions come from the bounded caches). "cold" cases rotate through 4,096
 * distinct origins, more than DECISION_CACHE_SIZE, so every decision misses the cache and
 * pays for the full matching work and a new decision object.
 *
 * Numbers are indicative: run it on an idle machine for anything you want to quote.
 */
import { constants, PerformanceObserver } from 'node:perf_hooks';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { compileCors, DECISION_CACHE_SIZE, type CorsDecision, type CorsPolicy, type CorsRequest } from '../src/index.js';

const BUDGET_MS = Number(process.env.BENCH_MS ?? 300);
const BATCH = 2_000;

let sink = 0; // consumed results, so that no call can be optimised away

function gcFunction(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === 'function') return exposed;
  v8.setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}
const gc = gcFunction();

interface Result {
  name: string;
  ns: number;
  ops: number;
}

function timeSync(name: string, requests: readonly CorsRequest[], policy: CorsPolicy): Result {
  const n = requests.length;
  let k = 0;
  const run = (count: number): void => {
    for (let i = 0; i < count; i++) {
      const d = policy.decide(requests[k]!) as CorsDecision;
      sink += d.headers.length;
      k = k + 1 === n ? 0 : k + 1;
    }
  };
  // Warm-up: let the JIT settle and the caches fill (a quarter of the budget).
  const warmUntil = performance.now() + BUDGET_MS / 4;
  while (performance.now() < warmUntil) run(BATCH);
  const samples: number[] = [];
  const until = performance.now() + BUDGET_MS;
  while (performance.now() < until) {
    const t0 = process.hrtime.bigint();
    run(BATCH);
    samples.push(Number(process.hrtime.bigint() - t0) / BATCH);
  }
  samples.sort((a, b) => a - b);
  return { name, ns: samples[samples.length >> 1]!, ops: samples.length * BATCH };
}

async function timeAsync(name: string, request: CorsRequest, policy: CorsPolicy): Promise<Result> {
  const batch = 500;
  const run = async (): Promise<void> => {
    for (let i = 0; i < batch; i++) sink += (await policy.decide(request)).headers.length;
  };
  const warmUntil = performance.now() + BUDGET_MS / 4;
  while (performance.now() < warmUntil) await run();
  const samples: number[] = [];
  const until = performance.now() + BUDGET_MS;
  while (performance.now() < until) {
    const t0 = process.hrtime.bigint();
    await run();
    samples.push(Number(process.hrtime.bigint() - t0) / batch);
  }
  samples.sort((a, b) => a - b);
  return { name, ns: samples[samples.length >> 1]!, ops: samples.length * batch };
}

/**
 * Heap bytes allocated per call over `total` calls. Short-lived objects are bump-allocated
 * in V8's young generation, so the growth of `new_space` between two points with no
 * scavenge in between is what the calls allocated. The calls run in chunks of 10,000 after a
 * forced GC (which empties the young generation); the bench script fixes the semi-space at
 * 64 MB (--min/--max-semi-space-size) so that a chunk fits without a scavenge, and any
 * scavenge that still happens is counted and reported (it would make the figure too low).
 */
const newSpaceUsed = (): number => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')!.space_used_size;
let minorGcs = 0;
const gcObserver = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) if ((entry as unknown as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) minorGcs++;
});

function heapPerCall(call: (request: CorsRequest) => number, requests: readonly CorsRequest[], total = 1_000_000): number {
  const chunk = 10_000;
  let grown = 0;
  let k = 0;
  for (let done = 0; done < total; done += chunk) {
    gc();
    const before = newSpaceUsed();
    for (let i = 0; i < chunk; i++) {
      sink += call(requests[k]!);
      k = k + 1 === requests.length ? 0 : k + 1;
    }
    grown += newSpaceUsed() - before;
  }
  return grown / total;
}

function bytesPerDecision(requests: readonly CorsRequest[], policy: CorsPolicy): number {
  const decide = (request: CorsRequest): number => (policy.decide(request) as CorsDecision).headers.length;
  heapPerCall(decide, requests, 200_000); // warm-up: let the JIT optimise the loop first
  return heapPerCall(decide, requests);
}

// ---------------------------------------------------------------------------------------
// Policies and requests
// ---------------------------------------------------------------------------------------

const ten = Array.from({ length: 10 }, (_, i) => `https://app${i}.example.com`);
const tenK = Array.from({ length: 10_000 }, (_, i) => `https://app${i}.example.com`);
const patterns = Array.from({ length: 1_000 }, (_, i) => `https://*.tenant${i}.example.com`);
const regexps = Array.from({ length: 1_000 }, (_, i) => new RegExp(`^https:\\/\\/[a-z0-9-]+\\.r${i}\\.example\\.com$`));

const small = compileCors({ origin: ten, credentials: true });
const big = compileCors({ origin: tenK, credentials: true });
const withPatterns = compileCors({ origin: patterns, credentials: true });
const withRegexps = compileCors({ origin: regexps, credentials: true });
const asyncPredicate = compileCors({ origin: async (o) => o.endsWith('.example.com'), credentials: true });

const get = (origin: string | undefined): CorsRequest => ({ method: 'GET', origin });
const pre = (origin: string, acrh?: string): CorsRequest =>
  acrh === undefined
    ? { method: 'OPTIONS', origin, accessControlRequestMethod: 'PUT' }
    : { method: 'OPTIONS', origin, accessControlRequestMethod: 'PUT', accessControlRequestHeaders: acrh };
const tenHeaders = Array.from({ length: 10 }, (_, i) => `x-header-${i}`).join(',');
const hostileAcrh = ','.repeat(1 << 20);
const rotate = (make: (i: number) => string): string[] => Array.from({ length: DECISION_CACHE_SIZE * 4 }, (_, i) => make(i));

interface Case {
  name: string;
  policy: CorsPolicy;
  requests: readonly CorsRequest[];
}

const cases: Case[] = [
  { name: 'allowed, 10-origin list', policy: small, requests: [get(ten[5])] },
  { name: 'refused origin', policy: small, requests: [get('https://evil.example.net')] },
  { name: 'no Origin', policy: small, requests: [get(undefined)] },
  { name: 'preflight', policy: small, requests: [pre(ten[5]!)] },
  { name: 'preflight, 10 requested headers', policy: small, requests: [pre(ten[5]!, tenHeaders)] },
  { name: 'allowed, 10,000-origin list', policy: big, requests: [get(tenK[9_999])] },
  { name: 'allowed, 1,000 patterns', policy: withPatterns, requests: [get('https://eu.tenant999.example.com')] },
  { name: 'allowed, 1,000 RegExps', policy: withRegexps, requests: [get('https://eu.r999.example.com')] },
  { name: 'preflight, 1 MiB hostile ACRH', policy: small, requests: [pre(ten[5]!, hostileAcrh)] },
  { name: 'cold: refused, 4,096 distinct origins', policy: small, requests: rotate((i) => `https://evil${i}.example.net`).map(get) },
  { name: 'cold: allowed, 10,000-origin list', policy: big, requests: rotate((i) => tenK[(i * 7) % 10_000]!).map(get) },
  { name: 'cold: allowed, 1,000 patterns', policy: withPatterns, requests: rotate((i) => `https://u${i}.tenant${i % 1000}.example.com`).map(get) },
  { name: 'cold: allowed, 1,000 RegExps (worst: last one)', policy: withRegexps, requests: rotate((i) => `https://u${i}.r999.example.com`).map(get) },
  { name: 'cold: preflights, 4,096 distinct ACRH', policy: small, requests: rotate((i) => `content-type,x-h${i}`).map((h) => pre(ten[5]!, h)) },
];

// ---------------------------------------------------------------------------------------
// Run
// ---------------------------------------------------------------------------------------

const results: Result[] = [];
for (const c of cases) results.push(timeSync(c.name, c.requests, c.policy));
results.push(await timeAsync('async predicate', get(ten[5]), asyncPredicate));

const pad = (s: string, n: number): string => s.padEnd(n);
console.log(`@preflight/cors-core decide() — node ${process.version}, ${BUDGET_MS} ms per case, median of ${BATCH}-call batches`);
console.log(`${pad('case', 48)} ${'ns/decision'.padStart(12)} ${'calls'.padStart(12)}`);
for (const r of results) console.log(`${pad(r.name, 48)} ${r.ns.toFixed(1).padStart(12)} ${r.ops.toLocaleString('en-US').padStart(12)}`);

const ns = (name: string): number => results.find((r) => r.name === name)!.ns;
const base = ns('allowed, 10-origin list');
console.log('');
console.log(`ratio 10,000-origin list / 10-origin list: ${(ns('allowed, 10,000-origin list') / base).toFixed(2)}`);
console.log(`ratio 1,000 patterns / 10-origin list:     ${(ns('allowed, 1,000 patterns') / base).toFixed(2)}`);

console.log('');
console.log('heap allocated per decision over 1,000,000 calls (bytes, young generation):');
gcObserver.observe({ entryTypes: ['gc'] });
const allocCases: [string, CorsPolicy, readonly CorsRequest[]][] = [
  ['allowed, 10-origin list', small, [get(ten[5])]],
  ['refused origin', small, [get('https://evil.example.net')]],
  ['preflight', small, [pre(ten[5]!)]],
  ['preflight, 10 requested headers', small, [pre(ten[5]!, tenHeaders)]],
  ['cold: allowed, 1,000 patterns', withPatterns, cases.find((c) => c.name.startsWith('cold: allowed, 1,000 patterns'))!.requests],
];
for (const [name, policy, requests] of allocCases) console.log(`${pad(name, 48)} ${bytesPerDecision(requests, policy).toFixed(1).padStart(12)}`);
await new Promise((resolve) => setTimeout(resolve, 50)); // GC entries are delivered asynchronously
gcObserver.disconnect();
console.log(`scavenges during the allocation runs: ${minorGcs}${minorGcs > 0 ? ' (the figures above are then lower bounds)' : ''}`);

if (sink === -1) console.log(''); // keep `sink` observable
