import type { CorsRequest, HeaderValue } from './types.js';

/**
 * Request headers keyed by lower-case name, the shape Node (`IncomingMessage.headers`),
 * Fastify (`request.headers`), Koa (`ctx.req.headers`) and most Node frameworks expose.
 */
export type LowerCaseHeaders = Readonly<Record<string, HeaderValue>>;

/**
 * Build the core's request view from a method and lower-case-keyed request headers: the
 * four headers CORS reads, nothing else, nothing copied.
 *
 * @example
 * ```ts
 * const decision = policy.decide(requestFromHeaders(req.method, req.headers));
 * ```
 */
export function requestFromHeaders(method: string | undefined, headers: LowerCaseHeaders): CorsRequest {
  return {
    method: method ?? '',
    origin: headers.origin,
    accessControlRequestMethod: headers['access-control-request-method'],
    accessControlRequestHeaders: headers['access-control-request-headers'],
    accessControlRequestPrivateNetwork: headers['access-control-request-private-network'],
  };
}
