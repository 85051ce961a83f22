/**
 * The Jest binding of the conformance suite: `@preflight/cors-conformance/jest`.
 *
 * @packageDocumentation
 */
import { afterAll, beforeAll, describe, it } from '@jest/globals';
// Types from the package itself: one declaration of each type for every entry.
import type { ConformanceHarness, RunConformanceOptions } from '@preflight/cors-conformance';
import { jestLikeApi, registerConformance } from './register.js';

export type { RunConformanceOptions } from '@preflight/cors-conformance';

/**
 * Register the whole conformance suite with Jest for one adapter. Call it at the top level
 * of a test file. `@jest/globals` is provided by Jest's runtime to every module it runs, so
 * nothing beyond `jest` needs installing. A harness whose `start()` throws fails every case
 * of that configuration with the error.
 *
 * @example
 * ```js
 * // test/conformance.test.mjs (ESM: run Jest with NODE_OPTIONS=--experimental-vm-modules)
 * import { runConformance } from '@preflight/cors-conformance/jest';
 * import { harness } from './harness.mjs';
 *
 * runConformance(harness);
 * ```
 */
export function runConformance(harness: ConformanceHarness, options: RunConformanceOptions = {}): void {
  // Jest's default timeout (5 s) is short for a framework's start(); a case takes milliseconds.
  registerConformance(jestLikeApi({ describe, it, beforeAll, afterAll }, 30_000), harness, options);
}
