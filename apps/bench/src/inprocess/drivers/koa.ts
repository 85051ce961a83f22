/** koa: a real Koa app (the CORS layer, then the route, in `app.use`) run through `app.callback()` over the shared stubs. */
import koaCors from '@koa/cors';
import Koa from 'koa';
import { cors as oursKoa } from '@preflight/cors-koa';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BODY, koaCorsOptions, oursOptions, PATH } from '../../config.js';
import { StubRequest, StubResponse } from '../../stubs.js';
import { defineDriver, floorKoa, stubOutcome, type Driver, type SideBuilders } from './shared.js';

function koaDriver(middleware: Koa.Middleware): Driver {
  const app = new Koa();
  app.use(middleware);
  // The route: a preflight answered by the layer never gets here.
  app.use((ctx) => {
    ctx.body = BODY;
  });
  // What Koa's own server calls for every request (documented: `app.callback()` for `http.createServer`); it settles
  // once Koa's respond() has ended the response.
  const handle = app.callback() as (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  return defineDriver({
    prepare: (spec) => ({ req: new StubRequest(spec, PATH), res: new StubResponse() }),
    handle: (u) => handle(u.req.asNode(), u.res.asNode()),
    outcome: (u) => stubOutcome(u.res),
  });
}

export const koaSides: SideBuilders = {
  incumbent: (c) => koaDriver(koaCors(koaCorsOptions(c))),
  ours: (c) => koaDriver(oursKoa(oursOptions(c))),
  floor: (answer, minimum) => koaDriver(floorKoa(answer, minimum)),
  baseline: () => koaDriver((_ctx, next) => next()),
};
