/**
 * The "direct" server measurement: the real servers of the server benchmark (the same
 * `startHttpServer` applications: real Express, Fastify, Koa, NestJS, node:http), driven
 * in one process through their own `request` listener with real `IncomingMessage` and
 * `ServerResponse` objects over an in-memory socket. What it leaves out is the kernel's
 * loopback and HTTP parsing of the request (the same for every variant); what it keeps is
 * everything the framework and the CORS layer do, down to serializing the response head.
 *
 * Why it exists: loopback autocannon on this 2-core VM varies 0.5–1.5× between identical
 * runs, which cannot resolve a 3 % threshold. Here all variants of a framework live in one
 * process and are measured round by round, interleaved (the order rotates), so a slow
 * stretch of the machine hits every variant of a round alike; ratios are taken per round
 * (paired) and their median reported.
 *
 * Run as a child process (one per framework): `direct.ts <framework> <rounds> <batches>`;
 * prints one JSON line.
 */
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { PATH, PREFLIGHT_METHOD } from '../config.js';
import { runNodeForJson } from '../child-process.js';
import { median } from '../stats.js';
import { exchange, NullSocket, type Listener } from '../in-memory.js';
import { startHttpServer, SERVER_FRAMEWORKS, type ServerFramework, type Variant } from './apps.js';

export type Kind = 'simple' | 'preflight';

/** Concurrent requests per batch (as autocannon's 50 connections). */
export const CONCURRENCY = 50;
const ORIGIN = 'https://app9.example.com';

const REQUESTS: Record<Kind, { method: string; headers: Record<string, string> }> = {
  simple: { method: 'GET', headers: { host: '127.0.0.1', connection: 'keep-alive', origin: ORIGIN } },
  preflight: {
    method: 'OPTIONS',
    headers: {
      host: '127.0.0.1',
      connection: 'keep-alive',
      origin: ORIGIN,
      'access-control-request-method': PREFLIGHT_METHOD,
      'access-control-request-headers': 'content-type,x-request-id',
    },
  },
};

export const DIRECT_VARIANTS: Record<Kind, readonly Variant[]> = { simple: ['bare', 'floor', 'incumbent', 'ours'], preflight: ['incumbent', 'ours'] };

/** A server's request listener and the sockets its requests come on (one per concurrent request). */
export interface DirectTarget {
  readonly variant: Variant;
  readonly listener: Listener;
  readonly sockets: NullSocket[];
}

/** One request through `listener`; resolves with the status once the response has finished. */
async function once(target: DirectTarget, socket: NullSocket, kind: Kind): Promise<number> {
  const { req, res, finished } = exchange(socket, { ...REQUESTS[kind], url: PATH });
  target.listener(req, res);
  await finished;
  return res.statusCode;
}

/** `batches` batches of CONCURRENCY concurrent requests; ns per request. */
export async function measure(target: DirectTarget, kind: Kind, batches: number): Promise<number> {
  const started = process.hrtime.bigint();
  for (let b = 0; b < batches; b++) {
    const pending: Promise<number>[] = [];
    for (let i = 0; i < CONCURRENCY; i++) pending.push(once(target, target.sockets[i]!, kind));
    await Promise.all(pending);
  }
  return Number(process.hrtime.bigint() - started) / (batches * CONCURRENCY);
}

/** Check the answers before measuring: a variant that answers wrongly would measure nothing useful. */
export async function checkServer(target: DirectTarget, kind: Kind): Promise<string | undefined> {
  const socket = new NullSocket();
  const status = await once(target, socket, kind);
  const expected = kind === 'simple' ? 200 : 204;
  if (status !== expected) return `${target.variant} ${kind}: status ${status}, expected ${expected}`;
  return undefined;
}

export interface DirectRow {
  readonly framework: ServerFramework;
  readonly kind: Kind;
  readonly variant: Variant;
  /** ns per request, one per round. */
  readonly rounds: readonly number[];
}

async function main(): Promise<void> {
  const [framework, roundsArg, batchesArg] = process.argv.slice(2) as [ServerFramework, string, string];
  if (!SERVER_FRAMEWORKS.includes(framework)) throw new Error(`usage: direct.ts <${SERVER_FRAMEWORKS.join('|')}> <rounds> <batches>`);
  const rounds = Number(roundsArg);
  const batches = Number(batchesArg);
  const servers: Server[] = [];
  const targets = new Map<Variant, DirectTarget>();
  for (const variant of DIRECT_VARIANTS.simple) {
    const server = await startHttpServer(framework, variant);
    servers.push(server);
    const listener = server.listeners('request')[0] as Listener | undefined;
    if (listener === undefined) throw new Error(`${framework} ${variant}: no request listener`);
    targets.set(variant, { variant, listener, sockets: Array.from({ length: CONCURRENCY }, () => new NullSocket()) });
  }
  const problems: string[] = [];
  for (const kind of ['simple', 'preflight'] as const) {
    for (const variant of DIRECT_VARIANTS[kind]) {
      const problem = await checkServer(targets.get(variant)!, kind);
      if (problem !== undefined) problems.push(problem);
    }
  }
  const rows: DirectRow[] = [];
  for (const kind of ['simple', 'preflight'] as const) {
    const variants = DIRECT_VARIANTS[kind];
    const results = new Map<Variant, number[]>(variants.map((v) => [v, []]));
    // Warm-up: every variant, untimed.
    for (const variant of variants) await measure(targets.get(variant)!, kind, batches);
    for (let round = 0; round < rounds; round++) {
      const order = variants.map((_, i) => variants[(i + round) % variants.length]!);
      if (round % 2 === 1) order.reverse();
      for (const variant of order) results.get(variant)!.push(await measure(targets.get(variant)!, kind, batches));
    }
    for (const variant of variants) rows.push({ framework, kind, variant, rounds: results.get(variant)! });
  }
  for (const server of servers) server.close();
  process.stdout.write(`${JSON.stringify({ framework, problems, rows })}\n`);
  process.exit(0);
}

if (process.argv[1] !== undefined && process.argv[1].endsWith('direct.ts')) await main();

export interface DirectSettings {
  readonly rounds: number;
  readonly batches: number;
  readonly frameworks: readonly ServerFramework[];
  readonly log: (line: string) => void;
}

export interface DirectResult {
  readonly framework: ServerFramework;
  readonly problems: readonly string[];
  readonly rows: readonly DirectRow[];
}

/** Run every framework in its own child process (pinned to core 1 when possible). */
export async function runDirect(settings: DirectSettings, pin: boolean): Promise<DirectResult[]> {
  const script = fileURLToPath(import.meta.url);
  const results: DirectResult[] = [];
  for (const framework of settings.frameworks) {
    const nodeArgs = [...process.execArgv, script, framework, String(settings.rounds), String(settings.batches)];
    const result = await runNodeForJson<DirectResult>(`direct run of ${framework}`, nodeArgs, { pin });
    const line = (kind: Kind): string =>
      result.rows
        .filter((r) => r.kind === kind)
        .map((r) => `${r.variant} ${(median(r.rounds) / 1000).toFixed(1)} µs`)
        .join(', ');
    settings.log(`  ${framework.padEnd(13)} simple: ${line('simple')}; preflight: ${line('preflight')}${result.problems.length > 0 ? ` ⚠️ ${result.problems.join('; ')}` : ''}`);
    results.push(result);
  }
  return results;
}
