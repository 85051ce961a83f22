/**
 * Every way a configuration can be refused. Each code is documented, with its fix, in
 * the core README ("Configuration errors"). New codes may be added in minor releases, when a
 * configuration that never worked or was insecure starts being refused (e.g.
 * `ORIGIN_REGEXP_NO_LABEL_BOUNDARY`, `ORIGIN_REGEXP_UPPER_CASE`, `EXPOSED_HEADER_FORBIDDEN`):
 * a `switch` over the codes should keep a default branch.
 */
export type CorsConfigErrorCode =
  | 'OPTIONS_NOT_OBJECT'
  | 'UNKNOWN_OPTION'
  | 'OPTION_TYPE'
  | 'ORIGIN_MISSING'
  | 'ORIGIN_EMPTY'
  | 'ORIGIN_INVALID'
  | 'ORIGIN_NULL'
  | 'ORIGIN_WILDCARD_WITH_CREDENTIALS'
  | 'ORIGIN_WILDCARD_IN_LIST'
  | 'ORIGIN_PATTERN_INVALID'
  | 'ORIGIN_PATTERN_PUBLIC_SUFFIX'
  | 'ORIGIN_REGEXP_UNANCHORED'
  | 'ORIGIN_REGEXP_FLAGS'
  | 'ORIGIN_REGEXP_TOO_BROAD'
  | 'ORIGIN_REGEXP_NO_LABEL_BOUNDARY'
  | 'ORIGIN_REGEXP_UPPER_CASE'
  | 'METHOD_INVALID'
  | 'METHOD_FORBIDDEN'
  | 'HEADER_INVALID'
  | 'EXPOSED_WILDCARD_WITH_CREDENTIALS'
  | 'EXPOSED_HEADER_FORBIDDEN'
  | 'MAX_AGE_INVALID'
  | 'OPTIONS_SUCCESS_STATUS_INVALID'
  | 'ORIGIN_TIMEOUT_INVALID'
  | 'ORIGIN_CACHE_INVALID'
  | 'ORIGIN_CACHE_WITHOUT_PREDICATE'
  | 'ORIGIN_CACHE_SHARED';

/**
 * Thrown when a CORS configuration is invalid or insecure. It is thrown once, when the
 * policy is built (`compileCors`, or an adapter's factory or registration), never per request.
 *
 * The message names the option, the offending value and the fix; `code`, `option` and
 * `value` carry the same facts for programs.
 *
 * @example
 * ```ts
 * try {
 *   compileCors({ origin: '*', credentials: true });
 * } catch (err) {
 *   if (err instanceof CorsConfigError) console.error(err.code, err.option); // ORIGIN_WILDCARD_WITH_CREDENTIALS origin
 * }
 * ```
 */
export class CorsConfigError extends TypeError {
  override readonly name = 'CorsConfigError';
  /** Machine-readable reason; see the README for each code and its fix. */
  readonly code: CorsConfigErrorCode;
  /** The option at fault, as a path: `origin`, `origin[2]`, `methods[0]`… */
  readonly option: string;
  /** The offending value, as given. */
  readonly value: unknown;

  constructor(code: CorsConfigErrorCode, option: string, value: unknown, problem: string, fix: string) {
    super(`@preflight/cors: invalid option \`${option}\` (${describe(value)}): ${problem}. Fix: ${fix}`);
    this.code = code;
    this.option = option;
    this.value = value;
  }
}

/**
 * The error an adapter hands to its framework's error handling when an origin predicate
 * throws, rejects or exceeds `originTimeout`. The original error is in `cause`.
 */
export class CorsOriginError extends Error {
  override readonly name = 'CorsOriginError';
  /** HTTP status frameworks use for this error (500: a server-side failure). */
  readonly status = 500;
  /** Same as `status`, for frameworks that read `statusCode` (Fastify, http-errors). */
  readonly statusCode = 500;
  /** Koa and http-errors: do not show this message to the client. */
  readonly expose = false;
  /** The request's Origin, as validated. */
  readonly origin: string;

  constructor(origin: string, message: string, cause?: unknown) {
    super(`@preflight/cors: the origin predicate ${message} for origin ${JSON.stringify(origin)}`, { cause });
    this.origin = origin;
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value instanceof RegExp) return String(value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return String(value);
}
