/**
 * The `node:test` binding of the conformance suite: `@preflight/cors-conformance/node-test`.
 *
 * @packageDocumentation
 */
import { after, before, describe, it } from 'node:test';
// Types from the package itself: one declaration of each type for every entry.
import type { ConformanceHarness, RunConformanceOptions } from '@preflight/cors-conformance';
import { registerConformance } from './register.js';

export type { RunConformanceOptions } from '@preflight/cors-conformance';

/**
 * Register the whole conformance suite with Node's built-in test runner (`node:test`) for
 * one adapter. Call it at the top level of a test file and run the file with `node --test`
 * (or directly with `node`). A harness whose `start()` throws fails every case of that
 * configuration with the error.
 *
 * @example
 * ```ts
 * // test/conformance.test.ts, run with: node --test (or tsx --test)
 * import { runConformance } from '@preflight/cors-conformance/node-test';
 * import { harness } from './harness.js';
 *
 * runConformance(harness);
 * ```
 */
export function runConformance(harness: ConformanceHarness, options: RunConformanceOptions = {}): void {
  registerConformance(
    {
      describe: (name, body) => void describe(name, body),
      test: (name, body) => void it(name, body),
      skip: (name) => void it(name, { skip: true }),
      beforeAll: (body) => before(body),
      afterAll: (body) => after(body),
    },
    harness,
    options,
  );
}
