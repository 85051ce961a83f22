import type { OriginCache } from './origin-cache.js';

/**
 * A header value as frameworks deliver it: a string (Node joins repeated lines with ", "),
 * an array of lines, or nothing.
 */
export type HeaderValue = string | readonly string[] | undefined;

/**
 * The minimal view of a request that the core needs. Adapters fill it from their
 * framework's request object; nothing else about the request is read.
 */
export interface CorsRequest {
  /**
   * The request method, e.g. `GET`, `OPTIONS`. Compared case-insensitively, so a framework's
   * lower-cased method (hapi's `request.method`, `options`) can be passed as is. (Node's HTTP
   * parser refuses lower-case methods on the wire, so nothing else is lost.)
   */
  readonly method: string;
  /** The `Origin` header. */
  readonly origin: HeaderValue;
  /** The `Access-Control-Request-Method` header. */
  readonly accessControlRequestMethod?: HeaderValue;
  /** The `Access-Control-Request-Headers` header. */
  readonly accessControlRequestHeaders?: HeaderValue;
  /** The `Access-Control-Request-Private-Network` header (legacy Private Network Access). */
  readonly accessControlRequestPrivateNetwork?: HeaderValue;
}

/**
 * Decides whether an origin is allowed. Called only with a syntactically valid serialized
 * origin (never `null`, never a malformed value), together with the request view.
 * Only `true` (or a Promise resolving to `true`) allows; any other answer refuses. Its answer
 * is never cached (it is asked on every request) unless the `originCache` option is set.
 * May be async; a throw or rejection becomes a `CorsOriginError` for the framework's
 * error handling.
 */
export type OriginPredicate = (origin: string, request: CorsRequest) => boolean | Promise<boolean>;

/** Everything the `origin` option accepts. */
export type OriginOption = string | RegExp | ReadonlyArray<string | RegExp> | OriginPredicate;

/**
 * Options shared by every Preflight adapter. Names follow the `cors` package.
 */
export interface CorsOptions {
  /**
   * Which origins may read responses. **Required**: there is no default.
   * - `'https://app.example.com'`: one exact origin (as browsers send it: lower case, no
   *   trailing slash, no default port).
   * - `'https://*.example.com'`: any subdomain, at any depth, never the apex.
   *   `'http://localhost:*'`: any port.
   * - `/^https:\/\/(?:www\.)?example\.com$/`: a RegExp, anchored at both ends, no `g`/`y`/`m`,
   *   with a label boundary before each literal domain (`(?:[a-z0-9-]+\.)*example\.com`, never
   *   `.*example\.com`, which allows `evilexample.com`) and literal letters in lower case (or `i`).
   * - an array of the above;
   * - `(origin, request) => boolean | Promise<boolean>`: your own decision;
   * - `'*'`: every origin (not allowed with `credentials`).
   */
  origin: OriginOption;
  /** Send `Access-Control-Allow-Credentials: true` (cookies, HTTP auth). Default `false`. */
  credentials?: boolean | undefined;
  /**
   * Methods allowed in preflights. Default `GET, HEAD, PUT, PATCH, POST, DELETE`.
   * A list, a comma-separated string, or `'*'` (any method; reflected when credentials are on).
   */
  methods?: string | readonly string[] | undefined;
  /**
   * Request headers allowed in preflights: a list, a comma-separated string, or `'*'`.
   * When omitted, the headers the browser asks for are reflected after each one is
   * validated as an HTTP token. `'*'` is answered so that it also covers `Authorization`
   * and credentialed requests (the validated names are reflected where `*` would not work).
   */
  allowedHeaders?: string | readonly string[] | undefined;
  /**
   * Response headers the page may read: a list, a comma-separated string, or `'*'` (not with
   * credentials). `Set-Cookie` and `Set-Cookie2` are refused: browsers never expose them.
   */
  exposedHeaders?: string | readonly string[] | undefined;
  /**
   * `Access-Control-Max-Age` in seconds, an integer 0–86400 (Chromium caps at 7200).
   * Omitted: no header, browsers cache preflights for 5 s. `0`: no caching.
   */
  maxAge?: number | undefined;
  /** Pass answered preflights on to the application instead of ending them. Default `false`. */
  preflightContinue?: boolean | undefined;
  /** Status of answered preflights, 200–299. Default `204`. */
  optionsSuccessStatus?: number | undefined;
  /**
   * Legacy opt-in: answer Chrome's Private Network Access preflights
   * (`Access-Control-Request-Private-Network: true`) with
   * `Access-Control-Allow-Private-Network: true`. Chrome replaced PNA with Local Network
   * Access (a permission prompt, no header) in Chrome 141/142. Default `false`.
   */
  privateNetworkAccess?: boolean | undefined;
  /**
   * Milliseconds an async origin predicate may take before the request fails with a
   * `CorsOriginError` (status 500). Default: no limit. Set it when the predicate may hang
   * (a database or network call).
   */
  originTimeout?: number | undefined;
  /**
   * Cache the `origin` predicate's answers: an `OriginCache` from `createOriginCache()`
   * (keep the handle to invalidate origins). A warm hit is synchronous; concurrent lookups
   * for one origin share one predicate call; failures are not cached. Only with a predicate.
   */
  originCache?: OriginCache | undefined;
  /**
   * Called, synchronously, whenever a cross-origin request is refused, with the reason.
   * For logging and debugging; costs nothing when omitted.
   */
  onRefusal?: ((refusal: CorsRefusal, request: CorsRequest) => void) | undefined;
}

/** Why a request was refused. */
export type CorsRefusal =
  | { readonly code: 'origin_not_allowed'; readonly message: string }
  | { readonly code: 'origin_malformed'; readonly message: string }
  | { readonly code: 'origin_null'; readonly message: string }
  | { readonly code: 'origin_lookup_failed'; readonly message: string }
  | { readonly code: 'method_not_allowed'; readonly message: string; readonly method: string }
  | { readonly code: 'method_invalid'; readonly message: string }
  | { readonly code: 'header_not_allowed'; readonly message: string; readonly header: string }
  | { readonly code: 'headers_invalid'; readonly message: string };

/** A response header to set (replacing any value already there). */
export type HeaderEntry = readonly [name: string, value: string];

/**
 * What to do with one request. Decisions are frozen and may be shared between requests.
 */
export interface CorsDecision {
  /**
   * - `preflight`: a CORS preflight (OPTIONS + Origin + Access-Control-Request-Method).
   * - `actual`: any other request with an Origin header.
   * - `none`: no Origin header; not a CORS request.
   */
  readonly kind: 'preflight' | 'actual' | 'none';
  /** Whether the origin (and, for preflights, the method and headers) is allowed. */
  readonly allowed: boolean;
  /**
   * Headers to set on the response, replacing existing values. Names are lower case
   * (`access-control-allow-origin`): header names are case-insensitive, and a lower-case
   * name costs Node's and Fastify's `toLowerCase` nothing per request.
   */
  readonly headers: readonly HeaderEntry[];
  /** Tokens to merge into the response's `Vary` (comma-separated; '' for none). Use `mergeVary`. */
  readonly vary: string;
  /** When true, send `status` now with an empty body; the application must not run. */
  readonly end: boolean;
  /** The status to send when `end` is true (the `optionsSuccessStatus`); 0 otherwise. */
  readonly status: number;
  /** Why the request was refused, when `allowed` is false and the request was cross-origin. */
  readonly refusal: CorsRefusal | undefined;
}
