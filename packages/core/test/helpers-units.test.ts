import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  applyToResponse,
  carryDecision,
  keepVary,
  applyDecision, compileCors, isToken, recordHeaders, MAX_ACRH_ELEMENTS, MAX_ACRH_LENGTH, mergeVary, mergeVaryInto, parseOrigin, parseRequestHeaders, requestFromHeaders,
  responseHeaders, writeDecision, type CorsDecision, type HeaderAccess,
} from '@preflight/cors-core';

describe('mergeVary', () => {
  it.each([
    [undefined, 'Origin', 'Origin'],
    [null, 'Origin', 'Origin'],
    ['', 'Origin', 'Origin'],
    ['  ', 'Origin', 'Origin'],
    [undefined, '', undefined],
    ['Accept-Encoding', 'Origin', 'Accept-Encoding, Origin'],
    ['Accept-Encoding', '', 'Accept-Encoding'],
    ['origin', 'Origin', 'origin'],
    ['ORIGIN, accept', 'Origin, Accept, Access-Control-Request-Method', 'ORIGIN, accept, Access-Control-Request-Method'],
    ['*', 'Origin', '*'],
    ['Accept, *', 'Origin', '*'],
    ['Accept', '*', '*'],
    ['Accept', 'Origin, Origin, origin', 'Accept, Origin'],
    ['Accept', 'Origin,Accept-Language ,  X', 'Accept, Origin, Accept-Language, X'],
    ['Accept,', 'Origin', 'Accept,Origin'],
    ['Accept ,  Accept-Encoding', 'Origin', 'Accept ,  Accept-Encoding, Origin'],
    [['Accept', 'Accept-Encoding'], 'Origin', 'Accept, Accept-Encoding, Origin'],
    [['Accept', 'origin'], 'Origin', 'Accept, origin'],
    [[], 'Origin', 'Origin'],
    [[], '', undefined],
    [['*'], 'Origin', '*'],
    [42, 'Origin', '42, Origin'],
  ] as const)('mergeVary(%j, %j) is %j', (existing, add, expected) => {
    expect(mergeVary(existing, add)).toBe(expected);
  });
});

describe('parseRequestHeaders', () => {
  it.each([
    ['content-type', ['content-type']],
    ['authorization,content-type,x-custom', ['authorization', 'content-type', 'x-custom']],
    ['Content-Type, X-Custom', ['content-type', 'x-custom']],
    ['a ,\tb\t, c', ['a', 'b', 'c']],
    ['a,,b,', ['a', 'b']],
    [', a', ['a']],
    ['a, a, A', ['a']],
    ['X-A,x-a,x-b,X-B', ['x-a', 'x-b']],
    ["!#$%&'*+-.^_`|~09az", ["!#$%&'*+-.^_`|~09az"]],
    ['', []],
    ['  , ,', []],
  ] as const)('parses %j', (value, expected) => {
    expect(parseRequestHeaders(value)).toEqual(expected);
  });

  it.each([
    ['a b'],
    ['a;b'],
    ['a:b'],
    ['a,"b"'],
    ['x-é'],
    ['a\r\nb'],
    ['a\0'],
    ['(a)'],
    ['a,b c'],
    ['a/b'],
  ])('refuses %j', (value) => {
    expect(parseRequestHeaders(value)).toBeUndefined();
  });

  it('refuses values over MAX_ACRH_LENGTH, a 1 MiB run of commas included, without throwing', () => {
    expect(parseRequestHeaders('a'.repeat(MAX_ACRH_LENGTH))).toEqual(['a'.repeat(MAX_ACRH_LENGTH)]);
    expect(parseRequestHeaders('a'.repeat(MAX_ACRH_LENGTH + 1))).toBeUndefined();
    expect(parseRequestHeaders(','.repeat(1 << 20))).toBeUndefined();
  });

  it('refuses more than MAX_ACRH_ELEMENTS distinct names, but counts duplicates once', () => {
    const names = Array.from({ length: MAX_ACRH_ELEMENTS }, (_, i) => `h${i}`);
    expect(parseRequestHeaders(names.join(','))).toHaveLength(MAX_ACRH_ELEMENTS);
    expect(parseRequestHeaders([...names, 'one-more'].join(','))).toBeUndefined();
    expect(parseRequestHeaders([...names, ...names].join(','))).toHaveLength(MAX_ACRH_ELEMENTS);
  });
});

describe('isToken', () => {
  it.each([['GET', true], ['PATCH', true], ['x-custom', true], ["!#$%&'*+-.^_`|~", true], ['', false], ['A B', false], ['A:', false], ['É', false], ['a\t', false]])(
    'isToken(%j) is %s',
    (value, expected) => {
      expect(isToken(value)).toBe(expected);
    },
  );
});

describe('parseOrigin', () => {
  it.each([
    ['https://example.com', { scheme: 'https', host: 'example.com', port: '' }],
    ['http://localhost:3000', { scheme: 'http', host: 'localhost', port: '3000' }],
    ['http://127.0.0.1:8080', { scheme: 'http', host: '127.0.0.1', port: '8080' }],
    ['https://[::1]:8443', { scheme: 'https', host: '[::1]', port: '8443' }],
    ['http://x.com:443', { scheme: 'http', host: 'x.com', port: '443' }],
    ['chrome-extension://abcdef', { scheme: 'chrome-extension', host: 'abcdef', port: '' }],
  ])('parses %s', (value, expected) => {
    expect(parseOrigin(value)).toEqual(expected);
  });

  it.each([
    'null', '', 'https://', 'https://x.com/', 'https://x.com/a', 'https://x.com?q', 'https://x.com#f', 'https://u@x.com', 'https://X.com', 'HTTPS://x.com',
    'https://x.com:443', 'http://x.com:80', 'wss://x.com:443', 'https://x.com:', 'https://x.com:65536', 'https://x.com:0443', 'https://x..com', 'https://.x.com',
    'https://x.com.', 'https:/x.com', 'x.com', '//x.com', 'https://x.com ', ' https://x.com', 'https://bücher.de', 'https://[::1', 'https://[]', 'https://[::G]',
    `https://${'a'.repeat(600)}.com`, 'https://x.com, https://y.com',
  ])('refuses %j', (value) => {
    expect(parseOrigin(value)).toBeUndefined();
  });
});

describe('applyDecision', () => {
  /** A case-insensitive header map, like a framework's response headers. */
  class Headers {
    readonly map = new Map<string, { name: string; value: string | number | readonly string[] }>();
    sets = 0;
  }
  const access: HeaderAccess<Headers> = {
    get: (h, name) => h.map.get(name.toLowerCase())?.value,
    set: (h, name, value) => {
      h.sets++;
      h.map.set(name.toLowerCase(), { name, value });
    },
  };
  /** Names as written: the core writes lower-case names (what Node stores anyway, and what HTTP/2 and Fastify send). */
  const snapshot = (h: Headers): Record<string, unknown> => Object.fromEntries([...h.map.values()].map(({ name, value }) => [name, value]));
  const APP = 'https://app.example.com';
  const policy = compileCors({ origin: APP, credentials: true, exposedHeaders: ['X-Id'], maxAge: 60, optionsSuccessStatus: 200 });

  it('sets every header and merges Vary into a fresh response', () => {
    const target = new Headers();
    applyDecision(policy.decide({ method: 'GET', origin: APP }) as CorsDecision, target, access);
    expect(snapshot(target)).toEqual({
      'access-control-allow-origin': APP, 'access-control-allow-credentials': 'true', 'access-control-expose-headers': 'X-Id', vary: 'Origin',
    });
  });

  it('replaces existing CORS headers (never two ACAO values) and keeps the route\'s Vary', () => {
    const target = new Headers();
    access.set(target, 'access-control-allow-origin', 'https://stale.example.com');
    access.set(target, 'vary', 'Accept-Encoding');
    applyDecision(policy.decide({ method: 'OPTIONS', origin: APP, accessControlRequestMethod: 'PUT' }) as CorsDecision, target, access);
    const out = snapshot(target);
    expect(out['access-control-allow-origin']).toBe(APP);
    expect(out['content-length']).toBe('0');
    expect(out['access-control-max-age']).toBe('60');
    expect(out.vary).toBe('Accept-Encoding, Origin, Access-Control-Request-Method, Access-Control-Request-Headers');
    expect(Object.keys(out).sort()).toEqual([
      'access-control-allow-credentials', 'access-control-allow-methods', 'access-control-allow-origin', 'access-control-max-age', 'content-length', 'vary',
    ]);
  });

  it('merges Vary into an array value and does not duplicate tokens on a second application', () => {
    const target = new Headers();
    target.map.set('vary', { name: 'Vary', value: ['Accept', 'origin'] }); // as Node's getHeader returns repeated lines
    const d = policy.decide({ method: 'GET', origin: APP }) as CorsDecision;
    applyDecision(d, target, access);
    applyDecision(d, target, access);
    expect(snapshot(target).vary).toBe('Accept, origin');
  });

  it('touches nothing for a "*" policy without Origin except ACAO, and writes no Vary', () => {
    const target = new Headers();
    applyDecision(compileCors({ origin: '*' }).decide({ method: 'GET', origin: undefined }) as CorsDecision, target, access);
    expect(snapshot(target)).toEqual({ 'access-control-allow-origin': '*' });
  });

  it('sets only Vary for a refused origin', () => {
    const target = new Headers();
    applyDecision(policy.decide({ method: 'GET', origin: 'https://evil.example.net' }) as CorsDecision, target, access);
    expect(snapshot(target)).toEqual({ vary: 'Origin' });
    expect(target.sets).toBe(1);
  });

  it('writeDecision: the same headers as applyDecision on a fresh response, without reading any', () => {
    const noReads: HeaderAccess<Headers> = { ...access, get: () => expect.unreachable('writeDecision read a header') };
    for (const request of [
      { method: 'OPTIONS', origin: APP, accessControlRequestMethod: 'PUT', accessControlRequestHeaders: 'x-id' },
      { method: 'GET', origin: APP },
      { method: 'GET', origin: 'https://evil.example.net' },
      { method: 'GET', origin: undefined },
    ]) {
      const decision = policy.decide(request) as CorsDecision;
      const [written, applied] = [new Headers(), new Headers()];
      writeDecision(decision, written, noReads);
      applyDecision(decision, applied, access);
      expect(snapshot(written)).toEqual(snapshot(applied));
    }
  });
});

describe('adapter helpers', () => {
  it('requestFromHeaders picks the four CORS headers from lower-case-keyed headers, nothing else', () => {
    const headers = {
      origin: 'https://app.example.com', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'x-a',
      'access-control-request-private-network': 'true', cookie: 'secret=1', host: 'api.example.com',
    };
    expect(requestFromHeaders('OPTIONS', headers)).toEqual({
      method: 'OPTIONS', origin: 'https://app.example.com', accessControlRequestMethod: 'PUT', accessControlRequestHeaders: 'x-a', accessControlRequestPrivateNetwork: 'true',
    });
    const none = requestFromHeaders(undefined, {});
    expect(none).toEqual({ method: '', origin: undefined, accessControlRequestMethod: undefined, accessControlRequestHeaders: undefined, accessControlRequestPrivateNetwork: undefined });
    expect(compileCors({ origin: 'https://app.example.com' }).decide(none)).toMatchObject({ kind: 'none' });
  });

  it('policy.pendingVary is Origin whenever the policy varies by origin, empty for "*"', () => {
    expect(compileCors({ origin: async () => true }).pendingVary).toBe('Origin');
    expect(compileCors({ origin: 'https://app.example.com' }).pendingVary).toBe('Origin');
    expect(compileCors({ origin: '*' }).pendingVary).toBe('');
  });

  it('responseHeaders and mergeVaryInto work on a real node:http ServerResponse', () => {
    const res = new ServerResponse(new IncomingMessage(new Socket()));
    res.setHeader('Vary', ['Accept-Encoding', 'Cookie']);
    mergeVaryInto(res, 'Origin', responseHeaders);
    expect(res.getHeader('vary')).toBe('Accept-Encoding, Cookie, Origin');
    const policy = compileCors({ origin: 'https://app.example.com', credentials: true });
    res.setHeader('Access-Control-Allow-Origin', 'https://stale.example.com');
    applyDecision(policy.decide({ method: 'GET', origin: 'https://app.example.com' }) as CorsDecision, res, responseHeaders);
    expect(res.getHeader('access-control-allow-origin')).toBe('https://app.example.com');
    expect(res.getHeader('access-control-allow-credentials')).toBe('true');
    expect(res.getHeader('vary')).toBe('Accept-Encoding, Cookie, Origin');
  });

  it('applyToResponse ends an answered preflight, and keeps Vary on a response the application continues', () => {
    const policy = compileCors({ origin: 'https://app.example.com', optionsSuccessStatus: 200 });
    // A preflight: ended here with the decision's status and an explicit Content-Length: 0.
    const preflightRes = new ServerResponse(new IncomingMessage(new Socket()));
    const pre = policy.decide({ method: 'OPTIONS', origin: 'https://app.example.com', accessControlRequestMethod: 'PUT' }) as CorsDecision;
    expect(applyToResponse(pre, preflightRes)).toBe(false);
    expect(preflightRes.statusCode).toBe(200);
    expect(preflightRes.writableEnded).toBe(true);
    expect(preflightRes.getHeader('content-length')).toBe('0');
    // An actual request: the application runs, then *replaces* Vary; the head still has Origin.
    const res = new ServerResponse(new IncomingMessage(new Socket()));
    expect(applyToResponse(policy.decide({ method: 'GET', origin: 'https://app.example.com' }) as CorsDecision, res)).toBe(true);
    expect(res.writableEnded).toBe(false);
    res.setHeader('Vary', 'Accept-Encoding');
    res.writeHead(200);
    expect(res.getHeader('vary')).toBe('Accept-Encoding, Origin');
    expect(res.getHeader('access-control-allow-origin')).toBe('https://app.example.com');
  });

  it('keepVary on responses with a per-application prototype (Express): no property added, Vary kept at writeHead', () => {
    // What Express does per request: Object.setPrototypeOf(res, app.response), where
    // app.response = Object.create(express's response methods, { app }).
    const appResponse = Object.create(Object.create(ServerResponse.prototype, { json: { value: () => undefined } }), { app: { value: {} } }) as object;
    const guarded = new ServerResponse(new IncomingMessage(new Socket()));
    Object.setPrototypeOf(guarded, appResponse);
    const ownBefore = Reflect.ownKeys(guarded);
    keepVary(guarded, 'Origin');
    keepVary(guarded, 'Origin, Access-Control-Request-Method');
    expect(Reflect.ownKeys(guarded)).toEqual(ownBefore);
    guarded.setHeader('Vary', 'Accept-Encoding');
    guarded.writeHead(200, { 'Content-Type': 'text/plain', VARY: 'Cookie' });
    expect(guarded.getHeader('vary')).toBe('Cookie, Origin, Access-Control-Request-Method');
    // Another response of the same application, which nobody asked to keep Vary for.
    const untouched = new ServerResponse(new IncomingMessage(new Socket()));
    Object.setPrototypeOf(untouched, appResponse);
    untouched.setHeader('Vary', 'Accept-Encoding');
    untouched.writeHead(200);
    expect(untouched.getHeader('vary')).toBe('Accept-Encoding');
    // A plain ServerResponse keeps its own wrapper; ServerResponse.prototype is never touched.
    const plain = new ServerResponse(new IncomingMessage(new Socket()));
    keepVary(plain, 'Origin');
    plain.setHeader('Vary', 'Accept');
    plain.writeHead(204);
    expect(plain.getHeader('vary')).toBe('Accept, Origin');
    expect(Object.hasOwn(plain, 'writeHead')).toBe(true);
    expect(Object.getOwnPropertySymbols(ServerResponse.prototype).map(String).filter((s) => s.includes('preflight'))).toEqual([]);
  });

  it('keepVary on an Express response keeps the tokens in res.locals under a symbol: no property on the response, no string key', () => {
    const appResponse = Object.create(Object.create(ServerResponse.prototype, { json: { value: () => undefined } }), { app: { value: {} } }) as object;
    const res = new ServerResponse(new IncomingMessage(new Socket())) as ServerResponse & { locals: Record<string, unknown> };
    Object.setPrototypeOf(res, appResponse);
    res.locals = Object.create(null) as Record<string, unknown>;
    const ownBefore = Reflect.ownKeys(res);
    keepVary(res, 'Origin');
    keepVary(res, 'Origin, Access-Control-Request-Method');
    expect(Reflect.ownKeys(res)).toEqual(ownBefore);
    expect(Object.keys(res.locals)).toEqual([]);
    res.setHeader('Vary', 'Accept-Encoding');
    res.writeHead(200);
    expect(res.getHeader('vary')).toBe('Accept-Encoding, Origin, Access-Control-Request-Method');
    // A second head is Node's usual error, whatever the wrapper does first.
    expect(() => res.writeHead(200)).toThrow(expect.objectContaining({ code: 'ERR_HTTP_HEADERS_SENT' }) as Error);
    expect(() => res.writeHead(200, { Vary: 'Cookie' })).toThrow(expect.objectContaining({ code: 'ERR_HTTP_HEADERS_SENT' }) as Error);
  });

  it('keepVary on a plain response adds one property, a wrapper shared by responses with the same tokens, and merges later tokens', () => {
    const a = new ServerResponse(new IncomingMessage(new Socket()));
    const b = new ServerResponse(new IncomingMessage(new Socket()));
    const before = Reflect.ownKeys(a);
    keepVary(a, 'Origin');
    keepVary(b, 'Origin');
    expect(Reflect.ownKeys(a).filter((k) => !before.includes(k))).toEqual(['writeHead']);
    expect(a.writeHead).toBe(b.writeHead);
    keepVary(b, 'Origin, Access-Control-Request-Method');
    expect(b.writeHead).not.toBe(a.writeHead);
    for (const res of [a, b]) {
      res.setHeader('Vary', 'Accept-Encoding');
      res.writeHead(200, { 'content-type': 'text/plain' });
    }
    expect(a.getHeader('vary')).toBe('Accept-Encoding, Origin');
    expect(b.getHeader('vary')).toBe('Accept-Encoding, Origin, Access-Control-Request-Method');
  });

  it('keepVary on responses of two classes taken in turns: each wrapper calls its own class\'s writeHead', () => {
    // The last class wrapped is remembered (one comparison per response); a response of
    // another class, or with other tokens, must not get that class's wrapper.
    const calls: string[] = [];
    class Traced extends ServerResponse {}
    const base = ServerResponse.prototype.writeHead;
    Traced.prototype.writeHead = function (this: ServerResponse, ...args: Parameters<ServerResponse['writeHead']>) {
      calls.push('traced');
      return base.apply(this, args);
    } as ServerResponse['writeHead'];
    const make = [
      () => new ServerResponse(new IncomingMessage(new Socket())),
      () => new Traced(new IncomingMessage(new Socket())),
    ];
    for (let i = 0; i < 6; i++) {
      const res = make[i % 2]!();
      const tokens = i % 3 === 0 ? 'Origin' : 'Origin, Access-Control-Request-Method';
      keepVary(res, tokens);
      res.setHeader('Vary', 'Accept');
      res.writeHead(200);
      expect(res.getHeader('vary')).toBe(`Accept, ${tokens}`);
      expect(calls.length).toBe(Math.floor((i + 1) / 2));
    }
  });

  it('keepVary composes with writeHead wrappers installed on the response before and after it (on-headers style), twice', () => {
    const res = new ServerResponse(new IncomingMessage(new Socket()));
    const calls: string[] = [];
    const wrap = (name: string): void => {
      const inner = res.writeHead;
      res.writeHead = function (this: ServerResponse, ...args: Parameters<ServerResponse['writeHead']>) {
        calls.push(name);
        return inner.apply(this, args);
      } as ServerResponse['writeHead'];
    };
    wrap('before');
    keepVary(res, 'Origin');
    wrap('after'); // e.g. express-session or compression, registered after the CORS layer
    keepVary(res, 'Origin, Access-Control-Request-Method'); // a second CORS layer (route level)
    res.setHeader('Vary', 'Accept-Encoding');
    res.writeHead(200);
    expect(calls).toEqual(['after', 'before']);
    expect(res.getHeader('vary')).toBe('Accept-Encoding, Origin, Access-Control-Request-Method');
    expect(res.headersSent).toBe(true);
  });

  describe('carryDecision (headers on a framework reply, the Node response made to carry them)', () => {
    const APP = 'https://app.example';
    const decision = compileCors({ origin: APP, credentials: true }).decide(requestFromHeaders('GET', { origin: APP })) as CorsDecision;
    const fresh = (): ServerResponse => new ServerResponse(new IncomingMessage(new Socket()));
    /** The head as Node wrote it: lower-cased names, every line. */
    const head = (res: ServerResponse): string[][] =>
      ((res as unknown as { _header: string })._header.split('\r\n').slice(1, -2)).map((line) => {
        const at = line.indexOf(':');
        return [line.slice(0, at).toLowerCase(), line.slice(at + 1).trim()];
      });
    const named = (res: ServerResponse, name: string): string[] => head(res).filter(([n]) => n === name).map(([, v]) => v!);

    it('a head written with the fields (Fastify: reply headers) is left on the fast path: nothing set on the response', () => {
      const res = fresh();
      carryDecision(res, decision);
      res.writeHead(200, { 'content-type': 'text/plain', 'access-control-allow-origin': APP, 'access-control-allow-credentials': 'true', vary: 'Origin' });
      expect(res.getHeaderNames()).toEqual([]); // Node kept the fields as given: no setHeader per field
      expect(named(res, 'access-control-allow-origin')).toEqual([APP]);
      expect(named(res, 'vary')).toEqual(['Origin']);
    });

    it('a head written without them (a middleware ending the Node response) gets every header and Vary', () => {
      const res = fresh();
      carryDecision(res, decision);
      res.statusCode = 401;
      res.end('no');
      expect(named(res, 'access-control-allow-origin')).toEqual([APP]);
      expect(named(res, 'access-control-allow-credentials')).toEqual(['true']);
      expect(named(res, 'vary')).toEqual(['Origin']);
    });

    it('adds nothing the head already has, whatever its case, in an object or a flat array', () => {
      const inObject = fresh();
      carryDecision(inObject, decision);
      inObject.writeHead(200, { 'Access-Control-Allow-Origin': 'https://other.example' });
      expect(named(inObject, 'access-control-allow-origin')).toEqual(['https://other.example']);
      expect(named(inObject, 'access-control-allow-credentials')).toEqual(['true']);
      const inArray = fresh();
      carryDecision(inArray, decision);
      inArray.writeHead(200, ['ACCESS-CONTROL-ALLOW-ORIGIN', 'https://other.example', 'Vary', 'Accept']);
      expect(named(inArray, 'access-control-allow-origin')).toEqual(['https://other.example']);
      expect(named(inArray, 'vary')).toEqual(['Accept, Origin']);
      const onResponse = fresh();
      carryDecision(onResponse, decision);
      onResponse.setHeader('access-control-allow-origin', 'https://set.example');
      onResponse.end();
      expect(named(onResponse, 'access-control-allow-origin')).toEqual(['https://set.example']);
    });

    it('keeps a Vary set on the Node response (by a middleware) next to the fields\' Vary, and the tokens when a route replaced it', () => {
      const res = fresh();
      carryDecision(res, decision);
      res.setHeader('Vary', 'Accept-Language');
      res.writeHead(200, { vary: 'Origin', 'access-control-allow-origin': APP });
      expect(named(res, 'vary')).toEqual(['Accept-Language, Origin']);
      // The fields hold exactly the decision (the fast path's shape), the Node response a Vary of its own: still merged.
      const exact = fresh();
      carryDecision(exact, decision);
      exact.setHeader('Vary', 'Accept-Language');
      exact.writeHead(200, { 'access-control-allow-origin': APP, 'access-control-allow-credentials': 'true', vary: 'Origin' });
      expect(named(exact, 'vary')).toEqual(['Accept-Language, Origin']);
      expect(named(exact, 'access-control-allow-origin')).toEqual([APP]);
      const replaced = fresh();
      carryDecision(replaced, decision);
      replaced.writeHead(200, { vary: 'Accept-Encoding', 'access-control-allow-origin': APP });
      expect(named(replaced, 'vary')).toEqual(['Accept-Encoding, Origin']);
    });

    it('a decision without headers (a refusal) keeps only its Vary, as keepVary does; after a carried grant it replaces the grant', () => {
      const refused = compileCors({ origin: APP }).decide(requestFromHeaders('GET', { origin: 'https://evil.example' })) as CorsDecision;
      expect(refused.headers).toEqual([]);
      const res = fresh();
      const before = Reflect.ownKeys(res);
      carryDecision(res, refused);
      expect(Reflect.ownKeys(res).filter((k) => !before.includes(k))).toEqual(['writeHead']); // no decision field
      res.writeHead(200, { vary: 'Accept' });
      expect(named(res, 'vary')).toEqual(['Accept, Origin']);
      expect(named(res, 'access-control-allow-origin')).toEqual([]);
      // A grant carried first, then the refusal (a second policy for the same response): no grant goes out.
      const twice = fresh();
      carryDecision(twice, decision);
      carryDecision(twice, refused);
      twice.end();
      expect(named(twice, 'access-control-allow-origin')).toEqual([]);
      expect(named(twice, 'vary')).toEqual(['Origin']);
    });

    it('adds one writeHead shared by responses of a class and one symbol-keyed field; a wrapped writeHead gets the headers at once', () => {
      const a = fresh();
      const b = fresh();
      const before = Reflect.ownKeys(a);
      carryDecision(a, decision);
      carryDecision(b, decision);
      const added = Reflect.ownKeys(a).filter((k) => !before.includes(k));
      expect(added).toHaveLength(2);
      expect(added).toContain('writeHead');
      expect(typeof added.find((k) => k !== 'writeHead')).toBe('symbol');
      expect(a.writeHead).toBe(b.writeHead);
      // Someone wrapped writeHead on the response before: the headers go on the response itself.
      const wrapped = fresh();
      const inner = wrapped.writeHead;
      wrapped.writeHead = function (this: ServerResponse, ...args: Parameters<ServerResponse['writeHead']>) {
        return inner.apply(this, args);
      } as ServerResponse['writeHead'];
      carryDecision(wrapped, decision);
      expect(wrapped.getHeader('access-control-allow-origin')).toBe(APP);
      wrapped.setHeader('Vary', 'Accept');
      wrapped.end();
      expect(named(wrapped, 'vary')).toEqual(['Accept, Origin']);
    });
  });

  it('mergeVaryInto writes nothing for no tokens or when nothing changes', () => {
    const writes: string[] = [];
    const target = { vary: 'origin, Accept' as string | undefined };
    const access: HeaderAccess<typeof target> = {
      get: (t) => t.vary,
      set: (t, _name, value) => {
        writes.push(value);
        t.vary = value;
      },
    };
    mergeVaryInto(target, '', access);
    mergeVaryInto(target, 'Origin', access);
    mergeVaryInto(target, 'Accept, ORIGIN', access);
    expect(writes).toEqual([]);
    mergeVaryInto(target, 'Origin, Access-Control-Request-Method', access);
    expect(writes).toEqual(['origin, Accept, Access-Control-Request-Method']);
  });

  it('a lower-case method (hapi hands adapters `options`) is still a preflight; other methods never are', () => {
    const policy = compileCors({ origin: 'https://app.example.com', methods: ['PUT'] });
    const headers = { origin: 'https://app.example.com', 'access-control-request-method': 'PUT' };
    for (const method of ['OPTIONS', 'options', 'Options']) {
      const decision = policy.decide(requestFromHeaders(method, headers)) as CorsDecision;
      expect(decision, method).toMatchObject({ kind: 'preflight', allowed: true, end: true, status: 204 });
    }
    for (const method of ['GET', 'get', 'OPTION', 'OPTIONSX', 'post']) {
      expect(policy.decide(requestFromHeaders(method, headers)), method).toMatchObject({ kind: 'actual', end: false });
    }
  });

  it('recordHeaders reads and replaces headers of a plain object whatever the case of its keys', () => {
    // Boom's output.headers keeps names as the code wrote them.
    const headers: Record<string, unknown> = { 'WWW-Authenticate': 'Bearer', Vary: 'Accept-Encoding', 'Access-Control-Allow-Origin': 'https://stale.example.com' };
    expect(recordHeaders.get(headers, 'www-authenticate')).toBe('Bearer');
    expect(recordHeaders.get(headers, 'vary')).toBe('Accept-Encoding');
    expect(recordHeaders.get(headers, 'x-missing')).toBeUndefined();
    expect(recordHeaders.get({ vary: { not: 'a header' } }, 'vary')).toBeUndefined();
    const policy = compileCors({ origin: 'https://app.example.com', credentials: true });
    applyDecision(policy.decide({ method: 'GET', origin: 'https://app.example.com' }) as CorsDecision, headers, recordHeaders);
    // One key per header: the existing key is reused, new ones are lower case.
    expect(headers).toEqual({
      'WWW-Authenticate': 'Bearer',
      Vary: 'Accept-Encoding, Origin',
      'Access-Control-Allow-Origin': 'https://app.example.com',
      'access-control-allow-credentials': 'true',
    });
    // Merging again changes nothing (no duplicate tokens, whatever their case).
    mergeVaryInto(headers, 'origin', recordHeaders);
    expect(headers.Vary).toBe('Accept-Encoding, Origin');
    const lower: Record<string, unknown> = { vary: ['Accept', 'Cookie'] };
    mergeVaryInto(lower, 'Origin', recordHeaders);
    expect(lower).toEqual({ vary: 'Accept, Cookie, Origin' });
  });

  it('an appending setter duplicates tokens through mergeVaryInto, which recordHeaders on the same object does not', () => {
    // hapi's response.header('vary', v) appends v, skipping only an exact-string repeat.
    const appendingVary: HeaderAccess<Record<string, string>> = {
      get: (h, name) => h[name],
      set: (h, name, value) => {
        const current = h[name];
        h[name] = current === undefined || current.split(',').includes(value) ? value : `${current},${value}`;
      },
    };
    const appended: Record<string, string> = { vary: 'Accept-Encoding' };
    mergeVaryInto(appended, 'Origin', appendingVary);
    expect(appended.vary).toBe('Accept-Encoding,Accept-Encoding, Origin');
    const replaced: Record<string, unknown> = { vary: 'Accept-Encoding' };
    mergeVaryInto(replaced, 'Origin', recordHeaders);
    expect(replaced.vary).toBe('Accept-Encoding, Origin');
  });
});
