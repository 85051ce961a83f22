import { cases, checkResponse, configs, rawRequest } from '@preflight/cors-conformance';
import { expect, it } from 'vitest';
import { runtimeHarness, type RuntimeName } from './runtimes.js';

/**
 * Proof that a runtime run is real: the `broken` application (withCors with `Vary` dropped
 * from every response) served by the same runtime must fail the suite's cases of the `exact`
 * configuration — the cases that expect `Vary: Origin` — while the correct applications pass
 * every case (the conformance runs next to this test).
 */
export function brokenAdapterFails(runtime: RuntimeName): void {
  const harness = runtimeHarness(runtime, 'broken');
  it(`${harness.name} fails the conformance suite`, async () => {
    const server = await harness.start(configs.exact);
    try {
      const exact = cases.filter((c) => c.config === 'exact');
      const failing: string[] = [];
      for (const c of exact) {
        const failures = checkResponse(await rawRequest(server.url, c.request), c.expect);
        if (failures.length > 0) failing.push(`${c.id}: ${failures.join('; ')}`);
      }
      const expectingVary = exact.filter((c) => (c.expect.vary ?? []).some((t) => t.toLowerCase() === 'origin'));
      expect(expectingVary.length).toBeGreaterThan(0);
      // every case that expects Vary: Origin fails, and for that reason
      for (const c of expectingVary) expect(failing.find((f) => f.startsWith(`${c.id}:`))).toMatch(/Vary lacks origin/i);
    } finally {
      await server.close();
    }
  });
}
