import type { ConfigName } from './configs.js';
import type { Protocol } from './protocol.js';

/**
 * What a case sends. Header lines are sent exactly as written (duplicates allowed); over
 * HTTP/1.1 a header whose name is `''` is written as a raw line, `value` alone.
 */
export interface CaseRequest {
  readonly method: string;
  readonly path: string;
  readonly headers?: ReadonlyArray<readonly [string, string]>;
}

/** What a case expects of the response. Header names are case-insensitive. */
export interface CaseExpectation {
  /** Exact status, or 'ok' for any 200–299. */
  readonly status?: number | 'ok';
  /** Headers that must be present exactly once, with exactly this value. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Headers that must be absent. */
  readonly absent?: readonly string[];
  /** Vary tokens that must be present (case-insensitive). */
  readonly vary?: readonly string[];
  /** Vary tokens that must be absent. */
  readonly varyAbsent?: readonly string[];
  /** `X-App-Handler` value when the application ran, `null` when it must not have run. */
  readonly handler?: string | null;
}

/** One conformance case: data only. */
export interface ConformanceCase {
  /** Stable identifier, used in `harness.skip`. */
  readonly id: string;
  /** What it checks, in words. */
  readonly name: string;
  /** The configuration (a key of `configs`) the server runs with. */
  readonly config: ConfigName;
  readonly request: CaseRequest;
  readonly expect: CaseExpectation;
  /** The rule of the CORS protocol this case pins down. */
  readonly rule?: string;
  /**
   * Protocols this request cannot be expressed in, each with the reason (raw bytes that
   * HTTP/2 framing forbids: line folding, a line without a colon…). The case is reported as
   * skipped with that reason over those protocols, for every adapter alike.
   */
  readonly notExpressibleIn?: Readonly<Partial<Record<Protocol, string>>>;
}

const APP = 'https://app.example.com';
const EVIL = 'https://evil.example.org';
const ACAO = 'access-control-allow-origin';
const ACAC = 'access-control-allow-credentials';
const ACAM = 'access-control-allow-methods';
const ACAH = 'access-control-allow-headers';
const ACEH = 'access-control-expose-headers';
const ACMA = 'access-control-max-age';
const ACAPN = 'access-control-allow-private-network';
const CORS_GRANTS = [ACAO, ACAC, ACAM, ACAH, ACEH, ACMA, ACAPN];
const PREFLIGHT_VARY = ['origin', 'access-control-request-method', 'access-control-request-headers'];

const get = (path: string, origin?: string, extra: ReadonlyArray<readonly [string, string]> = []): CaseRequest => ({
  method: 'GET',
  path,
  headers: origin === undefined ? extra : [['Origin', origin], ...extra],
});
const preflight = (path: string, origin: string, method: string, headers?: string, extra: ReadonlyArray<readonly [string, string]> = []): CaseRequest => ({
  method: 'OPTIONS',
  path,
  headers: [
    ['Origin', origin],
    ['Access-Control-Request-Method', method],
    ...(headers === undefined ? [] : [['Access-Control-Request-Headers', headers] as const]),
    ...extra,
  ],
});
const allowedActual = (origin: string, extra: CaseExpectation = {}): CaseExpectation => ({
  status: 200,
  handler: 'echo',
  vary: ['origin'],
  ...extra,
  headers: { [ACAO]: origin, ...extra.headers },
});
const refusedActual = (extra: CaseExpectation = {}): CaseExpectation => ({
  status: 200,
  handler: 'echo',
  vary: ['origin'],
  absent: CORS_GRANTS,
  ...extra,
});
const NO_LINES_IN_H2 = 'HTTP/2 sends each field as a separate name and value (HPACK), not as a text line';
const refusedPreflight: CaseExpectation = { handler: null, absent: [ACAO, ACAC, ACAH, ACMA], vary: ['origin'] };

/** Every case, grouped by the rule they pin down. */
export const cases: readonly ConformanceCase[] = [
  // ── Simple requests, exact origins ────────────────────────────────────────────
  { id: 'simple-allowed', name: 'allowed origin gets its exact origin back', config: 'exact', request: get('/echo', APP), expect: allowedActual(APP, { headers: { [ACEH]: 'X-Request-Id' }, absent: [ACAC, ACAM, ACMA] }), rule: 'ACAO is the exact origin' },
  { id: 'simple-allowed-localhost-port', name: 'exact origin with a port', config: 'exact', request: get('/echo', 'http://localhost:5173'), expect: allowedActual('http://localhost:5173') },
  { id: 'simple-allowed-ipv6', name: 'exact IPv6 origin', config: 'exact', request: get('/echo', 'http://[::1]:3000'), expect: allowedActual('http://[::1]:3000') },
  { id: 'simple-refused', name: 'refused origin gets no CORS headers but still Vary: Origin, and the app runs', config: 'exact', request: get('/echo', EVIL), expect: refusedActual(), rule: 'Vary: Origin on refused requests' },
  { id: 'simple-no-origin', name: 'a request without Origin gets Vary: Origin and no CORS headers', config: 'exact', request: get('/echo'), expect: refusedActual(), rule: 'Vary: Origin on requests without Origin' },
  { id: 'simple-other-port', name: 'same host, other port is another origin', config: 'exact', request: get('/echo', 'http://localhost:5174'), expect: refusedActual() },
  { id: 'simple-other-scheme', name: 'http is not https', config: 'exact', request: get('/echo', 'http://app.example.com'), expect: refusedActual() },
  { id: 'simple-suffix-confusion', name: 'a longer host ending in the allowed one is refused', config: 'exact', request: get('/echo', 'https://app.example.com.evil.net'), expect: refusedActual() },
  { id: 'simple-prefix-confusion', name: 'a host with the allowed one as a label suffix is refused', config: 'exact', request: get('/echo', 'https://evilapp.example.com'), expect: refusedActual() },
  { id: 'simple-head', name: 'HEAD gets the same CORS headers', config: 'exact', request: { method: 'HEAD', path: '/echo', headers: [['Origin', APP]] }, expect: allowedActual(APP) },
  { id: 'simple-post', name: 'POST gets CORS headers', config: 'exact', request: { method: 'POST', path: '/echo', headers: [['Origin', APP], ['Content-Type', 'text/plain']] }, expect: allowedActual(APP) },
  { id: 'simple-delete', name: 'the actual DELETE after a preflight gets CORS headers', config: 'exact', request: { method: 'DELETE', path: '/echo', headers: [['Origin', APP]] }, expect: allowedActual(APP) },
  { id: 'simple-nested-route', name: 'a route under a prefix gets CORS headers', config: 'exact', request: get('/prefix/nested/echo', APP), expect: allowedActual(APP) },

  // ── Malformed and hostile Origin values ────────────────────────────────────────
  { id: 'origin-null', name: 'Origin: null is refused', config: 'exact', request: get('/echo', 'null'), expect: refusedActual(), rule: 'the null origin' },
  { id: 'origin-trailing-slash', name: 'an origin with a trailing slash is refused', config: 'exact', request: get('/echo', `${APP}/`), expect: refusedActual() },
  { id: 'origin-upper-case', name: 'an upper-case origin is refused (browsers never send one)', config: 'exact', request: get('/echo', 'HTTPS://APP.EXAMPLE.COM'), expect: refusedActual() },
  { id: 'origin-path', name: 'an origin with a path is refused', config: 'exact', request: get('/echo', `${APP}/path`), expect: refusedActual() },
  { id: 'origin-userinfo', name: 'an origin with userinfo is refused', config: 'patterns', request: get('/echo', 'https://user@a.example.com'), expect: refusedActual() },
  { id: 'origin-list-value', name: 'a comma-joined list of origins is refused, never echoed', config: 'exact', request: get('/echo', `${APP}, ${EVIL}`), expect: refusedActual() },
  { id: 'origin-duplicate-lines', name: 'two Origin lines are refused, never two ACAO values', config: 'exact', request: { method: 'GET', path: '/echo', headers: [['Origin', APP], ['Origin', EVIL]] }, expect: refusedActual(), rule: 'one ACAO value' },
  { id: 'origin-non-ascii', name: 'a non-ASCII origin is refused', config: 'patterns', request: get('/echo', 'https://b\u00fccher.example.com'), expect: refusedActual() },
  { id: 'origin-long', name: 'a 4 KiB origin is refused quickly', config: 'patterns', request: get('/echo', `https://${'a'.repeat(4000)}.example.com`), expect: refusedActual() },
  { id: 'origin-obs-fold', name: 'an Origin folded over two lines (obs-fold) is rejected or unfolded, never granted', config: 'exact', request: get('/echo', `${APP}\r\n .evil.org`), expect: { absent: CORS_GRANTS }, rule: 'RFC 9112 §5.2: reject obs-fold with 400 or replace it with SP', notExpressibleIn: { h2c: `${NO_LINES_IN_H2}: there is no line folding, and a value cannot contain CR or LF (RFC 9113 §8.2.1)` } },
  { id: 'header-line-without-colon', name: 'a header line without a colon gets a 400 before the application runs, without CORS headers', config: 'exact', request: get('/echo', APP, [['', 'no colon here']]), expect: { status: 400, handler: null, absent: CORS_GRANTS }, rule: 'a malformed request never reaches the application', notExpressibleIn: { h2c: `${NO_LINES_IN_H2}: no field can lack its colon` } },
  { id: 'header-space-before-colon', name: 'whitespace between a field name and its colon gets a 400 (RFC 9112 §5.1)', config: 'exact', request: { method: 'GET', path: '/echo', headers: [['Origin ', APP]] }, expect: { status: 400, handler: null, absent: CORS_GRANTS }, rule: 'request smuggling: "Origin :" must not be read as Origin', notExpressibleIn: { h2c: `${NO_LINES_IN_H2}: a name is a separate string, and "origin " is not a token` } },
  { id: 'origin-empty', name: 'an empty Origin is refused', config: 'exact', request: get('/echo', ''), expect: { status: 200, handler: 'echo', absent: CORS_GRANTS } },

  // ── Patterns, RegExp, predicates ─────────────────────────────────────────────
  { id: 'pattern-subdomain', name: 'https://*.example.com allows a subdomain', config: 'patterns', request: get('/echo', 'https://a.example.com'), expect: allowedActual('https://a.example.com') },
  { id: 'pattern-deep-subdomain', name: 'https://*.example.com allows any depth', config: 'patterns', request: get('/echo', 'https://x.y.z.example.com'), expect: allowedActual('https://x.y.z.example.com') },
  { id: 'pattern-apex', name: 'https://*.example.com never allows the apex', config: 'patterns', request: get('/echo', 'https://example.com'), expect: refusedActual() },
  { id: 'pattern-label-boundary', name: 'https://*.example.com refuses evilexample.com', config: 'patterns', request: get('/echo', 'https://evilexample.com'), expect: refusedActual(), rule: 'suffix match on a label boundary' },
  { id: 'pattern-suffix-host', name: 'https://*.example.com refuses a.example.com.evil.net', config: 'patterns', request: get('/echo', 'https://a.example.com.evil.net'), expect: refusedActual() },
  { id: 'pattern-scheme', name: 'https://*.example.com refuses http', config: 'patterns', request: get('/echo', 'http://a.example.com'), expect: refusedActual() },
  { id: 'pattern-port', name: 'https://*.example.com refuses another port', config: 'patterns', request: get('/echo', 'https://a.example.com:8443'), expect: refusedActual() },
  { id: 'pattern-any-port', name: 'http://localhost:* allows any port', config: 'patterns', request: get('/echo', 'http://localhost:4321'), expect: allowedActual('http://localhost:4321') },
  { id: 'pattern-any-port-other-host', name: 'http://localhost:* refuses 127.0.0.1', config: 'patterns', request: get('/echo', 'http://127.0.0.1:4321'), expect: refusedActual() },
  { id: 'regexp-allowed', name: 'an anchored RegExp allows what it matches', config: 'regexp', request: get('/echo', 'https://www.example.net'), expect: allowedActual('https://www.example.net') },
  { id: 'regexp-refused', name: 'an anchored RegExp refuses a longer host', config: 'regexp', request: get('/echo', 'https://www.example.net.evil.com'), expect: refusedActual() },
  { id: 'regexp-stable', name: 'a RegExp answers the same on repeated requests (no lastIndex)', config: 'regexp', request: get('/echo', 'https://example.net'), expect: allowedActual('https://example.net') },
  { id: 'predicate-sync-allowed', name: 'a sync predicate allows', config: 'predicateSync', request: get('/echo', 'https://api.trusted.test'), expect: allowedActual('https://api.trusted.test') },
  { id: 'predicate-sync-refused', name: 'a sync predicate refuses', config: 'predicateSync', request: get('/echo', 'https://trusted.test.evil.com'), expect: refusedActual() },
  { id: 'predicate-null-never-asked', name: 'Origin: null is refused before the predicate is asked', config: 'predicateSync', request: get('/echo', 'null'), expect: refusedActual() },
  { id: 'predicate-async-allowed', name: 'an async predicate allows', config: 'predicateAsync', request: get('/echo', 'https://allowed.test'), expect: allowedActual('https://allowed.test') },
  { id: 'predicate-async-refused', name: 'an async predicate refuses', config: 'predicateAsync', request: get('/echo', 'https://denied.test'), expect: refusedActual() },
  { id: 'predicate-async-throws', name: 'an async predicate that rejects becomes a 500 through the framework, still varying on Origin', config: 'predicateAsync', request: get('/echo', 'https://throws.test'), expect: { status: 500, handler: null, vary: ['origin'], absent: [ACAO, ACAC] } },
  { id: 'predicate-async-preflight', name: 'an async predicate answers preflights', config: 'predicateAsync', request: preflight('/echo', 'https://allowed.test', 'PUT'), expect: { status: 204, handler: null, headers: { [ACAO]: 'https://allowed.test' }, vary: PREFLIGHT_VARY } },

  // ── Credentials ──────────────────────────────────────────────────────────────
  { id: 'credentials-actual', name: 'credentials: exact origin and ACAC true, never *', config: 'credentialed', request: get('/echo', APP, [['Cookie', 'session=1']]), expect: allowedActual(APP, { headers: { [ACAC]: 'true', [ACEH]: 'X-Request-Id' }, absent: [ACMA] }) },
  { id: 'credentials-refused', name: 'credentials: a refused origin gets no ACAC', config: 'credentialed', request: get('/echo', EVIL), expect: refusedActual() },
  { id: 'credentials-preflight', name: 'credentials: the preflight grants ACAC and Max-Age', config: 'credentialed', request: preflight('/echo', APP, 'PUT', 'content-type'), expect: { status: 204, handler: null, headers: { [ACAO]: APP, [ACAC]: 'true', [ACMA]: '600', [ACAH]: 'content-type' }, vary: PREFLIGHT_VARY } },

  // ── Wildcard ─────────────────────────────────────────────────────────────────
  { id: 'wildcard-actual', name: "origin '*' answers *", config: 'wildcard', request: get('/echo', EVIL), expect: { status: 200, handler: 'echo', headers: { [ACAO]: '*', [ACEH]: '*' }, absent: [ACAC], varyAbsent: ['origin'] } },
  { id: 'wildcard-no-origin', name: "origin '*' answers * without Origin too, no Vary needed", config: 'wildcard', request: get('/echo'), expect: { status: 200, handler: 'echo', headers: { [ACAO]: '*' }, varyAbsent: ['origin'] } },
  { id: 'wildcard-preflight', name: "origin '*' preflight", config: 'wildcard', request: preflight('/echo', EVIL, 'DELETE', 'x-custom'), expect: { status: 204, handler: null, headers: { [ACAO]: '*', [ACMA]: '7200', [ACAM]: 'GET,HEAD,PUT,PATCH,POST,DELETE', [ACAH]: 'x-custom' }, absent: [ACAC] } },

  // ── Preflight classification and answers ─────────────────────────────────────
  { id: 'preflight-allowed', name: 'a preflight is answered 204 by the CORS layer, the app does not run', config: 'exact', request: preflight('/echo', APP, 'PUT', 'content-type,x-custom'), expect: { status: 204, handler: null, headers: { [ACAO]: APP, [ACAM]: 'GET,HEAD,PUT,PATCH,POST,DELETE', [ACAH]: 'content-type,x-custom' }, absent: [ACAC, ACMA, ACEH], vary: PREFLIGHT_VARY } },
  { id: 'preflight-unknown-route', name: 'a preflight to an unknown route is answered', config: 'exact', request: preflight('/does-not-exist', APP, 'PUT'), expect: { status: 204, handler: null, headers: { [ACAO]: APP } }, rule: 'a route without an OPTIONS handler still gets its preflight answered' },
  { id: 'preflight-nested-route', name: 'a preflight to a prefixed route is answered', config: 'exact', request: preflight('/prefix/nested/echo', APP, 'DELETE'), expect: { status: 204, handler: null, headers: { [ACAO]: APP } } },
  { id: 'preflight-app-options-route', name: 'a preflight to a route with its own OPTIONS handler is answered by the CORS layer', config: 'exact', request: preflight('/options', APP, 'PUT'), expect: { status: 204, handler: null, headers: { [ACAO]: APP } } },
  { id: 'preflight-refused-origin', name: 'a preflight from a refused origin grants nothing and the app does not run', config: 'exact', request: preflight('/echo', EVIL, 'PUT', 'x-custom'), expect: refusedPreflight },
  { id: 'preflight-null-origin', name: 'a preflight from Origin: null grants nothing', config: 'exact', request: preflight('/echo', 'null', 'PUT'), expect: refusedPreflight },
  { id: 'options-without-acrm', name: 'OPTIONS with Origin but no Access-Control-Request-Method is the application’s', config: 'exact', request: { method: 'OPTIONS', path: '/options', headers: [['Origin', APP]] }, expect: { status: 200, handler: 'options', headers: { [ACAO]: APP }, absent: [ACAM, ACMA] }, rule: 'a preflight is OPTIONS + Origin + ACRM only' },
  { id: 'options-without-origin', name: 'OPTIONS with ACRM but no Origin is the application’s', config: 'exact', request: { method: 'OPTIONS', path: '/options', headers: [['Access-Control-Request-Method', 'PUT']] }, expect: { status: 200, handler: 'options', absent: [ACAO, ACAM], vary: ['origin'] } },
  { id: 'options-plain', name: 'a plain OPTIONS to a route without an OPTIONS handler is not answered as a preflight', config: 'exact', request: { method: 'OPTIONS', path: '/echo', headers: [] }, expect: { handler: null, absent: [ACAO, ACAM, ACAH, ACMA] } },
  { id: 'preflight-head-method', name: 'a preflight for a safelisted method is answered', config: 'lists', request: preflight('/echo', APP, 'HEAD'), expect: { status: 204, handler: null, headers: { [ACAO]: APP, [ACAM]: 'GET,POST,PATCH' } } },

  // ── Methods ──────────────────────────────────────────────────────────────────
  { id: 'methods-listed', name: 'a listed method is granted', config: 'lists', request: preflight('/echo', APP, 'PATCH'), expect: { status: 204, handler: null, headers: { [ACAO]: APP, [ACAM]: 'GET,POST,PATCH' } } },
  { id: 'methods-unlisted', name: 'an unlisted method is not in ACAM', config: 'lists', request: preflight('/echo', APP, 'DELETE'), expect: { handler: null, headers: { [ACAM]: 'GET,POST,PATCH' }, absent: [ACMA] } },
  { id: 'methods-case-sensitive', name: 'methods compare case-sensitively: "patch" is not PATCH', config: 'lists', request: preflight('/echo', APP, 'patch'), expect: { handler: null, headers: { [ACAM]: 'GET,POST,PATCH' } } },
  { id: 'methods-invalid-token', name: 'an invalid method token is never reflected', config: 'exact', request: preflight('/echo', APP, 'PUT POST'), expect: { handler: null, absent: [ACMA, ACAH] } },

  // ── Request headers ──────────────────────────────────────────────────────────
  { id: 'headers-reflected', name: 'omitted allowedHeaders reflects the validated names', config: 'exact', request: preflight('/echo', APP, 'PUT', 'x-b,x-a'), expect: { status: 204, headers: { [ACAH]: 'x-b,x-a' } } },
  { id: 'headers-lenient', name: 'ACRH with spaces, upper case and empty elements is parsed leniently', config: 'exact', request: preflight('/echo', APP, 'PUT', ' X-A ,, x-b\t,X-A'), expect: { status: 204, headers: { [ACAH]: 'x-a,x-b' } } },
  { id: 'headers-duplicate-lines', name: 'two ACRH lines are merged', config: 'exact', request: preflight('/echo', APP, 'PUT', 'x-a', [['Access-Control-Request-Headers', 'x-b']]), expect: { status: 204, headers: { [ACAH]: 'x-a,x-b' } } },
  { id: 'headers-invalid', name: 'an invalid header name is never reflected (no 500)', config: 'exact', request: preflight('/echo', APP, 'PUT', 'x-ok, bad header, x"q'), expect: { handler: null, absent: [ACAH, ACMA] } },
  { id: 'headers-oversized', name: 'an oversized ACRH (10,000 commas) is refused quickly, no 500', config: 'exact', request: preflight('/echo', APP, 'PUT', ','.repeat(10_000) + 'x-a'), expect: { handler: null, absent: [ACAH, ACMA] }, rule: 'bounded ACRH parsing' },
  { id: 'headers-too-many', name: 'an ACRH with 500 names is refused', config: 'exact', request: preflight('/echo', APP, 'PUT', Array.from({ length: 500 }, (_, i) => `x-h${i}`).join(',')), expect: { handler: null, absent: [ACAH, ACMA] } },
  { id: 'headers-list-allowed', name: 'listed headers are granted as configured', config: 'lists', request: preflight('/echo', APP, 'POST', 'content-type,x-custom'), expect: { status: 204, headers: { [ACAH]: 'Content-Type,X-Custom' } } },
  { id: 'headers-list-refused', name: 'an unlisted header is not granted', config: 'lists', request: preflight('/echo', APP, 'POST', 'x-evil'), expect: { headers: { [ACAH]: 'Content-Type,X-Custom' }, absent: [ACMA] } },
  { id: 'headers-star', name: "allowedHeaders '*' without credentials answers *", config: 'headersStar', request: preflight('/echo', APP, 'PUT', 'x-custom'), expect: { status: 204, headers: { [ACAH]: '*' } } },
  { id: 'headers-star-authorization', name: "allowedHeaders '*' still covers Authorization (which * never does in browsers)", config: 'headersStar', request: preflight('/echo', APP, 'PUT', 'authorization,x-custom'), expect: { status: 204, headers: { [ACAH]: 'authorization,x-custom' } }, rule: '* never covers Authorization' },
  { id: 'headers-star-credentialed', name: "allowedHeaders '*' with credentials reflects names, never *", config: 'headersStarCredentialed', request: preflight('/echo', APP, 'PUT', 'x-custom'), expect: { status: 204, headers: { [ACAH]: 'x-custom', [ACAC]: 'true' } } },

  // ── Max-Age, status, continue, PNA ──────────────────────────────────────────
  { id: 'max-age-absent', name: 'no maxAge, no Access-Control-Max-Age', config: 'exact', request: preflight('/echo', APP, 'PUT'), expect: { status: 204, absent: [ACMA] } },
  { id: 'max-age-zero', name: 'maxAge 0 is sent as 0', config: 'maxAgeZero', request: preflight('/echo', APP, 'PUT'), expect: { status: 204, headers: { [ACMA]: '0' } } },
  { id: 'options-success-status', name: 'optionsSuccessStatus 200 answers 200 with an empty body', config: 'status200', request: preflight('/echo', APP, 'PUT'), expect: { status: 200, handler: null, headers: { [ACAO]: APP } } },
  { id: 'preflight-continue', name: 'preflightContinue passes the preflight, with its headers, to the app', config: 'preflightContinue', request: preflight('/options', APP, 'PUT', 'x-custom'), expect: { status: 200, handler: 'options', headers: { [ACAO]: APP, [ACAH]: 'x-custom' } } },
  { id: 'private-network', name: 'privateNetworkAccess grants Access-Control-Allow-Private-Network', config: 'privateNetwork', request: preflight('/echo', APP, 'GET', undefined, [['Access-Control-Request-Private-Network', 'true']]), expect: { status: 204, headers: { [ACAPN]: 'true' }, vary: ['access-control-request-private-network'] } },
  { id: 'private-network-off', name: 'without the opt-in, no Access-Control-Allow-Private-Network', config: 'exact', request: preflight('/echo', APP, 'GET', undefined, [['Access-Control-Request-Private-Network', 'true']]), expect: { status: 204, absent: [ACAPN] } },

  // ── Vary merging ─────────────────────────────────────────────────────────────
  { id: 'vary-after', name: 'a Vary set by the route after the CORS layer keeps Origin', config: 'exact', request: get('/vary-after', APP), expect: { status: 200, headers: { [ACAO]: APP }, vary: ['origin', 'accept-encoding'] } },
  { id: 'vary-before', name: 'a Vary set before the CORS layer is kept', config: 'exact', request: get('/vary-before', APP), expect: { status: 200, headers: { [ACAO]: APP }, vary: ['origin', 'accept-language'] } },
  { id: 'vary-after-refused', name: 'a refused origin on a route that sets Vary still varies on Origin', config: 'exact', request: get('/vary-after', EVIL), expect: { status: 200, absent: [ACAO], vary: ['origin', 'accept-encoding'] } },
  { id: 'vary-request-not-copied', name: "the request's own Vary header is never copied", config: 'exact', request: get('/echo', APP, [['Vary', 'Cookie, X-Evil']]), expect: { status: 200, vary: ['origin'], varyAbsent: ['cookie', 'x-evil'] } },

  // ── Errors keep CORS headers ─────────────────────────────────────────────────
  { id: 'error-404', name: 'a 404 of an unknown route carries CORS headers', config: 'exact', request: get('/does-not-exist', APP), expect: { status: 404, headers: { [ACAO]: APP }, vary: ['origin'] }, rule: 'CORS headers on every response' },
  { id: 'error-thrown', name: 'a thrown error (500) carries CORS headers', config: 'exact', request: get('/error', APP), expect: { status: 500, headers: { [ACAO]: APP }, vary: ['origin'] } },
  { id: 'error-http', name: "the framework's HTTP error (400) carries CORS headers", config: 'exact', request: get('/http-error', APP), expect: { status: 400, headers: { [ACAO]: APP }, vary: ['origin'] } },
  { id: 'error-status-500', name: 'a handler answering 500 carries CORS headers', config: 'exact', request: get('/status-500', APP), expect: { status: 500, handler: 'status-500', headers: { [ACAO]: APP } } },
  { id: 'error-credentialed', name: 'error responses carry ACAC too', config: 'credentialed', request: get('/error', APP), expect: { status: 500, headers: { [ACAO]: APP, [ACAC]: 'true' } } },
];
