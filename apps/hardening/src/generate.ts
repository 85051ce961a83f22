/**
 * fast-check arbitraries: CORS configurations and the requests a browser, a proxy or an
 * attacker may send. Values never start or end with spaces or tabs (Node trims those), so
 * the header the server sees is exactly the header generated.
 */
import fc from 'fast-check';
import type { CorsOptions, CorsRequest } from '@preflight/cors-core';
import { requestBytes, type RawHeader } from './raw.js';

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Origins some generated configurations allow. */
export const FRIENDLY_ORIGINS = [
  'https://app.example.com',
  'https://api.example.com',
  'https://a.b.example.com',
  'http://localhost:5173',
  'http://localhost:3000',
  'https://example.net',
  'https://www.example.net',
  'https://x.trusted.test',
  'http://[::1]:3000',
  'http://localhost:1',
] as const;

/** Well-formed origins no generated configuration allows (near misses of the allowed ones). */
export const REFUSED_ORIGINS = [
  'https://evil.example.org',
  'https://example.com',
  'https://evil-example.com',
  'https://app.example.com.evil.test',
  'http://app.example.com',
  'https://localhost:5173',
  'https://trusted.test.evil',
  'https://wwwexample.net',
  'http://[::2]:3000',
] as const;

/** Values that are not a serialized origin at all. */
export const MALFORMED_ORIGINS = [
  'null',
  'https://app.example.com/',
  'HTTPS://APP.EXAMPLE.COM',
  'https://App.example.com',
  'https://app.example.com:443',
  'http://localhost:80',
  'https://user@app.example.com',
  'https://user:pass@app.example.com',
  'https://app.example.com/path',
  'https://app.example.com?q',
  'https://app.example.com#f',
  '*',
  'app.example.com',
  'https://app.example.com, https://api.example.com',
  'https://app.example.com\tx',
  'https://\u00e4pp.example.com',
  'file://',
  'http://localhost:65536',
  'http://localhost:0',
  'http://localhost:05173',
  'http://localhost:',
  'http://[::1',
  'https://.example.com',
  'https://a..example.com',
  'https://-a.example.com',
  'https://xn--.example.com',
  '',
] as const;

const notOws = (s: string): boolean => !/^[ \t]|[ \t]$/.test(s);

/** Printable ASCII and tab, as an attacker might type in any header. */
const junk = fc.string({ unit: fc.constantFrom(...'azAZ09:/.,-_*@?#[]() \t%"\'!'.split('')), maxLength: 40 }).filter(notOws);

/** An Origin header value (undefined: no Origin). */
export const originArb: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 4, arbitrary: fc.constantFrom(...FRIENDLY_ORIGINS) },
  { weight: 2, arbitrary: fc.constantFrom(...REFUSED_ORIGINS) },
  { weight: 2, arbitrary: fc.constantFrom(...MALFORMED_ORIGINS) },
  { weight: 1, arbitrary: junk },
);

/** Access-Control-Request-Method values, valid and not. */
export const acrmArb: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 5, arbitrary: fc.constantFrom('PUT', 'PATCH', 'DELETE', 'GET', 'POST', 'HEAD', 'X-CUSTOM') },
  { weight: 2, arbitrary: fc.constantFrom('patch', 'put', 'OPTIONS', 'CONNECT', 'PU T', 'PUT,DELETE', 'PUT, PUT', '(', '', 'GET\tX', 'PUT\u00e9') },
  { weight: 1, arbitrary: junk },
);

const HEADER_NAMES = ['content-type', 'x-custom', 'authorization', 'x-requested-with', 'x-other', 'Content-Type', 'X-Custom'];

/** Access-Control-Request-Headers values: browser-shaped, proxy-shaped, invalid, long. */
export const acrhArb: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  // As a browser sends it: lower-cased, sorted, de-duplicated, joined with ",".
  {
    weight: 4,
    arbitrary: fc
      .subarray(['authorization', 'content-type', 'x-custom', 'x-other', 'x-requested-with'], { minLength: 1 })
      .map((names) => names.join(',')),
  },
  // As proxies and Node deliver it: any case, spaces, empty elements, duplicates.
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.array(fc.constantFrom(...HEADER_NAMES), { minLength: 1, maxLength: 6 }), fc.constantFrom(',', ', ', ' ,', ',,', ' , '))
      .map(([names, sep]) => names.join(sep)),
  },
  { weight: 2, arbitrary: fc.constantFrom('*', 'x(y)', 'a b', 'content-type;x', 'x-custom,\u00e9', ',', 'content-type,', ',,x-custom,,') },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 300 }).map((n) => Array.from({ length: n }, (_, i) => `x-h${i}`).join(',')) },
  { weight: 1, arbitrary: fc.integer({ min: 120, max: 136 }).map((n) => Array.from({ length: n }, (_, i) => `x-h${i}`).join(',')) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 9000 }).map((n) => ','.repeat(n)).filter(notOws) },
  { weight: 1, arbitrary: junk },
);

/** Access-Control-Request-Private-Network values. */
export const pnaArb: fc.Arbitrary<string | undefined> = fc.constantFrom(undefined, undefined, undefined, 'true', 'false', 'TRUE');

/** A generated request: method, path and the four CORS request headers. */
export interface GeneratedRequest {
  readonly method: string;
  readonly path: string;
  readonly origin: string | undefined;
  readonly acrm: string | undefined;
  readonly acrh: string | undefined;
  readonly pna: string | undefined;
}

/** Standard routes (see the conformance harness contract) and one unknown path. */
export const PATHS = ['/echo', '/options', '/prefix/nested/echo', '/missing'] as const;

export const requestArb: fc.Arbitrary<GeneratedRequest> = fc.record({
  method: fc.oneof({ weight: 3, arbitrary: fc.constant('OPTIONS') }, { weight: 4, arbitrary: fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE') }),
  path: fc.oneof({ weight: 6, arbitrary: fc.constant('/echo') }, { weight: 1, arbitrary: fc.constantFrom(...PATHS) }),
  origin: originArb,
  acrm: acrmArb,
  acrh: acrhArb,
  pna: pnaArb,
});

/** The request view the core reads for a generated request (what Node's parser delivers). */
export function viewOf(r: GeneratedRequest): CorsRequest {
  return {
    method: r.method,
    origin: r.origin,
    accessControlRequestMethod: r.acrm,
    accessControlRequestHeaders: r.acrh,
    accessControlRequestPrivateNetwork: r.pna,
  };
}

/** The request's bytes. */
export function bytesOf(r: GeneratedRequest): Buffer {
  const headers: RawHeader[] = [];
  if (r.origin !== undefined) headers.push(['Origin', r.origin]);
  if (r.acrm !== undefined) headers.push(['Access-Control-Request-Method', r.acrm]);
  if (r.acrh !== undefined) headers.push(['Access-Control-Request-Headers', r.acrh]);
  if (r.pna !== undefined) headers.push(['Access-Control-Request-Private-Network', r.pna]);
  return requestBytes(r.method, r.path, headers);
}

/** Does the standard app itself answer `method path` (as opposed to the framework's 404)? */
export function routeHandles(method: string, path: string): boolean {
  if (path === '/echo') return ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(method);
  // The contract names only GET for the nested route (HEAD there is up to the framework).
  if (path === '/prefix/nested/echo') return method === 'GET';
  if (path === '/options') return method === 'OPTIONS';
  return false;
}

const EXACT = ['https://app.example.com', 'https://api.example.com', 'http://localhost:5173', 'http://[::1]:3000'];
const PATTERNS = ['https://*.example.com', 'http://localhost:*'];
const NET = /^https:\/\/(?:www\.)?example\.net$/;

const syncPredicate = (origin: string): boolean => origin.endsWith('.trusted.test') || origin === 'https://app.example.com';
const asyncPredicate = async (origin: string): Promise<boolean> => {
  await delay(1);
  return syncPredicate(origin);
};
// Functions and RegExps do not show in JSON: give them a readable form for failure reports.
Object.defineProperty(syncPredicate, 'toJSON', { value: () => 'predicate(*.trusted.test | app.example.com)' });
Object.defineProperty(asyncPredicate, 'toJSON', { value: () => 'async predicate(*.trusted.test | app.example.com)' });
Object.defineProperty(NET, 'toJSON', { value: () => String(NET) });

const originOptionArb = (credentials: boolean): fc.Arbitrary<CorsOptions['origin']> =>
  fc.oneof(
    {
      weight: 5,
      arbitrary: fc
        .tuple(fc.subarray(EXACT), fc.subarray(PATTERNS), fc.boolean())
        .map(([exact, patterns, regexp]) => [...exact, ...patterns, ...(regexp ? [NET] : [])])
        .filter((list) => list.length > 0)
        .map((list) => (list.length === 1 ? list[0]! : list)),
    },
    { weight: credentials ? 0 : 2, arbitrary: fc.constant('*') },
    { weight: 1, arbitrary: fc.constant(syncPredicate) },
    { weight: 1, arbitrary: fc.constant(asyncPredicate) },
  );

/** A valid configuration: every option generated or omitted. */
export const configArb: fc.Arbitrary<CorsOptions> = fc.boolean().chain((credentials) =>
  fc
    .record(
      {
        origin: originOptionArb(credentials),
        methods: fc.oneof(
          fc.subarray(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'X-CUSTOM'], { minLength: 1 }),
          fc.constant('*'),
          fc.constant('GET, PUT'),
        ),
        allowedHeaders: fc.oneof(fc.subarray(['Content-Type', 'X-Custom', 'Authorization', 'X-Requested-With']), fc.constant('*')),
        exposedHeaders: credentials
          ? fc.subarray(['X-Request-Id', 'X-Secret'], { minLength: 1 })
          : fc.oneof(fc.subarray(['X-Request-Id', 'X-Secret'], { minLength: 1 }), fc.constant('*')),
        maxAge: fc.oneof(fc.constantFrom(0, 600, 7200, 86400), fc.integer({ min: 0, max: 86400 })),
        optionsSuccessStatus: fc.oneof(fc.constantFrom(200, 204), fc.integer({ min: 200, max: 299 })),
        preflightContinue: fc.boolean(),
        privateNetworkAccess: fc.boolean(),
      },
      { requiredKeys: ['origin'] },
    )
    .map((rest): CorsOptions => (credentials ? { ...rest, credentials: true } : rest)),
);
