import { describe, expect, it, vi } from 'vitest';
import { compileCors, createOriginCache, CorsOriginError, type CorsDecision, type CorsOptions, type OriginCacheOptions } from '@preflight/cors-core';
import { get, header, preflight } from './helpers.js';

const A = 'https://a.example.com';
const B = 'https://b.example.com';
const C = 'https://c.example.com';
const D = 'https://d.example.com';

/** A fake clock for the TTL tests only: real time would make them slow. */
function fakeClock(): { now: () => number; advance: (ms: number) => void } {
  let ms = 1_000_000;
  return { now: () => ms, advance: (by) => { ms += by; } };
}

/** A policy over an async predicate backed by a Set, counting its calls. */
function setup(allowed: Iterable<string>, cacheOptions: OriginCacheOptions = {}, options: Partial<CorsOptions> = {}) {
  const trusted = new Set(allowed);
  const calls: string[] = [];
  const predicate = vi.fn(async (origin: string) => {
    calls.push(origin);
    return trusted.has(origin);
  });
  const originCache = createOriginCache(cacheOptions);
  const policy = compileCors({ origin: predicate, originCache, credentials: true, ...options });
  return { trusted, calls, predicate, originCache, policy };
}

function isSync(value: CorsDecision | Promise<CorsDecision>): value is CorsDecision {
  return !(value instanceof Promise);
}

/** A promise with its resolve/reject handles. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

async function failureOf(value: CorsDecision | Promise<CorsDecision>): Promise<unknown> {
  return Promise.resolve(value).then(() => undefined, (e: unknown) => e);
}

describe('a warm hit', () => {
  it('is answered synchronously, for actual requests and preflights, without asking the predicate', async () => {
    const { policy, calls } = setup([A]);
    const first = policy.decide(get(A));
    expect(first).toBeInstanceOf(Promise);
    expect((await first).allowed).toBe(true);
    const warm = policy.decide(get(A));
    expect(isSync(warm)).toBe(true);
    expect((warm as CorsDecision).headers).toEqual([['access-control-allow-origin', A], ['access-control-allow-credentials', 'true']]);
    expect(policy.decide(get(A))).toBe(warm); // the same frozen decision, nothing rebuilt
    const pre = policy.decide(preflight(A, 'PUT', 'x-a'));
    expect(isSync(pre)).toBe(true);
    expect(pre).toMatchObject({ kind: 'preflight', allowed: true, end: true });
    expect(header(pre as CorsDecision, 'Access-Control-Allow-Headers')).toBe('x-a');
    expect(calls).toEqual([A]);
  });

  it('serves a cached refusal synchronously too, with its reason', async () => {
    const onRefusal = vi.fn();
    const { policy, calls } = setup([A], {}, { onRefusal });
    expect((await policy.decide(get(B))).allowed).toBe(false);
    const refused = policy.decide(get(B));
    expect(isSync(refused)).toBe(true);
    expect(refused).toMatchObject({ allowed: false, headers: [], vary: 'Origin', refusal: { code: 'origin_not_allowed' } });
    expect(policy.decide(preflight(B, 'PUT'))).toMatchObject({ allowed: false, end: true, refusal: { code: 'origin_not_allowed' } });
    expect(onRefusal).toHaveBeenCalledTimes(3);
    expect(calls).toEqual([B]);
  });

  it('answers each preflight of a cached origin by its own method and headers (alternating, two policies)', async () => {
    const predicate = async (origin: string): Promise<boolean> => origin === A;
    const originCache = createOriginCache();
    const strict = compileCors({ origin: predicate, originCache, methods: ['PUT'], allowedHeaders: ['x-a'], maxAge: 60 });
    const loose = compileCors({ origin: predicate, originCache, maxAge: 600 });
    await strict.decide(get(A));
    for (let i = 0; i < 3; i++) {
      const put = strict.decide(preflight(A, 'PUT', 'x-a')) as CorsDecision;
      expect(put).toMatchObject({ allowed: true, refusal: undefined });
      expect(header(put, 'Access-Control-Max-Age')).toBe('60');
      expect(strict.decide(preflight(A, 'DELETE', 'x-a'))).toMatchObject({ allowed: false, refusal: { code: 'method_not_allowed', method: 'DELETE' } });
      expect(strict.decide(preflight(A, 'PUT', 'x-b'))).toMatchObject({ allowed: false, refusal: { code: 'header_not_allowed', header: 'x-b' } });
      expect(strict.decide(preflight(A, 'PUT'))).toMatchObject({ allowed: true });
      const other = loose.decide(preflight(A, 'PUT', 'x-a')) as CorsDecision;
      expect(other.allowed).toBe(true);
      expect(header(other, 'Access-Control-Max-Age')).toBe('600');
    }
  });

  it('caches a synchronous predicate\'s answers as well', () => {
    const predicate = vi.fn((origin: string) => origin === A);
    const policy = compileCors({ origin: predicate, originCache: createOriginCache() });
    for (let i = 0; i < 5; i++) {
      expect((policy.decide(get(A)) as CorsDecision).allowed).toBe(true);
      expect((policy.decide(preflight(B, 'PUT')) as CorsDecision).allowed).toBe(false);
    }
    expect(predicate).toHaveBeenCalledTimes(2);
  });

  it('never shows the predicate or the cache a malformed origin', async () => {
    const { policy, predicate, originCache } = setup([A]);
    for (const origin of ['null', `${A}/`, 'https://A.example.com', `https://${'a'.repeat(600)}.com`]) {
      expect((await policy.decide(get(origin))).allowed).toBe(false);
      expect((await policy.decide(preflight(origin, 'PUT'))).allowed).toBe(false);
    }
    expect(predicate).not.toHaveBeenCalled();
    expect(originCache.size).toBe(0);
  });

  it('keeps each policy\'s own answer when two policies share a cache (same predicate)', async () => {
    const predicate = async (origin: string): Promise<boolean> => origin === A;
    const originCache = createOriginCache();
    const withCredentials = compileCors({ origin: predicate, originCache, credentials: true });
    const plain = compileCors({ origin: predicate, originCache, exposedHeaders: ['X-Id'] });
    await withCredentials.decide(get(A));
    for (let i = 0; i < 2; i++) {
      expect((plain.decide(get(A)) as CorsDecision).headers).toEqual([['access-control-allow-origin', A], ['access-control-expose-headers', 'X-Id']]);
      expect((withCredentials.decide(get(A)) as CorsDecision).headers).toEqual([['access-control-allow-origin', A], ['access-control-allow-credentials', 'true']]);
    }
  });
});

describe('time to live', () => {
  it('keeps `true` for ttl and `false` for negativeTtl, then asks again', async () => {
    const clock = fakeClock();
    const { policy, calls } = setup([A], { ttl: 10_000, negativeTtl: 1_000, now: clock.now });
    await policy.decide(get(A));
    await policy.decide(get(B));
    clock.advance(999);
    expect(isSync(policy.decide(get(A)))).toBe(true);
    expect(isSync(policy.decide(get(B)))).toBe(true);
    clock.advance(1); // B's refusal expires at 1000 ms
    expect(policy.decide(get(B))).toBeInstanceOf(Promise);
    expect(isSync(policy.decide(get(A)))).toBe(true);
    clock.advance(9_000); // A's answer expires at 10 000 ms
    const again = policy.decide(get(A));
    expect(again).toBeInstanceOf(Promise);
    expect((await again).allowed).toBe(true);
    expect(calls).toEqual([A, B, B, A]);
  });

  it('sees a changed answer once the TTL has passed', async () => {
    const clock = fakeClock();
    const { policy, trusted } = setup([A], { ttl: 5_000, now: clock.now });
    expect((await policy.decide(get(A))).allowed).toBe(true);
    trusted.delete(A);
    expect((policy.decide(get(A)) as CorsDecision).allowed).toBe(true); // stale until the TTL: the documented trade-off
    clock.advance(5_000);
    expect((await policy.decide(get(A))).allowed).toBe(false);
  });

  it('expires entries on the real clock too (no injected clock: warm hits read a coarse time)', async () => {
    const { policy, calls } = setup([A], { ttl: 60, negativeTtl: 30 });
    await policy.decide(get(A));
    await policy.decide(get(B));
    expect(isSync(policy.decide(get(A)))).toBe(true);
    // Expired, give or take the resolution (a tenth of the shortest TTL, at least 10 ms).
    await new Promise((r) => setTimeout(r, 150));
    expect((await policy.decide(get(A))).allowed).toBe(true);
    expect((await policy.decide(get(B))).allowed).toBe(false);
    expect(calls).toEqual([A, B, A, B]);
  });

  it('caches no refusal with negativeTtl: 0', async () => {
    const { policy, calls, originCache } = setup([A], { negativeTtl: 0 });
    for (let i = 0; i < 3; i++) expect((await policy.decide(get(B))).allowed).toBe(false);
    expect(calls).toEqual([B, B, B]);
    expect(originCache.size).toBe(0);
  });
});

describe('the size bound', () => {
  it('never holds more than max origins, and evicts the least recently used', async () => {
    const { policy, calls, originCache } = setup([A, B, C, D], { max: 3 });
    for (const o of [A, B, C]) await policy.decide(get(o));
    expect(originCache.size).toBe(3);
    expect(isSync(policy.decide(get(A)))).toBe(true); // A is used again: B is now the least recent
    await policy.decide(get(D));
    expect(originCache.size).toBe(3);
    expect(isSync(policy.decide(get(A)))).toBe(true);
    expect(isSync(policy.decide(get(C)))).toBe(true);
    expect(isSync(policy.decide(get(D)))).toBe(true);
    expect(policy.decide(get(B))).toBeInstanceOf(Promise); // evicted
    expect(calls).toEqual([A, B, C, D, B]);
  });

  it('stays bounded under a flood of distinct origins', async () => {
    const { policy, originCache } = setup([], { max: 100 });
    for (let i = 0; i < 1_000; i++) await policy.decide(get(`https://x${i}.example.com`));
    expect(originCache.size).toBe(100);
  });
});

describe('concurrent lookups', () => {
  it('share one predicate call per origin, actual requests and preflights alike', async () => {
    const pending = new Map<string, ReturnType<typeof deferred<boolean>>>();
    const predicate = vi.fn((origin: string) => {
      const d = deferred<boolean>();
      pending.set(origin, d);
      return d.promise;
    });
    const originCache = createOriginCache();
    const policy = compileCors({ origin: predicate, originCache });
    const waiting = [
      ...Array.from({ length: 50 }, () => policy.decide(get(A))),
      ...Array.from({ length: 10 }, () => policy.decide(preflight(A, 'PUT'))),
      policy.decide(get(B)),
      policy.decide(get(B)),
    ];
    expect(predicate).toHaveBeenCalledTimes(2);
    expect(originCache.pending).toBe(2);
    pending.get(A)!.resolve(true);
    pending.get(B)!.resolve(false);
    const decisions = await Promise.all(waiting);
    expect(decisions.slice(0, 60).every((d) => d.allowed)).toBe(true);
    expect(decisions.slice(60).every((d) => !d.allowed)).toBe(true);
    expect(originCache.pending).toBe(0);
    expect(isSync(policy.decide(get(A)))).toBe(true);
    expect(predicate).toHaveBeenCalledTimes(2);
  });

  it('do not cache a failure: every waiting request gets the error, the next one asks again', async () => {
    const d = deferred<boolean>();
    let call = 0;
    const predicate = vi.fn(() => (++call === 1 ? d.promise : Promise.resolve(true)));
    const policy = compileCors({ origin: predicate, originCache: createOriginCache() });
    const waiting = [policy.decide(get(A)), policy.decide(preflight(A, 'PUT')), policy.decide(get(A))];
    const cause = new Error('database down');
    d.reject(cause);
    const errors = await Promise.all(waiting.map(failureOf));
    for (const err of errors) expect(err).toMatchObject({ name: 'CorsOriginError', status: 500, origin: A, cause });
    expect(predicate).toHaveBeenCalledTimes(1);
    expect((await policy.decide(get(A))).allowed).toBe(true);
    expect(predicate).toHaveBeenCalledTimes(2);
  });

  it('do not cache a synchronous throw', () => {
    let call = 0;
    const predicate = vi.fn(() => {
      if (++call === 1) throw new Error('boom');
      return true;
    });
    const policy = compileCors({ origin: predicate, originCache: createOriginCache() });
    expect(() => policy.decide(get(A))).toThrow(CorsOriginError);
    expect((policy.decide(get(A)) as CorsDecision).allowed).toBe(true);
    expect((policy.decide(get(A)) as CorsDecision).allowed).toBe(true);
    expect(predicate).toHaveBeenCalledTimes(2);
  });

  it('do not cache a timeout: requests joining a hung lookup fail at its deadline, the next request asks again', async () => {
    let call = 0;
    const predicate = vi.fn(() => (++call === 1 ? new Promise<boolean>(() => undefined) : Promise.resolve(true)));
    const originCache = createOriginCache();
    const policy = compileCors({ origin: predicate, originCache, originTimeout: 30 });
    const first = policy.decide(get(A));
    const joined = policy.decide(preflight(A, 'PUT'));
    const errors = await Promise.all([first, joined].map(failureOf));
    for (const err of errors) {
      expect(err).toBeInstanceOf(CorsOriginError);
      expect((err as Error).message).toContain('did not settle within originTimeout (30 ms)');
    }
    expect(predicate).toHaveBeenCalledTimes(1);
    expect(originCache.pending).toBe(0);
    expect((await policy.decide(get(A))).allowed).toBe(true);
    expect(predicate).toHaveBeenCalledTimes(2);
  });

  it('with onLookupFailure: "refuse", fail closed (a refusal, no error) and cache nothing', async () => {
    let call = 0;
    const predicate = vi.fn((): boolean | Promise<boolean> => {
      call++;
      if (call === 1) return Promise.reject(new Error('redis down'));
      if (call === 2) throw new Error('redis down');
      if (call === 3) return new Promise<boolean>(() => undefined);
      return true;
    });
    const onRefusal = vi.fn();
    const originCache = createOriginCache({ onLookupFailure: 'refuse' });
    const policy = compileCors({ origin: predicate, originCache, originTimeout: 20, onRefusal });
    const rejected = await policy.decide(get(A));
    expect(rejected).toMatchObject({ allowed: false, headers: [], vary: 'Origin', refusal: { code: 'origin_lookup_failed' } });
    const thrown = policy.decide(preflight(A, 'PUT'));
    expect(isSync(thrown)).toBe(true);
    expect(thrown).toMatchObject({ kind: 'preflight', allowed: false, end: true, refusal: { code: 'origin_lookup_failed' } });
    expect(await policy.decide(get(A))).toMatchObject({ allowed: false, refusal: { code: 'origin_lookup_failed' } });
    expect(originCache.size).toBe(0);
    expect(onRefusal).toHaveBeenCalledTimes(3);
    expect((await policy.decide(get(A))).allowed).toBe(true);
    expect(predicate).toHaveBeenCalledTimes(4);
  });
});

describe('invalidation', () => {
  it('invalidate(origin) forgets one origin at once; others stay cached', async () => {
    const { policy, trusted, originCache, calls } = setup([A, B]);
    await policy.decide(get(A));
    await policy.decide(get(B));
    trusted.delete(A);
    expect(originCache.invalidate(A)).toBe(true);
    expect(originCache.invalidate(A)).toBe(false);
    expect((await policy.decide(get(A))).allowed).toBe(false);
    expect((await policy.decide(preflight(A, 'PUT'))).allowed).toBe(false);
    expect(isSync(policy.decide(get(B)))).toBe(true);
    expect(calls).toEqual([A, B, A]);
  });

  it('invalidate(origin) grants a newly added origin before its negativeTtl', async () => {
    const { policy, trusted, originCache } = setup([]);
    expect((await policy.decide(get(A))).allowed).toBe(false);
    trusted.add(A);
    expect((policy.decide(get(A)) as CorsDecision).allowed).toBe(false);
    originCache.invalidate(A);
    expect((await policy.decide(get(A))).allowed).toBe(true);
  });

  it('clear() forgets everything', async () => {
    const { policy, originCache, calls } = setup([A]);
    await policy.decide(get(A));
    await policy.decide(get(B));
    originCache.clear();
    expect(originCache.size).toBe(0);
    await policy.decide(get(A));
    await policy.decide(get(B));
    expect(calls).toEqual([A, B, A, B]);
  });

  it('drops the answer of a lookup that was in flight when the origin was invalidated', async () => {
    const answers = [deferred<boolean>(), deferred<boolean>()];
    let call = 0;
    const predicate = vi.fn(() => answers[call++]!.promise);
    const originCache = createOriginCache();
    const policy = compileCors({ origin: predicate, originCache });
    const before = policy.decide(get(A));
    originCache.invalidate(A); // e.g. the origin was removed while the lookup ran
    const after = policy.decide(get(A)); // a new lookup, not the stale one
    expect(predicate).toHaveBeenCalledTimes(2);
    answers[0]!.resolve(true);
    answers[1]!.resolve(false);
    expect((await before).allowed).toBe(true);
    expect((await after).allowed).toBe(false);
    expect((policy.decide(get(A)) as CorsDecision).allowed).toBe(false); // the newer answer is the one cached
  });
});
