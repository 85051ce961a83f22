/**
 * Soak run: every adapter under sustained mixed load with autocannon on 127.0.0.1.
 *
 *   pnpm --filter @preflight/hardening soak [--seconds 60] [--adapters node,koa] [--connections 10] [--no-write]
 *
 * Per adapter, `--seconds` (default 60) are split into three phases, each an autocannon run
 * against a server running in a child process (so its resident memory is its own):
 * 1. warm-up (20 %): the mixed load below;
 * 2. mixed (half the rest): cycling through allowed simple requests and preflights, refused
 *    origins, requests without Origin, and hostile ones (8 KiB and 12 KiB of commas in
 *    Access-Control-Request-Headers, an invalid method token, userinfo in Origin);
 * 3. unique origins (the rest): every request carries an Origin never sent before, half of
 *    them allowed (`https://u<n>.example.com`), half refused, as simple requests and
 *    preflights — the core's caches must stay bounded (1024 entries each).
 * Every response's status and CORS headers are checked against what the policy must answer.
 * Memory is sampled every second; after warm-up and after each phase it is sampled after a
 * full GC: a leak shows as growth of the live heap (JavaScript objects) or of native memory
 * (RSS minus V8's reserved heap, which V8 sizes to the allocation rate). Writes a summary to docs/soak.md (unless `--no-write`). Exits 1 when an adapter
 * had an error, a timeout, a non-2xx, a wrong CORS answer or memory growth.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { compileCors } from '@preflight/cors-core';
import { disagreements } from './agree.js';
import { portOf, requestBytes, sendRaw } from './raw.js';
import { SOAK_OPTIONS } from './soak-config.js';
import { selectTargets, type Target } from './targets.js';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    adapters: { type: 'string' },
    connections: { type: 'string', default: '10' },
    'no-write': { type: 'boolean', default: false },
  },
});
const SECONDS = Number(args.seconds);
const CONNECTIONS = Number(args.connections);
if (!Number.isInteger(SECONDS) || SECONDS < 3) throw new Error('--seconds must be a whole number ≥ 3');
if (!Number.isInteger(CONNECTIONS) || CONNECTIONS < 1) throw new Error('--connections must be a whole number ≥ 1');

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const SERVER = fileURLToPath(new URL('./soak-server.ts', import.meta.url));
const REPORT = fileURLToPath(new URL('../../../docs/soak.md', import.meta.url));
const MiB = 1024 * 1024;
const ALLOWED = 'https://app.example.com';

// ------------------------------------------------------------------------------------------
// Requests and what each one must get back.

interface Expectation {
  status: number;
  /** Access-Control-Allow-Origin, or undefined for none. */
  acao: string | undefined;
  /** Access-Control-Allow-Headers, when checked. */
  acah?: string | undefined;
}

interface Tally {
  checked: number;
  wrong: number;
  examples: string[];
}

function header(headers: Record<string, string | string[]>, name: string): string | string[] | undefined {
  for (const key of Object.keys(headers)) if (key.toLowerCase() === name) return headers[key];
  return undefined;
}

function check(tally: Tally, label: string, expected: Expectation, status: number, headers: Record<string, string | string[]>): void {
  tally.checked++;
  const acao = header(headers, 'access-control-allow-origin');
  const acah = header(headers, 'access-control-allow-headers');
  const ok = status === expected.status && acao === expected.acao && (!('acah' in expected) || acah === expected.acah);
  if (ok) return;
  tally.wrong++;
  if (tally.examples.length < 5) tally.examples.push(`${label}: status ${status}, ACAO ${JSON.stringify(acao)}, ACAH ${JSON.stringify(acah)}; expected ${JSON.stringify(expected)}`);
}

function fixed(tally: Tally, label: string, method: string, headers: Record<string, string>, expected: Expectation): autocannon.RequestSpec {
  return { method, path: '/echo', headers, onResponse: (status, _body, _context, got) => check(tally, label, expected, status, got) };
}

const preflight = (origin: string, acrm: string, acrh?: string): Record<string, string> => ({
  origin,
  'access-control-request-method': acrm,
  ...(acrh === undefined ? {} : { 'access-control-request-headers': acrh }),
});

function mixedRequests(tally: Tally): autocannon.RequestSpec[] {
  return [
    fixed(tally, 'simple allowed', 'GET', { origin: ALLOWED }, { status: 200, acao: ALLOWED }),
    fixed(tally, 'preflight allowed', 'OPTIONS', preflight(ALLOWED, 'PUT', 'content-type,x-custom'), { status: 204, acao: ALLOWED, acah: 'content-type,x-custom' }),
    fixed(tally, 'simple refused', 'GET', { origin: 'https://evil.test' }, { status: 200, acao: undefined }),
    fixed(tally, 'preflight refused', 'OPTIONS', preflight('https://evil.test', 'PUT'), { status: 204, acao: undefined }),
    fixed(tally, 'no Origin', 'GET', {}, { status: 200, acao: undefined }),
    fixed(tally, 'subdomain allowed', 'GET', { origin: 'https://a.b.example.com' }, { status: 200, acao: 'https://a.b.example.com' }),
    fixed(tally, 'hostile: 8 KiB of commas', 'OPTIONS', preflight(ALLOWED, 'PUT', ','.repeat(8192)), { status: 204, acao: ALLOWED, acah: undefined }),
    fixed(tally, 'hostile: 12 KiB of commas', 'OPTIONS', preflight(ALLOWED, 'PUT', ','.repeat(12 * 1024)), { status: 204, acao: ALLOWED, acah: undefined }),
    fixed(tally, 'hostile: invalid method token', 'OPTIONS', preflight(ALLOWED, 'PU T', 'content-type'), { status: 204, acao: ALLOWED, acah: 'content-type' }),
    fixed(tally, 'hostile: userinfo', 'GET', { origin: 'https://user:pass@app.example.com' }, { status: 200, acao: undefined }),
  ];
}

let uniqueCounter = 0;
function uniqueRequests(tally: Tally): autocannon.RequestSpec[] {
  return [
    {
      method: 'GET',
      path: '/echo',
      setupRequest(request, context) {
        const n = uniqueCounter++;
        const allowed = n % 2 === 0;
        const isPreflight = n % 4 >= 2;
        const origin = allowed ? `https://u${n}.example.com` : `https://u${n}.evil.test`;
        context.expected = { status: isPreflight ? 204 : 200, acao: allowed ? origin : undefined } satisfies Expectation;
        return { ...request, method: isPreflight ? 'OPTIONS' : 'GET', headers: isPreflight ? preflight(origin, 'PATCH', `x-n${n % 7}`) : { origin } };
      },
      onResponse: (status, _body, context, headers) => check(tally, 'unique origin', context.expected as Expectation, status, headers),
    },
  ];
}

// ------------------------------------------------------------------------------------------
// The server child and its memory.

interface Sample {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
}

class ServerChild {
  private readonly child: ChildProcess;
  private chain: Promise<unknown> = Promise.resolve();
  readonly url: Promise<string>;

  constructor(id: string) {
    this.child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@preflight/source', '--expose-gc', SERVER, id], {
      cwd: PACKAGE_DIR,
      env: { ...process.env, TSX_TSCONFIG_PATH: 'tsconfig.tsx.json', NODE_ENV: 'production' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.url = new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${id}: server not ready within 60 s`)), 60_000);
      this.child.once('exit', (code) => reject(new Error(`${id}: server exited with ${code} before it was ready`)));
      this.child.on('message', (m: { type: string; url?: string }) => {
        if (m.type === 'ready') {
          clearTimeout(timer);
          resolve(m.url!);
        }
      });
    });
  }

  /** The child's memory, optionally after a full GC. One sample at a time. */
  sample(gc: boolean): Promise<Sample> {
    const next = this.chain.then(
      () =>
        new Promise<Sample>((resolve) => {
          const onMessage = (m: { type: string } & Sample): void => {
            if (m.type !== 'sample') return;
            this.child.off('message', onMessage);
            resolve({ rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external });
          };
          this.child.on('message', onMessage);
          this.child.send({ type: 'sample', gc });
        }),
    );
    this.chain = next.catch(() => {});
    return next;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.send({ type: 'stop' });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}

// ------------------------------------------------------------------------------------------
// One adapter.

interface PhaseResult {
  name: string;
  seconds: number;
  requests: number;
  rps: number;
  p99: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  resets: number;
  errorCodes: Record<string, number>;
}

interface AdapterReport {
  id: string;
  phases: PhaseResult[];
  tally: Tally;
  afterWarmup: Sample;
  afterMixed: Sample;
  afterUnique: Sample;
  maxRss: number;
  healthy: string[];
  problems: string[];
}

function load(url: string, name: string, seconds: number, requests: autocannon.RequestSpec[]): Promise<PhaseResult> {
  return new Promise((resolve, reject) => {
    const errorCodes: Record<string, number> = {};
    const instance = autocannon({ url, connections: CONNECTIONS, duration: seconds, requests, timeout: 10 }, (err, r) => {
      if (err) return reject(err);
      resolve({
        name,
        seconds,
        requests: r.requests.total,
        rps: r.requests.average,
        p99: r.latency.p99,
        errors: r.errors,
        timeouts: r.timeouts,
        non2xx: r.non2xx,
        resets: r.resets,
        errorCodes,
      });
    });
    instance.on('reqError', (error: NodeJS.ErrnoException) => {
      const code = error.code ?? error.message;
      errorCodes[code] = (errorCodes[code] ?? 0) + 1;
    });
  });
}

/** A normal preflight and request after the load still get the core's exact answer. */
async function healthCheck(url: string): Promise<string[]> {
  const policy = compileCors(SOAK_OPTIONS);
  const problems: string[] = [];
  const port = portOf(url);
  const probes = [
    { bytes: requestBytes('OPTIONS', '/echo', [['Origin', ALLOWED], ['Access-Control-Request-Method', 'PUT'], ['Access-Control-Request-Headers', 'content-type']]), view: { method: 'OPTIONS', origin: ALLOWED, accessControlRequestMethod: 'PUT', accessControlRequestHeaders: 'content-type' }, handled: false },
    { bytes: requestBytes('GET', '/echo', [['Origin', 'https://u1.example.com']]), view: { method: 'GET', origin: 'https://u1.example.com' }, handled: true },
  ];
  for (const probe of probes) {
    const outcome = await sendRaw(port, probe.bytes);
    if (outcome.kind !== 'response') problems.push(`health check: connection closed (${outcome.error})`);
    else problems.push(...disagreements(outcome.reply, await policy.decide(probe.view), { handled: probe.handled }).map((p) => `health check: ${p}`));
  }
  return problems;
}

async function soak(target: Target): Promise<AdapterReport> {
  const warmup = Math.max(1, Math.round(SECONDS * 0.2));
  const mixed = Math.ceil((SECONDS - warmup) / 2);
  const unique = SECONDS - warmup - mixed;
  const server = new ServerChild(target.id);
  try {
    const url = await server.url;
    const tally: Tally = { checked: 0, wrong: 0, examples: [] };
    let maxRss = 0;
    const sampler = setInterval(() => {
      void server.sample(false).then((s) => {
        maxRss = Math.max(maxRss, s.rss);
        if (process.env.SOAK_TRACE) console.log(`  rss ${mib(s.rss)} heapTotal ${mib(s.heapTotal)} heapUsed ${mib(s.heapUsed)} external ${mib(s.external)}`);
      }, () => {});
    }, 1000);
    const phases: PhaseResult[] = [];
    try {
      phases.push(await load(url, 'warm-up', warmup, mixedRequests(tally)));
      const afterWarmup = await server.sample(true);
      phases.push(await load(url, 'mixed', mixed, mixedRequests(tally)));
      const afterMixed = await server.sample(true);
      phases.push(await load(url, 'unique origins', unique, uniqueRequests(tally)));
      const afterUnique = await server.sample(true);
      maxRss = Math.max(maxRss, afterWarmup.rss, afterMixed.rss, afterUnique.rss);
      const healthy = await healthCheck(url);
      const report: AdapterReport = { id: target.id, phases, tally, afterWarmup, afterMixed, afterUnique, maxRss, healthy, problems: [] };
      report.problems = judge(report);
      return report;
    } finally {
      clearInterval(sampler);
    }
  } finally {
    await server.stop();
  }
}

/**
 * A leak grows with the requests; memory may move a little anyway. RSS is V8's reserved heap
 * (which V8 sizes to the allocation rate and keeps after a GC: an allocation-heavy framework
 * raises it without leaking) plus native memory. So: live JS objects after a full GC (heap
 * used) must stay flat, and so must native memory (RSS minus V8's reserved heap).
 */
const HEAP_SLACK = 8 * MiB;
const NATIVE_SLACK = 24 * MiB;
const native = (s: Sample): number => s.rss - s.heapTotal;

function judge(r: AdapterReport): string[] {
  const problems: string[] = [];
  for (const p of r.phases) {
    if (p.errors > 0) problems.push(`${p.name}: ${p.errors} errors ${JSON.stringify(p.errorCodes)}`);
    if (p.timeouts > 0) problems.push(`${p.name}: ${p.timeouts} timeouts`);
    if (p.non2xx > 0) problems.push(`${p.name}: ${p.non2xx} non-2xx responses`);
    if (p.resets > 0) problems.push(`${p.name}: ${p.resets} request pipeline resets`);
  }
  if (r.tally.wrong > 0) problems.push(`${r.tally.wrong} wrong CORS answers, e.g. ${r.tally.examples.join(' | ')}`);
  const nativeGrowth = native(r.afterUnique) - native(r.afterWarmup);
  if (nativeGrowth > NATIVE_SLACK) problems.push(`native memory (RSS minus V8 heap) grew by ${mib(nativeGrowth)} after warm-up`);
  const heapGrowth = r.afterUnique.heapUsed - r.afterWarmup.heapUsed;
  if (heapGrowth > HEAP_SLACK) problems.push(`heap after GC grew by ${mib(heapGrowth)} after warm-up`);
  problems.push(...r.healthy);
  return problems;
}

const mib = (bytes: number): string => `${(bytes / MiB).toFixed(1)} MiB`;
const signedMib = (bytes: number): string => `${bytes >= 0 ? '+' : ''}${mib(bytes)}`;

function table(reports: readonly AdapterReport[]): string {
  const rows = [
    '| adapter | requests | req/s (mixed / unique) | p99 ms | errors / timeouts / non-2xx | wrong CORS answers | RSS after warm-up → end (max) | V8 reserved heap | native (RSS − V8 heap) | live heap after GC | verdict |',
    '| --- | ---: | ---: | ---: | --- | ---: | --- | --- | --- | --- | --- |',
  ];
  for (const r of reports) {
    const total = r.phases.reduce((n, p) => n + p.requests, 0);
    const errors = r.phases.reduce((n, p) => n + p.errors, 0);
    const timeouts = r.phases.reduce((n, p) => n + p.timeouts, 0);
    const non2xx = r.phases.reduce((n, p) => n + p.non2xx, 0);
    const p99 = Math.max(...r.phases.map((p) => p.p99));
    rows.push(
      `| ${r.id} | ${total} | ${r.phases[1]!.rps.toFixed(0)} / ${r.phases[2]!.rps.toFixed(0)} | ${p99} | ${errors} / ${timeouts} / ${non2xx} | ${r.tally.wrong} of ${r.tally.checked} | ` +
        `${mib(r.afterWarmup.rss)} → ${mib(r.afterUnique.rss)} (${signedMib(r.afterUnique.rss - r.afterWarmup.rss)}; max ${mib(r.maxRss)}) | ` +
        `${signedMib(r.afterUnique.heapTotal - r.afterWarmup.heapTotal)} | ${signedMib(native(r.afterUnique) - native(r.afterWarmup))} | ` +
        `${mib(r.afterWarmup.heapUsed)} → ${mib(r.afterUnique.heapUsed)} (${signedMib(r.afterUnique.heapUsed - r.afterWarmup.heapUsed)}) | ${r.problems.length === 0 ? 'pass' : `FAIL: ${r.problems.join('; ')}`} |`,
    );
  }
  return rows.join('\n');
}

function markdown(reports: readonly AdapterReport[], started: Date): string {
  const short = SECONDS < 60;
  return `# Soak run

${short ? `> **Short run (\`--seconds ${SECONDS}\`)**: it shows the soak works, it is not the acceptance run (60 s or more per adapter, on an idle machine).\n\n` : ''}Generated by \`pnpm --filter @preflight/hardening soak --seconds ${SECONDS}\` (apps/hardening/src/soak.ts) on ${started.toISOString()}:
Node ${process.version}, ${cpus().length} CPUs, autocannon with ${CONNECTIONS} connections on 127.0.0.1, each server in its own child process.

Per adapter: ${SECONDS} s = warm-up (mixed load), mixed load (allowed and refused simple requests and preflights, no Origin,
8 KiB and 12 KiB of commas in Access-Control-Request-Headers, an invalid method token, userinfo in Origin), then a phase in
which every request carries an Origin never sent before (half allowed under \`https://*.example.com\`, half refused), which
would grow any unbounded cache. Every response's status and CORS headers were checked. Memory is the server process's own,
sampled after a full GC after warm-up and at the end (max: the highest RSS seen, sampled every second). RSS is V8's reserved
heap plus native memory; V8 sizes its reserved heap to the allocation rate and keeps it after a GC, so an allocation-heavy
framework (Express) raises RSS without leaking. A leak shows as growth of the live heap after GC (JavaScript objects) or of
native memory (RSS − V8 reserved heap).
Pass: no connection error, timeout, non-2xx or wrong CORS answer; live heap after GC grows less than 8 MiB and native
memory less than 24 MiB after warm-up; a normal preflight and request still get the core's exact answer afterwards.

${table(reports)}

Run it: \`pnpm --filter @preflight/hardening soak\` (default 60 s per adapter; \`--seconds N\`, \`--adapters node,koa\`,
\`--connections N\`, \`--no-write\` to leave this file alone).
`;
}

// ------------------------------------------------------------------------------------------

const started = new Date();
const reports: AdapterReport[] = [];
const chosen = selectTargets(args.adapters);
console.log(`soak: ${chosen.map((t) => t.id).join(', ')}; ${SECONDS} s each, ${CONNECTIONS} connections`);
for (const target of chosen) {
  process.stdout.write(`${target.id}: `);
  const report = await soak(target);
  reports.push(report);
  const total = report.phases.reduce((n, p) => n + p.requests, 0);
  console.log(
    `${total} requests (${report.phases.map((p) => `${p.name} ${p.requests} in ${p.seconds} s`).join(', ')}); ` +
      `${report.tally.checked} answers checked, ${report.tally.wrong} wrong; ` +
      `RSS ${mib(report.afterWarmup.rss)} after warm-up → ${mib(report.afterMixed.rss)} after mixed → ${mib(report.afterUnique.rss)} after unique origins (max ${mib(report.maxRss)}); ` +
      `V8 reserved heap ${signedMib(report.afterUnique.heapTotal - report.afterWarmup.heapTotal)}, native ${signedMib(native(report.afterUnique) - native(report.afterWarmup))}; ` +
      `live heap after GC ${mib(report.afterWarmup.heapUsed)} → ${mib(report.afterUnique.heapUsed)}; ${report.problems.length === 0 ? 'PASS' : `FAIL: ${report.problems.join('; ')}`}`,
  );
}
console.log(`\n${table(reports)}`);
if (!args['no-write']) {
  writeFileSync(REPORT, markdown(reports, started));
  console.log(`\nwrote ${REPORT}`);
}
process.exitCode = reports.every((r) => r.problems.length === 0) ? 0 : 1;
