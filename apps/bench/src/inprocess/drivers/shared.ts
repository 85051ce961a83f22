/**
 * What every in-process driver shares: the Driver interface, the options each library is
 * given for a case, the floor's precomputed answer, and the correctness check run before
 * timing.
 */
import type corsIncumbent from 'cors';
import { compileCors, requestFromHeaders, type CorsDecision, type CorsOptions } from '@preflight/cors-core';
import { asyncAllow, COMMON, originList, patternList, regexpList, type Case, type RequestSpec } from '../../config.js';

/** The stand-in application's body (`{"ok":true}`, what every route of the benchmark answers). */
export const BODY = '{"ok":true}';
/** The methods as one string: `cors` and `@fastify/cors` join arrays on every preflight. */
export const METHODS = COMMON.methods.join(',');

/** What a driver leaves on the response, for the correctness check. */
export interface Outcome {
  readonly status: number;
  /** True when the application ran. */
  readonly appRan: boolean;
  /** Response headers, names in lower case. */
  readonly headers: Readonly<Record<string, unknown>>;
}

/** One side of one framework, ready to handle prepared requests. */
export interface Driver {
  /** Build everything one request needs (not timed). */
  prepare(spec: RequestSpec): unknown;
  /** Handle one prepared request. A Promise when the layer completes asynchronously. */
  handle(unit: unknown): void | Promise<void>;
  /** The response, once handled. */
  outcome(unit: unknown): Outcome;
}

/**
 * The sides of a framework: the incumbent, ours, the core alone (node only), the floor (the
 * answer written by hand) and the baseline (a layer that does nothing).
 */
export type Side = 'incumbent' | 'ours' | 'core' | 'floor' | 'baseline';

/** Preflight's options for a case. */
export function oursOptions(c: Case): CorsOptions {
  const o = c.origins;
  const origin =
    o.kind === 'list' ? originList(o.size)
    : o.kind === 'patterns' ? patternList(o.size)
    : o.kind === 'regexps' ? regexpList(o.size)
    : asyncPredicate(o.size);
  return { origin, credentials: COMMON.credentials, methods: [...COMMON.methods], maxAge: COMMON.maxAge };
}

function asyncPredicate(size: number): (origin: string) => Promise<boolean> {
  const allow = asyncAllow(size);
  return (origin) => allow(origin);
}

/** What a `cors` (and `@fastify/cors`) user writes for a non-async case: the list as is, RegExps for patterns. */
export function incumbentOrigin(c: Case): string[] | RegExp[] {
  const o = c.origins;
  return o.kind === 'list' ? originList(o.size) : regexpList(o.size);
}

/** The `cors` package's options for a case (node, and NestJS's `enableCors()` on Express). */
export function corsOptions(c: Case): corsIncumbent.CorsOptions {
  let origin: corsIncumbent.CorsOptions['origin'];
  if (c.origins.kind === 'async') {
    const allow = asyncAllow(c.origins.size);
    origin = (requestOrigin, callback) => {
      allow(requestOrigin).then((ok) => callback(null, ok), (error: Error) => callback(error));
    };
  } else origin = incumbentOrigin(c);
  // Strings rather than arrays: `cors` joins arrays on every preflight.
  return { origin, credentials: COMMON.credentials, methods: METHODS, maxAge: COMMON.maxAge };
}

/** `@fastify/cors`'s options for a case (Fastify, and NestJS's `enableCors()` on Fastify). */
export function fastifyCorsOptions(c: Case): Record<string, unknown> {
  const origin = c.origins.kind === 'async' ? asyncAllow(c.origins.size) : incumbentOrigin(c);
  return { origin, credentials: COMMON.credentials, methods: METHODS, maxAge: COMMON.maxAge };
}

// ---------------------------------------------------------------------------------------
// floor: the least any correct CORS layer can cost here. It knows the answer in advance (the
// core's decision for the case's one request, computed at setup) and per request only writes
// those headers, the way the cheapest hand-written layer would: set each header, append the
// Vary tokens to what is there, end a preflight. No decision, no validation, no care for a
// route that replaces Vary. Defined for cases with one synchronous request.

/** Whether the floor layer is defined for a case. */
export function hasFloor(c: Case): boolean {
  return c.origins.kind !== 'async' && c.requests.length === 1;
}

/** The answer the floor layer writes, or undefined when the case has no single fixed answer. */
export function floorAnswer(c: Case): CorsDecision | undefined {
  if (!hasFloor(c)) return undefined;
  const spec = c.requests[0]!;
  const decision = compileCors(oursOptions(c)).decide(requestFromHeaders(spec.method, spec.headers));
  return decision instanceof Promise ? undefined : decision;
}

/** `current` with the Vary tokens appended. */
export function appendVary(current: unknown, tokens: string): string {
  return current === undefined ? tokens : `${String(current)}, ${tokens}`;
}

/** The floor's whole work on a node:http-style response: set each header, append the Vary tokens. */
export function writeAnswer(res: { getHeader(name: string): unknown; setHeader(name: string, value: string): unknown }, answer: CorsDecision): void {
  const { headers, vary } = answer;
  for (let i = 0; i < headers.length; i++) res.setHeader(headers[i]![0], headers[i]![1]);
  if (vary !== '') res.setHeader('vary', appendVary(res.getHeader('vary'), vary));
}

/** Whether the outcome is what a correct CORS layer does; a reason when it is not. */
export function checkOutcome(c: Case, spec: RequestSpec, outcome: Outcome): string | undefined {
  const acao = outcome.headers['access-control-allow-origin'];
  const origin = spec.headers.origin;
  switch (c.expect) {
    case 'allowed':
      if (acao !== origin) return `expected Access-Control-Allow-Origin: ${origin}, got ${String(acao)}`;
      if (!outcome.appRan) return 'the application did not run';
      return undefined;
    case 'refused':
    case 'not-cors':
      if (acao !== undefined) return `expected no Access-Control-Allow-Origin, got ${String(acao)}`;
      if (!outcome.appRan) return 'the application did not run';
      return undefined;
    case 'preflight-allowed':
      if (acao !== origin) return `expected Access-Control-Allow-Origin: ${origin}, got ${String(acao)}`;
      if (outcome.appRan) return 'the preflight reached the application';
      if (outcome.status < 200 || outcome.status > 299) return `preflight status ${outcome.status}`;
      if (outcome.headers['access-control-allow-methods'] === undefined) return 'no Access-Control-Allow-Methods';
      return undefined;
  }
}
