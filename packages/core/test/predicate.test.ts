import { describe, expect, it, vi } from 'vitest';
import { compileCors, CorsOriginError, type CorsDecision, type CorsRequest } from '@preflight/cors-core';
import { get, header, preflight } from './helpers.js';

const APP = 'https://app.example.com';

describe('synchronous predicates', () => {
  it('allows and refuses synchronously, with the request view as second argument', () => {
    const predicate = vi.fn((origin: string) => origin === APP);
    const policy = compileCors({ origin: predicate, credentials: true });
    const request = get(APP);
    const allowed = policy.decide(request);
    expect(allowed).not.toBeInstanceOf(Promise);
    expect((allowed as CorsDecision).headers).toEqual([['access-control-allow-origin', APP], ['access-control-allow-credentials', 'true']]);
    expect(predicate).toHaveBeenLastCalledWith(APP, request);
    const refused = policy.decide(get('https://evil.example.net')) as CorsDecision;
    expect(refused).toMatchObject({ allowed: false, headers: [], vary: 'Origin', refusal: { code: 'origin_not_allowed' } });
  });

  it('answers preflights from the predicate too', () => {
    const policy = compileCors({ origin: (o) => o === APP, maxAge: 60 });
    const ok = policy.decide(preflight(APP, 'PUT', 'x-a')) as CorsDecision;
    expect(ok).toMatchObject({ kind: 'preflight', allowed: true, end: true, status: 204 });
    expect(header(ok, 'Access-Control-Allow-Origin')).toBe(APP);
    expect(header(ok, 'Access-Control-Max-Age')).toBe('60');
    expect(policy.decide(preflight('https://evil.example.net', 'PUT'))).toMatchObject({ allowed: false, end: true, refusal: { code: 'origin_not_allowed' } });
  });

  it('allows only on `true`: a forgotten return (undefined) or a truthy non-boolean refuses, without throwing', () => {
    for (const answer of [undefined, null, 1, 'yes', APP, {}]) {
      const policy = compileCors({ origin: () => answer as boolean });
      const d = policy.decide(get(APP)) as CorsDecision;
      expect(d.allowed, JSON.stringify(answer)).toBe(false);
      expect(d.refusal?.code).toBe('origin_not_allowed');
    }
  });

  it('turns a throw into a CorsOriginError (status 500, not exposed) carrying the cause', () => {
    const cause = new Error('database down');
    const policy = compileCors({
      origin: () => {
        throw cause;
      },
    });
    for (const request of [get(APP), preflight(APP, 'PUT')]) {
      let error: unknown;
      try {
        policy.decide(request);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(CorsOriginError);
      const err = error as CorsOriginError;
      expect(err).toMatchObject({ name: 'CorsOriginError', status: 500, statusCode: 500, expose: false, origin: APP, cause });
      expect(err.message).toContain('threw');
      expect(err.message).toContain(JSON.stringify(APP));
    }
  });
});

describe('asynchronous predicates', () => {
  it('resolves to an allowed or refused decision', async () => {
    const onRefusal = vi.fn();
    const policy = compileCors({ origin: async (o) => o === APP, credentials: true, onRefusal });
    const pending = policy.decide(get(APP));
    expect(pending).toBeInstanceOf(Promise);
    expect((await pending).headers).toEqual([['access-control-allow-origin', APP], ['access-control-allow-credentials', 'true']]);
    const refused = await policy.decide(get('https://evil.example.net'));
    expect(refused).toMatchObject({ allowed: false, headers: [], vary: 'Origin' });
    expect(onRefusal).toHaveBeenCalledTimes(1);
    const pre = await policy.decide(preflight(APP, 'PUT', 'x-a'));
    expect(pre).toMatchObject({ kind: 'preflight', allowed: true, end: true });
    expect(header(pre, 'Access-Control-Allow-Headers')).toBe('x-a');
    expect(await policy.decide(preflight('https://evil.example.net', 'PUT'))).toMatchObject({ allowed: false, refusal: { code: 'origin_not_allowed' } });
    expect(onRefusal).toHaveBeenCalledTimes(2);
  });

  it('only allows on a resolved `true`', async () => {
    for (const answer of [1, 'true', undefined]) {
      const policy = compileCors({ origin: async () => answer as unknown as boolean });
      expect((await policy.decide(get(APP))).allowed).toBe(false);
    }
  });

  it('turns a rejection into a rejected CorsOriginError carrying the cause', async () => {
    const cause = new Error('lookup failed');
    const policy = compileCors({ origin: () => Promise.reject(cause) });
    for (const request of [get(APP), preflight(APP, 'PUT')]) {
      const err = await Promise.resolve(policy.decide(request)).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(CorsOriginError);
      expect(err).toMatchObject({ status: 500, origin: APP, cause });
      expect((err as Error).message).toContain('rejected');
    }
  });

  it('fails with a CorsOriginError when the predicate outlives originTimeout', async () => {
    const policy = compileCors({ origin: () => new Promise<boolean>(() => undefined), originTimeout: 20 });
    const started = Date.now();
    const err = await Promise.resolve(policy.decide(get(APP))).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CorsOriginError);
    expect((err as Error).message).toContain('did not settle within originTimeout (20 ms)');
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
    await expect(policy.decide(preflight(APP, 'PUT'))).rejects.toBeInstanceOf(CorsOriginError);
  });

  it('answers normally when the predicate settles within originTimeout', async () => {
    const policy = compileCors({ origin: (o) => new Promise<boolean>((resolve) => setTimeout(() => resolve(o === APP), 5)), originTimeout: 1000 });
    expect((await policy.decide(get(APP))).allowed).toBe(true);
    expect((await policy.decide(get('https://b.example.com'))).allowed).toBe(false);
  });
});

describe('what a predicate is shown', () => {
  const invalid: [string, CorsRequest['origin'], string][] = [
    ['null', 'null', 'origin_null'],
    ['an empty string', '', 'origin_malformed'],
    ['a trailing slash', `${APP}/`, 'origin_malformed'],
    ['a path', `${APP}/x`, 'origin_malformed'],
    ['upper case', 'https://App.example.com', 'origin_malformed'],
    ['a default port', 'https://app.example.com:443', 'origin_malformed'],
    ['userinfo', 'https://u@app.example.com', 'origin_malformed'],
    ['two values', [APP, APP], 'origin_malformed'],
    ['a list', `${APP}, https://b.example.com`, 'origin_malformed'],
    ['a CRLF', `${APP}\r\nX-Injected: 1`, 'origin_malformed'],
    ['an oversized value', `https://${'a'.repeat(5000)}.com`, 'origin_malformed'],
    ['non-ASCII', 'https://bücher.example', 'origin_malformed'],
  ];

  it.each(invalid)('is never called with %s', async (_, origin, code) => {
    const predicate = vi.fn(() => true);
    const policy = compileCors({ origin: predicate });
    for (const request of [get(origin), preflight(origin, 'PUT')]) {
      const d = await policy.decide(request);
      expect(d.allowed).toBe(false);
      expect(d.refusal?.code).toBe(code);
      expect(d.headers.filter(([n]) => n.startsWith('access-control-'))).toEqual([]);
    }
    expect(predicate).not.toHaveBeenCalled();
  });

  it.each(invalid)('is never called with %s right after a well-formed origin it allowed (the last well-formed origin is remembered)', async (_, origin, code) => {
    const predicate = vi.fn((_origin: string) => true);
    const policy = compileCors({ origin: predicate });
    expect((await policy.decide(get(APP))).allowed).toBe(true);
    const d = await policy.decide(get(origin));
    expect(d.refusal?.code).toBe(code);
    expect((await policy.decide(get(APP))).allowed).toBe(true);
    expect(predicate.mock.calls.map((call) => call[0])).toEqual([APP, APP]);
  });

  it('is not called without an Origin', () => {
    const predicate = vi.fn(() => true);
    compileCors({ origin: predicate }).decide({ method: 'GET', origin: undefined });
    expect(predicate).not.toHaveBeenCalled();
  });
});

describe('a predicate answer is never cached', () => {
  it('asks a flip-flopping sync predicate for every actual request and every preflight', () => {
    let next = true;
    const predicate = vi.fn(() => {
      next = !next;
      return !next;
    });
    const policy = compileCors({ origin: predicate });
    const answers: boolean[] = [];
    for (let i = 0; i < 6; i++) answers.push((policy.decide(get(APP)) as CorsDecision).allowed);
    for (let i = 0; i < 6; i++) answers.push((policy.decide(preflight(APP, 'PUT', 'x-a')) as CorsDecision).allowed);
    expect(answers).toEqual([true, false, true, false, true, false, true, false, true, false, true, false]);
    expect(predicate).toHaveBeenCalledTimes(12);
  });

  it('asks a flip-flopping async predicate for every request', async () => {
    let calls = 0;
    const policy = compileCors({ origin: async () => ++calls % 2 === 1 });
    const answers: boolean[] = [];
    for (let i = 0; i < 4; i++) answers.push((await policy.decide(get(APP))).allowed);
    for (let i = 0; i < 4; i++) answers.push((await policy.decide(preflight(APP, 'PUT'))).allowed);
    expect(answers).toEqual([true, false, true, false, true, false, true, false]);
    expect(calls).toBe(8);
  });

  it('sees a revoked origin on the very next request', () => {
    const trusted = new Set([APP]);
    const policy = compileCors({ origin: (o) => trusted.has(o) });
    expect((policy.decide(get(APP)) as CorsDecision).allowed).toBe(true);
    trusted.delete(APP);
    expect((policy.decide(get(APP)) as CorsDecision).allowed).toBe(false);
    expect((policy.decide(preflight(APP, 'PUT')) as CorsDecision).allowed).toBe(false);
  });
});

describe('decideWith: the callback form adapters use', () => {
  const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

  it('returns a decision known at once and never calls the callback', async () => {
    const callback = vi.fn();
    for (const policy of [compileCors({ origin: [APP] }), compileCors({ origin: (o) => o === APP })]) {
      const now = policy.decideWith(get(APP), callback);
      expect(now).toMatchObject({ allowed: true, headers: [['access-control-allow-origin', APP]] });
      expect(policy.decideWith(get('https://evil.example.net'), callback)).toMatchObject({ allowed: false });
    }
    await settle();
    expect(callback).not.toHaveBeenCalled();
  });

  it('delivers an asynchronous decision once, equal to what decide resolves to, for actual requests and preflights', async () => {
    const policy = compileCors({ origin: async (o) => o === APP, credentials: true, maxAge: 60 });
    for (const request of [get(APP), get('https://evil.example.net'), preflight(APP, 'PUT', 'x-a'), preflight('https://evil.example.net', 'PUT')]) {
      const callback = vi.fn();
      expect(policy.decideWith(request, callback)).toBeUndefined();
      expect(callback).not.toHaveBeenCalled();
      const expected = await policy.decide(request);
      await settle();
      expect(callback).toHaveBeenCalledTimes(1);
      expect(callback).toHaveBeenCalledWith(undefined, expected);
    }
  });

  it('runs in the reaction that receives the predicate answer: one promise hop, where awaiting decide takes two', async () => {
    const answer = Promise.resolve(true);
    const policy = compileCors({ origin: () => answer });
    const order: string[] = [];
    policy.decideWith(get(APP), () => order.push('decideWith'));
    void (policy.decide(get(APP)) as Promise<CorsDecision>).then(() => order.push('decide'));
    void answer.then(() => order.push('a reaction registered after both, on the answer itself'));
    await settle();
    expect(order).toEqual(['decideWith', 'a reaction registered after both, on the answer itself', 'decide']);
  });

  it('passes the CorsOriginError decide would reject with, or the refusal onLookupFailure asks for', async () => {
    const cause = new Error('database down');
    const failing = compileCors({ origin: () => Promise.reject(cause) });
    const callback = vi.fn();
    failing.decideWith(get(APP), callback);
    await settle();
    expect(callback).toHaveBeenCalledTimes(1);
    const [error, decision] = callback.mock.calls[0]!;
    expect(error).toBeInstanceOf(CorsOriginError);
    expect((error as CorsOriginError).cause).toBe(cause);
    expect(decision).toBeUndefined();

    const { createOriginCache } = await import('@preflight/cors-core');
    const refusing = compileCors({ origin: () => Promise.reject(cause), originCache: createOriginCache({ onLookupFailure: 'refuse' }) });
    const refused = vi.fn();
    refusing.decideWith(get(APP), refused);
    await settle();
    expect(refused).toHaveBeenCalledWith(undefined, expect.objectContaining({ allowed: false, refusal: expect.objectContaining({ code: 'origin_lookup_failed' }) }));
  });

  it('refuses a missing callback with a TypeError', () => {
    const policy = compileCors({ origin: [APP] });
    expect(() => policy.decideWith(get(APP), undefined as never)).toThrow(TypeError);
  });
});

describe('decisions after a predicate allowed', () => {
  it('reuses the allowed decision of an origin (bounded cache), while still asking the predicate every time', async () => {
    const predicate = vi.fn(async (o: string) => o === APP);
    const policy = compileCors({ origin: predicate, maxAge: 60 });
    const first = await policy.decide(get(APP));
    const second = await policy.decide(get(APP));
    expect(second).toBe(first);
    const p1 = await policy.decide(preflight(APP, 'PUT'));
    const p2 = await policy.decide(preflight(APP, 'PUT'));
    expect(p2).toBe(p1);
    expect(predicate).toHaveBeenCalledTimes(4);
    // A revoked origin is refused at once: the verdict is never cached without an origin cache.
    predicate.mockImplementation(async () => false);
    expect(await policy.decide(get(APP))).toMatchObject({ allowed: false, refusal: { code: 'origin_not_allowed' } });
    expect(await policy.decide(preflight(APP, 'PUT'))).toMatchObject({ allowed: false });
  });
});
