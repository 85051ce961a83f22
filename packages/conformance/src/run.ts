import { createRequire } from 'node:module';
import path from 'node:path';
import type { ConformanceHarness } from './harness.js';
import { jestLikeApi, registerConformance, type RunConformanceOptions, type TestRunnerApi } from './register.js';

export type { RunConformanceOptions } from './register.js';

let vitestApi: TestRunnerApi | undefined;

/**
 * vitest, the peer dependency, resolved from this package as a static `import` would: its
 * ES module entry, loaded with `require()` (Node ≥ 20.19 loads ES modules synchronously), so
 * the functions are those of the Vitest running the file. Vitest's own `require` entry
 * refuses to load, hence the explicit `import` entry.
 */
function loadVitest(): Parameters<typeof jestLikeApi>[0] {
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve('vitest/package.json');
  const manifest = require(manifestPath) as { exports: { '.': { import: { default: string } } } };
  return require(path.join(path.dirname(manifestPath), manifest.exports['.'].import.default)) as Parameters<typeof jestLikeApi>[0];
}

/**
 * Register the whole conformance suite with **Vitest** for one adapter — the same function
 * as `@preflight/cors-conformance/vitest`, kept at the root for existing test files. The
 * root module no longer imports `vitest`: the Vitest binding is loaded when this function
 * is first called, so importing the root (for `runCases`, the cases, the HTTP helpers)
 * works under any runner or none. Under `node:test` or Jest, import `runConformance` from
 * `@preflight/cors-conformance/node-test` or `@preflight/cors-conformance/jest`.
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
  if (vitestApi === undefined) {
    try {
      vitestApi = jestLikeApi(loadVitest());
    } catch (err) {
      throw new Error(
        'runConformance from @preflight/cors-conformance is the Vitest binding and needs vitest (a peer dependency). ' +
          'Under node:test import it from @preflight/cors-conformance/node-test, under Jest from @preflight/cors-conformance/jest; ' +
          'or call runCases() to get the results without a test runner.',
        { cause: err },
      );
    }
  }
  registerConformance(vitestApi, harness, options);
}
