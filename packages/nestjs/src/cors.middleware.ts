import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable, Logger, type NestMiddleware } from '@nestjs/common';
import { applyDecision, applyToResponse, mergeVaryInto, requestFromHeaders, responseHeaders, type CorsDecision, type CorsPolicy } from '@preflight/cors-core';
import { CORS_POLICY } from './cors.constants.js';

export type Next = (error?: unknown) => void;

/**
 * The CORS layer `CorsModule` mounts on every route. On Express it receives Express's
 * request and response, on Fastify the Node ones (through @fastify/middie); it only uses
 * what both have. Not meant to be applied by hand: import `CorsModule` instead.
 */
@Injectable()
export class CorsMiddleware implements NestMiddleware<IncomingMessage, ServerResponse> {
  private static readonly logger = new Logger('CorsModule');
  private conflictReported = false;

  constructor(@Inject(CORS_POLICY) private readonly policy: CorsPolicy) {}

  use(req: IncomingMessage, res: ServerResponse, next: Next): void | Promise<void> {
    let decision: CorsDecision | Promise<CorsDecision>;
    try {
      decision = this.policy.decide(requestFromHeaders(req.method, req.headers));
    } catch (error) {
      return this.fail(error, res);
    }
    if (isPromise(decision)) {
      return decision.then(
        (settled) => this.apply(settled, res, next),
        (error: unknown) => this.fail(error, res),
      );
    }
    this.apply(decision, res, next);
  }

  /**
   * An origin predicate threw, rejected or timed out (`CorsOriginError`, status 500). The
   * error goes to Nest's exception layer (the middleware proxy hands it to the exception
   * filters); the error response still varies on Origin, as every answer of a policy that
   * depends on it must.
   */
  private fail(error: unknown, res: ServerResponse): never {
    mergeVaryInto(res, this.policy.pendingVary, responseHeaders);
    throw error;
  }

  private apply(decision: CorsDecision, res: ServerResponse, next: Next): void {
    if (!this.conflictReported && res.getHeader('access-control-allow-origin') !== undefined) this.reportConflict();
    // An answered preflight ends here: the application (guards, routing, 404) does not run.
    if (applyToResponse(decision, res)) next();
  }

  private reportConflict(): void {
    this.conflictReported = true;
    CorsMiddleware.logger.error(
      'Access-Control-Allow-Origin was already set when CorsModule ran: another CORS layer is active ' +
        '(app.enableCors(), NestFactory.create(..., { cors }), the `cors` package or @fastify/cors). ' +
        'Remove it: two CORS layers answer with conflicting headers, and browsers reject the responses.',
    );
  }
}

/**
 * Express only: an error raised before the CORS middleware ran (Nest mounts its body
 * parsers ahead of all module middleware, so a malformed JSON body fails there) skips it on
 * its way to Nest's exception handler. `CorsModule` mounts this as an error-handling
 * middleware after the routes: it puts the CORS headers on that error response too, then
 * passes the error on unchanged.
 */
export function recoverWithCors(policy: CorsPolicy, error: unknown, req: IncomingMessage, res: ServerResponse, next: Next): void {
  if (res.headersSent) return next(error);
  let decision: CorsDecision | Promise<CorsDecision>;
  try {
    decision = policy.decide(requestFromHeaders(req.method, req.headers));
  } catch {
    return next(error);
  }
  if (isPromise(decision)) {
    decision.then(
      (settled) => {
        applyDecision(settled, res, responseHeaders);
        next(error);
      },
      () => next(error),
    );
    return;
  }
  applyDecision(decision, res, responseHeaders);
  next(error);
}

function isPromise(value: CorsDecision | Promise<CorsDecision>): value is Promise<CorsDecision> {
  return typeof (value as Promise<CorsDecision>).then === 'function';
}
