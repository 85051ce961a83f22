import {
  type ArgumentsHost,
  Catch,
  type CanActivate,
  type ExceptionFilter,
  type ExecutionContext,
  type INestApplication,
  Inject,
  Injectable,
  type MiddlewareConsumer,
  Module,
  type NestModule,
} from '@nestjs/common';
import { AbstractHttpAdapter, APP_FILTER, APP_GUARD, HttpAdapterHost, NestFactory } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { CORS_POLICY, CorsConfigError, CorsModule, CorsOriginError, type CorsOptionsFactory, type CorsPolicy } from '../src/index.js';
import { listen, platforms, standardApp } from './harness.js';
import { send } from './http.js';

const require = createRequire(import.meta.url);
const APP = 'https://app.example.com';
const EVIL = 'https://evil.example.org';
const preflight = (origin: string, method: string, headers?: string): Record<string, string> => ({
  Origin: origin,
  'Access-Control-Request-Method': method,
  ...(headers === undefined ? {} : { 'Access-Control-Request-Headers': headers }),
});

/** Counts how often the guard ran, and lets through only requests with Authorization. */
const guardCalls: string[] = [];
@Injectable()
class AuthGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<{ method: string; headers: Record<string, string | undefined> }>();
    guardCalls.push(req.method);
    return req.headers.authorization !== undefined;
  }
}

/** An authentication middleware of the application's own module: 401 without Authorization. */
@Module({})
class AuthMiddlewareModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply((req: IncomingMessage, res: ServerResponse, next: () => void) => {
        if (req.headers.authorization === undefined) {
          res.statusCode = 401;
          res.end('unauthorized');
          return;
        }
        next();
      })
      .forRoutes('/{*path}');
  }
}

/** Settings of the application, as a config module would provide them. */
class Settings {
  readonly corsOrigin = APP;
  readonly credentials = true;
}
@Module({ providers: [Settings], exports: [Settings] })
class SettingsModule {}

@Injectable()
class CorsSettings implements CorsOptionsFactory {
  constructor(@Inject(Settings) private readonly settings: Settings) {}
  createCorsOptions() {
    return { origin: this.settings.corsOrigin, credentials: this.settings.credentials };
  }
}

/** Answers CorsOriginError itself: proves the error went through Nest's exception filters. */
@Catch(CorsOriginError)
class CorsOriginErrorFilter implements ExceptionFilter {
  constructor(@Inject(HttpAdapterHost) private readonly host: HttpAdapterHost) {}
  catch(error: CorsOriginError, context: ArgumentsHost): void {
    const res = context.switchToHttp().getResponse<unknown>();
    this.host.httpAdapter.reply(res, { filtered: error.name, status: error.status, origin: error.origin }, 503);
  }
}


describe.each(platforms)('CorsModule on $name', (platform) => {
  let server: Awaited<ReturnType<typeof listen>> | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  const start = async (...args: Parameters<typeof listen> extends [unknown, ...infer Rest] ? Rest : never) => {
    server = await listen(platform, ...args);
    return server.url;
  };

  describe('forRoot', () => {
    it('answers an allowed origin on a controller response, with Vary: Origin', async () => {
      const url = await start(standardApp(CorsModule.forRoot({ origin: APP, exposedHeaders: ['X-Request-Id'] })));
      const res = await send(url, 'GET', '/echo', { Origin: APP });
      expect(res.status).toBe(200);
      expect(res.body).toBe('ok');
      expect(res.one('x-app-handler')).toBe('echo');
      expect(res.one('access-control-allow-origin')).toBe(APP);
      expect(res.one('access-control-expose-headers')).toBe('X-Request-Id');
      expect(res.vary()).toEqual(['origin']);
    });

    it('grants nothing to a refused origin or a request without Origin, and still varies on Origin', async () => {
      const url = await start(standardApp(CorsModule.forRoot({ origin: APP })));
      for (const headers of [{ Origin: EVIL }, {}]) {
        const res = await send(url, 'GET', '/echo', headers);
        expect(res.status).toBe(200);
        expect(res.one('x-app-handler')).toBe('echo');
        expect(res.all('access-control-allow-origin')).toEqual([]);
        expect(res.vary()).toEqual(['origin']);
      }
    });

    it('answers a HEAD request with the CORS headers', async () => {
      const url = await start(standardApp(CorsModule.forRoot({ origin: APP })));
      const res = await send(url, 'HEAD', '/echo', { Origin: APP });
      expect(res.status).toBe(200);
      expect(res.one('access-control-allow-origin')).toBe(APP);
    });

    it('exposes the compiled policy under CORS_POLICY', async () => {
      await start(standardApp(CorsModule.forRoot({ origin: APP, credentials: true })));
      const policy = server!.app.get<CorsPolicy>(CORS_POLICY);
      expect(policy.options.credentials).toBe(true);
      expect(policy.variesByOrigin).toBe(true);
    });
  });

  describe('preflights', () => {
    it('answers a preflight to a route with no OPTIONS handler, without running the application', async () => {
      const url = await start(standardApp(CorsModule.forRoot({ origin: APP, maxAge: 600 })));
      const res = await send(url, 'OPTIONS', '/echo', preflight(APP, 'PUT', 'content-type,x-custom'));
      expect(res.status).toBe(204);
      expect(res.body).toBe('');
      expect(res.all('x-app-handler')).toEqual([]);
      expect(res.one('access-control-allow-origin')).toBe(APP);
      expect(res.one('access-control-allow-methods')).toBe('GET,HEAD,PUT,PATCH,POST,DELETE');
      expect(res.one('access-control-allow-headers')).toBe('content-type,x-custom');
      expect(res.one('access-control-max-age')).toBe('600');
      expect(res.vary()).toEqual(['origin', 'access-control-request-method', 'access-control-request-headers']);
    });

    it('answers a preflight to an unknown path and to a nested route', async () => {
      const url = await start(standardApp(CorsModule.forRoot({ origin: APP })));
      for (const path of ['/no/such/route', '/prefix/nested/echo', '/']) {
        const res = await send(url, 'OPTIONS', path, preflight(APP, 'DELETE'));
        expect(res.status, path).toBe(204);
        expect(res.one('access-control-allow-origin'), path).toBe(APP);
      }
    });

    it('answers a refused preflight 204 without CORS grants, and the application does not run', async () => {
      const url = await start(standardApp(CorsModule.forRoot({ origin: APP })));
      const res = await send(url, 'OPTIONS', '/options', preflight(EVIL, 'PUT'));
      expect(res.status).toBe(204);
      expect(res.all('x-app-handler')).toEqual([]);
      expect(res.all('access-control-allow-origin')).toEqual([]);
      expect(res.all('access-control-allow-methods')).toEqual([]);
    });

    it('lets an OPTIONS request that is not a preflight reach the application', async () => {
      const url = await start(standardApp(CorsModule.forRoot({ origin: APP })));
      const own = await send(url, 'OPTIONS', '/options', { Origin: APP });
      expect(own.status).toBe(200);
      expect(own.body).toBe('app-options');
      expect(own.one('x-app-handler')).toBe('options');
      expect(own.one('access-control-allow-origin')).toBe(APP);
      // No OPTIONS route: Nest's own 404, with the CORS headers.
      const missing = await send(url, 'OPTIONS', '/echo', { Origin: APP });
      expect(missing.status).toBe(404);
      expect(missing.one('access-control-allow-origin')).toBe(APP);
    });

    it('with preflightContinue, passes the preflight to an @Options() handler', async () => {
      const url = await start(standardApp(CorsModule.forRoot({ origin: APP, preflightContinue: true })));
      const res = await send(url, 'OPTIONS', '/options', preflight(APP, 'PUT'));
      expect(res.status).toBe(200);
      expect(res.one('x-app-handler')).toBe('options');
      expect(res.one('access-control-allow-origin')).toBe(APP);
      expect(res.one('access-control-allow-methods')).toBe('GET,HEAD,PUT,PATCH,POST,DELETE');
    });
  });

  describe('every response carries the CORS headers', () => {
    it.each([
      ['/no/such/route', 404, undefined],
      ['/http-error', 400, 'http-error'],
      ['/error', 500, 'error'],
      ['/status-500', 500, 'status-500'],
    ] as const)('GET %s → %i', async (path, status, handler) => {
      const url = await start(standardApp(CorsModule.forRoot({ origin: APP, credentials: true })));
      const res = await send(url, 'GET', path, { Origin: APP });
      expect(res.status).toBe(status);
      expect(res.all('x-app-handler')).toEqual(handler === undefined ? [] : [handler]);
      expect(res.one('access-control-allow-origin')).toBe(APP);
      expect(res.one('access-control-allow-credentials')).toBe('true');
      expect(res.vary()).toEqual(['origin']);
    });

    it('answers a body the parser refuses (400) with the CORS headers', async () => {
      const url = await start(standardApp(CorsModule.forRoot({ origin: APP })));
      const res = await send(url, 'POST', '/echo', { Origin: APP, 'Content-Type': 'application/json' }, '{"unterminated');
      expect(res.status).toBe(400);
      expect(res.all('x-app-handler')).toEqual([]);
      expect(res.one('access-control-allow-origin')).toBe(APP);
      expect(res.vary()).toEqual(['origin']);
    });

    it('merges Vary with a Vary the controller sets, and with one set before', async () => {
      const url = await start(standardApp(CorsModule.forRoot({ origin: APP })));
      const after = await send(url, 'GET', '/vary-after', { Origin: APP });
      expect(after.vary()).toEqual(['accept-encoding', 'origin']);
      const before = await send(url, 'GET', '/vary-before', { Origin: APP });
      expect(before.vary()).toEqual(['accept-language', 'origin']);
    });
  });

  describe('ordering', () => {
    it('answers preflights before guards; guarded refusals still carry the CORS headers', async () => {
      guardCalls.length = 0;
      const url = await start(standardApp(CorsModule.forRoot({ origin: APP }), { providers: [{ provide: APP_GUARD, useClass: AuthGuard }] }));
      const pre = await send(url, 'OPTIONS', '/echo', preflight(APP, 'PUT', 'authorization'));
      expect(pre.status).toBe(204);
      expect(pre.one('access-control-allow-headers')).toBe('authorization');
      expect(guardCalls).toEqual([]);
      const refused = await send(url, 'PUT', '/echo', { Origin: APP });
      expect(refused.status).toBe(403);
      expect(refused.one('access-control-allow-origin')).toBe(APP);
      const allowed = await send(url, 'PUT', '/echo', { Origin: APP, Authorization: 'Bearer x' });
      expect(allowed.status).toBe(200);
      expect(allowed.one('access-control-allow-origin')).toBe(APP);
      expect(guardCalls).toEqual(['PUT', 'PUT']);
    });

    it("runs before the application's own middleware (an auth middleware cannot refuse a preflight)", async () => {
      const url = await start(standardApp(CorsModule.forRoot({ origin: APP }), { imports: [AuthMiddlewareModule] }));
      const pre = await send(url, 'OPTIONS', '/echo', preflight(APP, 'GET', 'authorization'));
      expect(pre.status).toBe(204);
      expect(pre.one('access-control-allow-origin')).toBe(APP);
      const refused = await send(url, 'GET', '/echo', { Origin: APP });
      expect(refused.status).toBe(401);
      expect(refused.one('access-control-allow-origin')).toBe(APP);
    });

    it('runs before middleware registered with app.use() in main.ts (it cannot refuse a preflight)', async () => {
      const url = await start(standardApp(CorsModule.forRoot({ origin: APP })), {
        setup: (app) =>
          app.use((req: IncomingMessage, res: ServerResponse, next: () => void) => {
            if (req.headers.authorization === undefined) {
              res.statusCode = 401;
              res.end('unauthorized');
              return;
            }
            next();
          }),
      });
      const pre = await send(url, 'OPTIONS', '/echo', preflight(APP, 'POST', 'authorization,content-type'));
      expect(pre.status).toBe(204);
      expect(pre.one('access-control-allow-headers')).toBe('authorization,content-type');
      const refused = await send(url, 'GET', '/echo', { Origin: APP });
      expect(refused.status).toBe(401);
      expect(refused.one('access-control-allow-origin')).toBe(APP);
      expect(refused.vary()).toEqual(['origin']);
    });

    it('covers every path with a global prefix: routes under it, and 404s and preflights outside it', async () => {
      const url = await start(standardApp(CorsModule.forRoot({ origin: APP })), { setup: (app) => app.setGlobalPrefix('api') });
      for (const [method, path, headers, status] of [
        ['GET', '/api/echo', { Origin: APP }, 200],
        ['OPTIONS', '/api/echo', preflight(APP, 'PUT'), 204],
        ['GET', '/echo', { Origin: APP }, 404],
        ['OPTIONS', '/outside', preflight(APP, 'GET'), 204],
      ] as const) {
        const res = await send(url, method, path, headers);
        expect(res.status, `${method} ${path}`).toBe(status);
        expect(res.one('access-control-allow-origin'), `${method} ${path}`).toBe(APP);
      }
    });
  });

  describe('wiring', () => {
    it('works in an application made by Test.createTestingModule()', async () => {
      const moduleRef = await Test.createTestingModule({ imports: [standardApp(CorsModule.forRoot({ origin: APP }))] }).compile();
      const app = moduleRef.createNestApplication(platform.adapter(), { logger: false });
      await app.listen(0, '127.0.0.1');
      server = { app, url: `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`, close: () => app.close() };
      const res = await send(server.url, 'GET', '/echo', { Origin: APP });
      expect(res.status).toBe(200);
      expect(res.one('access-control-allow-origin')).toBe(APP);
      const pre = await send(server.url, 'OPTIONS', '/echo', preflight(APP, 'PUT'));
      expect(pre.status).toBe(204);
      expect(pre.one('access-control-allow-methods')).toContain('PUT');
    });

    it('refuses to start on a platform adapter that does not run request hooks (before 11.1.4)', async () => {
      // What @nestjs/platform-express and -fastify before 11.1.4 had: the base adapter's no-op.
      const base = platform.adapter();
      Object.defineProperty(base, 'setOnRequestHook', { value: AbstractHttpAdapter.prototype.setOnRequestHook });
      const app = await NestFactory.create(standardApp(CorsModule.forRoot({ origin: APP })), base, { logger: false, abortOnError: false });
      await expect(app.listen(0, '127.0.0.1')).rejects.toThrow(/does not run request hooks \(setOnRequestHook\).*11\.1\.4/);
      await app.close();
    });

    it.each([
      ['a list', APP],
      ['an async predicate', async (origin: string) => origin === APP],
    ] as const)("keeps a request hook set with the adapter's setOnRequestHook(), before or after it, running after it (origin: %s)", async (_name, origin) => {
      const seen: string[] = [];
      // Express hands a hook (req, res), Fastify (request, reply): the headers are read through
      // what each gives (on Fastify, the reply's headers).
      const hook = (label: string) => (req: { raw?: IncomingMessage } & Partial<IncomingMessage>, res: { getHeader(name: string): unknown }, done: () => void) => {
        seen.push(`${label} ${(req.raw ?? (req as IncomingMessage)).method} ${String(res.getHeader('access-control-allow-origin'))}`);
        done();
      };
      const url = await start(standardApp(CorsModule.forRoot({ origin })), {
        setup: (app) => (app.getHttpAdapter() as AbstractHttpAdapter).setOnRequestHook(hook('before')),
      });
      expect((await send(url, 'GET', '/echo', { Origin: APP })).status).toBe(200);
      (server!.app.getHttpAdapter() as AbstractHttpAdapter).setOnRequestHook(hook('after'));
      const res = await send(url, 'GET', '/echo', { Origin: APP });
      expect(res.status).toBe(200);
      expect(res.one('access-control-allow-origin')).toBe(APP);
      // An answered preflight ends before the application, instrumentation hooks included.
      expect((await send(url, 'OPTIONS', '/echo', preflight(APP, 'PUT'))).status).toBe(204);
      expect(seen).toEqual([`before GET ${APP}`, `after GET ${APP}`]);
    });
  });

  describe('origin predicate errors', () => {
    const origin = async (o: string) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      if (o === 'https://down.test') throw new Error('origin store unavailable');
      return o === APP;
    };

    it("become a 500 from Nest's exception layer, varying on Origin, without CORS grants", async () => {
      const url = await start(standardApp(CorsModule.forRoot({ origin })));
      const res = await send(url, 'GET', '/echo', { Origin: 'https://down.test' });
      expect(res.status).toBe(500);
      // CorsOriginError is an http-errors-style error with expose: false: Nest sends the
      // status text, never the predicate's message.
      expect(JSON.parse(res.body)).toEqual({ statusCode: 500, message: 'Internal Server Error' });
      expect(res.all('x-app-handler')).toEqual([]);
      expect(res.all('access-control-allow-origin')).toEqual([]);
      expect(res.vary()).toEqual(['origin']);
      const ok = await send(url, 'GET', '/echo', { Origin: APP });
      expect(ok.one('access-control-allow-origin')).toBe(APP);
    });

    it('reach a global exception filter as CorsOriginError (status 500)', async () => {
      const url = await start(standardApp(CorsModule.forRoot({ origin }), { providers: [{ provide: APP_FILTER, useClass: CorsOriginErrorFilter }] }));
      for (const [method, headers] of [['GET', { Origin: 'https://down.test' }], ['OPTIONS', preflight('https://down.test', 'PUT')]] as const) {
        const res = await send(url, method, '/echo', headers);
        expect(res.status, method).toBe(503);
        expect(JSON.parse(res.body), method).toEqual({ filtered: 'CorsOriginError', status: 500, origin: 'https://down.test' });
      }
    });

    it('of a synchronous predicate are handled the same way', async () => {
      const url = await start(standardApp(CorsModule.forRoot({
        origin: () => {
          throw new Error('sync failure');
        },
      })));
      const res = await send(url, 'GET', '/echo', { Origin: APP });
      expect(res.status).toBe(500);
      expect(res.vary()).toEqual(['origin']);
    });
  });

  describe('forRootAsync', () => {
    it('takes its options from a factory with injected config', async () => {
      const url = await start(standardApp(CorsModule.forRootAsync({
        imports: [SettingsModule],
        inject: [Settings],
        useFactory: async (settings: Settings) => ({ origin: settings.corsOrigin, credentials: settings.credentials }),
      })));
      const res = await send(url, 'GET', '/echo', { Origin: APP });
      expect(res.one('access-control-allow-origin')).toBe(APP);
      expect(res.one('access-control-allow-credentials')).toBe('true');
      const pre = await send(url, 'OPTIONS', '/echo', preflight(APP, 'PATCH'));
      expect(pre.status).toBe(204);
      expect(pre.one('access-control-allow-credentials')).toBe('true');
    });

    it('takes its options from a class (useClass)', async () => {
      const url = await start(standardApp(CorsModule.forRootAsync({ imports: [SettingsModule], useClass: CorsSettings })));
      const res = await send(url, 'GET', '/echo', { Origin: APP });
      expect(res.one('access-control-allow-origin')).toBe(APP);
      expect(res.one('access-control-allow-credentials')).toBe('true');
    });
  });

  describe('configuration errors fail the bootstrap', () => {
    const create = (cors: Parameters<typeof standardApp>[0]) =>
      NestFactory.create(standardApp(cors), platform.adapter(), { logger: false, abortOnError: false });

    it('forRoot with an insecure configuration throws CorsConfigError', async () => {
      const error: unknown = await create(CorsModule.forRoot({ origin: '*', credentials: true })).then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(CorsConfigError);
      expect((error as CorsConfigError).code).toBe('ORIGIN_WILDCARD_WITH_CREDENTIALS');
    });

    it('forRoot without an origin throws CorsConfigError', async () => {
      const error: unknown = await create(CorsModule.forRoot({} as never)).then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(CorsConfigError);
      expect((error as CorsConfigError).code).toBe('ORIGIN_MISSING');
    });

    it('forRootAsync with options that fail validation throws CorsConfigError', async () => {
      const cors = CorsModule.forRootAsync({ useFactory: () => Promise.resolve({ origin: 'https://app.example.com/' }) });
      const error: unknown = await create(cors).then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(CorsConfigError);
      expect((error as CorsConfigError).option).toBe('origin');
    });
  });

  describe('next to another CORS layer', () => {
    it('refuses to start after app.enableCors()', async () => {
      const attempt = listen(platform, standardApp(CorsModule.forRoot({ origin: APP })), { setup: (app) => app.enableCors() });
      await expect(attempt).rejects.toThrow(/is registered together with CorsModule/);
    });

    it("refuses to start with NestFactory.create's cors option", async () => {
      const attempt = listen(platform, standardApp(CorsModule.forRoot({ origin: APP })), { cors: true });
      await expect(attempt).rejects.toThrow(/is registered together with CorsModule/);
    });

    it("refuses to start next to the platform's CORS package registered directly", async () => {
      // `cors` and `@fastify/cors` as the platform packages depend on them.
      const platformRequire = createRequire(require.resolve(`@nestjs/platform-${platform.name}`));
      const setup = (app: INestApplication) => {
        if (platform.name === 'express') app.use((platformRequire('cors') as () => unknown)());
        else void (app as NestFastifyApplication).register(platformRequire('@fastify/cors') as never);
      };
      const attempt = listen(platform, standardApp(CorsModule.forRoot({ origin: APP })), { setup });
      await expect(attempt).rejects.toThrow(/is registered together with CorsModule/);
    });

    it('runs before every other layer: a middleware registered after it sees its headers (Express) or can replace them', async () => {
      // What runs after CorsModule is the application's; CorsModule neither overwrites nor
      // reports it (the CORS packages themselves are refused at startup, above). On Fastify the
      // headers are on the reply, which a Nest middleware (given reply.raw) does not see, as
      // with Fastify's own reply headers; the response it ends itself still carries them.
      const url = await start(standardApp(CorsModule.forRoot({ origin: APP })), {
        setup: (app) =>
          app.use((req: IncomingMessage, res: ServerResponse, next: () => void) => {
            res.setHeader('x-acao-seen-by-app', String(res.getHeader('access-control-allow-origin')));
            if (req.headers['x-end-here'] !== undefined) {
              res.end('ended by a middleware');
              return;
            }
            if (req.headers['x-throw-here'] !== undefined) throw new Error('thrown by a middleware');
            next();
          }),
      });
      const res = await send(url, 'GET', '/echo', { Origin: APP });
      expect(res.one('x-acao-seen-by-app')).toBe(platform.name === 'express' ? APP : 'undefined');
      expect(res.one('access-control-allow-origin')).toBe(APP);
      expect(res.vary()).toEqual(['origin']);
      const ended = await send(url, 'GET', '/echo', { Origin: APP, 'X-End-Here': '1' });
      expect(ended.body).toBe('ended by a middleware');
      expect(ended.one('access-control-allow-origin')).toBe(APP);
      expect(ended.vary()).toEqual(['origin']);
      // The error response of a middleware that throws (on Fastify sent through another reply).
      const thrown = await send(url, 'GET', '/echo', { Origin: APP, 'X-Throw-Here': '1' });
      expect(thrown.status).toBe(500);
      expect(thrown.one('access-control-allow-origin')).toBe(APP);
      expect(thrown.vary()).toEqual(['origin']);
    });
  });
});
