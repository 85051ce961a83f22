/** fastify: a real Fastify app (the CORS layer registered as a plugin, one route) run through `fastify.routing` over the shared stubs. */
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyCors from '@fastify/cors';
import oursFastify from '@preflight/cors-fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BODY, fastifyCorsOptions, oursOptions, PATH } from '../../config.js';
import { StubRequest, StubResponse } from '../../stubs.js';
import { defineDriver, floorHook, isAsync, stubOutcome, type Driver, type SideBuilders } from './shared.js';

/** `async`: a request completes when the response ends. */
async function fastifyDriver(setUp: (app: FastifyInstance) => unknown, async: boolean): Promise<Driver> {
  const app = Fastify({ logger: false });
  await setUp(app);
  // GET and OPTIONS: a bare app runs the route for a preflight (as the other frameworks' baselines do) instead of a 404.
  app.route({ method: ['GET', 'OPTIONS'], url: PATH, handler: (_request, reply) => {
    // Nothing returned: a sync handler's return value is sent again (a reply returned here made Fastify build an
    // FST_ERR_REP_ALREADY_SENT error on every request that reached the route).
    reply.type('application/json').send(BODY);
  } });
  await app.ready();
  // What Fastify's own server calls for every request (documented: `fastify.routing(req, res)`).
  const routing = app.routing as (req: IncomingMessage, res: ServerResponse) => void;
  return defineDriver({
    prepare(spec) {
      const res = new StubResponse();
      const done = async ? new Promise<void>((resolve) => (res.onEnd = resolve)) : undefined;
      return { req: new StubRequest(spec, PATH), res, done };
    },
    handle(u) {
      routing(u.req.asNode(), u.res.asNode());
      return u.done;
    },
    outcome: (u) => stubOutcome(u.res),
  });
}

export const fastifySides: SideBuilders = {
  incumbent: (c) => fastifyDriver((app) => app.register(fastifyCors, fastifyCorsOptions(c)), isAsync(c)),
  ours: (c) => fastifyDriver((app) => app.register(oursFastify, oursOptions(c)), isAsync(c)),
  floor: (answer, minimum) => fastifyDriver((app) => app.addHook('onRequest', floorHook(answer, minimum) as never), false),
  baseline: () => fastifyDriver(() => undefined, false),
};
