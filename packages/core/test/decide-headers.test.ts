import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { compileCors, requestFromHeaders, type CorsOptions, type CorsRefusal, type CorsRequest } from '@preflight/cors-core';

// `decideHeaders(method, headers)` answers most requests without building the request view:
// whatever it skips, it must answer exactly as `decide(requestFromHeaders(method, headers))`,
// cold and warm (the second request from an origin is the one it answers from its cache),
// with the same `onRefusal` calls.

const APP = 'https://app.example.com';
const OTHER = 'https://evil.example.net';
const TENANT = 'https://a.tenant.example.org';

const options: fc.Arbitrary<CorsOptions> = fc.record({
  origin: fc.constantFrom<CorsOptions['origin']>([APP, 'https://*.tenant.example.org'], '*', APP, [APP, /^https:\/\/[a-z]+\.tenant\.example\.org$/]),
  credentials: fc.boolean(),
  exposedHeaders: fc.constantFrom(undefined, ['X-Total']),
  methods: fc.constantFrom(undefined, ['GET', 'PUT']),
  allowedHeaders: fc.constantFrom(undefined, ['x-custom']),
  privateNetworkAccess: fc.boolean(),
}).map((o) => (o.origin === '*' ? { ...o, credentials: false } : o)); // '*' with credentials is refused at compile time
const origin = fc.constantFrom(APP, OTHER, TENANT, undefined, 'null', '', 'https://app.example.com:443', `https://${'a'.repeat(5000)}.com`, [APP], [APP, OTHER], []);
const headers = fc.record(
  {
    origin,
    // Preflights are answered from the cache too: single values within the cache's bounds only.
    'access-control-request-method': fc.constantFrom('PUT', 'GET', 'DELETE', '', 'bad method', ['PUT'], 'P'.repeat(65)),
    'access-control-request-headers': fc.constantFrom('x-custom', 'content-type, x-total', '', ['x-custom'], ['x-custom', 'x-other'], 'x'.repeat(1025)),
    'access-control-request-private-network': fc.constantFrom('true', 'false', ['true']),
  },
  { requiredKeys: [] },
);
const request = fc.tuple(fc.constantFrom('GET', 'POST', 'OPTIONS', 'options', 'HEAD', undefined), headers);

describe('decideHeaders', () => {
  it('answers every request exactly as decide(requestFromHeaders(…)) does, cold and warm, with the same onRefusal calls', () => {
    fc.assert(
      // With and without an onRefusal listener: without one, a refused origin's cached decision is returned from the headers too.
      fc.property(options, fc.boolean(), fc.array(request, { minLength: 1, maxLength: 30 }), (opts, listens, requests) => {
        const calls: [CorsRefusal, CorsRequest][][] = [[], []];
        const listener = (i: number): CorsOptions['onRefusal'] => (listens ? (refusal, req) => calls[i]!.push([refusal, req]) : undefined);
        const [viaView, viaHeaders] = [0, 1].map((i) => compileCors({ ...opts, onRefusal: listener(i) }));
        // Every request twice in a row: the repeat is answered from the caches.
        for (const [method, h] of [...requests, ...requests]) {
          const expected = viaView!.decide(requestFromHeaders(method, h as Record<string, string | string[] | undefined>));
          const actual = viaHeaders!.decideHeaders(method, h as Record<string, string | string[] | undefined>);
          expect(actual).toEqual(expected);
        }
        expect(calls[1]).toEqual(calls[0]);
      }),
      { numRuns: 300 },
    );
  });

  it('never answers a preflight with the cached answer of a neighbouring one (a header missing, empty, repeated, or another PNA value)', () => {
    const acrms = ['PUT', ['PUT'], ''];
    const acrhs = [undefined, '', 'x-custom', ['x-custom']];
    const pnas = [undefined, 'true', 'false', ['true']];
    const all = acrms.flatMap((acrm) => acrhs.flatMap((acrh) => pnas.map((pna) => ({
      origin: APP, 'access-control-request-method': acrm, 'access-control-request-headers': acrh, 'access-control-request-private-network': pna,
    }))));
    for (const privateNetworkAccess of [false, true]) {
      for (const order of [all, [...all].reverse()]) {
        const opts: CorsOptions = { origin: [APP], allowedHeaders: ['x-custom'], privateNetworkAccess };
        const [viaView, viaHeaders] = [compileCors(opts), compileCors(opts)];
        for (const h of [...order, ...order]) {
          const headers = h as Record<string, string | string[] | undefined>;
          expect(viaHeaders.decideHeaders('OPTIONS', headers)).toEqual(viaView.decide(requestFromHeaders('OPTIONS', headers)));
        }
      }
    }
  });

  it('answers a repeated allowed origin from the cache: the very decision object, no onRefusal call', () => {
    const onRefusal = vi.fn();
    const policy = compileCors({ origin: [APP], credentials: true, onRefusal });
    const first = policy.decideHeaders('GET', { origin: APP });
    expect(first).toMatchObject({ kind: 'actual', allowed: true, vary: 'Origin' });
    expect(policy.decideHeaders('GET', { origin: APP })).toBe(first);
    expect(onRefusal).not.toHaveBeenCalled();
  });

  it('reports a repeated refused origin every time when onRefusal listens (the request view is then built)', () => {
    const onRefusal = vi.fn();
    const policy = compileCors({ origin: [APP], onRefusal });
    for (let i = 1; i <= 3; i++) {
      expect(policy.decideHeaders('GET', { origin: OTHER })).toMatchObject({ allowed: false, refusal: { code: 'origin_not_allowed' } });
      expect(onRefusal).toHaveBeenCalledTimes(i);
      expect(onRefusal).toHaveBeenLastCalledWith(expect.objectContaining({ code: 'origin_not_allowed' }), expect.objectContaining({ method: 'GET', origin: OTHER }));
    }
  });

  it('still answers preflights, in any method case, and defers to a predicate', async () => {
    const policy = compileCors({ origin: [APP], methods: ['GET', 'PUT'] });
    for (const method of ['OPTIONS', 'options']) {
      expect(policy.decideHeaders(method, { origin: APP, 'access-control-request-method': 'PUT' })).toMatchObject({ kind: 'preflight', allowed: true, end: true });
    }
    const predicate = compileCors({ origin: async (o: string) => o === APP });
    const later = predicate.decideHeaders('GET', { origin: APP });
    expect(later).toBeInstanceOf(Promise);
    await expect(later).resolves.toMatchObject({ allowed: true });
  });
});
