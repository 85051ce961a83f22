/** The cases, requests and options of every part, in one place: each adapter and its incumbent get the same ones. */
import type corsIncumbent from 'cors';
import type koaCors from '@koa/cors';
import type { cors as honoCors } from 'hono/cors';
import type { CorsOptions } from '@preflight/cors-core';

/** The allowed origins: the request under test matches the LAST entry (the worst case for a scan). */
export const originList = (size: number): string[] => Array.from({ length: size }, (_, i) => `https://app${i}.example.com`);
const patternList = (size: number): string[] => Array.from({ length: size }, (_, i) => `https://*.tenant${i}.example.com`);
/** The RegExps a `cors` user writes for those patterns: anchored, any subdomain depth (what `*.` means in Preflight). */
const regexpList = (size: number): RegExp[] =>
  Array.from({ length: size }, (_, i) => new RegExp(`^https:\\/\\/(?:[a-z0-9-]+\\.)+tenant${i}\\.example\\.com$`));

/** One request as the benchmark sends it. Header names are lower case, as Node delivers them. */
export type RequestSpec = { readonly method: 'GET' | 'OPTIONS'; readonly headers: Readonly<Record<string, string>> };

export interface Case {
  readonly id: string;
  readonly label: string;
  /** For the chart. */
  readonly short: string;
  readonly origins: { readonly kind: 'list' | 'patterns' | 'regexps' | 'async'; readonly size: number };
  /** Sent in turn (one entry: the same request every time). */
  readonly requests: readonly RequestSpec[];
  /** What a correct CORS layer must do with the request (checked before timing). */
  readonly expect: 'allowed' | 'refused' | 'not-cors' | 'preflight-allowed';
  /** Shown in the report next to the case. */
  readonly note?: string;
}

const REFUSED_ORIGIN = 'https://evil.example.net';
export const PREFLIGHT_METHOD = 'PUT';
/** Ten request headers, as a browser sends them: lower case, sorted, comma without spaces. */
export const TEN_HEADERS = [
  'authorization', 'content-type', 'x-api-key', 'x-client-version', 'x-correlation-id',
  'x-csrf-token', 'x-device-id', 'x-locale', 'x-request-id', 'x-tenant',
].join(',');
export const PATH = '/api/items';
/** What every route of the benchmark answers. */
export const BODY = '{"ok":true}';

function get(origin?: string): RequestSpec {
  return { method: 'GET', headers: origin === undefined ? { host: 'api.example.com' } : { host: 'api.example.com', origin } };
}

function preflight(origin: string, requestHeaders?: string): RequestSpec {
  const headers: Record<string, string> = { host: 'api.example.com', origin, 'access-control-request-method': PREFLIGHT_METHOD };
  if (requestHeaders !== undefined) headers['access-control-request-headers'] = requestHeaders;
  return { method: 'OPTIONS', headers };
}

const last = (size: number): string => `https://app${size - 1}.example.com`;
const lastTenant = (size: number): string => `https://app.tenant${size - 1}.example.com`;
const list = (size: number): Case['origins'] => ({ kind: 'list', size });

/** The in-process cases, in report order. */
export const CASES: readonly Case[] = [
  { id: 'simple-10', label: 'simple allowed, 10 origins', short: 'simple, 10 origins', origins: list(10), requests: [get(last(10))], expect: 'allowed' },
  { id: 'refused-10', label: 'refused origin, 10 origins', short: 'refused, 10 origins', origins: list(10), requests: [get(REFUSED_ORIGIN)], expect: 'refused' },
  { id: 'none-10', label: 'no Origin, 10 origins', short: 'no Origin', origins: list(10), requests: [get()], expect: 'not-cors' },
  { id: 'preflight-10', label: 'preflight, 10 origins', short: 'preflight', origins: list(10), requests: [preflight(last(10))], expect: 'preflight-allowed' },
  {
    id: 'preflight-headers-10', label: 'preflight + 10 requested headers, 10 origins', short: 'preflight + 10 requested headers', origins: list(10),
    requests: [preflight(last(10), TEN_HEADERS)], expect: 'preflight-allowed',
  },
  { id: 'simple-1k', label: 'simple allowed, 1,000 origins', short: 'simple, 1,000 origins', origins: list(1000), requests: [get(last(1000))], expect: 'allowed' },
  { id: 'simple-10k', label: 'simple allowed, 10,000 origins', short: 'simple, 10,000 origins', origins: list(10000), requests: [get(last(10000))], expect: 'allowed' },
  { id: 'refused-10k', label: 'refused origin, 10,000 origins', short: 'refused, 10,000 origins', origins: list(10000), requests: [get(REFUSED_ORIGIN)], expect: 'refused' },
  {
    id: 'simple-10k-rotating', label: 'simple allowed, 10,000 origins, a different origin each request', short: '10,000 origins, all cache misses',
    origins: list(10000), requests: originList(10000).map((o) => get(o)), expect: 'allowed',
    note: 'every request misses Preflight\'s decision cache (1,024 entries); the incumbents scan half the list on average',
  },
  {
    id: 'patterns-1k', label: 'simple allowed, 1,000 patterns (incumbents: 1,000 RegExps)', short: '1,000 patterns (vs RegExps)', origins: { kind: 'patterns', size: 1000 },
    requests: [get(lastTenant(1000))], expect: 'allowed',
    note: 'Preflight: `https://*.tenantN.example.com`; incumbents: the equivalent anchored RegExps',
  },
  {
    id: 'regexps-1k', label: 'simple allowed, 1,000 RegExps on both sides', short: '1,000 RegExps on both sides', origins: { kind: 'regexps', size: 1000 },
    requests: [get(lastTenant(1000))], expect: 'allowed',
    note: 'what a user who keeps their RegExps pays with Preflight (first request per origin scans, then cached)',
  },
  {
    id: 'async-10', label: 'simple allowed, async origin predicate', short: 'async origin predicate', origins: { kind: 'async', size: 10 },
    requests: [get(last(10))], expect: 'allowed', note: 'a predicate that resolves a Set lookup in a Promise (no caching possible)',
  },
];

export function caseById(id: string): Case {
  const c = CASES.find((x) => x.id === id);
  if (c === undefined) throw new Error(`unknown case ${id}`);
  return c;
}

/** The CORS settings besides the origin, the same for every side (the servers use the options of `simple-10`). */
export const COMMON = { credentials: true, methods: ['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE'], maxAge: 600 } as const;
/** The methods as one string: `cors` and `@fastify/cors` join arrays on every preflight. */
const METHODS = COMMON.methods.join(',');

function asyncAllow(size: number): (origin: string | undefined) => Promise<boolean> {
  const set = new Set(originList(size));
  return (origin) => Promise.resolve(origin !== undefined && set.has(origin));
}

export function oursOptions(c: Case): CorsOptions {
  const { kind, size } = c.origins;
  const allow = kind === 'async' ? asyncAllow(size) : undefined;
  const origin =
    kind === 'list' ? originList(size)
    : kind === 'patterns' ? patternList(size)
    : kind === 'regexps' ? regexpList(size)
    : (requestOrigin: string): Promise<boolean> => allow!(requestOrigin);
  return { origin, credentials: COMMON.credentials, methods: [...COMMON.methods], maxAge: COMMON.maxAge };
}

/** What a `cors` or `@fastify/cors` user writes for a non-async case: the list as is, RegExps for patterns. */
function incumbentOrigin({ origins: { kind, size } }: Case): string[] | RegExp[] {
  return kind === 'list' ? originList(size) : regexpList(size);
}

/** `cors`'s options (node, Express, and NestJS's `enableCors()` on Express). */
export function corsOptions(c: Case): corsIncumbent.CorsOptions {
  let origin: corsIncumbent.CorsOptions['origin'];
  if (c.origins.kind === 'async') {
    const allow = asyncAllow(c.origins.size);
    origin = (requestOrigin, callback) => {
      allow(requestOrigin).then((ok) => callback(null, ok), (error: Error) => callback(error));
    };
  } else origin = incumbentOrigin(c);
  return { origin, credentials: COMMON.credentials, methods: METHODS, maxAge: COMMON.maxAge };
}

/** `@fastify/cors`'s options (Fastify, and NestJS's `enableCors()` on Fastify). */
export function fastifyCorsOptions(c: Case): Record<string, unknown> {
  const origin = c.origins.kind === 'async' ? asyncAllow(c.origins.size) : incumbentOrigin(c);
  return { origin, credentials: COMMON.credentials, methods: METHODS, maxAge: COMMON.maxAge };
}

/** `@koa/cors`'s options: it has no list option, so users write a function of the context (a linear scan, like the others). */
export function koaCorsOptions(c: Case): koaCors.Options {
  const { kind, size } = c.origins;
  let origin: koaCors.Options['origin'];
  if (kind === 'async') {
    const allow = asyncAllow(size);
    origin = async (ctx) => {
      const requestOrigin = ctx.get('Origin');
      return (await allow(requestOrigin)) ? requestOrigin : '';
    };
  } else if (kind === 'list') {
    const list = originList(size);
    origin = (ctx) => {
      const requestOrigin = ctx.get('Origin');
      return list.includes(requestOrigin) ? requestOrigin : '';
    };
  } else {
    const regexps = regexpList(size);
    origin = (ctx) => {
      const requestOrigin = ctx.get('Origin');
      for (let i = 0; i < regexps.length; i++) if (regexps[i]!.test(requestOrigin)) return requestOrigin;
      return '';
    };
  }
  return { origin, credentials: COMMON.credentials, allowMethods: METHODS, maxAge: COMMON.maxAge };
}

export function honoCorsOptions(c: Case): Parameters<typeof honoCors>[0] {
  const { kind, size } = c.origins;
  let origin: NonNullable<Parameters<typeof honoCors>[0]>['origin'];
  if (kind === 'list') origin = originList(size);
  else if (kind === 'async') {
    const allow = asyncAllow(size);
    origin = async (requestOrigin) => ((await allow(requestOrigin)) ? requestOrigin : null);
  } else {
    const regexps = regexpList(size);
    origin = (requestOrigin) => {
      for (let i = 0; i < regexps.length; i++) if (regexps[i]!.test(requestOrigin)) return requestOrigin;
      return null;
    };
  }
  return { origin, credentials: COMMON.credentials, allowMethods: [...COMMON.methods], maxAge: COMMON.maxAge };
}
