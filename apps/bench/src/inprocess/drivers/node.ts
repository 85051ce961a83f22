/** node: a Connect/Express `(req, res, next)` middleware, the core alone and the floor, over the shared stubs. */
import corsIncumbent from 'cors';
import { applyDecision, compileCors, responseHeaders, type CorsDecision, type CorsOptions } from '@preflight/cors-core';
import { cors as oursNode } from '@preflight/cors-node';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BODY, corsOptions, oursOptions, PATH } from '../../config.js';
import { StubRequest, StubResponse } from '../../stubs.js';
import { defineDriver, floorMiddleware, isAsync, stubOutcome, type Driver, type SideBuilders } from './shared.js';

type NodeMiddleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

function nodeDriver(middleware: NodeMiddleware, async: boolean): Driver {
  return defineDriver({
    prepare(spec) {
      const req = new StubRequest(spec, PATH);
      const res = new StubResponse();
      let resolve: (() => void) | undefined;
      const done = async ? new Promise<void>((r) => (resolve = r)) : undefined;
      // The application: a tiny JSON body. A preflight answered by the layer never gets here.
      const next = (err?: unknown): void => {
        if (err !== undefined) throw err;
        res.setHeader('Content-Type', 'application/json');
        res.end(BODY);
      };
      res.onEnd = resolve;
      return { req, res, next, done };
    },
    handle(u) {
      middleware(u.req.asNode(), u.res.asNode(), u.next);
      return u.done;
    },
    outcome: (u) => stubOutcome(u.res),
  });
}

/** The core alone, as an adapter uses it minus the adapter's own care (keeping Vary when a route replaces it, errors). */
function coreMiddleware(options: CorsOptions): NodeMiddleware {
  const policy = compileCors(options);
  const finish = (decision: CorsDecision, res: ServerResponse, next: (err?: unknown) => void): void => {
    applyDecision(decision, res, responseHeaders);
    if (decision.end) {
      res.statusCode = decision.status;
      res.end();
    } else next();
  };
  return (req, res, next) => {
    const outcome = policy.decideHeaders(req.method, req.headers);
    if (outcome instanceof Promise) void outcome.then((decision) => finish(decision, res, next), next);
    else finish(outcome, res, next);
  };
}

export const nodeSides: SideBuilders = {
  incumbent: (c) => nodeDriver(corsIncumbent(corsOptions(c)) as NodeMiddleware, isAsync(c)),
  ours: (c) => nodeDriver(oursNode(oursOptions(c)), isAsync(c)),
  core: (c) => nodeDriver(coreMiddleware(oursOptions(c)), isAsync(c)),
  floor: (answer, minimum) => nodeDriver(floorMiddleware(answer, minimum), false),
  baseline: () => nodeDriver((_req, _res, next) => next(), false),
};
