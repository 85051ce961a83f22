/**
 * @preflight/cors-core — the framework-free heart of Preflight.
 *
 * Validate options once with `compileCors`, then per request call `policy.decide(view)`
 * and apply what it returns: headers to set, Vary tokens to merge, and whether to end
 * the response (an answered preflight) or continue to the application.
 *
 * @packageDocumentation
 */
export { compileCors, DECISION_CACHE_SIZE } from './policy.js';
export type { CorsPolicy, DecisionCallback, ResolvedCorsOptions } from './policy.js';
export { routePolicyCompiler } from './route-policy.js';
export type { RoutePolicy, RoutePolicySyntax } from './route-policy.js';
export { CorsConfigError, CorsOriginError } from './errors.js';
export { createOriginCache } from './origin-cache.js';
export type { OriginCache, OriginCacheOptions, ResolvedOriginCacheOptions } from './origin-cache.js';
export type { CorsConfigErrorCode } from './errors.js';
export { mergeVary } from './vary.js';
export { parseRequestHeaders, MAX_ACRH_ELEMENTS, MAX_ACRH_LENGTH } from './acrh.js';
export { parseOrigin, MAX_ORIGIN_LENGTH } from './origin-syntax.js';
export type { ParsedOrigin } from './origin-syntax.js';
export { isToken } from './tokens.js';
export { applyDecision, mergeVaryInto, recordHeaders, responseHeaders, writeDecision } from './apply.js';
export type { HeaderAccess, HeaderRecord, NodeLikeResponse } from './apply.js';
export { applyToResponse, carryDecision, keepVary } from './node-response.js';
export type { WriteHeadResponse } from './node-response.js';
export { requestFromHeaders } from './view.js';
export type { LowerCaseHeaders } from './view.js';
export type {
  CorsDecision,
  CorsOptions,
  CorsRefusal,
  CorsRequest,
  HeaderEntry,
  HeaderValue,
  OriginOption,
  OriginPredicate,
} from './types.js';
