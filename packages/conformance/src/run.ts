import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases as allCases, type ConformanceCase } from './cases.js';
import { checkResponse } from './check.js';
import { configs, type ConfigName } from './configs.js';
import type { ConformanceHarness, RunningServer } from './harness.js';
import { protocolFailures, sendRaw } from './protocol.js';

/** Options of `runConformance`. */
export interface RunConformanceOptions {
  /** Run only these cases (default: every case). */
  readonly cases?: readonly ConformanceCase[];
}

/**
 * Register the whole conformance suite with Vitest for one adapter. Call it at the top
 * level of a test file: one server per configuration is started on 127.0.0.1, every case
 * is sent over a raw socket, and each response is checked against the case and the
 * protocol invariants (one ACAO value, no duplicate Vary tokens, no 5xx unless expected…).
 *
 * @example
 * ```ts
 * // test/conformance.test.ts
 * import { runConformance } from '@preflight/cors-conformance';
 * import { harness } from './harness.js';
 *
 * runConformance(harness);
 * ```
 */
export function runConformance(harness: ConformanceHarness, options: RunConformanceOptions = {}): void {
  const selected = options.cases ?? allCases;
  const unknownSkips = Object.keys(harness.skip ?? {}).filter((id) => !allCases.some((c) => c.id === id));
  const byConfig = new Map<ConfigName, ConformanceCase[]>();
  for (const c of selected) {
    const list = byConfig.get(c.config) ?? [];
    list.push(c);
    byConfig.set(c.config, list);
  }
  describe(`CORS conformance: ${harness.name}`, () => {
    it('declares skips only for existing cases', () => {
      expect(unknownSkips, 'harness.skip names cases that do not exist').toEqual([]);
    });
    for (const protocol of harness.protocols ?? ['http/1.1']) {
      for (const [config, group] of byConfig) {
        describe(`config ${config} over ${protocol}`, () => {
          let server: RunningServer | undefined;
          beforeAll(async () => {
            server = await harness.start(configs[config], { protocol });
          });
          afterAll(async () => {
            await server?.close();
          });
          for (const c of group) {
            const reason = harness.skip?.[c.id];
            if (reason !== undefined) {
              it.skip(`${c.id} over ${protocol}: ${c.name} — declared skip: ${reason}`, () => {});
              continue;
            }
            const inexpressible = c.notExpressibleIn?.[protocol];
            if (inexpressible !== undefined) {
              it.skip(`${c.id} over ${protocol}: ${c.name} — not expressible in ${protocol}: ${inexpressible}`, () => {});
              continue;
            }
            it(`${c.id} over ${protocol}: ${c.name}`, async () => {
              if (server === undefined) throw new Error(`the ${harness.name} harness did not start`);
              const res = await sendRaw(protocol, server.url, c.request);
              const failures = [...checkResponse(res, c.expect), ...protocolFailures(protocol, c, res)];
              expect(failures, `${c.request.method} ${c.request.path} → ${res.status}\n${res.headerLines.map(([n, v]) => `  ${n}: ${v}`).join('\n')}`).toEqual([]);
            });
          }
        });
      }
    }
  });
}
