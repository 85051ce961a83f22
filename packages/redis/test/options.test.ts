import { describe, expect, it } from 'vitest';
import { CorsConfigError, createRedisOrigins, type RedisOriginsOptions } from '@preflight/cors-redis';

// Invalid options are refused before any connection is opened (no Redis needed here).
describe('createRedisOrigins options', () => {
  it.each([
    ['no options', undefined, /pass an options object/],
    ['no redis', {}, /`redis` must be a URL/],
    ['an empty key', { redis: 'redis://127.0.0.1:1', key: '' }, /`key` and `channel` must be non-empty strings/],
    ['lookupTimeout 0', { redis: 'redis://127.0.0.1:1', lookupTimeout: 0 }, /`lookupTimeout` must be a positive whole number of milliseconds \(got 0\)\. Fix: e\.g\. lookupTimeout: 250/],
    ['maxReconnectDelay 1.5', { redis: 'redis://127.0.0.1:1', maxReconnectDelay: 1.5 }, /`maxReconnectDelay` must be a positive whole number/],
  ])('refuses %s with a TypeError naming the fix', (_, options, message) => {
    expect(() => createRedisOrigins(options as unknown as RedisOriginsOptions)).toThrow(TypeError);
    expect(() => createRedisOrigins(options as unknown as RedisOriginsOptions)).toThrow(message);
  });

  it('refuses invalid cache settings with the core\'s CorsConfigError', () => {
    let error: unknown;
    try {
      createRedisOrigins({ redis: 'redis://127.0.0.1:1', cache: { ttl: 1000, negativeTtl: 5000 } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CorsConfigError);
    expect(error).toMatchObject({ code: 'ORIGIN_CACHE_INVALID', option: 'originCache.negativeTtl' });
  });
});
