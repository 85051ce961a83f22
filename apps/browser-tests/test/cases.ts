import type { CorsOptions } from '@preflight/cors-core';
import { demoPolicy, type EchoBody, type EngineId } from '@preflight/demo';

/**
 * Where one engine does otherwise than the standard requires, or cannot run a case headless.
 * Every difference carries its reason; docs/browsers.md lists them all.
 */
export interface EngineDifference<E> {
  /** One sentence: what the engine does instead, and why. */
  readonly reason: string;
  /** The expectation in that engine, over the standard one (shallow: whole fields are replaced, `undefined` removes one). */
  readonly expect?: { readonly [K in keyof E]?: E[K] | undefined };
  /**
   * The feature is not available in that engine headless: the case still runs and must
   * observe exactly this `expect`, and it is counted as unavailable, not as passed.
   */
  readonly unavailable?: boolean;
}

/** The expectation for `engine`: the standard one, or the engine's own with its reason. */
export function expectationFor<E extends object>(
  c: { readonly expect: E; readonly engines?: Partial<Record<EngineId, EngineDifference<E>>> },
  engine: EngineId,
): { readonly expect: E; readonly difference?: EngineDifference<E> } {
  const difference = c.engines?.[engine];
  if (difference === undefined) return { expect: c.expect };
  const merged = { ...c.expect, ...difference.expect } as Record<string, unknown>;
  for (const key of Object.keys(merged)) if (merged[key] === undefined) delete merged[key];
  return { expect: merged as E, difference };
}

/** The three policies every adapter runs, each on its own API server. */
export type PolicyName = 'strict' | 'open' | 'starCredentials';

/** The policies, for the allowed page origin `app`. */
export function policies(app: string): Record<PolicyName, CorsOptions> {
  return {
    // The demo's policy: one origin, cookies, a header list, X-Request-Id exposed, max-age 600.
    strict: demoPolicy(app),
    // Any origin, no credentials: every header allowed and exposed, preflights not cached.
    open: { origin: '*', allowedHeaders: '*', exposedHeaders: '*', maxAge: 0 },
    // One origin with cookies, and '*' for methods and headers (answered with the names).
    starCredentials: { origin: [app], credentials: true, methods: '*', allowedHeaders: '*', exposedHeaders: ['X-Request-Id'], maxAge: 0 },
  };
}

/** One browser case: a fetch() from a page, and what must be observed. */
export interface BrowserCase {
  readonly id: string;
  readonly title: string;
  readonly policy: PolicyName;
  /** The page the fetch runs in: the allowed origin, a sibling origin, or a sandboxed iframe. Default `app`. */
  readonly from?: 'app' | 'other' | 'null';
  /** Default `/api/echo`. */
  readonly path?: string;
  /** Default `GET`. */
  readonly method?: string;
  readonly headers?: Record<string, string>;
  /** Default `omit`. */
  readonly credentials?: RequestCredentials;
  readonly body?: string;
  /** Send the same request this many times, one after the other (preflight cache). Default 1. */
  readonly repeat?: number;
  /** What the Fetch standard requires (every engine, unless `engines` says otherwise). */
  readonly expect: {
    /** Whether the page's fetch() promise resolved or rejected (every repetition). */
    readonly fetch: 'resolved' | 'rejected';
    /** The status the page reads; `'as-sent'`: whatever status the API's framework sent. */
    readonly status?: number | 'as-sent';
    /** `response.headers.get(name)` as the page sees it (null: not readable; a RegExp: matches). */
    readonly headers?: Readonly<Record<string, string | null | RegExp>>;
    /** Fields of the /api/echo JSON the page reads. */
    readonly echo?: Partial<EchoBody>;
    /** The exact body text the page reads. */
    readonly body?: string;
    /** Chromium's CORS error for the request (`Network.loadingFailed` → corsErrorStatus.corsError; asserted in Chromium only). */
    readonly corsError?: string;
    /** What the API received, in order, as `METHOD status` (`METHOD *`: any status). */
    readonly server: readonly string[];
    /** The refusal code Preflight reported (onRefusal) for the case, if any. */
    readonly refusal?: string;
    /** Whether the session cookie arrived with the request that is not a preflight. */
    readonly cookieSent?: boolean;
  };
  /** Where an engine does otherwise, with the reason. */
  readonly engines?: Partial<Record<EngineId, EngineDifference<BrowserCase['expect']>>>;
}

const JSON_TYPE = { 'Content-Type': 'application/json' };

/** The cases, run against every adapter. */
export const CASES: readonly BrowserCase[] = [
  // --- Origins --------------------------------------------------------------------------
  {
    id: 'get-allowed',
    title: 'simple GET from the allowed origin: readable, no preflight',
    policy: 'strict',
    expect: { fetch: 'resolved', status: 200, echo: { method: 'GET' }, server: ['GET 200'] },
  },
  {
    id: 'get-other-origin',
    title: 'simple GET from an origin not on the list: rejected (no ACAO)',
    policy: 'strict',
    from: 'other',
    expect: { fetch: 'rejected', corsError: 'MissingAllowOriginHeader', server: ['GET 200'], refusal: 'origin_not_allowed' },
  },
  {
    id: 'get-null-origin',
    title: 'GET from a sandboxed iframe (Origin: null): rejected',
    policy: 'strict',
    from: 'null',
    expect: { fetch: 'rejected', corsError: 'MissingAllowOriginHeader', server: ['GET 200'], refusal: 'origin_null' },
  },
  {
    id: 'post-other-origin',
    title: 'simple POST from a refused origin reaches the app, but the page cannot read the answer',
    policy: 'strict',
    from: 'other',
    method: 'POST',
    headers: { 'Content-Type': 'text/plain' },
    body: 'hello',
    expect: { fetch: 'rejected', corsError: 'MissingAllowOriginHeader', server: ['POST 200'], refusal: 'origin_not_allowed' },
  },
  {
    id: 'put-other-origin',
    title: 'PUT from a refused origin: the preflight fails, the PUT is never sent',
    policy: 'strict',
    from: 'other',
    method: 'PUT',
    headers: JSON_TYPE,
    body: '{}',
    expect: { fetch: 'rejected', corsError: 'PreflightMissingAllowOriginHeader', server: ['OPTIONS 204'], refusal: 'origin_not_allowed' },
  },
  {
    id: 'delete-null-origin',
    title: 'DELETE from a sandboxed iframe: the preflight fails, the DELETE is never sent',
    policy: 'strict',
    from: 'null',
    method: 'DELETE',
    expect: { fetch: 'rejected', corsError: 'PreflightMissingAllowOriginHeader', server: ['OPTIONS 204'], refusal: 'origin_null' },
  },
  // --- Methods --------------------------------------------------------------------------
  {
    id: 'head',
    title: 'HEAD: readable status, no preflight',
    policy: 'strict',
    method: 'HEAD',
    expect: { fetch: 'resolved', status: 200, body: '', server: ['HEAD 200'] },
  },
  {
    id: 'post-text-plain',
    title: 'POST text/plain: no preflight, readable',
    policy: 'strict',
    method: 'POST',
    headers: { 'Content-Type': 'text/plain' },
    body: 'hello',
    expect: { fetch: 'resolved', status: 200, echo: { method: 'POST' }, server: ['POST 200'] },
  },
  {
    id: 'post-json',
    title: 'POST application/json: preflighted, then readable',
    policy: 'strict',
    method: 'POST',
    headers: JSON_TYPE,
    body: '{"a":1}',
    expect: { fetch: 'resolved', status: 200, echo: { method: 'POST' }, server: ['OPTIONS 204', 'POST 200'] },
  },
  {
    id: 'put',
    title: 'PUT: preflighted, then readable',
    policy: 'strict',
    method: 'PUT',
    headers: JSON_TYPE,
    body: '{"a":1}',
    expect: { fetch: 'resolved', status: 200, echo: { method: 'PUT' }, server: ['OPTIONS 204', 'PUT 200'] },
  },
  {
    id: 'patch',
    title: 'PATCH: preflighted, then readable',
    policy: 'strict',
    method: 'PATCH',
    headers: JSON_TYPE,
    body: '{"a":1}',
    expect: { fetch: 'resolved', status: 200, echo: { method: 'PATCH' }, server: ['OPTIONS 204', 'PATCH 200'] },
  },
  {
    id: 'delete',
    title: 'DELETE: preflighted, then readable',
    policy: 'strict',
    method: 'DELETE',
    expect: { fetch: 'resolved', status: 200, echo: { method: 'DELETE' }, server: ['OPTIONS 204', 'DELETE 200'] },
  },
  {
    id: 'lowercase-patch',
    title: 'method "patch" (browsers do not upper-case it): refused by the preflight',
    policy: 'strict',
    method: 'patch',
    headers: JSON_TYPE,
    body: '{}',
    expect: { fetch: 'rejected', corsError: 'MethodDisallowedByPreflightResponse', server: ['OPTIONS 204'], refusal: 'method_not_allowed' },
  },
  {
    id: 'method-not-allowed',
    title: 'PROPFIND, not in methods: refused by the preflight',
    policy: 'strict',
    method: 'PROPFIND',
    expect: { fetch: 'rejected', corsError: 'MethodDisallowedByPreflightResponse', server: ['OPTIONS 204'], refusal: 'method_not_allowed' },
  },
  // --- Request headers ------------------------------------------------------------------
  {
    id: 'custom-header',
    title: 'allowed custom header X-Custom: preflighted, arrives',
    policy: 'strict',
    headers: { 'X-Custom': 'hello' },
    expect: { fetch: 'resolved', status: 200, echo: { custom: 'hello' }, server: ['OPTIONS 204', 'GET 200'] },
  },
  {
    id: 'custom-header-upper-case',
    title: 'X-CUSTOM in upper case: header names compare case-insensitively',
    policy: 'strict',
    headers: { 'X-CUSTOM': 'HI' },
    expect: { fetch: 'resolved', status: 200, echo: { custom: 'HI' }, server: ['OPTIONS 204', 'GET 200'] },
  },
  {
    id: 'header-not-allowed',
    title: 'header not in allowedHeaders: refused by the preflight',
    policy: 'strict',
    headers: { 'X-Forbidden': '1' },
    expect: { fetch: 'rejected', corsError: 'HeaderDisallowedByPreflightResponse', server: ['OPTIONS 204'], refusal: 'header_not_allowed' },
  },
  {
    id: 'one-header-not-allowed',
    title: 'one allowed and one refused header: the whole request is refused',
    policy: 'strict',
    method: 'PUT',
    headers: { 'X-Custom': 'a', 'X-Forbidden': 'b', ...JSON_TYPE },
    body: '{}',
    expect: { fetch: 'rejected', corsError: 'HeaderDisallowedByPreflightResponse', server: ['OPTIONS 204'], refusal: 'header_not_allowed' },
  },
  {
    id: 'authorization-listed',
    title: 'Authorization listed in allowedHeaders: arrives',
    policy: 'strict',
    headers: { Authorization: 'Bearer t0ken' },
    expect: { fetch: 'resolved', status: 200, echo: { authorization: true }, server: ['OPTIONS 204', 'GET 200'] },
  },
  // --- Credentials ----------------------------------------------------------------------
  {
    id: 'credentials-include',
    title: "credentials: 'include' sends the API's cookie and the response is readable",
    policy: 'strict',
    credentials: 'include',
    expect: { fetch: 'resolved', status: 200, echo: { cookie: true }, server: ['GET 200'], cookieSent: true },
  },
  {
    id: 'credentials-omit',
    title: "credentials: 'omit' sends no cookie",
    policy: 'strict',
    credentials: 'omit',
    expect: { fetch: 'resolved', status: 200, echo: { cookie: false }, server: ['GET 200'], cookieSent: false },
  },
  {
    id: 'credentials-same-origin',
    title: "credentials: 'same-origin' (the default) sends no cookie cross-origin",
    policy: 'strict',
    credentials: 'same-origin',
    expect: { fetch: 'resolved', status: 200, echo: { cookie: false }, server: ['GET 200'], cookieSent: false },
  },
  {
    id: 'credentials-preflighted',
    title: 'credentialed PUT: the preflight carries no cookie, the PUT does',
    policy: 'strict',
    method: 'PUT',
    headers: JSON_TYPE,
    body: '{}',
    credentials: 'include',
    expect: { fetch: 'resolved', status: 200, echo: { cookie: true, method: 'PUT' }, server: ['OPTIONS 204', 'PUT 200'], cookieSent: true },
  },
  {
    id: 'credentials-other-origin',
    title: 'credentialed GET from a refused sibling origin: the cookie goes out, the answer stays unreadable',
    policy: 'strict',
    from: 'other',
    credentials: 'include',
    expect: { fetch: 'rejected', corsError: 'MissingAllowOriginHeader', server: ['GET 200'], refusal: 'origin_not_allowed', cookieSent: true },
  },
  // --- Response headers -----------------------------------------------------------------
  {
    id: 'exposed-headers',
    title: 'exposed X-Request-Id is readable, unexposed X-Secret is null',
    policy: 'strict',
    expect: { fetch: 'resolved', status: 200, headers: { 'x-request-id': '42', 'x-secret': null }, server: ['GET 200'] },
  },
  {
    id: 'exposed-headers-credentialed',
    title: 'the same on a credentialed, preflighted PUT',
    policy: 'strict',
    method: 'PUT',
    headers: JSON_TYPE,
    body: '{}',
    credentials: 'include',
    expect: { fetch: 'resolved', status: 200, headers: { 'x-request-id': '42', 'x-secret': null }, server: ['OPTIONS 204', 'PUT 200'] },
  },
  {
    id: 'safelisted-response-header',
    title: 'CORS-safelisted response header Content-Type is readable without exposing it',
    policy: 'strict',
    expect: { fetch: 'resolved', status: 200, headers: { 'content-type': /^application\/json\b/ }, server: ['GET 200'] },
  },
  // --- Error statuses -------------------------------------------------------------------
  {
    id: 'thrown-error',
    title: "handler throws: the framework's 500 is readable",
    policy: 'strict',
    path: '/api/error',
    expect: { fetch: 'resolved', status: 500, server: ['GET 500'] },
  },
  {
    id: 'thrown-error-credentialed',
    title: 'handler throws, credentialed request: 500 readable',
    policy: 'strict',
    path: '/api/error',
    credentials: 'include',
    expect: { fetch: 'resolved', status: 500, server: ['GET 500'] },
  },
  {
    id: 'status-500',
    title: 'handler answers 500: status and body readable',
    policy: 'strict',
    path: '/api/status-500',
    expect: { fetch: 'resolved', status: 500, body: 'failed', server: ['GET 500'] },
  },
  {
    id: 'http-error',
    title: "the framework's idiomatic 400 is readable",
    policy: 'strict',
    path: '/api/http-error',
    expect: { fetch: 'resolved', status: 400, server: ['GET 400'] },
  },
  {
    id: 'not-found',
    title: "unknown route: the framework's 404 is readable",
    policy: 'strict',
    path: '/api/missing',
    expect: { fetch: 'resolved', status: 404, server: ['GET 404'] },
  },
  {
    id: 'not-found-preflighted',
    title: 'credentialed DELETE on an unknown route: the preflight is answered, the 404 is readable',
    policy: 'strict',
    path: '/api/missing',
    method: 'DELETE',
    credentials: 'include',
    expect: { fetch: 'resolved', status: 404, server: ['OPTIONS 204', 'DELETE 404'] },
  },
  {
    id: 'malformed-json',
    title: "malformed JSON body: the framework's own answer (a body-parser 400 or the handler's 200) is readable",
    policy: 'strict',
    method: 'POST',
    headers: JSON_TYPE,
    body: '{"unterminated',
    credentials: 'include',
    expect: { fetch: 'resolved', status: 'as-sent', server: ['OPTIONS 204', 'POST *'] },
  },
  {
    id: 'error-other-origin',
    title: 'a refused origin cannot read error responses either',
    policy: 'strict',
    from: 'other',
    path: '/api/error',
    expect: { fetch: 'rejected', corsError: 'MissingAllowOriginHeader', server: ['GET 500'], refusal: 'origin_not_allowed' },
  },
  // --- Preflight cache ------------------------------------------------------------------
  {
    id: 'max-age-600',
    title: 'Access-Control-Max-Age 600: two PUTs, one preflight',
    policy: 'strict',
    method: 'PUT',
    headers: JSON_TYPE,
    body: '{}',
    repeat: 2,
    expect: { fetch: 'resolved', status: 200, server: ['OPTIONS 204', 'PUT 200', 'PUT 200'] },
  },
  {
    id: 'max-age-600-headers',
    title: 'Max-Age 600 with a custom header: three GETs, one preflight',
    policy: 'strict',
    headers: { 'X-Custom': 'x' },
    repeat: 3,
    expect: { fetch: 'resolved', status: 200, server: ['OPTIONS 204', 'GET 200', 'GET 200', 'GET 200'] },
  },
  {
    id: 'max-age-0',
    title: 'Access-Control-Max-Age 0: a preflight before every PUT',
    policy: 'open',
    method: 'PUT',
    headers: JSON_TYPE,
    body: '{}',
    repeat: 2,
    expect: { fetch: 'resolved', status: 200, server: ['OPTIONS 204', 'PUT 200', 'OPTIONS 204', 'PUT 200'] },
  },
  {
    id: 'max-age-0-credentialed',
    title: 'Max-Age 0, credentialed: a preflight before every DELETE',
    policy: 'starCredentials',
    method: 'DELETE',
    credentials: 'include',
    repeat: 2,
    expect: { fetch: 'resolved', status: 200, server: ['OPTIONS 204', 'DELETE 200', 'OPTIONS 204', 'DELETE 200'] },
  },
  // --- origin: '*' ----------------------------------------------------------------------
  {
    id: 'wildcard-any-origin',
    title: "origin '*': any origin reads the response",
    policy: 'open',
    from: 'other',
    expect: { fetch: 'resolved', status: 200, server: ['GET 200'] },
  },
  {
    id: 'wildcard-null-origin',
    title: "origin '*': a sandboxed iframe reads it too",
    policy: 'open',
    from: 'null',
    expect: { fetch: 'resolved', status: 200, server: ['GET 200'] },
  },
  {
    id: 'wildcard-authorization',
    title: "allowedHeaders '*' covers Authorization (and any other header)",
    policy: 'open',
    from: 'other',
    headers: { Authorization: 'Bearer t0ken', 'X-Anything': '1' },
    expect: { fetch: 'resolved', status: 200, echo: { authorization: true }, server: ['OPTIONS 204', 'GET 200'] },
  },
  {
    id: 'wildcard-expose-all',
    title: "exposedHeaders '*': X-Secret is readable too",
    policy: 'open',
    expect: { fetch: 'resolved', status: 200, headers: { 'x-request-id': '42', 'x-secret': 's' }, server: ['GET 200'] },
  },
  {
    id: 'wildcard-preflighted-put',
    title: "origin '*': a preflighted PUT from any origin",
    policy: 'open',
    from: 'other',
    method: 'PUT',
    headers: JSON_TYPE,
    body: '{}',
    expect: { fetch: 'resolved', status: 200, echo: { method: 'PUT' }, server: ['OPTIONS 204', 'PUT 200'] },
  },
  {
    id: 'wildcard-credentials',
    title: "origin '*' and credentials: 'include': the browser refuses '*' for credentialed requests",
    policy: 'open',
    credentials: 'include',
    expect: { fetch: 'rejected', corsError: 'WildcardOriginNotAllowed', server: ['GET 200'] },
  },
  // --- '*' with credentials -------------------------------------------------------------
  {
    id: 'star-credentials-authorization',
    title: "allowedHeaders '*' with credentials: Authorization and the cookie arrive",
    policy: 'starCredentials',
    headers: { Authorization: 'Bearer t0ken' },
    credentials: 'include',
    expect: { fetch: 'resolved', status: 200, echo: { authorization: true, cookie: true }, server: ['OPTIONS 204', 'GET 200'] },
  },
  {
    id: 'star-credentials-any-header',
    title: "allowedHeaders '*' with credentials: any header name arrives",
    policy: 'starCredentials',
    method: 'PATCH',
    headers: { 'X-Custom': 'star', 'X-Other-Thing': '1', ...JSON_TYPE },
    body: '{}',
    credentials: 'include',
    expect: { fetch: 'resolved', status: 200, echo: { custom: 'star', cookie: true }, server: ['OPTIONS 204', 'PATCH 200'] },
  },
  {
    id: 'star-credentials-any-method',
    title: "methods '*' with credentials: PROPFIND passes the preflight (and gets the app's 404)",
    policy: 'starCredentials',
    method: 'PROPFIND',
    credentials: 'include',
    expect: { fetch: 'resolved', status: 404, server: ['OPTIONS 204', 'PROPFIND 404'] },
  },
  {
    id: 'star-credentials-other-origin',
    title: "'*' for headers and methods does not widen the origin list",
    policy: 'starCredentials',
    from: 'other',
    method: 'PUT',
    credentials: 'include',
    expect: { fetch: 'rejected', corsError: 'PreflightMissingAllowOriginHeader', server: ['OPTIONS 204'], refusal: 'origin_not_allowed' },
  },
];
