import type { CorsDecision } from './types.js';
import { mergeVary } from './vary.js';

/**
 * How to read and write one response's headers. Adapters pass a module-level constant
 * (no closure per request).
 *
 * `get` finds a header whatever the case of its name; `set` **replaces** the value. Never
 * route `set` through a framework method that appends (hapi's `response.header('vary', …)`
 * appends, de-duplicating only exact strings): `mergeVaryInto` passes the whole merged list,
 * so an appending `set` would repeat the tokens already there. For headers kept in a plain
 * object (hapi's `response.headers`, Boom's `output.headers`) use `recordHeaders`.
 */
export interface HeaderAccess<Target> {
  get(target: Target, name: string): string | number | readonly string[] | undefined;
  set(target: Target, name: string, value: string): void;
}

/**
 * Apply a decision's headers and Vary tokens to a response: each header is *set*
 * (replacing, never appending, so a response never carries two ACAO values), and Vary is
 * merged into whatever the response already has.
 *
 * @example
 * ```ts
 * const nodeHeaders: HeaderAccess<ServerResponse> = {
 *   get: (res, name) => res.getHeader(name),
 *   set: (res, name, value) => res.setHeader(name, value),
 * };
 * applyDecision(decision, res, nodeHeaders);
 * ```
 */
export function applyDecision<Target>(decision: CorsDecision, target: Target, access: HeaderAccess<Target>): void {
  setHeaders(decision, target, access);
  mergeVaryInto(target, decision.vary, access);
}

/**
 * Write a decision onto headers that cannot hold a `Vary` yet — a response the adapter has
 * just built itself (fetch's answered preflight): each header and the Vary tokens are *set*,
 * and nothing is read first. Where anything else may have written to the response before
 * (a route, a middleware, `c.header()`), use `applyDecision`, which merges Vary.
 *
 * @example
 * ```ts
 * const response = new Response(null, { status: decision.status });
 * writeDecision(decision, response.headers, fetchHeaders);
 * ```
 */
export function writeDecision<Target>(decision: CorsDecision, target: Target, access: HeaderAccess<Target>): void {
  setHeaders(decision, target, access);
  const vary = mergeVary(undefined, decision.vary);
  if (vary !== undefined) access.set(target, 'vary', vary);
}

/** Set each of the decision's headers, replacing any value there. */
function setHeaders<Target>(decision: CorsDecision, target: Target, access: HeaderAccess<Target>): void {
  const headers = decision.headers;
  for (let i = 0; i < headers.length; i++) {
    const h = headers[i]!;
    access.set(target, h[0], h[1]);
  }
}

/**
 * Merge Vary `tokens` into the response's own `Vary` (no duplicates, `*` absorbs); a no-op
 * for `''` or when nothing changes.
 *
 * @example
 * ```ts
 * mergeVaryInto(res, policy.pendingVary, responseHeaders); // before awaiting an async predicate
 * ```
 */
export function mergeVaryInto<Target>(target: Target, tokens: string, access: HeaderAccess<Target>): void {
  if (tokens === '') return;
  const current = access.get(target, 'vary');
  const merged = mergeVary(current, tokens);
  if (merged !== undefined && merged !== current) access.set(target, 'vary', merged);
}

/** A response with Node's header methods (`ServerResponse`, and anything shaped like it). */
export interface NodeLikeResponse {
  getHeader(name: string): string | number | readonly string[] | undefined;
  setHeader(name: string, value: string): unknown;
}

/**
 * `HeaderAccess` for any response with `getHeader`/`setHeader` — node:http's
 * `ServerResponse` and the frameworks built on it.
 */
export const responseHeaders: HeaderAccess<NodeLikeResponse> = Object.freeze({
  get: (res: NodeLikeResponse, name: string) => res.getHeader(name),
  set: (res: NodeLikeResponse, name: string, value: string) => {
    res.setHeader(name, value);
  },
});

/** Response headers kept in a plain object, keyed by header name in any case. */
export type HeaderRecord = Record<string, unknown>;

/** The key of `record` naming `name` (case-insensitive), or undefined. `name` is lower case. Internal: not exported by the package. */
export function keyOf(record: HeaderRecord, name: string): string | undefined {
  if (Object.hasOwn(record, name)) return name;
  // for…in, not Object.keys: no array built per lookup (a header not there yet is the usual case).
  for (const key in record) {
    if (key.length === name.length && Object.hasOwn(record, key) && key.toLowerCase() === name) return key;
  }
  return undefined;
}

/**
 * `HeaderAccess` for headers kept in a plain object (hapi's `response.headers`, Boom's
 * `error.output.headers`, a `writeHead` fields object): names are matched
 * case-insensitively (`WWW-Authenticate` and `www-authenticate` are one header), `set`
 * replaces the value under the key already there, or adds a lower-case key. Values that are
 * not a string, number or string array read as absent.
 *
 * @example
 * ```ts
 * const headers: Record<string, unknown> = { Vary: 'Accept-Encoding' };
 * applyDecision(decision, headers, recordHeaders); // headers.Vary → 'Accept-Encoding, Origin'
 * ```
 */
export const recordHeaders: HeaderAccess<HeaderRecord> = Object.freeze({
  get: (record: HeaderRecord, name: string) => {
    const key = keyOf(record, name.toLowerCase());
    if (key === undefined) return undefined;
    const value = record[key];
    return typeof value === 'string' || typeof value === 'number' || Array.isArray(value) ? (value as string | number | readonly string[]) : undefined;
  },
  set: (record: HeaderRecord, name: string, value: string) => {
    const lower = name.toLowerCase();
    record[keyOf(record, lower) ?? lower] = value;
  },
});
