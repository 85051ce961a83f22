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
  if (decision.vary !== '') {
    const merged = mergeVary(access.get(target, 'Vary'), decision.vary);
    if (merged !== undefined) access.set(target, 'Vary', merged);
  }
}
