import { parseRequestHeaders } from './acrh.js';
import { CorsConfigError, CorsOriginError } from './errors.js';
import { compileOrigin, type OriginMatcher } from './origin.js';
import { OriginCacheImpl } from './origin-cache.js';
import { isSerializedOrigin, MAX_ORIGIN_LENGTH } from './origin-syntax.js';
import { FORBIDDEN_METHODS, isToken, NORMALIZED_METHODS, SAFELISTED_METHODS } from './tokens.js';
import type { CorsDecision, CorsOptions, CorsRefusal, CorsRequest, HeaderEntry, HeaderValue } from './types.js';
import { requestFromHeaders, type LowerCaseHeaders } from './view.js';

/**
 * A compiled, immutable CORS policy. Build it once with `compileCors`, then call `decide`
 * for each request.
 */
export interface CorsPolicy {
  /**
   * Decide what to send for one request. Synchronous unless the `origin` option is a
   * predicate that returns a Promise; a predicate's throw, rejection or timeout becomes a
   * `CorsOriginError` (thrown, or the returned Promise rejects).
   */
  decide(request: CorsRequest): CorsDecision | Promise<CorsDecision>;
  /**
   * `decide` for adapters that continue with a callback: returns the decision when it is
   * known at once (the callback is then never called); otherwise returns `undefined` and
   * calls `callback(error, decision)` exactly once, in the microtask that receives the origin
   * predicate's answer — one promise hop fewer than awaiting `decide`'s Promise. The error is
   * the `CorsOriginError` that `decide` would reject with. The callback must not throw.
   *
   * @example
   * ```ts
   * const now = policy.decideWith(request, (error, decision) => {
   *   if (error !== undefined) return next(error);
   *   send(decision!);
   * });
   * if (now !== undefined) send(now);
   * ```
   */
  decideWith(request: CorsRequest, callback: DecisionCallback): CorsDecision | undefined;
  /**
   * `decide(requestFromHeaders(method, headers))` for adapters whose framework keeps the
   * request headers in a lower-case keyed record (Node's `req.headers`), with the same
   * answers and the same `onRefusal` calls. Most requests are answered straight from the
   * headers, without building the request view (64 B less per request on Node 20): one
   * without an `Origin`, and an actual request from an origin, or a preflight of the same
   * origin, method and headers, that a list (or `'*'`) has answered before, when there is no
   * refusal to report.
   *
   * @example
   * ```ts
   * const decision = policy.decideHeaders(req.method, req.headers);
   * ```
   */
  decideHeaders(method: string | undefined, headers: LowerCaseHeaders): CorsDecision | Promise<CorsDecision>;
  /** The validated options, frozen (arrays normalized). */
  readonly options: Readonly<ResolvedCorsOptions>;
  /** True when responses depend on the request's Origin (everything but a plain `'*'`). */
  readonly variesByOrigin: boolean;
  /**
   * True when a decision can arrive later (the `origin` option is a predicate, which may return
   * a Promise). Adapters use it to allocate a `decideWith` callback only for such policies.
   */
  readonly mayDecideLater: boolean;
  /**
   * The Vary tokens a response must carry while a decision is pending (an async origin
   * predicate) or when it failed (`CorsOriginError`): `'Origin'` when the policy varies by
   * origin, `''` otherwise. Adapters merge it before awaiting, so even an error response varies.
   */
  readonly pendingVary: string;
}

/** Receives an asynchronous decision (`CorsPolicy.decideWith`): an error, or the decision. */
export type DecisionCallback = (error: unknown, decision?: CorsDecision) => void;

/** Options after validation and normalization. */
export interface ResolvedCorsOptions {
  readonly credentials: boolean;
  readonly methods: readonly string[] | '*';
  readonly allowedHeaders: readonly string[] | '*' | undefined;
  readonly exposedHeaders: readonly string[] | '*' | undefined;
  readonly maxAge: number | undefined;
  readonly preflightContinue: boolean;
  readonly optionsSuccessStatus: number;
  readonly privateNetworkAccess: boolean;
  readonly originTimeout: number | undefined;
}

const KNOWN_OPTIONS = new Set([
  'origin', 'credentials', 'methods', 'allowedHeaders', 'exposedHeaders', 'maxAge', 'preflightContinue',
  'optionsSuccessStatus', 'privateNetworkAccess', 'originTimeout', 'originCache', 'onRefusal',
]);
const OPTION_HINTS: Readonly<Record<string, string>> = {
  origins: 'origin', allowOrigin: 'origin', allowOrigins: 'origin', allowedOrigins: 'origin',
  allowHeaders: 'allowedHeaders', headers: 'allowedHeaders', exposeHeaders: 'exposedHeaders',
  allowMethods: 'methods', allowCredentials: 'credentials', credential: 'credentials', maxage: 'maxAge',
  privateNetwork: 'privateNetworkAccess', allowPrivateNetwork: 'privateNetworkAccess',
};

/** Options of other CORS packages that Preflight does not need, with the reason. */
const NOT_NEEDED: Readonly<Record<string, string>> = {
  strictPreflight: 'remove it: only OPTIONS + Origin + Access-Control-Request-Method is ever treated as a preflight, and other OPTIONS requests reach your app',
  hideOptionsRoute: 'remove it: Preflight answers preflights in a hook, with no catch-all OPTIONS route to hide',
  keepHeadersOnError: 'remove it: CORS headers are always kept on error responses',
  secureContext: 'remove it: Cross-Origin-Opener/Embedder-Policy headers are not CORS; set them with a security-headers middleware',
  hook: 'remove it: the Fastify adapter always works in onRequest, before authentication',
  delegator: 'pass a predicate as `origin` instead: (origin, request) => boolean | Promise<boolean>',
};

/** Size bound of each per-policy decision cache (entries). */
export const DECISION_CACHE_SIZE = 1024;

const DEFAULT_METHODS: readonly string[] = Object.freeze(['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE']);
const ACAO = 'access-control-allow-origin';
const ACAC = 'access-control-allow-credentials';
const ACAM = 'access-control-allow-methods';
const ACAH = 'access-control-allow-headers';
const ACEH = 'access-control-expose-headers';
const ACMA = 'access-control-max-age';
const ACAPN = 'access-control-allow-private-network';

/**
 * Validate CORS options and compile them into an immutable policy.
 *
 * All validation happens here: an invalid or insecure configuration throws a
 * `CorsConfigError` naming the option, the value and the fix. Per request, `decide`
 * re-parses nothing from the configuration; repeated requests get the same cached, frozen
 * decision (bounded maps): an actual request from a known origin allocates nothing, a
 * repeated preflight only its cache key.
 *
 * @example
 * ```ts
 * import { compileCors } from '@preflight/cors-core';
 *
 * const policy = compileCors({ origin: ['https://app.example.com', 'https://*.example.org'], credentials: true });
 * const decision = policy.decide({ method: 'GET', origin: 'https://app.example.com' });
 * // decision.headers → [['access-control-allow-origin', 'https://app.example.com'], ['access-control-allow-credentials', 'true']]
 * // decision.vary    → 'Origin'
 * ```
 */
export function compileCors(options: CorsOptions): CorsPolicy {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new CorsConfigError('OPTIONS_NOT_OBJECT', 'options', options, 'the options must be an object', 'pass an object such as { origin: "https://app.example.com" }');
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key)) {
      const hint = (Object.hasOwn(OPTION_HINTS, key) ? OPTION_HINTS[key] : undefined) ?? closestOption(key);
      const notNeeded = Object.hasOwn(NOT_NEEDED, key) ? NOT_NEEDED[key] : undefined;
      throw new CorsConfigError(
        'UNKNOWN_OPTION', key, (options as unknown as Record<string, unknown>)[key], 'it is not a Preflight option',
        notNeeded ?? (hint ? `did you mean \`${hint}\`?` : `use one of: ${[...KNOWN_OPTIONS].join(', ')}`),
      );
    }
  }
  const credentials = bool(options.credentials, 'credentials', false);
  const preflightContinue = bool(options.preflightContinue, 'preflightContinue', false);
  const privateNetworkAccess = bool(options.privateNetworkAccess, 'privateNetworkAccess', false);
  const matcher = compileOrigin(options.origin, credentials);
  const methods = compileMethods(options.methods);
  const allowedHeaders = compileHeaderList(options.allowedHeaders, 'allowedHeaders');
  const exposedHeaders = compileHeaderList(options.exposedHeaders, 'exposedHeaders');
  if (exposedHeaders === '*' && credentials) {
    throw new CorsConfigError(
      'EXPOSED_WILDCARD_WITH_CREDENTIALS', 'exposedHeaders', '*',
      'with credentials, browsers read "*" as a header literally named "*", so nothing would be exposed',
      'list the response headers the page may read, e.g. exposedHeaders: ["X-Request-Id"]',
    );
  }
  const maxAge = options.maxAge;
  if (maxAge !== undefined && (typeof maxAge !== 'number' || !Number.isInteger(maxAge) || maxAge < 0 || maxAge > 86400)) {
    throw new CorsConfigError(
      'MAX_AGE_INVALID', 'maxAge', maxAge,
      'it must be a whole number of seconds from 0 to 86400 (Firefox caps at 86400, Chromium at 7200)',
      'use e.g. maxAge: 7200, or 0 to disable preflight caching',
    );
  }
  const status = options.optionsSuccessStatus ?? 204;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 299) {
    throw new CorsConfigError(
      'OPTIONS_SUCCESS_STATUS_INVALID', 'optionsSuccessStatus', status,
      'browsers fail a preflight whose status is not 200–299',
      'use 204 (the default) or 200 for old clients',
    );
  }
  const originTimeout = options.originTimeout;
  if (originTimeout !== undefined && (typeof originTimeout !== 'number' || !Number.isInteger(originTimeout) || originTimeout <= 0 || originTimeout > 2_147_483_647)) {
    throw new CorsConfigError('ORIGIN_TIMEOUT_INVALID', 'originTimeout', originTimeout, 'it must be a positive whole number of milliseconds', 'use e.g. originTimeout: 2000');
  }
  const onRefusal = options.onRefusal;
  if (onRefusal !== undefined && typeof onRefusal !== 'function') {
    throw new CorsConfigError('OPTION_TYPE', 'onRefusal', onRefusal, 'it must be a function', 'pass (refusal, request) => { … }');
  }

  const resolved: ResolvedCorsOptions = Object.freeze({
    credentials, methods, allowedHeaders, exposedHeaders, maxAge, preflightContinue,
    optionsSuccessStatus: status, privateNetworkAccess, originTimeout,
  });
  const originCache = compileOriginCache(options.originCache, matcher);
  return Object.freeze(new Policy(matcher, resolved, onRefusal, originCache));
}

/** Check the `originCache` option: a handle from `createOriginCache`, next to a predicate `origin`. */
function compileOriginCache(value: unknown, matcher: OriginMatcher): OriginCacheImpl | undefined {
  if (value === undefined) return undefined;
  if (!(value instanceof OriginCacheImpl)) {
    throw new CorsConfigError(
      'ORIGIN_CACHE_INVALID', 'originCache', value,
      'it must be the handle createOriginCache() returns (keep it to invalidate origins)',
      'write originCache: createOriginCache({ max: 10000, ttl: 60000, negativeTtl: 5000 })',
    );
  }
  if (matcher.kind !== 'predicate') {
    throw new CorsConfigError(
      'ORIGIN_CACHE_WITHOUT_PREDICATE', 'originCache', value,
      'only an origin predicate has answers to cache: exact origins, patterns and RegExps are already answered from memory',
      'remove originCache, or make origin a function such as async (origin) => db.isAllowed(origin)',
    );
  }
  if (value.predicate !== undefined && value.predicate !== matcher.predicate) {
    throw new CorsConfigError(
      'ORIGIN_CACHE_SHARED', 'originCache', value,
      'this cache already holds the answers of another origin predicate, which would be served for this one',
      'create one cache per predicate with createOriginCache(), or pass the same predicate function to both policies',
    );
  }
  value.predicate = matcher.predicate;
  return value;
}

/** The known option nearest to a misspelt one (case-insensitive, at most 2 edits), if any. */
function closestOption(key: string): string | undefined {
  const lower = key.toLowerCase();
  let best: string | undefined;
  let bestDistance = 3;
  for (const known of KNOWN_OPTIONS) {
    const d = editDistance(lower, known.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = known;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}

function bool(value: unknown, name: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    // Never guess from truthiness: the string "false" must not be "fixed" into true.
    const fix = value === 'true' || value === 'false' ? `write ${name}: ${value} (a boolean, not a string)` : `write ${name}: true or ${name}: false`;
    throw new CorsConfigError('OPTION_TYPE', name, value, 'it must be true or false', fix);
  }
  return value;
}

function splitList(value: string | readonly string[]): readonly unknown[] {
  return typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter((s) => s !== '') : value;
}

function compileMethods(value: CorsOptions['methods']): readonly string[] | '*' {
  if (value === undefined) return DEFAULT_METHODS;
  if (value === '*') return '*';
  if (typeof value !== 'string' && !Array.isArray(value)) {
    throw new CorsConfigError('OPTION_TYPE', 'methods', value, 'it must be a list of methods, a comma-separated string or "*"', 'write e.g. methods: ["GET", "POST"]');
  }
  const out: string[] = [];
  splitList(value).forEach((m, i) => {
    const path = typeof value === 'string' ? 'methods' : `methods[${i}]`;
    if (typeof m !== 'string' || !isToken(m) || m === '*') {
      throw new CorsConfigError('METHOD_INVALID', path, m, 'a method must be an HTTP token (letters, digits, !#$%&\'+-.^_`|~)', 'write it like "PUT" or "PATCH", or use methods: "*" on its own');
    }
    const upper = m.toUpperCase();
    if (FORBIDDEN_METHODS.has(upper)) {
      throw new CorsConfigError('METHOD_FORBIDDEN', path, m, 'browsers never send CONNECT, TRACE or TRACK', 'remove it');
    }
    // Browsers upper-case the six standard methods themselves; everything else (PATCH
    // included) is compared byte for byte, so it is kept exactly as written.
    const method = NORMALIZED_METHODS.has(upper) ? upper : m;
    if (!out.includes(method)) out.push(method);
  });
  if (out.length === 0) {
    throw new CorsConfigError('METHOD_INVALID', 'methods', value, 'the list is empty', 'list at least one method, or leave the option out for the default');
  }
  return Object.freeze(out);
}

function compileHeaderList(value: CorsOptions['allowedHeaders'], name: 'allowedHeaders' | 'exposedHeaders'): readonly string[] | '*' | undefined {
  if (value === undefined) return undefined;
  if (value === '*') return '*';
  if (typeof value !== 'string' && !Array.isArray(value)) {
    throw new CorsConfigError('OPTION_TYPE', name, value, 'it must be a list of header names, a comma-separated string or "*"', `write e.g. ${name}: ["Content-Type", "Authorization"]`);
  }
  const out: string[] = [];
  splitList(value).forEach((h, i) => {
    const path = typeof value === 'string' ? name : `${name}[${i}]`;
    if (typeof h !== 'string' || !isToken(h)) {
      throw new CorsConfigError('HEADER_INVALID', path, h, 'a header name must be an HTTP token (no spaces, colons or quotes)', 'write it like "Content-Type" or "X-Request-Id"');
    }
    if (h === '*') {
      throw new CorsConfigError('HEADER_INVALID', path, h, '"*" inside a list is taken literally by browsers', `use ${name}: "*" on its own, or list the names`);
    }
    const lower = h.toLowerCase();
    if (name === 'exposedHeaders' && (lower === 'set-cookie' || lower === 'set-cookie2')) {
      throw new CorsConfigError(
        'EXPOSED_HEADER_FORBIDDEN', path, h,
        'browsers never let a page read Set-Cookie or Set-Cookie2 (forbidden response-header names in the Fetch standard), so exposing it can never work',
        'remove it; a page cannot read cookies from responses (non-HttpOnly cookies are in document.cookie)',
      );
    }
    if (!out.some((x) => x.toLowerCase() === lower)) out.push(h);
  });
  return Object.freeze(out);
}

/** Longest Access-Control-Request-Method / Access-Control-Request-Headers kept in a preflight cache key. */
const MAX_CACHED_METHOD_LENGTH = 64;
const MAX_CACHED_ACRH_LENGTH = 1024;

/** Whether a preflight's key may be cached (and looked up): a hostile 1 MiB ACRH is neither hashed nor retained. */
function cacheableKey(origin: string, acrm: string, acrh: string): boolean {
  return origin.length <= MAX_ORIGIN_LENGTH && acrm.length <= MAX_CACHED_METHOD_LENGTH && acrh.length <= MAX_CACHED_ACRH_LENGTH;
}

/** Decisions are shared between requests: freeze them deeply (entries and refusal too). */
const freezeDecision = (d: CorsDecision): CorsDecision => {
  for (const entry of d.headers) Object.freeze(entry);
  Object.freeze(d.headers);
  if (d.refusal !== undefined) Object.freeze(d.refusal);
  return Object.freeze(d);
};

const REFUSE_NOT_ALLOWED: CorsRefusal = Object.freeze({ code: 'origin_not_allowed', message: 'origin not allowed' });
const REFUSE_MALFORMED: CorsRefusal = Object.freeze({ code: 'origin_malformed', message: 'the Origin header is not a serialized origin' });
const REFUSE_NULL: CorsRefusal = Object.freeze({ code: 'origin_null', message: 'the "null" origin is never allowed' });
const REFUSE_LOOKUP_FAILED: CorsRefusal = Object.freeze({
  code: 'origin_lookup_failed', message: 'the origin lookup failed or timed out, and the origin cache refuses on failure',
});

/** Refusals of an origin that do not depend on the policy's predicate answering. */
type RefusalCode = 'origin_null' | 'origin_malformed' | 'origin_lookup_failed';
const REFUSE_METHOD_INVALID: CorsRefusal = Object.freeze({ code: 'method_invalid', message: 'Access-Control-Request-Method is not a valid method token' });
const REFUSE_HEADERS_INVALID: CorsRefusal = Object.freeze({
  code: 'headers_invalid', message: 'Access-Control-Request-Headers is malformed, too long or lists too many names',
});

/**
 * Is this method OPTIONS, in any case? Browsers send `OPTIONS`; some frameworks hand
 * adapters a lower-cased method (hapi's `request.method` is `options`).
 */
function isOptions(method: string): boolean {
  return method === 'OPTIONS' || (method.length === 7 && method.toUpperCase() === 'OPTIONS');
}

/** A header value from a framework, as one string (arrays are joined the way Node joins repeated lines). */
function one(value: HeaderValue): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  return value.length === 0 ? undefined : value.length === 1 ? value[0] : value.join(', ');
}

/**
 * Preflight decisions by origin → method → request headers (→ PNA), in nested Maps so a
 * repeated preflight is three lookups and allocates nothing (no concatenated key). Bounded:
 * past `DECISION_CACHE_SIZE` entries it starts over.
 */
/** Where a preflight decision goes in the cache (only built on a cache miss). */
interface PreflightKey {
  readonly origin: string;
  readonly acrm: string;
  readonly acrh: string;
  readonly pna: boolean;
}

class PreflightCache {
  private readonly roots = [new Map<string, Map<string, Map<string, CorsDecision>>>(), new Map<string, Map<string, Map<string, CorsDecision>>>()] as const;
  private count = 0;
  /** Number of cached decisions. */
  get size(): number {
    return this.count;
  }
  // The last preflight answered from here: a browser repeats the same one (three string
  // comparisons instead of three Map lookups).
  private lastOrigin = '';
  private lastAcrm = '';
  private lastAcrh = '';
  private lastPna = false;
  private lastDecision: CorsDecision | undefined;
  get(origin: string, acrm: string, acrh: string, pna: boolean): CorsDecision | undefined {
    if (origin === this.lastOrigin && acrm === this.lastAcrm && acrh === this.lastAcrh && pna === this.lastPna) return this.lastDecision;
    const decision = this.roots[pna ? 1 : 0].get(origin)?.get(acrm)?.get(acrh);
    if (decision !== undefined) this.remember(origin, acrm, acrh, pna, decision);
    return decision;
  }
  private remember(origin: string, acrm: string, acrh: string, pna: boolean, decision: CorsDecision): void {
    this.lastOrigin = origin;
    this.lastAcrm = acrm;
    this.lastAcrh = acrh;
    this.lastPna = pna;
    this.lastDecision = decision;
  }
  set(origin: string, acrm: string, acrh: string, pna: boolean, decision: CorsDecision): CorsDecision {
    if (this.count >= DECISION_CACHE_SIZE) {
      this.roots[0].clear();
      this.roots[1].clear();
      this.count = 0;
    }
    const root = this.roots[pna ? 1 : 0];
    let byMethod = root.get(origin);
    if (byMethod === undefined) root.set(origin, (byMethod = new Map()));
    let byHeaders = byMethod.get(acrm);
    if (byHeaders === undefined) byMethod.set(acrm, (byHeaders = new Map()));
    if (!byHeaders.has(acrh)) this.count++;
    byHeaders.set(acrh, decision);
    this.remember(origin, acrm, acrh, pna, decision);
    return decision;
  }
}

/**
 * A bounded cache in two generations of at most `DECISION_CACHE_SIZE / 2` entries each: new
 * entries go to the young Map; when it is full it becomes the old one and the previous old
 * one is dropped whole. A hit in the old generation is copied to the young one, so entries in
 * use survive. A miss costs two lookups and one insertion — no eviction scan, no iterator
 * (evicting a Map's oldest key with `keys().next()` walks over every deleted slot before it,
 * which made a miss cost microseconds).
 */
class BoundedCache<V> {
  private young = new Map<string, V>();
  private old = new Map<string, V>();
  // The last key asked for and its value: most APIs serve one origin (their web app) most of
  // the time, and comparing strings costs less than hashing a fresh header value.
  private lastKey: string | undefined;
  private lastValue: V | undefined;
  /** Number of cached entries (an entry copied from the old generation counts twice). */
  get size(): number {
    return this.young.size + this.old.size;
  }
  get(key: string): V | undefined {
    if (key === this.lastKey) return this.lastValue;
    let value = this.young.get(key);
    if (value === undefined) {
      value = this.old.get(key);
      if (value === undefined) return undefined;
      this.set(key, value);
    }
    this.lastKey = key;
    this.lastValue = value;
    return value;
  }
  set(key: string, value: V): V {
    if (this.young.size >= DECISION_CACHE_SIZE / 2) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(key, value);
    this.lastKey = key;
    this.lastValue = value;
    return value;
  }
}

/** Call `callback` with what `make(input)` returns, or with what it throws. */
function deliver<T>(callback: DecisionCallback, make: (input: T) => CorsDecision, input: T): void {
  let decision: CorsDecision;
  try {
    decision = make(input);
  } catch (error) {
    callback(error);
    return;
  }
  callback(undefined, decision);
}

class Policy implements CorsPolicy {
  readonly options: Readonly<ResolvedCorsOptions>;
  readonly variesByOrigin: boolean;
  readonly mayDecideLater: boolean;
  readonly pendingVary: string;
  private readonly matcher: OriginMatcher;
  private readonly onRefusal: CorsOptions['onRefusal'];
  private readonly status: number;
  private readonly endPreflight: boolean;
  private readonly allowMethods: string | undefined;
  private readonly allowedMethodSet: ReadonlySet<string> | undefined;
  private readonly allowedHeaderSet: ReadonlySet<string> | undefined;
  private readonly allowHeadersValue: string | undefined;
  private readonly exposeValue: string | undefined;
  private readonly preflightVary: string;
  /** The headers after ACAO of every allowed actual request (frozen, shared by their decisions). */
  private readonly allowedTail: readonly HeaderEntry[];
  // Decisions that do not depend on the request.
  private readonly noOrigin: CorsDecision;
  private readonly refusedActual: Record<'origin_not_allowed' | RefusalCode, CorsDecision>;
  private readonly refusedPreflight: Record<'origin_not_allowed' | RefusalCode, CorsDecision>;
  private readonly originCache: OriginCacheImpl | undefined;
  private readonly anyActual: CorsDecision | undefined;
  /** Whether an actual request's answer may come from `actualCache` (or `anyActual`) before a request view exists: no predicate, no origin cache. */
  private readonly answersFromHeaders: boolean;
  // Bounded caches of decisions that depend only on their key.
  private readonly actualCache = new BoundedCache<CorsDecision>();
  private readonly preflightCache = new PreflightCache();
  private readonly verdictCache = new BoundedCache<boolean>();
  /**
   * The last origin found well-formed before a predicate saw it: browsers repeat their origin,
   * and comparing costs less than the scan (about 90 ns). Mutable, in an object of its own (the
   * policy is frozen), like the caches. It only ever holds a well-formed origin, from the start.
   */
  private readonly lastWellFormed = { origin: 'https://example.invalid' };

  constructor(matcher: OriginMatcher, options: ResolvedCorsOptions, onRefusal: CorsOptions['onRefusal'], originCache: OriginCacheImpl | undefined) {
    this.matcher = matcher;
    this.originCache = originCache;
    this.options = options;
    this.onRefusal = onRefusal;
    this.variesByOrigin = matcher.kind !== 'any';
    this.mayDecideLater = matcher.kind === 'predicate';
    this.pendingVary = this.variesByOrigin ? 'Origin' : '';
    this.status = options.optionsSuccessStatus;
    this.endPreflight = !options.preflightContinue;
    const methods = options.methods;
    this.allowMethods = methods === '*' ? undefined : methods.join(',');
    this.allowedMethodSet = methods === '*' ? undefined : new Set(methods);
    const ah = options.allowedHeaders;
    this.allowedHeaderSet = ah === undefined || ah === '*' ? undefined : new Set(ah.map((h) => h.toLowerCase()));
    this.allowHeadersValue = ah === undefined || ah === '*' || ah.length === 0 ? undefined : ah.join(',');
    const eh = options.exposedHeaders;
    this.exposeValue = eh === undefined ? undefined : eh === '*' ? '*' : eh.length > 0 ? eh.join(',') : undefined;
    const varyTokens = ['Access-Control-Request-Method', 'Access-Control-Request-Headers'];
    if (options.privateNetworkAccess) varyTokens.push('Access-Control-Request-Private-Network');
    if (this.variesByOrigin) varyTokens.unshift('Origin');
    this.preflightVary = varyTokens.join(', ');
    const originVary = this.variesByOrigin ? 'Origin' : '';
    const tail: HeaderEntry[] = [];
    if (options.credentials) tail.push(Object.freeze([ACAC, 'true']) as HeaderEntry);
    if (this.exposeValue !== undefined) tail.push(Object.freeze([ACEH, this.exposeValue]) as HeaderEntry);
    this.allowedTail = Object.freeze(tail);

    const anyHeaders: HeaderEntry[] = [[ACAO, '*']];
    if (this.exposeValue !== undefined) anyHeaders.push([ACEH, this.exposeValue]);
    this.anyActual = matcher.kind === 'any' ? this.actual(anyHeaders, true, '', undefined) : undefined;
    this.answersFromHeaders = matcher.kind !== 'predicate' && originCache === undefined;
    // Without an Origin the request is not a CORS request; a static "*" still answers "*"
    // (the same bytes for everyone, so caches need no Vary), anything else varies on Origin.
    this.noOrigin = this.anyActual !== undefined
      ? freezeDecision({ ...this.anyActual, headers: [...this.anyActual.headers], kind: 'none', allowed: false })
      : freezeDecision({ kind: 'none', allowed: false, headers: [], vary: originVary, end: false, status: 0, refusal: undefined });
    this.refusedActual = {
      origin_not_allowed: this.actual([], false, originVary, REFUSE_NOT_ALLOWED),
      origin_malformed: this.actual([], false, originVary, REFUSE_MALFORMED),
      origin_null: this.actual([], false, originVary, REFUSE_NULL),
      origin_lookup_failed: this.actual([], false, originVary, REFUSE_LOOKUP_FAILED),
    };
    this.refusedPreflight = {
      origin_not_allowed: this.preflight([], false, REFUSE_NOT_ALLOWED),
      origin_malformed: this.preflight([], false, REFUSE_MALFORMED),
      origin_null: this.preflight([], false, REFUSE_NULL),
      origin_lookup_failed: this.preflight([], false, REFUSE_LOOKUP_FAILED),
    };
  }

  private actual(headers: HeaderEntry[], allowed: boolean, vary: string, refusal: CorsRefusal | undefined): CorsDecision {
    return freezeDecision({ kind: 'actual', allowed, headers, vary, end: false, status: 0, refusal });
  }

  private preflight(headers: HeaderEntry[], allowed: boolean, refusal: CorsRefusal | undefined): CorsDecision {
    const end = this.endPreflight;
    // RFC 9110: no Content-Length on 204; an explicit 0 on any other ended preflight.
    if (end && this.status !== 204) headers.push(['content-length', '0']);
    return freezeDecision({ kind: 'preflight', allowed, headers, vary: this.preflightVary, end, status: end ? this.status : 0, refusal });
  }

  decide(request: CorsRequest): CorsDecision | Promise<CorsDecision> {
    return this.run(request, undefined)!;
  }

  decideHeaders(method: string | undefined, headers: LowerCaseHeaders): CorsDecision | Promise<CorsDecision> {
    const origin = headers.origin;
    if (origin === undefined) return this.noOrigin;
    // What `run` answers first for an actual request under '*' or a list (no origin cache to
    // peek): `anyActual`, or the cached decision of an origin seen before (only well-formed,
    // bounded origins are ever stored), reported only when refused and someone listens.
    // A preflight's the same way from the preflight cache, under the same bounds as `run`'s.
    if (this.answersFromHeaders && typeof origin === 'string') {
      let cached: CorsDecision | undefined;
      if (method === undefined || !isOptions(method)) {
        if (this.anyActual !== undefined) return this.anyActual;
        cached = this.actualCache.get(origin);
      } else {
        cached = this.cachedPreflight(origin, headers);
      }
      if (cached !== undefined && (cached.refusal === undefined || this.onRefusal === undefined)) return cached;
    }
    return this.run(requestFromHeaders(method, headers), undefined)!;
  }

  /** The cached answer to this preflight, if any: only single-valued, bounded headers are looked up (as `run` caches them). */
  private cachedPreflight(origin: string, headers: LowerCaseHeaders): CorsDecision | undefined {
    const acrm = headers['access-control-request-method'];
    const acrh = headers['access-control-request-headers'] ?? '';
    const pna = this.options.privateNetworkAccess ? headers['access-control-request-private-network'] : undefined;
    if (typeof acrm !== 'string' || typeof acrh !== 'string' || typeof pna === 'object') return undefined;
    return cacheableKey(origin, acrm, acrh) ? this.preflightCache.get(origin, acrm, acrh, pna === 'true') : undefined;
  }

  decideWith(request: CorsRequest, callback: DecisionCallback): CorsDecision | undefined {
    if (typeof callback !== 'function') throw new TypeError('decideWith(request, callback): callback must be a function');
    const outcome = this.run(request, callback);
    return outcome instanceof Promise ? undefined : outcome;
  }

  /** Both entry points: with a callback, an asynchronous decision goes to it (and undefined is returned). */
  private run(request: CorsRequest, callback: DecisionCallback | undefined): CorsDecision | Promise<CorsDecision> | undefined {
    const origin = one(request.origin);
    if (origin === undefined) return this.noOrigin;
    const acrm = isOptions(request.method) ? one(request.accessControlRequestMethod) : undefined;
    const isStatic = this.matcher.kind !== 'predicate';
    // An Origin longer than any serialized origin is malformed: refuse it without caching
    // it (cache keys stay bounded) and without showing it to a matcher.
    const oversized = origin.length > MAX_ORIGIN_LENGTH && this.matcher.kind !== 'any';
    // A warm origin cache answers synchronously, before anything else is looked at (only
    // well-formed origins are ever stored in it).
    const entry = this.originCache?.peek(origin);
    if (acrm === undefined) {
      // An actual (non-preflight) cross-origin request.
      if (entry !== undefined) {
        const decision = entry.decision;
        if (decision !== undefined && entry.owner === this) return decision;
        if (!entry.allowed) return this.report(this.refusedActual.origin_not_allowed, request);
        entry.owner = this;
        return (entry.decision = this.allowActual(origin, false));
      }
      if (this.anyActual !== undefined) return this.anyActual;
      if (oversized) return this.report(this.refusedActual.origin_malformed, request);
      if (isStatic) {
        // Static matchers are pure functions of the origin: cache the whole decision.
        const cached = this.actualCache.get(origin);
        if (cached !== undefined) return this.report(cached, request);
      }
      const verdict = this.verdict(origin, request);
      if (verdict === true) return isStatic ? this.allowActual(origin, true) : this.allowedActual(origin);
      if (typeof verdict !== 'object') return this.refuseActual(origin, verdict, isStatic, request);
      return this.actualLater(verdict, origin, request, callback);
    }
    // A preflight: OPTIONS + Origin + Access-Control-Request-Method, and nothing else.
    if (oversized) return this.report(this.refusedPreflight.origin_malformed, request);
    const acrh = one(request.accessControlRequestHeaders);
    const pna = this.options.privateNetworkAccess && one(request.accessControlRequestPrivateNetwork) === 'true';
    const bounded = cacheableKey(origin, acrm, acrh ?? '');
    // Answers are cached whole for static origins; for a predicate, the part that follows an allowed
    // origin (method and headers) is cached once the predicate said yes: a pure function of the key.
    if (entry !== undefined) {
      if (!entry.allowed) return this.report(this.refusedPreflight.origin_not_allowed, request);
      // The origin's last preflight answer, kept in its entry: browsers repeat the same one.
      const last = entry.preflight;
      if (last !== undefined && last.owner === this && last.acrm === acrm && last.acrh === (acrh ?? '') && last.pna === pna) return this.report(last.decision, request);
    } else if (!isStatic) {
      const verdict = this.verdict(origin, request);
      if (verdict !== true) {
        if (typeof verdict !== 'object') return this.refusePreflight(undefined, verdict, request);
        return this.preflightLater(verdict, origin, acrm, acrh, pna, request, bounded, callback);
      }
    }
    if (bounded) {
      const cached = this.preflightCache.get(origin, acrm, acrh ?? '', pna);
      if (cached !== undefined) return this.report(isStatic ? cached : this.remember(origin, acrm, acrh, pna, cached), request);
    }
    const key: PreflightKey | undefined = bounded ? { origin, acrm, acrh: acrh ?? '', pna } : undefined;
    if (!isStatic) {
      const decision = this.allowPreflight(key, origin, acrm, acrh, pna);
      return this.report(bounded ? this.remember(origin, acrm, acrh, pna, decision) : decision, request);
    }
    const verdict = this.verdict(origin, request);
    if (verdict === true) return this.report(this.allowPreflight(key, origin, acrm, acrh, pna), request);
    if (typeof verdict !== 'object') return this.refusePreflight(key, verdict, request);
    return this.preflightLater(verdict, origin, acrm, acrh, pna, request, false, callback);
  }

  // The Promise continuations live in their own methods: a closure inside `decide` would make
  // V8 allocate a context for its captured variables on every call, cached paths included.
  // Without an origin cache a predicate's answer is never cached: it is asked again for every
  // request. The decision is taken in the same reaction that receives the predicate's answer:
  // one promise hop between the predicate and the adapter, not two.
  private actualLater(pending: PromiseLike<unknown>, origin: string, request: CorsRequest, callback: DecisionCallback | undefined): Promise<CorsDecision> | undefined {
    return this.settle(origin, pending, request, (ok) => (ok ? this.allowedActual(origin) : this.refuseActual(origin, false, false, request)), this.refusedActual, callback);
  }

  private preflightLater(
    pending: PromiseLike<unknown>, origin: string, acrm: string, acrh: string | undefined, pna: boolean, request: CorsRequest, bounded: boolean,
    callback: DecisionCallback | undefined,
  ): Promise<CorsDecision> | undefined {
    return this.settle(origin, pending, request, (ok) => {
      if (!ok) return this.refusePreflight(undefined, false, request);
      const acrhKey = acrh ?? '';
      const cached = bounded ? this.preflightCache.get(origin, acrm, acrhKey, pna) : undefined;
      return this.report(cached ?? this.allowPreflight(bounded ? { origin, acrm, acrh: acrhKey, pna } : undefined, origin, acrm, acrh, pna), request);
    }, this.refusedPreflight, callback);
  }

  /** Keep an allowed origin's preflight decision in its origin cache entry (bounded inputs only). */
  private remember(origin: string, acrm: string, acrh: string | undefined, pna: boolean, decision: CorsDecision): CorsDecision {
    const entry = this.originCache?.entryOf(origin);
    if (entry !== undefined && entry.allowed) entry.preflight = { owner: this, acrm, acrh: acrh ?? '', pna, decision };
    return decision;
  }

  private refuseActual(origin: string, verdict: false | RefusalCode, cache: boolean, request: CorsRequest): CorsDecision {
    const decision = this.refusedActual[verdict === false ? 'origin_not_allowed' : verdict];
    if (cache) this.actualCache.set(origin, decision);
    return this.report(decision, request);
  }

  private refusePreflight(key: PreflightKey | undefined, verdict: false | RefusalCode, request: CorsRequest): CorsDecision {
    const decision = this.refusedPreflight[verdict === false ? 'origin_not_allowed' : verdict];
    if (key !== undefined) this.preflightCache.set(key.origin, key.acrm, key.acrh, key.pna, decision);
    return this.report(decision, request);
  }

  private report(decision: CorsDecision, request: CorsRequest): CorsDecision {
    if (decision.refusal !== undefined && this.onRefusal !== undefined) this.onRefusal(decision.refusal, request);
    return decision;
  }

  /**
   * true/false, a refusal code, or a Promise from a predicate. With an origin cache (not
   * warm: `decide` looked first), a lookup in flight is joined, and a new answer is stored.
   */
  private verdict(origin: string, request: CorsRequest): boolean | RefusalCode | PromiseLike<unknown> {
    const m = this.matcher;
    if (m.kind === 'any') return true;
    if (m.kind === 'static') {
      if (!m.needsParse) return m.match(origin) || this.badOrigin(origin);
      const hit = this.verdictCache.get(origin);
      if (hit !== undefined) return hit || this.badOrigin(origin);
      const ok = this.verdictCache.set(origin, m.match(origin));
      return ok || this.badOrigin(origin);
    }
    const cache = this.originCache;
    if (cache !== undefined) {
      // A request never starts a second lookup for an origin already being looked up.
      const inFlight = cache.inFlight(origin);
      if (inFlight !== undefined) return inFlight;
    }
    // Predicates only ever see a well-formed origin.
    const wellFormed = this.lastWellFormed;
    if (origin !== wellFormed.origin) {
      if (!isSerializedOrigin(origin)) return origin === 'null' ? 'origin_null' : 'origin_malformed';
      wellFormed.origin = origin;
    }
    let result: boolean | PromiseLike<boolean>;
    try {
      result = m.predicate(origin, request);
    } catch (cause) {
      if (cache?.options.onLookupFailure === 'refuse') return 'origin_lookup_failed';
      throw new CorsOriginError(origin, 'threw', cause);
    }
    // Only `true` allows (a forgotten `return` gives undefined, which refuses); a thenable
    // is settled. Checked without reading properties of a primitive.
    if (typeof result === 'object' && result !== null && typeof (result as Promise<boolean>).then === 'function') {
      return cache === undefined ? result : cache.track(origin, this.answer(origin, result));
    }
    const ok = result === true;
    cache?.store(origin, ok);
    return ok;
  }

  private badOrigin(origin: string): false | 'origin_null' | 'origin_malformed' {
    if (origin === 'null') return 'origin_null';
    return isSerializedOrigin(origin) ? false : 'origin_malformed';
  }

  /**
   * A predicate's thenable as a boolean (only `true` allows), rejected with a
   * `CorsOriginError` when it rejects or outlives `originTimeout`.
   */
  private answer(origin: string, pending: PromiseLike<unknown>): Promise<boolean> {
    const rejected = (cause: unknown): never => {
      throw cause instanceof CorsOriginError ? cause : new CorsOriginError(origin, 'rejected', cause);
    };
    const wrapped = Promise.resolve(pending).then((ok) => ok === true, rejected);
    const timeout = this.options.originTimeout;
    if (timeout === undefined) return wrapped;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expiry = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new CorsOriginError(origin, `did not settle within originTimeout (${timeout} ms)`)), timeout);
    });
    return Promise.race([wrapped, expiry]).finally(() => clearTimeout(timer));
  }

  /**
   * Settle a pending verdict, then `decide` with the answer, in the reaction that receives it
   * (a failure refuses or rejects, as configured). Without a callback the decision comes as a
   * Promise; with one, it is delivered to it from that same reaction (nothing is returned).
   */
  private settle(
    origin: string, pending: PromiseLike<unknown>, request: CorsRequest, decide: (ok: boolean) => CorsDecision,
    refused: Readonly<Record<RefusalCode | 'origin_not_allowed', CorsDecision>>, callback: DecisionCallback | undefined,
  ): Promise<CorsDecision> | undefined {
    const cache = this.originCache;
    // With an origin cache the verdict is already a shared, timed boolean (see `verdict`).
    const answer = cache === undefined && this.options.originTimeout !== undefined ? this.answer(origin, pending) : Promise.resolve(pending);
    // Inline arrows, not named consts: a bundler keeping function names (tsx, esbuild's
    // keepNames) would define a `name` property on each of them on every request.
    if (callback === undefined) {
      return answer.then((value) => decide(value === true), (cause: unknown) => this.failure(origin, cause, refused, request));
    }
    answer.then(
      (value) => deliver(callback, decide, value === true),
      (cause: unknown) => deliver(callback, (c: unknown) => this.failure(origin, c, refused, request), cause),
    );
    return undefined;
  }

  /** A failed or timed-out lookup: the refusal `onLookupFailure: 'refuse'` asks for, or a thrown `CorsOriginError`. */
  private failure(origin: string, cause: unknown, refused: Readonly<Record<RefusalCode | 'origin_not_allowed', CorsDecision>>, request: CorsRequest): CorsDecision {
    if (this.originCache?.options.onLookupFailure === 'refuse') return this.report(refused.origin_lookup_failed, request);
    throw cause instanceof CorsOriginError ? cause : new CorsOriginError(origin, 'rejected', cause);
  }

  /** The allowed actual-request decision of an origin a predicate allowed: built once, then from the bounded cache. */
  private allowedActual(origin: string): CorsDecision {
    return this.actualCache.get(origin) ?? this.allowActual(origin, true);
  }

  private allowActual(origin: string, cache: boolean): CorsDecision {
    const headers: HeaderEntry[] = [[ACAO, origin]];
    const tail = this.allowedTail;
    for (let i = 0; i < tail.length; i++) headers.push(tail[i]!);
    const decision = this.actual(headers, true, 'Origin', undefined);
    return cache ? this.actualCache.set(origin, decision) : decision;
  }

  private allowPreflight(key: PreflightKey | undefined, origin: string, acrm: string, acrh: string | undefined, pna: boolean): CorsDecision {
    const o = this.options;
    const headers: HeaderEntry[] = [[ACAO, this.variesByOrigin ? origin : '*']];
    if (o.credentials) headers.push([ACAC, 'true']);
    let refusal: CorsRefusal | undefined;

    // Method: a token, and listed (case-sensitive) unless CORS-safelisted.
    if (!isToken(acrm)) refusal = REFUSE_METHOD_INVALID;
    else if (this.allowedMethodSet !== undefined) {
      headers.push([ACAM, this.allowMethods!]);
      if (!this.allowedMethodSet.has(acrm) && !SAFELISTED_METHODS.has(acrm)) {
        refusal = { code: 'method_not_allowed', message: `method ${acrm} is not allowed`, method: acrm };
      }
    } else headers.push([ACAM, o.credentials ? acrm : '*']);

    // Headers: validated in one pass; only validated names are ever reflected.
    if (acrh !== undefined) {
      const names = parseRequestHeaders(acrh);
      if (names === undefined) refusal ??= REFUSE_HEADERS_INVALID;
      else if (names.length > 0) {
        const allowed = o.allowedHeaders;
        if (this.allowedHeaderSet !== undefined) {
          if (this.allowHeadersValue !== undefined) headers.push([ACAH, this.allowHeadersValue]);
          const set = this.allowedHeaderSet;
          let missing: string | undefined;
          for (let i = 0; i < names.length && missing === undefined; i++) if (!set.has(names[i]!)) missing = names[i];
          if (missing !== undefined) refusal ??= { code: 'header_not_allowed', message: `request header ${missing} is not allowed`, header: missing };
        } else if (allowed === '*' && !o.credentials && !names.includes('authorization')) {
          headers.push([ACAH, '*']);
        } else {
          // Reflection (allowedHeaders omitted), or "*" where a literal * would not work
          // (credentialed requests, Authorization).
          headers.push([ACAH, names.join(',')]);
        }
      }
    }
    if (o.maxAge !== undefined && refusal === undefined) headers.push([ACMA, String(o.maxAge)]);
    if (pna && refusal === undefined) headers.push([ACAPN, 'true']);
    const decision = this.preflight(headers, refusal === undefined, refusal);
    return key === undefined ? decision : this.preflightCache.set(key.origin, key.acrm, key.acrh, key.pna, decision);
  }
}
