/**
 * The configurations and requests every benchmark uses, in one place, so that each
 * adapter and its incumbent are always given the same origins and the same requests.
 */

/** The allowed-origin lists: the request under test matches the LAST entry (the worst case for a scan). */
export function originList(size: number): string[] {
  return Array.from({ length: size }, (_, i) => `https://app${i}.example.com`);
}

/** Preflight patterns (`https://*.tenantN.example.com`), one per tenant. */
export function patternList(size: number): string[] {
  return Array.from({ length: size }, (_, i) => `https://*.tenant${i}.example.com`);
}

/**
 * The RegExps a `cors` user writes for the same tenants: anchored at both ends, any
 * subdomain depth (what `https://*.tenantN.example.com` means in Preflight).
 */
export function regexpList(size: number): RegExp[] {
  return Array.from({ length: size }, (_, i) => new RegExp(`^https:\\/\\/(?:[a-z0-9-]+\\.)+tenant${i}\\.example\\.com$`));
}

/** How the origin option is built for one case. */
export type OriginSetup =
  | { readonly kind: 'list'; readonly size: number }
  | { readonly kind: 'patterns'; readonly size: number }
  | { readonly kind: 'regexps'; readonly size: number }
  | { readonly kind: 'async'; readonly size: number };

/** One request as the benchmark sends it. Header names are lower case, as Node delivers them. */
export interface RequestSpec {
  readonly method: 'GET' | 'OPTIONS';
  readonly headers: Readonly<Record<string, string>>;
}

/** What a correct CORS layer must do with the request (checked once before timing). */
export type Expectation = 'allowed' | 'refused' | 'not-cors' | 'preflight-allowed';

/** An in-process case. */
export interface Case {
  readonly id: string;
  readonly label: string;
  /** A shorter label for the chart. */
  readonly short: string;
  readonly origins: OriginSetup;
  /** The requests to send, in turn (one entry: the same request every time). */
  readonly requests: readonly RequestSpec[];
  readonly expect: Expectation;
  /** Shown in the report next to the case. */
  readonly note?: string;
  /**
   * Preflight's side runs with RegExps too (instead of its own patterns): shows what a
   * user who keeps their RegExps pays.
   */
  readonly oursUsesRegexps?: boolean;
}

export const REFUSED_ORIGIN = 'https://evil.example.net';
export const PREFLIGHT_METHOD = 'PUT';
/** Ten request headers, as a browser sends them: lower case, sorted, comma without spaces. */
export const TEN_HEADERS = [
  'authorization', 'content-type', 'x-api-key', 'x-client-version', 'x-correlation-id',
  'x-csrf-token', 'x-device-id', 'x-locale', 'x-request-id', 'x-tenant',
].join(',');
export const PATH = '/api/items';

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

/** The in-process cases, in report order. */
export const CASES: readonly Case[] = [
  { id: 'simple-10', label: 'simple allowed, 10 origins', short: 'simple, 10 origins', origins: { kind: 'list', size: 10 }, requests: [get(last(10))], expect: 'allowed' },
  { id: 'refused-10', label: 'refused origin, 10 origins', short: 'refused, 10 origins', origins: { kind: 'list', size: 10 }, requests: [get(REFUSED_ORIGIN)], expect: 'refused' },
  { id: 'none-10', label: 'no Origin, 10 origins', short: 'no Origin', origins: { kind: 'list', size: 10 }, requests: [get()], expect: 'not-cors' },
  { id: 'preflight-10', label: 'preflight, 10 origins', short: 'preflight', origins: { kind: 'list', size: 10 }, requests: [preflight(last(10))], expect: 'preflight-allowed' },
  {
    id: 'preflight-headers-10', label: 'preflight + 10 requested headers, 10 origins', short: 'preflight + 10 requested headers', origins: { kind: 'list', size: 10 },
    requests: [preflight(last(10), TEN_HEADERS)], expect: 'preflight-allowed',
  },
  { id: 'simple-1k', label: 'simple allowed, 1,000 origins', short: 'simple, 1,000 origins', origins: { kind: 'list', size: 1000 }, requests: [get(last(1000))], expect: 'allowed' },
  { id: 'simple-10k', label: 'simple allowed, 10,000 origins', short: 'simple, 10,000 origins', origins: { kind: 'list', size: 10000 }, requests: [get(last(10000))], expect: 'allowed' },
  { id: 'refused-10k', label: 'refused origin, 10,000 origins', short: 'refused, 10,000 origins', origins: { kind: 'list', size: 10000 }, requests: [get(REFUSED_ORIGIN)], expect: 'refused' },
  {
    id: 'simple-10k-rotating', label: 'simple allowed, 10,000 origins, a different origin each request', short: '10,000 origins, all cache misses',
    origins: { kind: 'list', size: 10000 }, requests: originList(10000).map((o) => get(o)), expect: 'allowed',
    note: 'every request misses Preflight\'s decision cache (1,024 entries); the incumbents scan half the list on average',
  },
  {
    id: 'patterns-1k', label: 'simple allowed, 1,000 patterns (incumbents: 1,000 RegExps)', short: '1,000 patterns (vs RegExps)', origins: { kind: 'patterns', size: 1000 },
    requests: [get(lastTenant(1000))], expect: 'allowed',
    note: 'Preflight: `https://*.tenantN.example.com`; incumbents: the equivalent anchored RegExps',
  },
  {
    id: 'regexps-1k', label: 'simple allowed, 1,000 RegExps on both sides', short: '1,000 RegExps on both sides', origins: { kind: 'regexps', size: 1000 },
    requests: [get(lastTenant(1000))], expect: 'allowed', oursUsesRegexps: true,
    note: 'what a user who keeps their RegExps pays with Preflight (first request per origin scans, then cached)',
  },
  {
    id: 'async-10', label: 'simple allowed, async origin predicate', short: 'async origin predicate', origins: { kind: 'async', size: 10 },
    requests: [get(last(10))], expect: 'allowed', note: 'a predicate that resolves a Set lookup in a Promise (no caching possible)',
  },
];

/** Shared CORS settings (besides the origin) given to every side. */
export const COMMON = {
  credentials: true,
  methods: ['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE'],
  maxAge: 600,
} as const;

/** The Set an async predicate consults. */
export function asyncAllow(size: number): (origin: string | undefined) => Promise<boolean> {
  const set = new Set(originList(size));
  return (origin) => Promise.resolve(origin !== undefined && set.has(origin));
}
