/**
 * Property-based agreement: each adapter's real server, driven with generated requests under
 * generated configurations, answers exactly what the core decides for the same request —
 * and so every adapter answers like every other one.
 */
import fc from 'fast-check';
import { compileCors, type CorsOptions } from '@preflight/cors-core';
import { afterAll, describe, expect, it } from 'vitest';
import { disagreements, invariantProblems, observe, type Observation } from '../src/agree.js';
import { bytesOf, configArb, requestArb, routeHandles, viewOf, type GeneratedRequest } from '../src/generate.js';
import { portOf, sendRaw } from '../src/raw.js';
import { targets } from '../src/targets.js';

const CONFIGS = Number(process.env.HARDENING_CONFIGS ?? 15);
const REQUESTS = Number(process.env.HARDENING_REQUESTS ?? 40);
// One seed for every adapter: each one sees the very same configurations and requests.
const SEED = Number(process.env.HARDENING_SEED ?? Date.now() % 2 ** 31);
/** Requests sent at once to one server. */
const GROUP = 10;

/** Observations per adapter, in generation order, to compare the adapters with each other. */
const observed = new Map<string, Observation[]>();
const checked = new Map<string, number>();

function describeRequest(r: GeneratedRequest): string {
  return JSON.stringify(r);
}

describe(`generated configurations and requests agree with compileCors(options).decide() (seed ${SEED})`, () => {
  for (const target of targets) {
    it(`${target.id}: ${CONFIGS} configurations × ${REQUESTS} requests`, async () => {
      const log: Observation[] = [];
      let count = 0;
      observed.set(target.id, log);
      await fc.assert(
        fc.asyncProperty(configArb, fc.array(requestArb, { minLength: REQUESTS, maxLength: REQUESTS }), async (options: CorsOptions, requests) => {
          const policy = compileCors(options);
          const server = await target.harness.start(options);
          try {
            const port = portOf(server.url);
            // In groups sent concurrently: shared state in an adapter would mix answers up.
            for (let start = 0; start < requests.length; start += GROUP) {
              const group = requests.slice(start, start + GROUP);
              const outcomes = await Promise.all(group.map((r) => sendRaw(port, bytesOf(r))));
              for (let i = 0; i < group.length; i++) {
                const r = group[i]!;
                const outcome = outcomes[i]!;
                const decision = await policy.decide(viewOf(r));
                if (outcome.kind !== 'response') throw new Error(`connection closed without a response (${outcome.error}) for ${describeRequest(r)}`);
                const handled = routeHandles(r.method, r.path);
                const problems = [...disagreements(outcome.reply, decision, { handled }), ...invariantProblems(outcome.reply, r.origin)];
                if (problems.length > 0) {
                  throw new Error(
                    `${target.id} disagrees with the core for\n  options ${JSON.stringify(options)}\n  request ${describeRequest(r)}\n  - ${problems.join('\n  - ')}\n` +
                      `  response:\n${outcome.reply.head.toString('latin1')}\n\n${outcome.reply.body.toString('latin1').slice(0, 500)}`,
                  );
                }
                log.push(observe(outcome.reply, decision.end, handled));
                count++;
              }
            }
          } finally {
            await server.close();
          }
        }),
        { numRuns: CONFIGS, seed: SEED, endOnFailure: true },
      );
      checked.set(target.id, count);
      expect(count).toBe(CONFIGS * REQUESTS);
    }, 180_000);
  }

  it('every adapter answered every generated request like every other adapter', () => {
    const [first, ...rest] = targets.filter((t) => observed.has(t.id));
    expect(first, 'no adapter ran').toBeDefined();
    const reference = observed.get(first!.id)!;
    for (const t of rest) {
      const log = observed.get(t.id)!;
      expect(log.length, `${t.id} checked ${log.length} responses, ${first!.id} ${reference.length}`).toBe(reference.length);
      for (let i = 0; i < log.length; i++) expect(log[i], `${t.id} vs ${first!.id}, response #${i}`).toEqual(reference[i]);
    }
  });
});

afterAll(() => {
  console.log(`property agreement (seed ${SEED}): ${[...checked].map(([id, n]) => `${id} ${n}`).join(', ')} responses checked`);
});
