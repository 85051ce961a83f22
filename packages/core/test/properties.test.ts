import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compileCors, isToken, mergeVary, parseRequestHeaders, type CorsDecision, type CorsOptions, type CorsRequest } from '@preflight/cors-core';
import { MULTI_LABEL_PUBLIC_SUFFIXES } from '../src/public-suffixes.js';

const RUNS = { numRuns: 300 };

// ---------------------------------------------------------------------------------------
// (a) No origin outside the configuration is ever accepted.
// ---------------------------------------------------------------------------------------

interface Entry {
  readonly scheme: 'http' | 'https';
  readonly host: string;
  readonly port: string; // '' for the default port
  readonly wildcard: boolean; // https://*.host
}

const serialize = (scheme: string, host: string, port: string): string => `${scheme}://${host}${port === '' ? '' : `:${port}`}`;
const entryString = (e: Entry): string => serialize(e.scheme, e.wildcard ? `*.${e.host}` : e.host, e.port);

// Short labels from a small alphabet, so that generated names often share prefixes and
// suffixes (foo.com / barfoo.com / foo.com.foo.com): exactly the confusions to catch.
const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,4}[a-z0-9])?$/).filter((l) => l.length <= 6);
const tld = fc.constantFrom('com', 'org', 'net', 'test', 'example');
const host = fc.tuple(fc.array(label, { minLength: 1, maxLength: 2 }), tld).map(([labels, t]) => [...labels, t].join('.')).filter((h) => !MULTI_LABEL_PUBLIC_SUFFIXES.has(h));
const entry: fc.Arbitrary<Entry> = fc.record({
  scheme: fc.constantFrom('http' as const, 'https' as const),
  host,
  port: fc.constantFrom('', '', '8080', '3000'),
  wildcard: fc.boolean(),
});

/** The model: what the configuration allows, written independently of the implementation. */
function modelAllows(entries: readonly Entry[], origin: string): boolean {
  const m = /^(https?):\/\/([a-z0-9-]+(?:\.[a-z0-9-]+)*)(?::([1-9][0-9]{0,4}))?$/.exec(origin);
  if (m === null) return false;
  const [, scheme, h, port = ''] = m;
  if ((scheme === 'https' && port === '443') || (scheme === 'http' && port === '80')) return false;
  return entries.some((e) => {
    if (e.scheme !== scheme || e.port !== port) return false;
    return e.wildcard ? h!.endsWith(`.${e.host}`) && h!.length > e.host.length + 1 : h === e.host;
  });
}

/** Origins around one entry: legitimate ones and the classic confusions. */
function candidates(e: Entry, sub: string, other: string): string[] {
  const o = serialize(e.scheme, e.host, e.port);
  const otherScheme = e.scheme === 'https' ? 'http' : 'https';
  const otherPort = e.port === '' ? '8443' : e.port === '8080' ? '3000' : '8080';
  return [
    o, // the apex (allowed only if listed exactly)
    serialize(e.scheme, `${sub}.${e.host}`, e.port), // a true subdomain
    serialize(e.scheme, `${sub}.${other}.${e.host}`, e.port), // a deeper subdomain
    serialize(e.scheme, `${sub}${e.host}`, e.port), // barfoo.com vs foo.com
    serialize(e.scheme, `${sub}-${e.host}`, e.port), // evil-example.com
    serialize(e.scheme, `${e.host}.${other}.net`, e.port), // example.com.evil.net
    serialize(e.scheme, `${sub}.${e.host}.${other}.net`, e.port),
    serialize(e.scheme, `${e.host}${other}`, e.port),
    serialize(otherScheme, e.host, e.port), // other scheme
    serialize(otherScheme, `${sub}.${e.host}`, e.port),
    serialize('wss', e.host, e.port),
    serialize(e.scheme, e.host, otherPort), // other port
    serialize(e.scheme, `${sub}.${e.host}`, otherPort),
    serialize(e.scheme, e.host, e.scheme === 'https' ? '443' : '80'), // explicit default port
    o.toUpperCase(),
    serialize(e.scheme, `${sub}.${e.host}`.toUpperCase(), e.port),
    `${o}/`,
    `${o}/path`,
    `${serialize(e.scheme, `${sub}.${e.host}`, e.port)}/`,
    `${o}.`,
    serialize(e.scheme, `${sub}.${e.host}.`, e.port),
    `${e.scheme}://${sub}@${e.host}`,
    `${o}, ${o}`,
    ` ${o}`,
    e.host,
    'null',
  ];
}

describe('property: no origin outside the configuration is ever accepted', () => {
  it('decide allows exactly the listed origins and true subdomains of the patterns', () => {
    fc.assert(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 6 }), label, label, fc.boolean(), (entries, sub, other, credentials) => {
        const policy = compileCors({ origin: entries.map(entryString), credentials });
        for (const e of entries) {
          for (const origin of candidates(e, sub, other)) {
            const expected = modelAllows(entries, origin);
            for (const request of [{ method: 'GET', origin }, { method: 'OPTIONS', origin, accessControlRequestMethod: 'GET' }]) {
              const d = policy.decide(request) as CorsDecision;
              if (d.allowed !== expected) throw new Error(`${request.method} ${JSON.stringify(origin)}: allowed=${d.allowed}, expected ${expected}`);
              const acao = d.headers.find(([n]) => n === 'access-control-allow-origin')?.[1];
              if (acao !== (expected ? origin : undefined)) throw new Error(`${JSON.stringify(origin)}: ACAO ${String(acao)}`);
            }
          }
        }
      }),
      RUNS,
    );
  });

  it('the model agrees that the attack shapes are refused whenever the attacker cannot register under a pattern', () => {
    // A sanity check of the model itself: for a single exact entry only the entry is allowed.
    fc.assert(
      fc.property(entry, label, label, (e, sub, other) => {
        const exact = { ...e, wildcard: false };
        const allowed = candidates(exact, sub, other).filter((o) => modelAllows([exact], o));
        expect(allowed).toEqual([serialize(e.scheme, e.host, e.port)]);
      }),
      RUNS,
    );
  });
});

// ---------------------------------------------------------------------------------------
// (b) The Vary merge never duplicates or loses a token.
// ---------------------------------------------------------------------------------------

const varyToken = fc.constantFrom('Origin', 'Accept', 'Accept-Encoding', 'Access-Control-Request-Method', 'Access-Control-Request-Headers', 'Cookie', 'X-Custom', 'User-Agent');
const casing = (t: string): fc.Arbitrary<string> => fc.constantFrom(t, t.toLowerCase(), t.toUpperCase());
const tokenList = fc.array(varyToken.chain(casing), { maxLength: 6 });
const separator = fc.constantFrom(',', ', ', ' ,', ' , ', ',\t');
const lowerSet = (tokens: readonly string[]): Set<string> => new Set(tokens.map((t) => t.trim().toLowerCase()).filter((t) => t !== ''));
const split = (value: string): string[] => value.split(',').map((t) => t.trim()).filter((t) => t !== '');

describe('property: mergeVary', () => {
  it('keeps every token once (case-insensitively) and keeps the existing value as written', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('Origin', 'Accept', 'Cookie', 'X-A').chain(casing), { maxLength: 5 }), separator, tokenList, (existingTokens, sep, add) => {
        const unique = [...new Map(existingTokens.map((t) => [t.toLowerCase(), t])).values()]; // a response's own Vary has no duplicates
        const existing = unique.join(sep);
        const merged = mergeVary(existing, add.join(', ')) ?? '';
        const out = split(merged);
        expect(out.length).toBe(lowerSet(out).size); // no duplicates
        expect(lowerSet(out)).toEqual(new Set([...lowerSet(unique), ...lowerSet(add)])); // nothing lost, nothing invented
        if (existing !== '') expect(merged.startsWith(existing)).toBe(true);
      }),
      RUNS,
    );
  });

  it('lets "*" absorb everything, from either side', () => {
    fc.assert(
      fc.property(tokenList, tokenList, fc.boolean(), (a, b, inExisting) => {
        const existing = inExisting ? [...a, '*'].join(', ') : a.join(', ');
        const add = inExisting ? b.join(', ') : [...b, '*'].join(',');
        expect(mergeVary(existing, add)).toBe('*');
      }),
      RUNS,
    );
  });

  it('is idempotent: merging the same tokens again changes nothing', () => {
    fc.assert(
      fc.property(fc.oneof(tokenList.map((t) => t.join(', ')), fc.array(varyToken)), tokenList, (existing, add) => {
        const once = mergeVary(existing, add.join(', '));
        expect(mergeVary(once, add.join(', '))).toBe(once);
      }),
      RUNS,
    );
  });
});

// ---------------------------------------------------------------------------------------
// (c) Access-Control-Request-Headers parsing.
// ---------------------------------------------------------------------------------------

const TCHARS = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const headerName = fc.string({ unit: fc.constantFrom(...TCHARS), minLength: 1, maxLength: 24 });

describe('property: parseRequestHeaders', () => {
  it('accepts every browser-shaped value (lower-cased, de-duplicated, sorted, joined with ",")', () => {
    fc.assert(
      fc.property(fc.array(headerName, { maxLength: 40 }), (names) => {
        const browser = [...new Set(names.map((n) => n.toLowerCase()))].sort();
        expect(parseRequestHeaders(browser.join(','))).toEqual(browser);
      }),
      RUNS,
    );
  });

  it('accepts what proxies and Node make of it (OWS, empty elements, joined lines, any case)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(headerName, fc.constantFrom(',', ', ', ' , ', ',\t', ',,', ', ,')), { minLength: 1, maxLength: 40 }), (parts) => {
        const value = parts.map(([n, sep]) => n + sep).join('');
        const expected = [...new Set(parts.map(([n]) => n.toLowerCase()))];
        expect(parseRequestHeaders(value)).toEqual(expected);
      }),
      RUNS,
    );
  });

  it('never throws on garbage, and only ever returns lower-cased tokens from the input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ unit: fc.constantFrom(',', ' ', '\t', 'a', ';', '"', '\r', '\n', 'é'), maxLength: 100 })), (value) => {
        const result = parseRequestHeaders(value);
        if (result === undefined) return;
        for (const name of result) {
          expect(isToken(name)).toBe(true);
          expect(name).toBe(name.toLowerCase());
        }
        // Anything that is not a token character, OWS or a comma must have been refused.
        expect(/^[\t ,!#$%&'*+\-.^_`|~0-9a-zA-Z]*$/.test(value)).toBe(true);
      }),
      RUNS,
    );
  });

  it('refuses (never throws on) anything longer than the cap', () => {
    fc.assert(
      fc.property(fc.constantFrom(',', ' ', 'a', ',a'), fc.integer({ min: 8193, max: 1 << 20 }), (unit, length) => {
        expect(parseRequestHeaders(unit.repeat(Math.ceil(length / unit.length)))).toBeUndefined();
      }),
      { numRuns: 20 },
    );
  });
});

// ---------------------------------------------------------------------------------------
// (d) decide never throws, whatever arrives in the request view.
// ---------------------------------------------------------------------------------------

const anyString = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.constantFrom('null', '', 'https://app.example.com', 'https://a.example.org', 'http://localhost:3000', 'GET', 'OPTIONS', 'true', ','.repeat(10_000)),
);
const headerValue = fc.oneof(fc.constant(undefined), anyString, fc.array(anyString, { maxLength: 3 }));
const view: fc.Arbitrary<CorsRequest> = fc.record({
  method: fc.oneof(fc.constantFrom('OPTIONS', 'GET', 'POST'), anyString),
  origin: headerValue,
  accessControlRequestMethod: headerValue,
  accessControlRequestHeaders: headerValue,
  accessControlRequestPrivateNetwork: headerValue,
});
const configs: CorsOptions[] = [
  { origin: '*' },
  { origin: '*', methods: '*', allowedHeaders: '*', exposedHeaders: '*', privateNetworkAccess: true, maxAge: 10 },
  { origin: ['https://app.example.com', 'https://*.example.org', 'http://localhost:*'], credentials: true, methods: '*', allowedHeaders: '*' },
  { origin: [/^https:\/\/(?:[a-z0-9-]+\.)*example\.com$/, 'https://app.example.com'], allowedHeaders: ['X-A'], methods: ['PUT'], optionsSuccessStatus: 200 },
  { origin: 'https://app.example.com', preflightContinue: true, onRefusal: () => undefined },
];

describe('property: decide never throws', () => {
  it.each(configs.map((c, i) => [i, c] as const))('config %i: any strings in any header', (_, options) => {
    const policy = compileCors(options);
    fc.assert(
      fc.property(view, (request) => {
        const d = policy.decide(request) as CorsDecision;
        expect(Object.isFrozen(d)).toBe(true);
        expect(['preflight', 'actual', 'none']).toContain(d.kind);
        for (const [name, value] of d.headers) {
          expect(isToken(name)).toBe(true);
          // Every value is safe to hand to setHeader: no CR, LF or NUL, no non-Latin-1.
          expect(/^[\t\x20-\x7e]*$/.test(value), `${name}: ${JSON.stringify(value)}`).toBe(true);
        }
        const acao = d.headers.filter(([n]) => n === 'access-control-allow-origin');
        expect(acao.length).toBeLessThanOrEqual(1);
        if (acao[0] !== undefined) expect(acao[0][1]).not.toContain(',');
      }),
      { numRuns: 500 },
    );
  });
});
