import type { CorsDecision } from './types.js';
import { mergeVary } from './vary.js';

/**
 * How to read and write one response's headers. Adapters pass a module-level constant
 * (no closure per request).
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
  const headers = decision.headers;
  for (let i = 0; i < headers.length; i++) {
    const h = headers[i]!;
    access.set(target, h[0], h[1]);
  }
  mergeVaryInto(target, decision.vary, access);
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
