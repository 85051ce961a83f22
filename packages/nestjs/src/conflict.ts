import type { AbstractHttpAdapter } from '@nestjs/core';

/** Thrown at bootstrap when another CORS layer is registered next to `CorsModule`. */
export const CONFLICT_MESSAGE =
  'is registered together with CorsModule. Remove it (app.enableCors(), NestFactory.create(..., { cors }), ' +
  'app.use(cors()) or app.register(fastifyCors)): two CORS layers answer preflights and responses with ' +
  'conflicting headers, and a response with two Access-Control-Allow-Origin values fails in every browser.';

interface ExpressLayer {
  readonly name?: string;
}

/**
 * Look for another CORS layer on the underlying server. Express: the `cors` package's
 * middleware (what `app.enableCors()` mounts) in the router stack. Fastify: `@fastify/cors`
 * or the plugin `app.enableCors()` registers, once the plugins are loaded (`onReady`).
 * Detection is best effort (it reads framework structures); the middleware also reports,
 * once, an `Access-Control-Allow-Origin` already set by someone else at request time.
 */
export function watchForOtherCors(adapter: AbstractHttpAdapter | undefined): void {
  if (adapter === undefined) return;
  const type = adapter.getType();
  if (type === 'express') {
    const app = adapter.getInstance<{ router?: { stack?: readonly ExpressLayer[] } }>();
    if (app.router?.stack?.some((layer) => layer.name === 'corsMiddleware') === true) {
      throw new Error(`@preflight/cors-nestjs: the \`cors\` middleware ${CONFLICT_MESSAGE}`);
    }
  } else if (type === 'fastify') {
    const fastify = adapter.getInstance<FastifyLike>();
    try {
      fastify.addHook('onReady', onReady);
    } catch {
      // Already started: the request-time check still reports a conflict.
      onReady.call(fastify, (err) => {
        if (err) throw err;
      });
    }
  }
}

interface FastifyLike {
  addHook(name: 'onReady', hook: (this: FastifyLike, done: (err?: Error) => void) => void): unknown;
  hasPlugin(name: string): boolean;
}

function onReady(this: FastifyLike, done: (err?: Error) => void): void {
  const other = ['@fastify/cors', 'nestjs-cors'].find((name) => this.hasPlugin(name));
  done(other === undefined ? undefined : new Error(`@preflight/cors-nestjs: the Fastify plugin ${other} ${CONFLICT_MESSAGE}`));
}
