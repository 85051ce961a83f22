/**
 * The Vitest binding of the conformance suite: `@preflight/cors-conformance/vitest`.
 *
 * @packageDocumentation
 */
import * as vitest from 'vitest';
// Types from the package itself: one declaration of each type for every entry.
import type { ConformanceHarness, RunConformanceOptions } from '@preflight/cors-conformance';
import { jestLikeApi, registerConformance } from './register.js';

export type { RunConformanceOptions } from '@preflight/cors-conformance';

/**
 * Register the whole conformance suite with Vitest for one adapter. Call it at the top
 * level of a test file: one server per configuration is started on 127.0.0.1, every case
 * is sent over a raw socket, and each response is checked against the case and the
 * protocol invariants (one ACAO value, no duplicate Vary tokens, no 5xx unless expected…).
 * A harness whose `start()` throws fails every case of that configuration with the error.
 *
 * @example
 * ```ts
 * // test/conformance.test.ts
 * import { runConformance } from '@preflight/cors-conformance/vitest';
 * import { harness } from './harness.js';
 *
 * runConformance(harness);
 * ```
 */
export function runConformance(harness: ConformanceHarness, options: RunConformanceOptions = {}): void {
  registerConformance(jestLikeApi(vitest), harness, options);
}
