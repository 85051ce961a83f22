// The "direct" part: the servers of `apps.ts`, all variants of a framework in one process (`direct.ts <framework>
// <rounds> <batches>`, printing one JSON line), driven through their `request` listener in interleaved rounds.
import type { Server } from 'node:http';
import { BODY, PATH } from '../config.js';
import { runNodeForJson } from '../child-process.js';
import { interleaved, median } from '../stats.js';
import { exchange, NullSocket, parseResponse, requestListener } from '../in-memory.js';
import { answerProblem, KIND_VARIANTS, KINDS, REQUESTS, SERVER_FRAMEWORKS, SERVERS, VARIANTS } from './apps.js';
import type { Kind, ServerFramework, Variant } from './apps.js';

export type DirectResult = Awaited<ReturnType<typeof main>>;

/** Concurrent requests per batch (as autocannon's 50 connections). */
export const CONCURRENCY = 50;

const withHost = (kind: Kind): { method: string; headers: Record<string, string> } =>
  ({ method: REQUESTS[kind].method, headers: { host: '127.0.0.1', connection: 'keep-alive', ...REQUESTS[kind].headers } });
const DIRECT_REQUESTS = { simple: withHost('simple'), preflight: withHost('preflight') };

/** A server's request listener and the sockets its requests come on (one per concurrent request). */
export function directTarget(server: Server, variant: Variant) {
  const sockets = Array.from({ length: CONCURRENCY }, () => new NullSocket());
  return { variant, listener: requestListener(server, variant), sockets, server };
}
type DirectTarget = ReturnType<typeof directTarget>;

async function once(target: DirectTarget, socket: NullSocket, kind: Kind): Promise<number> {
  const { req, res, finished } = exchange(socket, { ...DIRECT_REQUESTS[kind], url: PATH });
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

export async function checkServer(target: DirectTarget, kind: Kind): Promise<string | undefined> {
  const socket = new NullSocket(true);
  await once(target, socket, kind);
  const { status, headers, body } = parseResponse(socket);
  const problem = answerProblem(target.variant, kind, { status, appRan: body === BODY, headers });
  return problem === undefined ? undefined : `${target.variant} ${kind}: ${problem}`;
}

async function main(framework: ServerFramework, rounds: number, batches: number) {
  const targets = new Map<Variant, DirectTarget>();
  for (const variant of VARIANTS) targets.set(variant, directTarget(await SERVERS[framework].start(variant), variant));
  // A variant that answers wrongly is reported and not measured: no ratio against a wrong answer.
  const problems: string[] = [];
  /** `rounds`: ns per request, one per round. */
  const rows: { framework: ServerFramework; kind: Kind; variant: Variant; rounds: number[] }[] = [];
  for (const kind of KINDS) {
    for (const variant of KIND_VARIANTS[kind]) {
      const problem = await checkServer(targets.get(variant)!, kind);
      if (problem === undefined) rows.push({ framework, kind, variant, rounds: [] });
      else problems.push(problem);
    }
  }
  for (const kind of KINDS) {
    const group = rows.filter((row) => row.kind === kind);
    // Warm-up: every variant, untimed.
    for (const row of group) await measure(targets.get(row.variant)!, kind, batches);
    for (let round = 0; round < rounds; round++) {
      for (const row of interleaved(group, round)) row.rounds.push(await measure(targets.get(row.variant)!, kind, batches));
    }
  }
  for (const { server } of targets.values()) server.close();
  return { framework, problems, rows };
}

if (process.argv[1]?.endsWith('direct.ts')) {
  const [framework, rounds, batches] = process.argv.slice(2) as [ServerFramework, string, string];
  if (!SERVER_FRAMEWORKS.includes(framework)) throw new Error(`usage: direct.ts <${SERVER_FRAMEWORKS.join('|')}> <rounds> <batches>`);
  process.stdout.write(`${JSON.stringify(await main(framework, Number(rounds), Number(batches)))}\n`);
  process.exit(0);
}

export async function runDirect(
  settings: { rounds: number; batches: number; frameworks: readonly ServerFramework[]; log: (line: string) => void },
  pin: boolean,
): Promise<DirectResult[]> {
  const results: DirectResult[] = [];
  for (const framework of settings.frameworks) {
    const args = [framework, String(settings.rounds), String(settings.batches)];
    const result = await runNodeForJson<DirectResult>(`direct run of ${framework}`, import.meta.url, args, { pin });
    const line = (kind: Kind): string =>
      result.rows.filter((r) => r.kind === kind).map((r) => `${r.variant} ${(median(r.rounds) / 1000).toFixed(1)} µs`).join(', ');
    const problems = result.problems.length > 0 ? ` ⚠️ ${result.problems.join('; ')}` : '';
    settings.log(`  ${framework.padEnd(13)} simple: ${line('simple')}; preflight: ${line('preflight')}${problems}`);
    results.push(result);
  }
  return results;
}
