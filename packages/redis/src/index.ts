/**
 * @preflight/cors-redis — allowed CORS origins kept in Redis, for multi-tenant servers.
 *
 * The allowed origins are the members of one Redis SET. Each application instance asks Redis
 * through Preflight's origin cache (warm hits never reach Redis, concurrent lookups share one
 * `SISMEMBER`, refusals are cached too), and `add`/`remove` publish an invalidation that every
 * instance subscribed to the channel applies to its own cache at once. When Redis is
 * unreachable, instances fail closed for origins they have no answer for, keep serving cached
 * answers until their TTL, and log the outage once.
 *
 * @packageDocumentation
 */
import {
  createOriginCache,
  parseOrigin,
  type CorsRequest,
  type OriginCache,
  type OriginCacheOptions,
} from '@preflight/cors-core';
import { Redis, type RedisOptions } from 'ioredis';

/**
 * ioredis connection options (`host`, `port`, `password`, `db`, `tls`…). `replyMapping` is left
 * out: the source reads RESP2-style replies.
 */
export type RedisConnectionOptions = Omit<RedisOptions, 'replyMapping'>;

/** Options of `createRedisOrigins`. Durations are in milliseconds. */
export interface RedisOriginsOptions {
  /**
   * Where Redis is: a URL (`redis://127.0.0.1:6379/0`, `rediss://…` for TLS) or ioredis
   * connection options (`{ host, port, password, db, tls }`). Two connections are opened: one
   * for lookups and changes, one subscribed to the invalidation channel.
   */
  redis: string | RedisConnectionOptions;
  /** The Redis SET holding the allowed origins. Default `'preflight:cors:origins'`. */
  key?: string | undefined;
  /** The pub/sub channel of invalidations. Default `` `${key}:invalidate` ``. */
  channel?: string | undefined;
  /**
   * The local cache: `max` origins (default 10 000), `ttl` of an allowed answer (default
   * 60 000), `negativeTtl` of a refusal (default 5 000). `ttl` also bounds how long a
   * removed origin can stay allowed on an instance that missed the invalidation.
   */
  cache?: Pick<OriginCacheOptions, 'max' | 'ttl' | 'negativeTtl' | 'now'> | undefined;
  /**
   * The longest a request waits for Redis: the `originTimeout` this source sets, and the
   * command timeout of lookups. Default `250`.
   */
  lookupTimeout?: number | undefined;
  /** The longest pause between two reconnection attempts (the backoff doubles up to it). Default `2000`. */
  maxReconnectDelay?: number | undefined;
  /**
   * Called when Redis becomes unreachable and when it is back: once per change, never per
   * request. Default: `console.warn`.
   */
  log?: ((message: string, error?: unknown) => void) | undefined;
}

/** The CORS options a Redis origin source provides: spread them into an adapter's options. */
export interface RedisOriginsCorsOptions {
  /** Asks Redis (`SISMEMBER key origin`), through the cache. */
  readonly origin: (origin: string, request: CorsRequest) => boolean | Promise<boolean>;
  /** The local cache (fails closed: a failed lookup refuses, with refusal code `origin_lookup_failed`). */
  readonly originCache: OriginCache;
  /** `lookupTimeout`. */
  readonly originTimeout: number;
}

/** A set of allowed origins in Redis, shared by every instance that creates one with the same `key`. */
export interface RedisOrigins {
  /** Spread into the CORS options: `{ ...origins.cors, credentials: true }`. */
  readonly cors: RedisOriginsCorsOptions;
  /** This instance's cache (the same object as `cors.originCache`). */
  readonly cache: OriginCache;
  /** Whether the lookup connection is up (`false` while Redis is unreachable). */
  readonly connected: boolean;
  /**
   * Allow origins: `SADD` them and publish their invalidation, atomically (`MULTI`). Every
   * subscribed instance forgets its cached refusal at once. Resolves with the number of
   * origins that were not allowed before. Throws a `TypeError` for a value that is not a
   * serialized origin (as browsers send it), and rejects when Redis is unreachable.
   */
  add(...origins: string[]): Promise<number>;
  /** Stop allowing origins: `SREM` and publish, as `add`. Resolves with the number removed. */
  remove(...origins: string[]): Promise<number>;
  /** Whether Redis allows the origin now (bypasses the cache). */
  has(origin: string): Promise<boolean>;
  /** Every allowed origin (`SMEMBERS`: for administration, not per request). */
  list(): Promise<string[]>;
  /** Resolves when both connections are ready (requests before that are refused, not queued). */
  ready(): Promise<void>;
  /** Close both connections. Cached answers keep being served until their TTL. */
  close(): Promise<void>;
}

const DEFAULT_KEY = 'preflight:cors:origins';
/** The message that tells every instance to forget everything. */
const CLEAR_ALL = '*';

/** Thrown synchronously by the predicate while Redis is unreachable: a refusal, not a wait. */
class RedisUnavailableError extends Error {
  override readonly name = 'RedisUnavailableError';
}

function checkOrigin(origin: unknown): string {
  if (typeof origin !== 'string' || parseOrigin(origin) === undefined) {
    throw new TypeError(
      `@preflight/cors-redis: ${JSON.stringify(origin)} is not an origin as browsers send it. ` +
        'Write scheme://host[:port] in lower case, without a path, a trailing slash or a default port, e.g. "https://shop.example.com".',
    );
  }
  return origin;
}

function positive(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 2_147_483_647) {
    throw new TypeError(`@preflight/cors-redis: \`${name}\` must be a positive whole number of milliseconds (got ${String(value)}). Fix: e.g. ${name}: ${fallback}`);
  }
  return value;
}

/**
 * Create a Redis-backed origin source: the allowed origins are the members of a Redis SET,
 * every instance caches the answers locally, and `add`/`remove` invalidate every instance's
 * cache through pub/sub.
 *
 * While Redis is unreachable: origins with no cached answer are refused (fail closed, refusal
 * code `origin_lookup_failed`, no 5xx), cached answers are served until their TTL, the outage
 * is logged once, reconnection is retried with a backoff capped at `maxReconnectDelay`, and no
 * request waits for Redis longer than `lookupTimeout` (requests arriving while it is down do
 * not wait at all). After a reconnection the cache is cleared, since invalidations published
 * meanwhile were missed.
 *
 * @example
 * ```ts
 * import Fastify from 'fastify';
 * import cors from '@preflight/cors-fastify';
 * import { createRedisOrigins } from '@preflight/cors-redis';
 *
 * const origins = createRedisOrigins({ redis: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' });
 * const app = Fastify();
 * await app.register(cors, { ...origins.cors, credentials: true });
 * app.addHook('onClose', () => origins.close());
 *
 * // When a tenant connects a custom domain (on any instance):
 * await origins.add('https://shop.customer.example');
 * ```
 */
export function createRedisOrigins(options: RedisOriginsOptions): RedisOrigins {
  if (options === null || typeof options !== 'object') throw new TypeError('@preflight/cors-redis: pass an options object, e.g. { redis: "redis://127.0.0.1:6379" }');
  const { redis } = options;
  if (typeof redis !== 'string' && (redis === null || typeof redis !== 'object')) {
    throw new TypeError('@preflight/cors-redis: `redis` must be a URL ("redis://127.0.0.1:6379") or ioredis options ({ host, port }).');
  }
  const key = options.key ?? DEFAULT_KEY;
  const channel = options.channel ?? `${key}:invalidate`;
  if (typeof key !== 'string' || key === '' || typeof channel !== 'string' || channel === '') {
    throw new TypeError('@preflight/cors-redis: `key` and `channel` must be non-empty strings.');
  }
  const lookupTimeout = positive(options.lookupTimeout, 'lookupTimeout', 250);
  const maxReconnectDelay = positive(options.maxReconnectDelay, 'maxReconnectDelay', 2000);
  const log = options.log ?? ((message: string, error?: unknown) => console.warn(message, error ?? ''));
  // A refused lookup is never cached, never a 500: the cache fails closed.
  const cache = createOriginCache({ ...options.cache, onLookupFailure: 'refuse' });

  const connection: RedisConnectionOptions = {
    // Commands fail at once while disconnected instead of queueing behind a reconnection.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: lookupTimeout,
    connectTimeout: Math.max(1000, lookupTimeout),
    // Reconnect forever (Redis may come back), but at most once per maxReconnectDelay.
    retryStrategy: (attempt: number) => Math.min(50 * 2 ** Math.min(attempt, 16), maxReconnectDelay),
    lazyConnect: false,
  };
  const client = typeof redis === 'string' ? new Redis(redis, connection) : new Redis({ ...redis, ...connection });
  // The subscriber queues its SUBSCRIBE until connected and re-subscribes after reconnecting.
  const subscriberOptions: RedisConnectionOptions = { ...connection, enableOfflineQueue: true, maxRetriesPerRequest: null, commandTimeout: undefined };
  const subscriber = typeof redis === 'string' ? new Redis(redis, subscriberOptions) : new Redis({ ...redis, ...subscriberOptions });

  // Log state changes, once each: never per request, never per reconnection attempt. Down: the
  // connection closed or failed, or a lookup failed (a Redis that hangs keeps its connection).
  let reachable = true;
  let closing = false;
  const down = (error?: unknown): void => {
    if (!reachable || closing) return;
    reachable = false;
    log(
      `@preflight/cors-redis: Redis is unreachable; refusing origins not in the local cache (cached answers are served until their TTL), reconnecting every ≤ ${maxReconnectDelay} ms`,
      error,
    );
  };
  const up = (): void => {
    if (reachable || closing) return;
    reachable = true;
    log('@preflight/cors-redis: Redis is reachable again');
  };
  client.on('error', down);
  client.on('close', () => down());
  client.on('ready', up);
  let subscribedOnce = false;
  subscriber.on('error', () => undefined); // reported through the lookup connection
  subscriber.on('ready', () => {
    // Invalidations published while this instance was not subscribed were missed.
    if (subscribedOnce) cache.clear();
    subscribedOnce = true;
  });
  subscriber.on('message', (from: string, message: string) => {
    if (from !== channel) return;
    if (message === CLEAR_ALL) cache.clear();
    else cache.invalidate(message);
  });
  const subscribed = subscriber.subscribe(channel).then(() => undefined);
  subscribed.catch(() => undefined); // retried by ioredis on reconnection; ready() reports it

  const answered = (n: number): boolean => {
    up();
    return n === 1;
  };
  const failed = (error: unknown): never => {
    down(error);
    throw error;
  };
  const origin = (candidate: string): Promise<boolean> => {
    // Refuse at once while disconnected: the request does not wait for a reconnection.
    if (client.status !== 'ready') throw new RedisUnavailableError('Redis is unreachable');
    return client.sismember(key, candidate).then(answered, failed);
  };

  const change = async (command: 'sadd' | 'srem', origins: readonly string[]): Promise<number> => {
    const valid = origins.map(checkOrigin);
    if (valid.length === 0) return 0;
    const multi = client.multi()[command](key, ...valid);
    for (const o of valid) multi.publish(channel, o);
    const results = await multi.exec();
    const [error, count] = results?.[0] ?? [new Error('the transaction was discarded'), 0];
    if (error) throw error;
    for (const o of valid) cache.invalidate(o); // this instance, even before the message arrives
    return Number(count);
  };

  return {
    cors: Object.freeze({ origin, originCache: cache, originTimeout: lookupTimeout }),
    cache,
    get connected() {
      return client.status === 'ready';
    },
    add: (...origins) => change('sadd', origins),
    remove: (...origins) => change('srem', origins),
    has: async (candidate) => (await client.sismember(key, checkOrigin(candidate))) === 1,
    list: () => client.smembers(key),
    async ready() {
      const connected = (c: Redis): Promise<void> =>
        c.status === 'ready' ? Promise.resolve() : new Promise((resolve, reject) => {
          c.once('ready', resolve);
          c.once('end', () => reject(new Error('@preflight/cors-redis: the connection to Redis was closed')));
        });
      await Promise.all([connected(client), connected(subscriber), subscribed]);
    },
    async close() {
      closing = true;
      await Promise.allSettled([client.quit(), subscriber.quit()]);
      client.disconnect();
      subscriber.disconnect();
    },
  };
}

export { CorsConfigError, CorsOriginError, createOriginCache } from '@preflight/cors-core';
export type { CorsRequest, OriginCache, OriginCacheOptions } from '@preflight/cors-core';
