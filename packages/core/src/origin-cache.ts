import { CorsConfigError } from './errors.js';
import type { CorsDecision } from './types.js';

/** Options of `createOriginCache`. Every duration is in milliseconds. */
export interface OriginCacheOptions {
  /**
   * Most origins kept, allowed and refused together (a bound on memory, about 200–300 bytes
   * per entry). Past it, the least recently used entry is evicted. Default `10_000`.
   */
  max?: number | undefined;
  /** How long an allowed answer (`true`) is kept. Default `60_000` (one minute). */
  ttl?: number | undefined;
  /**
   * How long a refused answer is kept: at most `ttl`. Default `5_000`. `0` caches no refusal
   * (every request from an unknown origin asks the predicate again).
   */
  negativeTtl?: number | undefined;
  /**
   * What a request gets when the lookup fails (the predicate throws, rejects, or outlives
   * `originTimeout`): `'error'` (default) a `CorsOriginError` (status 500) for the framework's
   * error handling, as without a cache; `'refuse'` a refused decision (refusal code
   * `origin_lookup_failed`: fail closed, no 5xx). Either way the failure is not cached.
   */
  onLookupFailure?: 'error' | 'refuse' | undefined;
  /**
   * The clock, in milliseconds, for tests of TTLs: read on every lookup. Default `Date.now`,
   * read when an answer is stored and by a timer (unref'd, only while entries exist) every
   * tenth of the shortest TTL (10 ms to 1 s), so that a warm hit reads no clock; an entry may
   * then be served up to that long after its TTL.
   */
  now?: (() => number) | undefined;
}

/** The validated settings of an origin cache. */
export interface ResolvedOriginCacheOptions {
  readonly max: number;
  readonly ttl: number;
  readonly negativeTtl: number;
  readonly onLookupFailure: 'error' | 'refuse';
}

/**
 * A bounded cache of an origin predicate's answers, shared by the policies it is passed to
 * (`compileCors({ origin: predicate, originCache })`). The application keeps this handle to
 * revoke or grant an origin at once.
 */
export interface OriginCache {
  /**
   * Forget the answer for one origin (and any lookup in flight for it): the next request from
   * it asks the predicate again. Returns whether something was forgotten.
   */
  invalidate(origin: string): boolean;
  /** Forget every answer and every lookup in flight. */
  clear(): void;
  /** Number of cached answers (expired ones included until they are evicted or asked for). */
  readonly size: number;
  /** Number of lookups in flight. */
  readonly pending: number;
  /** The validated settings. */
  readonly options: ResolvedOriginCacheOptions;
}

/** The last preflight decision of an allowed origin, for one policy (`owner`). */
interface PreflightMemo {
  readonly owner: object;
  readonly acrm: string;
  readonly acrh: string;
  readonly pna: boolean;
  readonly decision: CorsDecision;
}

/**
 * One cached answer, and what the policy built from it: `decision`, the allowed
 * actual-request decision of `owner`; `preflight`, the origin's last preflight decision.
 */
interface Entry {
  readonly allowed: boolean;
  readonly expires: number;
  /** Set on a hit: the entry gets a second chance before eviction (CLOCK, an LRU approximation). */
  hit: boolean;
  owner: object | undefined;
  decision: CorsDecision | undefined;
  preflight: PreflightMemo | undefined;
}

const DEFAULT_MAX = 10_000;
const DEFAULT_TTL = 60_000;
const DEFAULT_NEGATIVE_TTL = 5_000;
const MAX_TIMER = 2_147_483_647;

/**
 * The cache itself. Internal: the public surface is `OriginCache`; only `compileCors` uses the
 * rest. Recency is tracked with a "hit" bit instead of re-ordering the Map on every hit, so
 * a warm hit is one Map lookup, one clock read and one field write.
 */
export class OriginCacheImpl implements OriginCache {
  readonly options: ResolvedOriginCacheOptions;
  /** The predicate this cache answers for (bound by the first policy that uses it). */
  predicate: unknown;
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<boolean>>();
  private readonly clock: () => number;
  /** Whether `clock` is read on every hit (an injected clock) or `time` is (the default). */
  private readonly exact: boolean;
  /** The coarse time of warm hits: set on every store, advanced by an unref'd timer. */
  private time = 0;
  private ticking = false;
  /** How stale `time` may get: a tenth of the shortest TTL, from 10 ms to 1 s. */
  readonly resolution: number;

  constructor(options: ResolvedOriginCacheOptions, clock: () => number, exact: boolean) {
    this.options = options;
    this.clock = clock;
    this.exact = exact;
    const shortest = options.negativeTtl > 0 ? Math.min(options.ttl, options.negativeTtl) : options.ttl;
    this.resolution = Math.min(1000, Math.max(10, Math.floor(shortest / 10)));
  }

  get size(): number {
    return this.entries.size;
  }

  get pending(): number {
    return this.inflight.size;
  }

  invalidate(origin: string): boolean {
    const had = this.entries.delete(origin);
    return this.inflight.delete(origin) || had;
  }

  clear(): void {
    this.entries.clear();
    this.inflight.clear();
  }

  /** The live entry for an origin, marked as used; undefined when absent or expired. */
  peek(origin: string): Entry | undefined {
    const entry = this.entries.get(origin);
    if (entry === undefined) return undefined;
    // Reading the clock costs more than the rest of a hit (a system call on some machines),
    // so hits compare with a time at most `resolution` ms old.
    if (entry.expires <= (this.exact ? this.clock() : this.time)) {
      this.entries.delete(origin);
      return undefined;
    }
    if (!entry.hit) entry.hit = true;
    return entry;
  }

  /** The entry of an origin as stored (no expiry check, not marked as used). */
  entryOf(origin: string): Entry | undefined {
    return this.entries.get(origin);
  }

  /** The lookup in flight for an origin, if any. */
  inFlight(origin: string): Promise<boolean> | undefined {
    return this.inflight.get(origin);
  }

  /** Cache an answer (refusals only when `negativeTtl` > 0). */
  store(origin: string, allowed: boolean): void {
    const ttl = allowed ? this.options.ttl : this.options.negativeTtl;
    if (ttl === 0) {
      this.entries.delete(origin);
      return;
    }
    const now = this.clock();
    this.time = now;
    if (!this.ticking && !this.exact) this.tick();
    const entries = this.entries;
    if (!entries.delete(origin) && entries.size >= this.options.max) this.evict(now);
    entries.set(origin, { allowed, expires: now + ttl, hit: false, owner: undefined, decision: undefined, preflight: undefined });
  }

  /**
   * Share one lookup between every request for the origin until it settles. Its answer is
   * stored only if the lookup is still the current one (not invalidated meanwhile); a failure
   * is never stored.
   */
  track(origin: string, answer: Promise<boolean>): Promise<boolean> {
    const shared: Promise<boolean> = answer.then(
      (ok) => {
        if (this.inflight.get(origin) === shared) {
          this.inflight.delete(origin);
          this.store(origin, ok);
        }
        return ok;
      },
      (err: unknown) => {
        if (this.inflight.get(origin) === shared) this.inflight.delete(origin);
        throw err;
      },
    );
    this.inflight.set(origin, shared);
    return shared;
  }

  /** Keep `time` current while entries exist; the timer never keeps the process alive. */
  private tick(): void {
    this.ticking = true;
    const timer = setInterval(() => {
      if (this.entries.size === 0) {
        clearInterval(timer);
        this.ticking = false;
      } else this.time = this.clock();
    }, this.resolution);
    timer.unref?.();
  }

  /** Evict one entry: the oldest that is expired or was not used since it was last passed over. */
  private evict(now: number): void {
    const entries = this.entries;
    for (const [origin, entry] of entries) {
      if (entry.hit && entry.expires > now) {
        // Second chance: move to the young end, without its bit. Iteration reaches it again
        // only after every other entry, so the loop ends after at most size + 1 steps.
        entry.hit = false;
        entries.delete(origin);
        entries.set(origin, entry);
        continue;
      }
      entries.delete(origin);
      return;
    }
  }
}

function duration(value: unknown, name: string, fallback: number, allowZero: boolean): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < (allowZero ? 0 : 1) || value > MAX_TIMER) {
    throw new CorsConfigError(
      'ORIGIN_CACHE_INVALID', `originCache.${name}`, value,
      `it must be a whole number of milliseconds from ${allowZero ? 0 : 1} to 2147483647`,
      `use e.g. ${name}: ${fallback}`,
    );
  }
  return value;
}

const CACHE_OPTIONS = new Set(['max', 'ttl', 'negativeTtl', 'onLookupFailure', 'now']);

/**
 * Create a bounded cache for an origin predicate's answers, to pass as the `originCache`
 * option next to a predicate `origin` (typically one that queries a database or Redis).
 *
 * - A warm hit is answered synchronously: `decide` returns a decision, not a Promise.
 * - Allowed answers live `ttl` ms, refusals `negativeTtl` ms (so a flood of unknown origins
 *   reaches the predicate at most once per origin per `negativeTtl`); at most `max` origins
 *   are kept, the least recently used evicted first.
 * - Concurrent requests for an origin share one predicate call; a failed or timed-out
 *   lookup is not cached.
 * - Keep the handle: `invalidate(origin)` or `clear()` revoke cached answers at once.
 *
 * Throws a `CorsConfigError` for invalid settings.
 *
 * @example
 * ```ts
 * import { compileCors, createOriginCache } from '@preflight/cors-core';
 *
 * const tenants = new Set(['https://shop.example.com']); // stands for a database
 * const originCache = createOriginCache({ max: 50_000, ttl: 60_000, negativeTtl: 10_000 });
 * const policy = compileCors({
 *   origin: async (origin) => tenants.has(origin),
 *   originCache,
 *   originTimeout: 500,
 * });
 * // A tenant removed a domain: every request from it is refused from now on.
 * tenants.delete('https://shop.example.com');
 * originCache.invalidate('https://shop.example.com');
 * ```
 */
export function createOriginCache(options: OriginCacheOptions = {}): OriginCache {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new CorsConfigError('ORIGIN_CACHE_INVALID', 'originCache', options, 'the cache options must be an object', 'call createOriginCache({ max: 10000, ttl: 60000, negativeTtl: 5000 })');
  }
  for (const key of Object.keys(options)) {
    if (!CACHE_OPTIONS.has(key)) {
      throw new CorsConfigError('ORIGIN_CACHE_INVALID', `originCache.${key}`, (options as Record<string, unknown>)[key], 'it is not an origin cache option', `use one of: ${[...CACHE_OPTIONS].join(', ')}`);
    }
  }
  const max = options.max ?? DEFAULT_MAX;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 16_777_216) {
    throw new CorsConfigError('ORIGIN_CACHE_INVALID', 'originCache.max', max, 'it must be a whole number of origins from 1 to 16777216', 'use e.g. max: 10000 (about 3 MB)');
  }
  const ttl = duration(options.ttl, 'ttl', DEFAULT_TTL, false);
  const negativeTtl = duration(options.negativeTtl, 'negativeTtl', Math.min(DEFAULT_NEGATIVE_TTL, ttl), true);
  if (negativeTtl > ttl) {
    throw new CorsConfigError(
      'ORIGIN_CACHE_INVALID', 'originCache.negativeTtl', negativeTtl,
      `it is longer than ttl (${ttl} ms): a newly added origin would stay refused longer than a removed one stays allowed`,
      `use a negativeTtl of at most ${ttl}, e.g. negativeTtl: ${Math.min(DEFAULT_NEGATIVE_TTL, ttl)}`,
    );
  }
  const onLookupFailure = options.onLookupFailure ?? 'error';
  if (onLookupFailure !== 'error' && onLookupFailure !== 'refuse') {
    throw new CorsConfigError('ORIGIN_CACHE_INVALID', 'originCache.onLookupFailure', onLookupFailure, 'it must be "error" or "refuse"', 'use onLookupFailure: "refuse" to fail closed without a 500, or leave it out');
  }
  const now = options.now;
  if (now !== undefined && typeof now !== 'function') {
    throw new CorsConfigError('ORIGIN_CACHE_INVALID', 'originCache.now', now, 'it must be a function returning milliseconds', 'leave it out (Date.now), or pass () => fakeClock.ms in tests');
  }
  return new OriginCacheImpl(Object.freeze({ max, ttl, negativeTtl, onLookupFailure }), now ?? Date.now, now !== undefined);
}
