/**
 * hono: a real Hono app (`new Hono()`, one GET route) called through `app.fetch(request)`
 * with real `Request` objects; the CORS layer is `app.use(…)`: `hono/cors` against `cors()`
 * of `@preflight/cors-fetch`.
 */
import { Hono, type MiddlewareHandler } from 'hono';
import { cors as honoCors } from 'hono/cors';
import { cors as oursHono } from '@preflight/cors-fetch';
import { asyncAllow, COMMON, originList, PATH, regexpList, type Case } from '../../config.js';
import { BODY, floorAnswer, oursOptions, type Driver, type Side } from './shared.js';
import { floorPreflight, responseDriver, writeAnswerHeaders, type CountingApp } from './fetch.js';

const JSON_TYPE = { 'content-type': 'application/json' } as const;

/** `hono/cors`'s options for a case: the list as an array (what server/apps.ts gives it), a function otherwise. */
function honoCorsOptions(c: Case): Parameters<typeof honoCors>[0] {
  const o = c.origins;
  let origin: NonNullable<Parameters<typeof honoCors>[0]>['origin'];
  if (o.kind === 'list') origin = originList(o.size);
  else if (o.kind === 'async') {
    const allow = asyncAllow(o.size);
    origin = async (requestOrigin) => ((await allow(requestOrigin)) ? requestOrigin : null);
  } else {
    const regexps = regexpList(o.size);
    origin = (requestOrigin) => {
      for (let i = 0; i < regexps.length; i++) if (regexps[i]!.test(requestOrigin)) return requestOrigin;
      return null;
    };
  }
  return { origin, credentials: COMMON.credentials, allowMethods: [...COMMON.methods], maxAge: COMMON.maxAge };
}

/** The hand-written floor: a preflight answered with the precomputed headers, else the route's response with them set. */
function floorMiddleware(c: Case): MiddlewareHandler | undefined {
  const answer = floorAnswer(c);
  if (answer === undefined) return undefined;
  if (answer.end) return () => Promise.resolve(floorPreflight(answer));
  return async (ctx, next) => {
    await next();
    writeAnswerHeaders(ctx.res.headers, answer);
  };
}

/** The Hono driver of one side for a case; undefined when that side does not apply. */
export function honoSide(side: Side, c: Case): Driver | undefined {
  let layer: MiddlewareHandler | undefined;
  switch (side) {
    case 'ours':
      layer = oursHono(oursOptions(c)) as unknown as MiddlewareHandler;
      break;
    case 'incumbent':
      layer = honoCors(honoCorsOptions(c));
      break;
    case 'floor':
      layer = floorMiddleware(c);
      if (layer === undefined) return undefined;
      break;
    case 'core':
      return undefined;
    case 'baseline':
  }
  const counter: CountingApp = { calls: 0 };
  const app = new Hono();
  if (layer !== undefined) app.use(layer);
  // GET and OPTIONS: a bare app runs the route for a preflight (as the stand-in frameworks' baselines do) instead of answering 404.
  app.on(['GET', 'OPTIONS'], PATH, (ctx) => {
    counter.calls++;
    return ctx.body(BODY, 200, JSON_TYPE);
  });
  return responseDriver((request) => app.fetch(request), counter);
}
