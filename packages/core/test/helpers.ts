import { expect } from 'vitest';
import type { CorsDecision, CorsPolicy, CorsRequest } from '@preflight/cors-core';

/** Call a policy whose origin option is not a predicate: the decision must be synchronous. */
export function decideSync(policy: CorsPolicy, request: CorsRequest): CorsDecision {
  const decision = policy.decide(request);
  expect(decision).not.toBeInstanceOf(Promise);
  return decision as CorsDecision;
}

/** The value of one header in a decision (undefined when absent); fails if it appears twice. */
export function header(decision: CorsDecision, name: string): string | undefined {
  const found = decision.headers.filter(([n]) => n.toLowerCase() === name.toLowerCase());
  expect(found.length, `${name} set more than once`).toBeLessThanOrEqual(1);
  return found[0]?.[1];
}

/** The Vary tokens of a decision, as a list. */
export function varyTokens(decision: CorsDecision): string[] {
  return decision.vary === '' ? [] : decision.vary.split(',').map((t) => t.trim());
}

export const get = (origin: CorsRequest['origin']): CorsRequest => ({ method: 'GET', origin });

export const preflight = (origin: CorsRequest['origin'], method: string, headers?: string, extra: Partial<CorsRequest> = {}): CorsRequest =>
  headers === undefined
    ? { method: 'OPTIONS', origin, accessControlRequestMethod: method, ...extra }
    : { method: 'OPTIONS', origin, accessControlRequestMethod: method, accessControlRequestHeaders: headers, ...extra };
