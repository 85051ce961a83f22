/** koa: a Koa middleware (`@koa/cors`, `@preflight/cors-koa`) over a real Koa context (`app.createContext`) built on the shared stubs. */
import koaCors from '@koa/cors';
import Koa from 'koa';
import type { CorsDecision } from '@preflight/cors-core';
import { cors as oursKoa } from '@preflight/cors-koa';
import { asyncAllow, COMMON, originList, PATH, regexpList, type Case } from '../../config.js';
import { StubRequest, StubResponse } from '../../stubs.js';
import { BODY, floorAnswer, METHODS, oursOptions, writeAnswer, type Driver, type Side } from './shared.js';

/** `@koa/cors`'s options for a case. */
function koaCorsOptions(c: Case): koaCors.Options {
  // @koa/cors has no list option: users write a function of the context. This is the
  // straightforward one (a linear scan, like the other incumbents).
  const o = c.origins;
  let origin: koaCors.Options['origin'];
  if (o.kind === 'async') {
    const allow = asyncAllow(o.size);
    origin = async (ctx) => {
      const requestOrigin = ctx.get('Origin');
      return (await allow(requestOrigin)) ? requestOrigin : '';
    };
  } else if (o.kind === 'list') {
    const list = originList(o.size);
    origin = (ctx) => {
      const requestOrigin = ctx.get('Origin');
      return list.includes(requestOrigin) ? requestOrigin : '';
    };
  } else {
    const regexps = regexpList(o.size);
    origin = (ctx) => {
      const requestOrigin = ctx.get('Origin');
      for (let i = 0; i < regexps.length; i++) if (regexps[i]!.test(requestOrigin)) return requestOrigin;
      return '';
    };
  }
  return { origin, credentials: COMMON.credentials, allowMethods: METHODS, maxAge: COMMON.maxAge };
}

interface KoaUnit {
  readonly ctx: Koa.Context;
  readonly res: StubResponse;
}

const koaApp = new Koa();
const koaNext: Koa.Next = () => Promise.resolve();

function koaDriver(middleware: Koa.Middleware): Driver {
  const respond = (unit: KoaUnit): void => {
    // What Koa's respond() does for a string body or an empty one.
    const { ctx, res } = unit;
    if (res.writableEnded) return;
    res.end(ctx.body === undefined || ctx.body === null ? undefined : (ctx.body as string));
  };
  return {
    prepare(spec) {
      const res = new StubResponse();
      const ctx = koaApp.createContext(new StubRequest(spec, PATH).asNode(), res.asNode());
      res.statusCode = 404; // as Koa's handleRequest does
      const unit: KoaUnit & { next: Koa.Next; then: () => void } = {
        ctx,
        res,
        // The route: sets the body. Koa's respond() writes it after the middleware chain.
        next: () => {
          ctx.body = BODY;
          return koaNext();
        },
        then: () => respond(unit),
      };
      return unit;
    },
    handle(unit) {
      const u = unit as KoaUnit & { next: Koa.Next; then: () => void };
      return (middleware(u.ctx, u.next) as Promise<void>).then(u.then);
    },
    outcome(unit) {
      const res = (unit as KoaUnit).res;
      return { status: res.statusCode, appRan: res.body === BODY, headers: res.getHeaders() };
    },
  };
}

function floorKoa(answer: CorsDecision): Koa.Middleware {
  const { end, status } = answer;
  return (ctx, next) => {
    writeAnswer(ctx.res, answer);
    if (end) {
      ctx.status = status;
      ctx.body = null;
      return Promise.resolve();
    }
    return next();
  };
}


/** The Koa driver of one side for a case; undefined when that side does not apply. */
export function koaSide(side: Side, c: Case): Driver | undefined {
  switch (side) {
    case 'floor': {
      const answer = floorAnswer(c);
      return answer === undefined ? undefined : koaDriver(floorKoa(answer));
    }
    case 'incumbent':
      return koaDriver(koaCors(koaCorsOptions(c)) as unknown as Koa.Middleware);
    case 'ours':
      return koaDriver(oursKoa(oursOptions(c)) as unknown as Koa.Middleware);
    case 'baseline':
      return koaDriver((_ctx, next) => next());
    case 'core':
      return undefined;
  }
}
