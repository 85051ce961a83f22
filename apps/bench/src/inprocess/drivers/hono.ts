/** hono: a real Hono app (one route, the CORS layer in `app.use`) called through `app.fetch(request)`. */
import { Hono, type MiddlewareHandler } from 'hono';
import { cors as honoCors } from 'hono/cors';
import { cors as oursHono } from '@preflight/cors-fetch';
import { BODY, honoCorsOptions, oursOptions, PATH } from '../../config.js';
import { readFetch, type Driver, type SideBuilders } from './shared.js';
import { floorPreflight, JSON_TYPE, responseDriver, writeAnswerHeaders } from './fetch.js';

function honoDriver(layer: MiddlewareHandler | undefined): Driver {
  const counter = { calls: 0 };
  const app = new Hono();
  if (layer !== undefined) app.use(layer);
  // GET and OPTIONS: a bare app runs the route for a preflight (as in the Fastify and NestJS drivers) instead of answering 404.
  app.on(['GET', 'OPTIONS'], PATH, (ctx) => {
    counter.calls++;
    return ctx.body(BODY, 200, JSON_TYPE);
  });
  return responseDriver((request) => app.fetch(request), counter);
}

export const honoSides: SideBuilders = {
  incumbent: (c) => honoDriver(honoCors(honoCorsOptions(c))),
  ours: (c) => honoDriver(oursHono(oursOptions(c)) as unknown as MiddlewareHandler),
  // A preflight answered with the precomputed headers, else the route's response with them set.
  floor: (answer, minimum) =>
    honoDriver(
      answer.end ?
        (ctx) => {
          if (!minimum) return Promise.resolve(floorPreflight(answer));
          // The minimum keeps what an earlier `c.header()` set: Hono's own response, its Vary read and merged.
          readFetch(ctx.req.raw.headers, true);
          const response = ctx.body(null, answer.status as 204);
          writeAnswerHeaders(response.headers, answer, true);
          return Promise.resolve(response);
        }
      : async (ctx, next) => {
          if (minimum) readFetch(ctx.req.raw.headers, false);
          await next();
          writeAnswerHeaders(ctx.res.headers, answer, minimum);
        },
    ),
  baseline: () => honoDriver(undefined),
};
