import { afterAll, describe, expect, it } from 'vitest';
import { compileCors, CorsConfigError, createOriginCache, type CorsConfigErrorCode, type CorsOptions, type OriginCacheOptions } from '@preflight/cors-core';

/** Every code, checked at compile time to be exhaustive; the last test checks each was exercised. */
const ALL_CODES: Record<CorsConfigErrorCode, true> = {
  OPTIONS_NOT_OBJECT: true,
  UNKNOWN_OPTION: true,
  OPTION_TYPE: true,
  ORIGIN_MISSING: true,
  ORIGIN_EMPTY: true,
  ORIGIN_INVALID: true,
  ORIGIN_NULL: true,
  ORIGIN_WILDCARD_WITH_CREDENTIALS: true,
  ORIGIN_WILDCARD_IN_LIST: true,
  ORIGIN_PATTERN_INVALID: true,
  ORIGIN_PATTERN_PUBLIC_SUFFIX: true,
  ORIGIN_REGEXP_UNANCHORED: true,
  ORIGIN_REGEXP_FLAGS: true,
  ORIGIN_REGEXP_TOO_BROAD: true,
  ORIGIN_REGEXP_NO_LABEL_BOUNDARY: true,
  ORIGIN_REGEXP_UPPER_CASE: true,
  METHOD_INVALID: true,
  METHOD_FORBIDDEN: true,
  HEADER_INVALID: true,
  EXPOSED_WILDCARD_WITH_CREDENTIALS: true,
  EXPOSED_HEADER_FORBIDDEN: true,
  MAX_AGE_INVALID: true,
  OPTIONS_SUCCESS_STATUS_INVALID: true,
  ORIGIN_TIMEOUT_INVALID: true,
  ORIGIN_CACHE_INVALID: true,
  ORIGIN_CACHE_WITHOUT_PREDICATE: true,
  ORIGIN_CACHE_SHARED: true,
};
const seen = new Set<CorsConfigErrorCode>();

interface Expected {
  code: CorsConfigErrorCode;
  /** The option path the error must name (`origin`, `origin[1]`, `methods[0]`…). */
  option: string;
  /** How the bad value must appear in the message. */
  shows: string;
  /** A fragment of the fix that must follow "Fix:". */
  fix: string | RegExp;
}

/**
 * Compile (or run `build`), expect a CorsConfigError, and check that its message names the
 * option, the value and a fix.
 */
function expectConfigError(options: unknown, expected: Expected, build = (): unknown => compileCors(options as CorsOptions)): CorsConfigError {
  let error: unknown;
  try {
    build();
  } catch (e) {
    error = e;
  }
  expect(error, `expected ${expected.code}`).toBeInstanceOf(CorsConfigError);
  const err = error as CorsConfigError;
  expect(err).toBeInstanceOf(TypeError);
  expect(err.name).toBe('CorsConfigError');
  expect(err.code).toBe(expected.code);
  expect(err.option).toBe(expected.option);
  expect(err.message).toContain(`\`${expected.option}\``);
  expect(err.message).toContain(expected.shows);
  const fix = err.message.slice(err.message.indexOf('Fix: ') + 5);
  expect(err.message).toContain('Fix: ');
  expect(fix.length).toBeGreaterThan(5);
  if (typeof expected.fix === 'string') expect(fix).toContain(expected.fix);
  else expect(fix).toMatch(expected.fix);
  seen.add(err.code);
  return err;
}

const O = 'https://app.example.com';

describe('options object', () => {
  it.each([
    ['undefined', undefined, 'undefined'],
    ['null', null, 'null'],
    ['an array', [O], 'an array'],
    ['a string', O, JSON.stringify(O)],
  ])('refuses %s as the options', (_, value, shows) => {
    expectConfigError(value, { code: 'OPTIONS_NOT_OBJECT', option: 'options', shows, fix: 'pass an object' });
  });

  it.each([
    ['origins', 'origin'],
    ['allowedOrigins', 'origin'],
    ['allowHeaders', 'allowedHeaders'],
    ['exposeHeaders', 'exposedHeaders'],
    ['allowCredentials', 'credentials'],
    ['credentails', 'credentials'],
    ['maxage', 'maxAge'],
    ['Origin', 'origin'],
    ['preflightContinu', 'preflightContinue'],
    ['optionSuccessStatus', 'optionsSuccessStatus'],
  ])('refuses the unknown option %s with "did you mean `%s`"', (key, hint) => {
    const err = expectConfigError({ origin: O, [key]: true }, { code: 'UNKNOWN_OPTION', option: key, shows: 'true', fix: `did you mean \`${hint}\`?` });
    expect(err.value).toBe(true);
  });

  it.each([
    ['strictPreflight', /only OPTIONS \+ Origin \+ Access-Control-Request-Method/],
    ['keepHeadersOnError', /always kept on error responses/],
    ['hideOptionsRoute', /no catch-all OPTIONS route/],
  ])('explains that %s (another package\'s option) is not needed here', (key, fix) => {
    expectConfigError({ origin: O, [key]: true }, { code: 'UNKNOWN_OPTION', option: key, shows: 'true', fix });
  });

  it('is not fooled by option names that are Object.prototype members', () => {
    expectConfigError({ origin: O, toString: 1 } as never, { code: 'UNKNOWN_OPTION', option: 'toString', shows: '1', fix: /use one of|did you mean/ });
  });

  it('lists the known options when an unknown one is not close to any', () => {
    expectConfigError({ origin: O, frobnicate: 1 }, { code: 'UNKNOWN_OPTION', option: 'frobnicate', shows: '1', fix: /use one of: origin, credentials, methods, allowedHeaders/ });
  });

  it('accepts every documented option together', () => {
    const policy = compileCors({
      origin: [O, 'https://*.example.org', /^https:\/\/(?:www\.)?example\.net$/],
      credentials: true,
      methods: ['GET', 'PUT'],
      allowedHeaders: ['Content-Type'],
      exposedHeaders: ['X-Request-Id'],
      maxAge: 600,
      preflightContinue: false,
      optionsSuccessStatus: 200,
      privateNetworkAccess: true,
      originTimeout: 1000,
      onRefusal: () => undefined,
    });
    expect(policy.options).toEqual({
      credentials: true, methods: ['GET', 'PUT'], allowedHeaders: ['Content-Type'], exposedHeaders: ['X-Request-Id'], maxAge: 600,
      preflightContinue: false, optionsSuccessStatus: 200, privateNetworkAccess: true, originTimeout: 1000,
    });
    expect(Object.isFrozen(policy)).toBe(true);
    expect(Object.isFrozen(policy.options)).toBe(true);
    expect(Object.isFrozen(policy.options.methods)).toBe(true);
  });

  it('resolves the defaults', () => {
    expect(compileCors({ origin: O }).options).toEqual({
      credentials: false, methods: ['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE'], allowedHeaders: undefined, exposedHeaders: undefined,
      maxAge: undefined, preflightContinue: false, optionsSuccessStatus: 204, privateNetworkAccess: false, originTimeout: undefined,
    });
  });
});

describe('wrong types (OPTION_TYPE)', () => {
  it.each([
    ['credentials', 'true', 'write credentials: true (a boolean, not a string)'],
    ['credentials', 'false', 'write credentials: false (a boolean, not a string)'],
    ['credentials', 1, 'write credentials: true or credentials: false'],
    ['preflightContinue', 'yes', 'write preflightContinue: true or preflightContinue: false'],
    ['privateNetworkAccess', 0, 'write privateNetworkAccess: true or privateNetworkAccess: false'],
  ])('refuses %s: %j', (option, value, fix) => {
    expectConfigError({ origin: O, [option]: value }, { code: 'OPTION_TYPE', option, shows: JSON.stringify(value), fix });
  });

  it('refuses origin: true (the cors package\'s "reflect every origin")', () => {
    const err = expectConfigError({ origin: true }, { code: 'OPTION_TYPE', option: 'origin', shows: '(true)', fix: 'list your origins, e.g. origin: ["https://app.example.com"]' });
    expect(err.message).toContain('in the cors package, origin: true reflects every request\'s Origin back');
    expect(err.message).toContain('with credentials, any site can act as the signed-in user');
    expect(err.message).toMatch(/Fix: .*pattern strings such as "https:\/\/\*\.example\.com", or origin: "\*" for a public API without credentials/);
    expect(() => compileCors({ origin: true, credentials: true } as unknown as CorsOptions)).toThrow(/reflects every request's Origin/);
  });

  it('refuses a number inside the origin list, naming its index', () => {
    expectConfigError({ origin: [O, 42] }, { code: 'OPTION_TYPE', option: 'origin[1]', shows: '(42)', fix: 'as a string' });
  });

  it.each([
    ['methods', 5, 'methods: ["GET", "POST"]'],
    ['allowedHeaders', { a: 1 }, 'allowedHeaders: ["Content-Type", "Authorization"]'],
    ['exposedHeaders', true, 'exposedHeaders: ["Content-Type", "Authorization"]'],
    ['onRefusal', 'console.log', 'pass (refusal, request) =>'],
  ])('refuses %s of the wrong type', (option, value, fix) => {
    const shows = typeof value === 'object' ? 'an object' : JSON.stringify(value);
    expectConfigError({ origin: O, [option]: value }, { code: 'OPTION_TYPE', option, shows, fix });
  });
});

describe('origin', () => {
  it.each([
    ['an empty object', {}, '(undefined)'],
    ['origin: undefined', { origin: undefined }, '(undefined)'],
    ['origin: null', { origin: null }, '(null)'],
  ])('refuses %s: there is no default origin (ORIGIN_MISSING)', (_, options, shows) => {
    const err = expectConfigError(options, { code: 'ORIGIN_MISSING', option: 'origin', shows, fix: 'origin: ["https://app.example.com"]' });
    expect(err.message).toContain('no default origin');
  });

  it('refuses an empty list (ORIGIN_EMPTY)', () => {
    expectConfigError({ origin: [] }, { code: 'ORIGIN_EMPTY', option: 'origin', shows: 'an array', fix: 'list at least one origin' });
  });

  it('refuses "*" with credentials (ORIGIN_WILDCARD_WITH_CREDENTIALS)', () => {
    const err = expectConfigError({ origin: '*', credentials: true }, {
      code: 'ORIGIN_WILDCARD_WITH_CREDENTIALS', option: 'origin', shows: '("*")', fix: 'list the trusted origins explicitly, or set credentials: false',
    });
    expect(err.message).toMatch(/reflecting every origin/);
  });

  it('accepts "*" without credentials', () => {
    expect(compileCors({ origin: '*' }).variesByOrigin).toBe(false);
  });

  it('refuses "*" inside a list (ORIGIN_WILDCARD_IN_LIST)', () => {
    expectConfigError({ origin: [O, '*'] }, { code: 'ORIGIN_WILDCARD_IN_LIST', option: 'origin[1]', shows: '("*")', fix: 'use origin: "*" on its own' });
  });

  it.each([
    ['alone', 'null', 'origin'],
    ['in a list', [O, 'null'], 'origin[1]'],
  ])('refuses the "null" origin %s (ORIGIN_NULL)', (_, origin, option) => {
    expectConfigError({ origin }, { code: 'ORIGIN_NULL', option, shows: '("null")', fix: 'remove "null"' });
  });

  it.each([
    ['a path', 'https://x.com/app', /has a path/, 'write "https://x.com"'],
    ['a trailing slash', 'https://x.com/', /ends with a slash/, 'write "https://x.com"'],
    ['a query', 'https://x.com?a=1', /has a query/, 'write "https://x.com"'],
    ['a fragment', 'https://x.com#top', /has a fragment/, 'write "https://x.com"'],
    ['userinfo', 'https://user:secret@x.com', /userinfo/, 'write "https://x.com"'],
    ['the default https port', 'https://x.com:443', /:443 is the scheme's default port/, 'write "https://x.com"'],
    ['the default http port', 'http://x.com:80', /:80 is the scheme's default port/, 'write "http://x.com"'],
    ['upper case', 'https://App.Example.com', /upper-case/, 'write "https://app.example.com"'],
    ['an upper-case scheme', 'HTTPS://x.com', /upper-case/, 'write "https://x.com"'],
    ['no scheme', 'x.com', /no scheme/, 'write the full origin, such as "https://x.com"'],
    ['surrounding spaces', ' https://x.com ', /white space/, 'write "https://x.com"'],
    ['a trailing dot', 'https://x.com.', /ends with a dot/, 'write "https://x.com"'],
    ['a non-ASCII host', 'https://bücher.example', /serialize this origin as "https:\/\/xn--bcher-kva\.example"/, 'write "https://xn--bcher-kva.example"'],
    ['an empty string', '', /empty string/, 'write the full origin'],
    ['the wss: scheme', 'wss://x.com', /WebSocket URL schemes/, 'write that page\'s origin, such as "https://x.com"'],
    ['the ws: scheme', 'ws://localhost:3000', /WebSocket URL schemes/, 'write that page\'s origin, such as "http://localhost:3000"'],
    ['the wss: scheme in a pattern', 'wss://*.x.com', /WebSocket URL schemes/, 'write that page\'s origin, such as "https://*.x.com"'],
  ])('refuses an origin with %s (ORIGIN_INVALID)', (_, origin, problem, fix) => {
    const err = expectConfigError({ origin }, { code: 'ORIGIN_INVALID', option: 'origin', shows: JSON.stringify(origin), fix });
    expect(err.message).toMatch(problem);
    expect(err.value).toBe(origin);
  });

  it('names the index of a bad origin in a list', () => {
    expectConfigError({ origin: [O, 'https://b.example.com/'] }, { code: 'ORIGIN_INVALID', option: 'origin[1]', shows: '"https://b.example.com/"', fix: 'write "https://b.example.com"' });
  });

  it.each([
    'https://x.com', 'http://localhost:3000', 'http://127.0.0.1:8080', 'https://[::1]:8443', 'https://a-b.c_d.example', 'http://x.com:443', 'https://x.com:80',
  ])('accepts the serialized origin %s', (origin) => {
    expect(() => compileCors({ origin })).not.toThrow();
  });
});

describe('origin patterns', () => {
  it.each([
    ['https://*.com', '".com" is a public suffix'],
    ['https://*.co.uk', '".co.uk" is a public suffix'],
    ['https://*.github.io', '".github.io" is a public suffix'],
    ['https://*.vercel.app', '".vercel.app" is a public suffix'],
    ['http://*.dev:*', '".dev" is a public suffix'],
  ])('refuses %s (ORIGIN_PATTERN_PUBLIC_SUFFIX)', (origin, problem) => {
    const err = expectConfigError({ origin }, { code: 'ORIGIN_PATTERN_PUBLIC_SUFFIX', option: 'origin', shows: JSON.stringify(origin), fix: 'name your own domain' });
    expect(err.message).toContain(problem);
  });

  it('says that credentials make a public-suffix pattern worse', () => {
    const err = expectConfigError({ origin: 'https://*.com', credentials: true }, { code: 'ORIGIN_PATTERN_PUBLIC_SUFFIX', option: 'origin', shows: '"https://*.com"', fix: 'https://*.your-domain.com' });
    expect(err.message).toContain('credentials are on');
  });

  it.each([
    ['https://a.*.com', /may only stand for the whole first label/],
    ['*://x.com', /may only stand for the whole first label/],
    ['https://*', /may only stand for the whole first label/],
    ['https://*example.com', /may only stand for the whole first label/],
    ['https://*.*.example.com', /may only stand for the whole first label/],
    ['https://x.example.com:8*', /may only stand for the whole first label/],
    ['//*.example.com', /no scheme/],
    ['*.example.com', /no scheme/],
    ['http://localhost:8080:*', /both a port and ":\*"/],
    ['https://*.192.168.0.1', /IP address/],
    ['https://*.[::1]', /IP address/],
  ])('refuses the misplaced wildcard %s (ORIGIN_PATTERN_INVALID)', (origin, problem) => {
    const err = expectConfigError({ origin }, { code: 'ORIGIN_PATTERN_INVALID', option: 'origin', shows: JSON.stringify(origin), fix: /"\*\." as the whole first label|":\*" as the whole port/ });
    expect(err.message).toMatch(problem);
  });

  it.each([
    ['https://*.Example.com', /upper-case/, 'write "https://*.example.com"'],
    ['https://*.example.com/', /ends with a slash/, 'write "https://*.example.com"'],
    ['https://*.example.com:443', /default port/, 'write "https://*.example.com"'],
    ['http://Localhost:*', /upper-case/, 'write "http://localhost:*"'],
  ])('refuses %s and suggests the pattern with its wildcards kept', (origin, problem, fix) => {
    const err = expectConfigError({ origin }, { code: 'ORIGIN_PATTERN_INVALID', option: 'origin', shows: JSON.stringify(origin), fix });
    expect(err.message).toMatch(problem);
  });

  it.each([
    ['https://*.com', 'ORIGIN_PATTERN_PUBLIC_SUFFIX'],
    ['https://a.*.com', 'ORIGIN_PATTERN_INVALID'],
    ['https://*.Example.com', 'ORIGIN_PATTERN_INVALID'],
  ] as const)('names the list entry of a refused pattern: %s at origin[2]', (pattern, code) => {
    expectConfigError({ origin: [O, 'https://*.example.org', pattern] }, { code, option: 'origin[2]', shows: JSON.stringify(pattern), fix: /./ });
  });

  it.each(['https://*.example.com', 'http://localhost:*', 'https://*.example.com:*', 'https://*.localhost', 'https://*.example.co.uk', 'http://[::1]:*'])(
    'accepts the pattern %s',
    (origin) => {
      expect(() => compileCors({ origin, credentials: true })).not.toThrow();
    },
  );
});

describe('origin RegExps', () => {
  it.each([
    [/example\.com$/, 'it is not anchored'],
    [/^https:\/\/x\.example\.org/, 'it is not anchored'],
    [/^https:\/\/a\.com$|b/, 'the alternative /b/ is not anchored'],
    [/^https:\/\/a\.com|^https:\/\/b\.com$/, 'the alternative /^https:\\/\\/a\\.com/ is not anchored'],
    [/(^https:\/\/a\.com$|b)/, 'it is not anchored'],
    [/^https:\/\/a\.com\$/, 'it is not anchored'],
  ])('refuses %s (ORIGIN_REGEXP_UNANCHORED)', (re, problem) => {
    const err = expectConfigError({ origin: re }, { code: 'ORIGIN_REGEXP_UNANCHORED', option: 'origin', shows: String(re), fix: 'use a pattern string like "https://*.example.com"' });
    expect(err.message).toContain(problem);
    expect(err.message).toContain('evil-example.com');
    expect(err.value).toBe(re);
  });

  it.each([
    [/^https:\/\/a\.com$/g, 'the g flag', 'remove the flag: /^https:\\/\\/a\\.com$/'],
    [/^https:\/\/a\.com$/y, 'the y flag', 'remove the flag: /^https:\\/\\/a\\.com$/'],
    [/^https:\/\/a\.com$/gi, 'the g flag', 'remove the flag: /^https:\\/\\/a\\.com$/i'],
    [/^https:\/\/a\.com$/m, 'the m flag', 'remove the flag: /^https:\\/\\/a\\.com$/'],
  ])('refuses %s (ORIGIN_REGEXP_FLAGS)', (re, problem, fix) => {
    const err = expectConfigError({ origin: [O, re] }, { code: 'ORIGIN_REGEXP_FLAGS', option: 'origin[1]', shows: String(re), fix });
    expect(err.message).toContain(problem);
  });

  it.each([/^https:\/\/.*$/, /^https?:\/\/[a-z.-]+$/, /^.*$/, /^https:\/\/.*\.com$/, /^https?:\/\/[a-z0-9-]+\.(?:com|net)$/, /^https:\/\/[a-z]+\.io$/])('refuses %s with credentials (ORIGIN_REGEXP_TOO_BROAD) but not without', (re) => {
    const err = expectConfigError({ origin: re, credentials: true }, { code: 'ORIGIN_REGEXP_TOO_BROAD', option: 'origin', shows: String(re), fix: 'narrow the RegExp' });
    expect(err.message).toMatch(/preflight-?probe/);
    expect(() => compileCors({ origin: re })).not.toThrow();
  });

  it.each([/^https:\/\/(?:[a-z0-9-]+\.)*example\.com$/, /^https:\/\/a\.com$|^https:\/\/b\.com$/, /^(?:https:\/\/x\.com|https:\/\/y\.com)$/i, /^http:\/\/localhost:\d+$/])(
    'accepts the anchored RegExp %s, even with credentials',
    (re) => {
      expect(() => compileCors({ origin: re, credentials: true })).not.toThrow();
    },
  );

  // The digest's "suffix matching without a label boundary" (jub0bs/cors GHSA-vhxv-fg4m-p2w8).
  it.each([
    [/^https:\/\/.*example\.com$/, 'https://preflightprobeexample.com', 'example.com', 'https://evilexample.com'],
    [/^https?:\/\/.*example\.com$/, 'https://preflightprobeexample.com', 'example.com', 'https://evilexample.com'],
    [/^http:\/\/.*example\.com$/, 'http://preflightprobeexample.com', 'example.com', 'http://evilexample.com'],
    [/^https:\/\/.*-example\.com$/, 'https://preflightprobe-example.com', '-example.com', 'https://evil-example.com'],
    [/^https:\/\/[a-z]+example\.com$/, 'https://preflightprobeexample.com', 'example.com', 'https://evilexample.com'],
    [/^https:\/\/.?example\.com$/, 'https://pexample.com', 'example.com', 'https://evilexample.com'],
    [/^https:\/\/.*\.?example\.com$/, 'https://preflightprobeexample.com', 'example.com', 'https://evilexample.com'],
    [/^https:\/\/\w*example\.co\.uk$/, 'https://preflightprobeexample.co.uk', 'example.co.uk', 'https://evilexample.co.uk'],
    [/^https:\/\/.*example\.com:8443$/, 'https://preflightprobeexample.com:8443', 'example.com', 'https://evilexample.com'],
    [/^https:\/\/.*example\.com(?::\d+)?$/, 'https://preflightprobeexample.com', 'example.com', 'https://evilexample.com'],
    [/^https:\/\/.*EXAMPLE\.com$/i, 'https://preflightprobeexample.com', 'example.com', 'https://evilexample.com'],
  ])('refuses %s, with or without credentials (ORIGIN_REGEXP_NO_LABEL_BOUNDARY)', (re, lookAlike, host, evil) => {
    for (const credentials of [false, true]) {
      const err = expectConfigError({ origin: [O, re], credentials }, {
        code: 'ORIGIN_REGEXP_NO_LABEL_BOUNDARY', option: 'origin[1]', shows: String(re), fix: 'put (?:[a-z0-9-]+\\.)* before the domain',
      });
      expect(err.message).toContain(`it also allows ${lookAlike}, a different domain that merely ends with "${host}"`);
      expect(err.message).toContain(`such as ${evil}`);
      expect(err.message).toMatch(/or use a pattern string "https?:\/\/\*\./);
      expect(err.message.includes('credentials')).toBe(credentials);
      expect(re.test(lookAlike)).toBe(true);
    }
  });

  it('gives a fix that compiles and refuses the look-alikes', () => {
    const err = expectConfigError({ origin: /^https:\/\/.*example\.com$/ }, {
      code: 'ORIGIN_REGEXP_NO_LABEL_BOUNDARY', option: 'origin', shows: '(/^https:\\/\\/.*example\\.com$/)',
      fix: 'put (?:[a-z0-9-]+\\.)* before the domain, /^https:\\/\\/(?:[a-z0-9-]+\\.)*example\\.com$/, or use a pattern string "https://*.example.com" (and "https://example.com" for the domain itself)',
    });
    const source = /Fix: put \S+ before the domain, \/(.+)\/, or use/.exec(err.message)![1]!;
    const policy = compileCors({ origin: new RegExp(source), credentials: true });
    const allows = (origin: string): boolean => (policy.decide({ method: 'GET', origin }) as { readonly headers: readonly unknown[] }).headers.length > 0;
    expect(['https://example.com', 'https://app.example.com', 'https://a.b.example.com'].map(allows)).toEqual([true, true, true]);
    expect(['https://evilexample.com', 'https://attacker-example.com', 'https://example.com.evil.net'].map(allows)).toEqual([false, false, false]);
  });

  // Legitimate RegExps: the project's own (READMEs, tests, apps/bench, conformance configs) and
  // common shapes. Gluing a label onto a subdomain (xapp.example.com) stays under the same domain.
  it.each([
    /^https:\/\/(?:[a-z0-9-]+\.)*example\.com$/,
    /^https:\/\/app\.example\.com$/,
    /^https:\/\/[a-z]+\.example\.com(:\d+)?$/,
    /^http:\/\/localhost:\d+$/,
    /^https:\/\/(?:www\.)?example\.com$/,
    /^https:\/\/(?:www\.)?example\.net$/,
    /^https:\/\/a\.com$|^https:\/\/b\.com$/,
    /^(?:https:\/\/x\.com|https:\/\/y\.com)$/i,
    /^(?:null|https:\/\/x\.com)$/i,
    /^https:\/\/.+\.example\.com$/,
    /^https:\/\/n\d+\.example\.net$/,
    /^https:\/\/(?:a|b)\.example\.com$/i,
    /^https:\/\/[a-z0-9-]+\.example\.com$/,
    /^https:\/\/a\.b$/,
    /^https:\/\/.*app\.example\.com$/,
    /^https:\/\/[a-z]+-staging\.example\.com$/,
    /^https:\/\/my-app-[a-z0-9]+\.vercel\.app$/,
    /^https:\/\/(?:www\.)?(?:my|your)shop\.com$/,
    /^http:\/\/127\.0\.0\.1:\d+$/,
    /^http:\/\/192\.168\.1\.\d+(?::\d+)?$/,
    new RegExp('^https:\\/\\/(?:[a-z0-9-]+\\.)+tenant7\\.example\\.com$'), // apps/bench
    new RegExp('^https:\\/\\/[a-z0-9-]+\\.r7\\.example\\.com$'), // core bench
    /^https?:\/\/(?<Sub>[a-z]+)\.example\.com$/,
    /^https:\/\/\p{Ll}+\.example\.com$/u,
    /^https:\/\/\P{Lu}+\.example\.com$/u,
    /^https:\/\/[A-Z]*app\.example\.com$/,
    /^https:\/\/(?<App>app)\.example\.com\k<App>?$/,
    /^https:\/\/\u0061pp\.example\.com$/,
    /^https:\/\/\u{61}pp\.example\.com$/u,
    /^https:\/\/\x41?app\.example\.com$/,
    /^https:\/\/\cJ?app\.example\.com$/,
    /^https:\/\/\D*\.example\.com\B$/,
    /^https:\/\/\W?\S+\.example\.com$/,
    new RegExp('^https:\\/\\/[[a-z]--[q]]+\\.example\\.com$', 'v'),
    /^https:\/\/APP\.example\.com$/i,
  ])('accepts the legitimate RegExp %s, with or without credentials', (re) => {
    expect(() => compileCors({ origin: re })).not.toThrow();
    expect(() => compileCors({ origin: [O, re], credentials: true })).not.toThrow();
  });

  it.each([
    [/^https:\/\/App\.example\.com$/, 'the upper-case letter A and no i flag', 'write it in lower case: /^https:\\/\\/app\\.example\\.com$/'],
    [/^HTTPS:\/\/app\.example\.com$/, 'the upper-case letters H, T, P, S and no i flag', 'write it in lower case: /^https:\\/\\/app\\.example\\.com$/'],
    [/^https:\/\/(?<Sub>[a-z]+)\.Example\.com$/, 'the upper-case letter E', 'write it in lower case: /^https:\\/\\/(?<Sub>[a-z]+)\\.example\\.com$/'],
    [/^https:\/\/[A-Z]+\.example\.COM$/u, 'the upper-case letters C, O, M', 'write it in lower case: /^https:\\/\\/[A-Z]+\\.example\\.com$/u'],
    [/^https:\/\/\p{L}+\.exAmple\.com$/u, 'the upper-case letter A', 'write it in lower case: /^https:\\/\\/\\p{L}+\\.example\\.com$/u'],
    [/^https:\/\/(?<X>a)?\x41?\.example\.Com\k<X>$/, 'the upper-case letter C and', '(?<X>a)?\\x41?\\.example\\.com\\k<X>$/'],
  ])('refuses %s: upper case without the i flag can never match (ORIGIN_REGEXP_UPPER_CASE)', (re, problem, fix) => {
    for (const credentials of [false, true]) {
      const err = expectConfigError({ origin: re, credentials }, { code: 'ORIGIN_REGEXP_UPPER_CASE', option: 'origin', shows: String(re), fix });
      expect(err.message).toContain(problem);
      expect(err.message).toContain('browsers send an origin\'s scheme and host in lower case');
    }
  });
});

describe('methods', () => {
  it.each([
    ['GE T', 'methods', '"GE T"'],
    [['GET', 'P(T'], 'methods[1]', '"P(T"'],
    [['GET', '*'], 'methods[1]', '"*"'],
    [['GET', 7], 'methods[1]', '(7)'],
    [['GÉT'], 'methods[0]', '"GÉT"'],
  ])('refuses the invalid method token in %j (METHOD_INVALID)', (methods, option, shows) => {
    expectConfigError({ origin: O, methods }, { code: 'METHOD_INVALID', option, shows, fix: 'write it like "PUT" or "PATCH"' });
  });

  it.each([
    [[], 'an array'],
    ['', '("")'],
    [' , ', '(" , ")'],
  ])('refuses the empty method list %j (METHOD_INVALID)', (methods, shows) => {
    expectConfigError({ origin: O, methods }, { code: 'METHOD_INVALID', option: 'methods', shows, fix: 'list at least one method' });
  });

  it.each(['CONNECT', 'TRACE', 'TRACK', 'connect', 'trace'])('refuses the forbidden method %s (METHOD_FORBIDDEN)', (m) => {
    expectConfigError({ origin: O, methods: ['GET', m] }, { code: 'METHOD_FORBIDDEN', option: 'methods[1]', shows: JSON.stringify(m), fix: 'remove it' });
  });

  it('upper-cases the six standard methods, keeps others (PATCH included) exactly, splits strings and drops duplicates', () => {
    expect(compileCors({ origin: O, methods: 'get, post,PUT , patch,PATCH,Purge,get' }).options.methods).toEqual(['GET', 'POST', 'PUT', 'patch', 'PATCH', 'Purge']);
    expect(compileCors({ origin: O, methods: '*' }).options.methods).toBe('*');
  });
});

describe('allowedHeaders and exposedHeaders', () => {
  it.each([
    ['allowedHeaders', 'X Foo', 'allowedHeaders', '"X Foo"'],
    ['allowedHeaders', ['Content-Type:'], 'allowedHeaders[0]', '"Content-Type:"'],
    ['allowedHeaders', ['X-Ok', 'X-Nö'], 'allowedHeaders[1]', '"X-Nö"'],
    ['exposedHeaders', ['X-Id', '"quoted"'], 'exposedHeaders[1]', '"\\"quoted\\""'],
    ['exposedHeaders', [null], 'exposedHeaders[0]', '(null)'],
  ])('refuses an invalid header name in %s (HEADER_INVALID)', (name, value, option, shows) => {
    expectConfigError({ origin: O, [name]: value }, { code: 'HEADER_INVALID', option, shows, fix: 'write it like "Content-Type"' });
  });

  it.each(['allowedHeaders', 'exposedHeaders'])('refuses "*" inside a %s list (HEADER_INVALID)', (name) => {
    expectConfigError({ origin: O, [name]: ['X-A', '*'] }, { code: 'HEADER_INVALID', option: `${name}[1]`, shows: '"*"', fix: `use ${name}: "*" on its own` });
  });

  it('refuses exposedHeaders: "*" with credentials (EXPOSED_WILDCARD_WITH_CREDENTIALS)', () => {
    expectConfigError({ origin: O, credentials: true, exposedHeaders: '*' }, {
      code: 'EXPOSED_WILDCARD_WITH_CREDENTIALS', option: 'exposedHeaders', shows: '"*"', fix: 'exposedHeaders: ["X-Request-Id"]',
    });
    expect(() => compileCors({ origin: O, exposedHeaders: '*' })).not.toThrow();
  });

  it.each([
    [['Set-Cookie'], 'exposedHeaders[0]', '"Set-Cookie"'],
    [['X-Request-Id', 'set-cookie'], 'exposedHeaders[1]', '"set-cookie"'],
    [['SET-COOKIE2'], 'exposedHeaders[0]', '"SET-COOKIE2"'],
    ['X-Request-Id, Set-Cookie', 'exposedHeaders', '"Set-Cookie"'],
  ])('refuses exposedHeaders: %j: browsers never expose Set-Cookie (EXPOSED_HEADER_FORBIDDEN)', (exposedHeaders, option, shows) => {
    for (const credentials of [false, true]) {
      const err = expectConfigError({ origin: O, credentials, exposedHeaders }, { code: 'EXPOSED_HEADER_FORBIDDEN', option, shows, fix: 'remove it' });
      expect(err.message).toContain('forbidden response-header names in the Fetch standard');
    }
  });

  it('still allows Set-Cookie-like names and Set-Cookie in allowedHeaders', () => {
    expect(compileCors({ origin: O, exposedHeaders: ['X-Set-Cookie', 'Set-Cookie-Id'] }).options.exposedHeaders).toEqual(['X-Set-Cookie', 'Set-Cookie-Id']);
    expect(() => compileCors({ origin: O, allowedHeaders: ['Set-Cookie'] })).not.toThrow();
  });

  it('keeps header names as written, without case-insensitive duplicates', () => {
    expect(compileCors({ origin: O, allowedHeaders: 'Content-Type, x-a,X-A' }).options.allowedHeaders).toEqual(['Content-Type', 'x-a']);
  });
});

describe('maxAge, optionsSuccessStatus, originTimeout', () => {
  it.each([1.5, -1, 86401, Number.NaN, Number.POSITIVE_INFINITY, '600'])('refuses maxAge %j (MAX_AGE_INVALID)', (maxAge) => {
    expectConfigError({ origin: O, maxAge }, { code: 'MAX_AGE_INVALID', option: 'maxAge', shows: typeof maxAge === 'string' ? '"600"' : String(maxAge), fix: 'maxAge: 7200' });
  });

  it.each([0, 5, 7200, 86400])('accepts maxAge %d', (maxAge) => {
    expect(compileCors({ origin: O, maxAge }).options.maxAge).toBe(maxAge);
  });

  it.each([199, 300, 304, 204.5, '200', 0])('refuses optionsSuccessStatus %j (OPTIONS_SUCCESS_STATUS_INVALID)', (status) => {
    expectConfigError({ origin: O, optionsSuccessStatus: status }, {
      code: 'OPTIONS_SUCCESS_STATUS_INVALID', option: 'optionsSuccessStatus', shows: typeof status === 'string' ? '"200"' : String(status), fix: 'use 204 (the default) or 200',
    });
  });

  it.each([200, 204, 299])('accepts optionsSuccessStatus %d', (status) => {
    expect(compileCors({ origin: O, optionsSuccessStatus: status }).options.optionsSuccessStatus).toBe(status);
  });

  it.each([0, -5, 1.5, '100', 2 ** 31])('refuses originTimeout %j (ORIGIN_TIMEOUT_INVALID)', (originTimeout) => {
    expectConfigError({ origin: () => true, originTimeout }, {
      code: 'ORIGIN_TIMEOUT_INVALID', option: 'originTimeout', shows: typeof originTimeout === 'string' ? '"100"' : String(originTimeout), fix: 'originTimeout: 2000',
    });
  });
});

describe('originCache', () => {
  it.each([
    ['max', 0, 'max: 10000'],
    ['max', 1.5, 'max: 10000'],
    ['max', '100', 'max: 10000'],
    ['max', 2 ** 25, 'max: 10000'],
    ['ttl', 0, 'ttl: 60000'],
    ['ttl', -1, 'ttl: 60000'],
    ['ttl', 2 ** 31, 'ttl: 60000'],
    ['ttl', Number.NaN, 'ttl: 60000'],
    ['negativeTtl', -1, 'negativeTtl: 5000'],
    ['negativeTtl', 0.5, 'negativeTtl: 5000'],
    ['onLookupFailure', 'ignore', 'onLookupFailure: "refuse"'],
    ['now', 123, 'Date.now'],
    ['maxSize', 10, 'use one of: max, ttl, negativeTtl'],
  ])('createOriginCache refuses %s: %j (ORIGIN_CACHE_INVALID)', (name, value, fix) => {
    expectConfigError({ [name]: value }, {
      code: 'ORIGIN_CACHE_INVALID', option: `originCache.${name}`, shows: typeof value === 'string' ? JSON.stringify(value) : String(value), fix,
    }, () => createOriginCache({ [name]: value } as OriginCacheOptions));
  });

  it('refuses a negativeTtl longer than ttl, naming both', () => {
    const err = expectConfigError(undefined, {
      code: 'ORIGIN_CACHE_INVALID', option: 'originCache.negativeTtl', shows: '20000', fix: 'at most 10000',
    }, () => createOriginCache({ ttl: 10_000, negativeTtl: 20_000 }));
    expect(err.message).toContain('longer than ttl (10000 ms)');
  });

  it('refuses cache options that are not an object', () => {
    expectConfigError(null, { code: 'ORIGIN_CACHE_INVALID', option: 'originCache', shows: 'null', fix: 'createOriginCache({' }, () => createOriginCache(null as never));
  });

  it('accepts defaults and explicit settings, and reports them', () => {
    expect(createOriginCache().options).toEqual({ max: 10_000, ttl: 60_000, negativeTtl: 5_000, onLookupFailure: 'error' });
    expect(createOriginCache({ ttl: 1000 }).options.negativeTtl).toBe(1000);
    expect(createOriginCache({ max: 1, ttl: 1, negativeTtl: 0, onLookupFailure: 'refuse' }).options).toEqual({ max: 1, ttl: 1, negativeTtl: 0, onLookupFailure: 'refuse' });
  });

  it('refuses plain settings instead of the handle (ORIGIN_CACHE_INVALID), with the fix', () => {
    expectConfigError({ origin: () => true, originCache: { max: 100, ttl: 1000 } }, { code: 'ORIGIN_CACHE_INVALID', option: 'originCache', shows: 'an object', fix: 'createOriginCache(' });
  });

  it.each([
    ['an exact origin', O],
    ['a list', [O, 'https://*.example.org']],
    ['"*"', '*'],
  ])('refuses a cache next to %s (ORIGIN_CACHE_WITHOUT_PREDICATE)', (_, origin) => {
    expectConfigError({ origin, originCache: createOriginCache() }, {
      code: 'ORIGIN_CACHE_WITHOUT_PREDICATE', option: 'originCache', shows: 'an object', fix: 'make origin a function',
    });
  });

  it('refuses one cache for two different predicates (ORIGIN_CACHE_SHARED), but not for the same predicate twice', () => {
    const originCache = createOriginCache();
    const predicate = async (origin: string): Promise<boolean> => origin === O;
    compileCors({ origin: predicate, originCache });
    compileCors({ origin: predicate, originCache, credentials: true });
    expectConfigError({ origin: async () => true, originCache }, { code: 'ORIGIN_CACHE_SHARED', option: 'originCache', shows: 'an object', fix: 'one cache per predicate' });
  });
});

afterAll(() => {
  // Every CorsConfigError code has at least one test above.
  expect([...seen].sort()).toEqual(Object.keys(ALL_CODES).sort());
});
