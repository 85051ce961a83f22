/** koa: a Koa middleware over a real Koa context (`app.createContext`) built on the shared stubs. */
import koaCors from '@koa/cors';
import Koa from 'koa';
import { cors as oursKoa } from '@preflight/cors-koa';
import { BODY, koaCorsOptions, oursOptions, PATH } from '../../config.js';
import { StubRequest, StubResponse } from '../../stubs.js';
import { defineDriver, floorKoa, stubOutcome, type Driver, type SideBuilders } from './shared.js';

const koaApp = new Koa();
const koaNext: Koa.Next = () => Promise.resolve();

function koaDriver(middleware: Koa.Middleware): Driver {
  // What Koa's respond() does for a string body or an empty one.
  const respond = (unit: { readonly ctx: Koa.Context; readonly res: StubResponse }): void => {
    const { ctx, res } = unit;
    if (res.writableEnded) return;
    res.end(ctx.body === undefined || ctx.body === null ? undefined : (ctx.body as string));
  };
  return defineDriver({
    prepare(spec) {
      const res = new StubResponse();
      const ctx = koaApp.createContext(new StubRequest(spec, PATH).asNode(), res.asNode());
      res.statusCode = 404; // as Koa's handleRequest does
      const unit = {
        ctx,
        res,
        // The route: sets the body, which Koa's respond() writes after the middleware chain.
        next: (): Promise<void> => {
          ctx.body = BODY;
          return koaNext();
        },
        then: (): void => respond(unit),
      };
      return unit;
    },
    handle(u) {
      return (middleware(u.ctx, u.next) as Promise<void>).then(u.then);
    },
    outcome: (u) => stubOutcome(u.res),
  });
}

export const koaSides: SideBuilders = {
  incumbent: (c) => koaDriver(koaCors(koaCorsOptions(c))),
  ours: (c) => koaDriver(oursKoa(oursOptions(c))),
  floor: (answer, minimum) => koaDriver(floorKoa(answer, minimum)),
  baseline: () => koaDriver((_ctx, next) => next()),
};
