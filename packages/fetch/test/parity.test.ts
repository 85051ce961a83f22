import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases, configs, headerValues, rawRequest, varyTokens, type ConfigName, type RawResponse, type RunningServer } from '@preflight/cors-conformance';
import { harness, honoHarness } from './harness.js';

const COMPARED = [
  'access-control-allow-origin',
  'access-control-allow-credentials',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'access-control-expose-headers',
  'access-control-max-age',
  'access-control-allow-private-network',
  'x-app-handler',
];

/** What a browser (and a cache) acts on: status, CORS headers, Vary tokens, and whether the app ran. */
function corsView(res: RawResponse): Record<string, unknown> {
  const view: Record<string, unknown> = { status: res.status, vary: varyTokens(res).sort() };
  for (const name of COMPARED) view[name] = headerValues(res, name);
  // A handler that threw leaves no trace in a plain Response, while Hono keeps headers set
  // before the throw: whether the app ran is compared for answers that are not server errors.
  if (res.status >= 500) delete view['x-app-handler'];
  return view;
}

// Same options, same answers: every conformance request is sent to a plain withCors handler
// and to Hono, and the two answers compared (cases the plain handler declares skipped aside).
describe('withCors and Hono give the same answers', () => {
  const byConfig = new Map<ConfigName, typeof cases[number][]>();
  for (const c of cases) if (harness.skip?.[c.id] === undefined) byConfig.set(c.config, [...(byConfig.get(c.config) ?? []), c]);

  for (const [config, group] of byConfig) {
    describe(`config ${config}`, () => {
      let plain: RunningServer | undefined;
      let hono: RunningServer | undefined;
      beforeAll(async () => {
        [plain, hono] = await Promise.all([harness.start(configs[config]), honoHarness.start(configs[config])]);
      });
      afterAll(async () => {
        await Promise.all([plain?.close(), hono?.close()]);
      });
      it(`${group.length} cases`, async () => {
        for (const c of group) {
          const [a, b] = await Promise.all([rawRequest(plain!.url, c.request), rawRequest(hono!.url, c.request)]);
          expect(corsView(b), c.id).toEqual(corsView(a));
        }
      });
    });
  }
});
