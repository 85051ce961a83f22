import { formatResult, groupCases, protocolsOf, startConfig, unknownSkips, type ConfigSession, type RunCasesOptions } from './engine.js';
import type { ConformanceHarness } from './harness.js';

/**
 * The few functions of a test runner a binding needs. Each binding (`/vitest`,
 * `/node-test`, `/jest`) passes its own runner's; the suite's shape is written once, here.
 */
export interface TestRunnerApi {
  describe(name: string, body: () => void): void;
  test(name: string, body: () => Promise<void>): void;
  skip(name: string): void;
  beforeAll(body: () => Promise<void>): void;
  afterAll(body: () => Promise<void>): void;
}

/** The part of Vitest's (and Jest's) API the suite uses. */
interface JestLikeApi {
  describe(name: string, body: () => void): void;
  it: { (name: string, body: () => Promise<void>, timeout?: number): void; skip(name: string, body: () => void): void };
  beforeAll(body: () => Promise<void>, timeout?: number): void;
  afterAll(body: () => Promise<void>, timeout?: number): void;
}

/** A `TestRunnerApi` over Vitest's or Jest's `describe`/`it`/`beforeAll`/`afterAll`. */
export function jestLikeApi(api: JestLikeApi, timeout?: number): TestRunnerApi {
  return {
    describe: (name, body) => api.describe(name, body),
    test: (name, body) => api.it(name, body, timeout),
    skip: (name) => api.it.skip(name, () => {}),
    beforeAll: (body) => api.beforeAll(body, timeout),
    afterAll: (body) => api.afterAll(body, timeout),
  };
}

/** Options of `runConformance` (every binding). */
export type RunConformanceOptions = Pick<RunCasesOptions, 'cases' | 'protocols' | 'transport' | 'timeoutMs'>;

/** A failed conformance case, thrown inside the runner's test so it reports the details. */
export class ConformanceCaseError extends Error {
  override readonly name = 'ConformanceCaseError';
}

/**
 * Register the suite with a test runner: one describe per harness and configuration, one
 * test per case (and protocol). The server of a configuration is started before its tests;
 * when `start()` throws, every test of the configuration fails with that error.
 */
export function registerConformance(api: TestRunnerApi, harness: ConformanceHarness, options: RunConformanceOptions = {}): void {
  const protocols = protocolsOf(harness, options);
  const unknown = unknownSkips(harness);
  api.describe(`CORS conformance: ${harness.name}`, () => {
    api.test('declares skips only for existing cases', async () => {
      if (unknown.length > 0) throw new ConformanceCaseError(`harness.skip names cases that do not exist: ${unknown.join(', ')}`);
    });
    for (const protocol of protocols) {
      for (const group of groupCases(options.cases)) {
        api.describe(`config ${group.config}${protocols.length > 1 ? ` over ${protocol}` : ''}`, () => {
          let session: ConfigSession | undefined;
          api.beforeAll(async () => {
            session = await startConfig(harness, group.config, options, protocol);
          });
          api.afterAll(async () => {
            await session?.close();
          });
          for (const c of group.cases) {
            const title = `${c.id}: ${c.name}${protocols.length > 1 ? ` [${protocol}]` : ''}`;
            const reason = harness.skip?.[c.id] ?? (c.notExpressibleIn?.[protocol] === undefined ? undefined : `not expressible in ${protocol}: ${c.notExpressibleIn[protocol]}`);
            if (reason !== undefined) {
              api.skip(`${title} — ${harness.skip?.[c.id] === undefined ? '' : 'declared skip: '}${reason}`);
              continue;
            }
            api.test(title, async () => {
              if (session === undefined) throw new ConformanceCaseError(`the ${harness.name} harness was not started`);
              const result = await session.run(c, protocol);
              if (result.outcome === 'failed') throw new ConformanceCaseError(formatResult(result));
            });
          }
        });
      }
    }
  });
}
