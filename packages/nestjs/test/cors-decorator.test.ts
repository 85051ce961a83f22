import 'reflect-metadata';
import {
  All,
  type CanActivate,
  Controller,
  Delete,
  type DynamicModule,
  type ExecutionContext,
  Get,
  Header,
  type INestApplication,
  Injectable,
  Module,
  Options,
  Post,
  Put,
  RequestMethod,
  VERSION_NEUTRAL,
  VersioningType,
} from '@nestjs/common';
import { APP_GUARD, RouterModule } from '@nestjs/core';
import { afterEach, describe, expect, it } from 'vitest';
import { Cors, CorsConfigError, CorsModule, type CorsOptions } from '../src/index.js';
import { listen, platforms, type Platform } from './harness.js';
import { send, type Reply } from './http.js';

const APP = 'https://app.example.com';
const ADMIN = 'https://admin.example.com';
const PARTNER = 'https://partner.example.net';
const EVIL = 'https://evil.example.org';
const preflight = (origin: string, method: string, headers?: string): Record<string, string> => ({
  Origin: origin,
  'Access-Control-Request-Method': method,
  ...(headers === undefined ? {} : { 'Access-Control-Request-Headers': headers }),
});

const MODULE: CorsOptions = { origin: APP };
const PUBLIC: CorsOptions = { origin: '*' };
const ADMINS: CorsOptions = { origin: ADMIN, credentials: true };
const PARTNERS: CorsOptions = { origin: PARTNER, methods: ['PUT'] };

/** Counts guard runs: preflights must be answered before guards. */
const guardCalls: string[] = [];
@Injectable()
class CountingGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    guardCalls.push(context.switchToHttp().getRequest<{ method: string }>().method);
    return true;
  }
}

/**
 * The application: `@Cors()` on controllers and handlers, with the wildcard and
 * optional-parameter syntax of each platform's router (path-to-regexp 8 on Express,
 * find-my-way on Fastify). Each handler answers its own name, so a test can check that
 * the policy applied is the one of the handler that ran.
 */
function appFor(platform: Platform): DynamicModule {
  const express = platform.name === 'express';

  @Controller('public')
  @Cors(PUBLIC)
  class PublicController {
    @Get()
    list(): string {
      return 'public.list';
    }

    @Get(':id')
    item(): string {
      return 'public.item';
    }

    @Post()
    @Cors(ADMINS)
    create(): string {
      return 'public.create';
    }

    @Delete(':id')
    @Cors(false)
    remove(): string {
      return 'public.remove';
    }
  }

  @Controller('mixed')
  class MixedController {
    @Get('thing')
    get(): string {
      return 'mixed.get';
    }

    @Put('thing')
    @Cors(PARTNERS)
    put(): string {
      return 'mixed.put';
    }

    @Post('hook')
    @Cors(false)
    hook(): string {
      return 'mixed.hook';
    }

    @Options('own')
    @Header('X-App-Handler', 'mixed.own')
    @Cors(false)
    own(): string {
      return 'mixed.own';
    }

    @All('any')
    @Cors(PARTNERS)
    any(): string {
      return 'mixed.any';
    }
  }

  @Controller('files')
  @Cors({ origin: PARTNER })
  class FilesController {
    @Get(express ? 'opt{/:name}' : 'opt/:name?')
    @Cors(PUBLIC)
    optional(): string {
      return 'files.optional';
    }

    @Get('range/:from-:to')
    @Cors(ADMINS)
    range(): string {
      return 'files.range';
    }

    // Last: on Express the first registered match wins, and this one matches everything.
    @Get(express ? '*path' : '*')
    file(): string {
      return 'files.file';
    }
  }

  // Registered in this order: Express serves /order/new with `byId` (first match),
  // Fastify with `fresh` (static beats parametric).
  @Controller('order')
  class OrderController {
    @Get(':id')
    @Cors({ origin: PARTNER })
    byId(): string {
      return 'order.byId';
    }

    @Get('new')
    @Cors(PUBLIC)
    fresh(): string {
      return 'order.fresh';
    }
  }

  @Controller('nested')
  @Cors(PUBLIC)
  class NestedController {
    @Get('echo')
    echo(): string {
      return 'nested.echo';
    }
  }
  @Module({ controllers: [NestedController] })
  class NestedModule {}

  @Module({
    imports: [CorsModule.forRoot(MODULE), NestedModule, RouterModule.register([{ path: 'feature', module: NestedModule }])],
    controllers: [PublicController, MixedController, FilesController, OrderController],
    providers: [{ provide: APP_GUARD, useClass: CountingGuard }],
  })
  class AppModule {}
  return { module: AppModule };
}

/** What a response granted: its Access-Control-Allow-Origin (or undefined) and credentials. */
function grant(res: Reply): string | undefined {
  const origin = res.one('access-control-allow-origin');
  return origin === undefined ? undefined : `${origin}${res.one('access-control-allow-credentials') === 'true' ? ' +credentials' : ''}`;
}

describe.each(platforms)('@Cors() on $name', (platform) => {
  let server: (Awaited<ReturnType<typeof listen>> & { app: INestApplication }) | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  const start = async (root: DynamicModule, setup?: (app: INestApplication) => void): Promise<string> => {
    server = await listen(platform, root, setup === undefined ? {} : { setup });
    return server.url;
  };

  it('handler over controller over module, for simple requests', async () => {
    const url = await start(appFor(platform));
    for (const [method, path, origin, body, expected] of [
      ['GET', '/public', EVIL, 'public.list', '*'], // controller
      ['GET', '/public/42', EVIL, 'public.item', '*'], // controller, route parameter
      ['POST', '/public', ADMIN, 'public.create', `${ADMIN} +credentials`], // handler over controller
      ['POST', '/public', EVIL, 'public.create', undefined],
      ['GET', '/mixed/thing', APP, 'mixed.get', APP], // module
      ['GET', '/mixed/thing', PARTNER, 'mixed.get', undefined],
      ['PUT', '/mixed/thing', PARTNER, 'mixed.put', PARTNER], // handler over module
      ['PUT', '/mixed/thing', APP, 'mixed.put', undefined],
      ['GET', '/feature/nested/echo', EVIL, 'nested.echo', '*'], // RouterModule path
    ] as const) {
      const res = await send(url, method, path, { Origin: origin });
      const what = `${method} ${path} from ${origin}`;
      expect(res.status, what).toBeLessThan(300);
      expect(res.body, what).toBe(body);
      expect(grant(res), what).toBe(expected);
    }
  });

  it('a preflight gets the policy of the route for its requested method (A and B on one path differ)', async () => {
    const url = await start(appFor(platform));
    guardCalls.length = 0;
    // PUT /mixed/thing has its own policy, GET /mixed/thing the module's.
    const put = await send(url, 'OPTIONS', '/mixed/thing', preflight(PARTNER, 'PUT', 'content-type'));
    expect(put.status).toBe(204);
    expect(grant(put)).toBe(PARTNER);
    expect(put.one('access-control-allow-methods')).toBe('PUT');
    const putFromApp = await send(url, 'OPTIONS', '/mixed/thing', preflight(APP, 'PUT', 'content-type'));
    expect(putFromApp.status).toBe(204);
    expect(grant(putFromApp)).toBeUndefined();
    const get = await send(url, 'OPTIONS', '/mixed/thing', preflight(APP, 'GET', 'x-custom'));
    expect(get.status).toBe(204);
    expect(grant(get)).toBe(APP);
    expect(get.one('access-control-allow-headers')).toBe('x-custom');
    const getFromPartner = await send(url, 'OPTIONS', '/mixed/thing', preflight(PARTNER, 'GET', 'x-custom'));
    expect(grant(getFromPartner)).toBeUndefined();
    // POST /public (handler: credentialed) and GET /public (controller: '*').
    const post = await send(url, 'OPTIONS', '/public', preflight(ADMIN, 'POST', 'content-type'));
    expect(grant(post)).toBe(`${ADMIN} +credentials`);
    const list = await send(url, 'OPTIONS', '/public', preflight(EVIL, 'GET', 'x-custom'));
    expect(grant(list)).toBe('*');
    // @All(): any requested method.
    const any = await send(url, 'OPTIONS', '/mixed/any', preflight(PARTNER, 'PATCH'));
    expect(grant(any)).toBe(PARTNER);
    // Answered before guards run.
    expect(guardCalls).toEqual([]);
  });

  it('@Cors(false): no CORS headers and no Vary; preflights go to the application', async () => {
    const url = await start(appFor(platform));
    const remove = await send(url, 'DELETE', '/public/42', { Origin: EVIL });
    expect(remove.status).toBe(200);
    expect(remove.body).toBe('public.remove');
    expect(remove.all('access-control-allow-origin')).toEqual([]);
    expect(remove.all('vary')).toEqual([]);
    const hook = await send(url, 'POST', '/mixed/hook', { Origin: APP });
    expect(hook.status).toBe(201);
    expect(hook.all('access-control-allow-origin')).toEqual([]);
    // No OPTIONS route: Nest's 404, without CORS headers.
    const pre = await send(url, 'OPTIONS', '/public/42', preflight(EVIL, 'DELETE'));
    expect(pre.status).toBe(404);
    expect(pre.all('access-control-allow-origin')).toEqual([]);
    // The OPTIONS route itself has @Cors(false) and no other route at its URL: it answers.
    const own = await send(url, 'OPTIONS', '/mixed/own', preflight(APP, 'OPTIONS'));
    expect(own.one('x-app-handler')).toBe('mixed.own');
    expect(own.all('access-control-allow-origin')).toEqual([]);
    // Another method of the same URL still gets its policy.
    const item = await send(url, 'OPTIONS', '/public/42', preflight(EVIL, 'GET', 'x-custom'));
    expect(item.status).toBe(204);
    expect(grant(item)).toBe('*');
  });

  it('route parameters, wildcards, optional parameters and mixed segments', async () => {
    const url = await start(appFor(platform));
    for (const [path, origin, body, expected] of [
      ['/files/a/b/c.txt', PARTNER, 'files.file', PARTNER],
      ['/files/a/b/c.txt', APP, 'files.file', undefined],
      ['/files/opt', EVIL, 'files.optional', '*'],
      ['/files/opt/x', EVIL, 'files.optional', '*'],
      ['/files/range/1-9', ADMIN, 'files.range', `${ADMIN} +credentials`],
    ] as const) {
      const res = await send(url, 'GET', path, { Origin: origin });
      expect(res.body, path).toBe(body);
      expect(grant(res), `${path} from ${origin}`).toBe(expected);
      const pre = await send(url, 'OPTIONS', path, preflight(origin, 'GET', 'x-custom'));
      expect(pre.status, path).toBe(204);
      expect(grant(pre), `preflight ${path} from ${origin}`).toBe(expected);
    }
  });

  it('the policy follows the route the platform serves (Express: first registered; Fastify: static first; case and trailing slash)', async () => {
    const url = await start(appFor(platform));
    const policyOf: Record<string, string | undefined> = { 'order.byId': PARTNER, 'order.fresh': '*', 'public.list': '*' };
    for (const path of ['/order/new', '/order/7', '/PUBLIC', '/public/']) {
      for (const origin of [PARTNER, APP]) {
        const res = await send(url, 'GET', path, { Origin: origin });
        const handler = res.status === 200 ? res.body : 'none';
        const expected = handler === 'none' ? (origin === APP ? APP : undefined) : policyOf[handler] === '*' ? '*' : policyOf[handler] === origin ? origin : undefined;
        expect(grant(res), `${path} from ${origin}, served by ${handler}`).toBe(expected);
        const pre = await send(url, 'OPTIONS', path, preflight(origin, 'GET', 'x-custom'));
        expect(grant(pre), `preflight ${path} from ${origin}, for ${handler}`).toBe(expected);
      }
    }
    // The two routers really differ here (so the loop above checked both behaviours).
    expect((await send(url, 'GET', '/order/new')).body).toBe(platform.name === 'express' ? 'order.byId' : 'order.fresh');
    expect((await send(url, 'GET', '/PUBLIC')).status).toBe(platform.name === 'express' ? 200 : 404);
  });

  it('a request target in absolute form (RFC 9112 §3.2.2: http://host/path) gets the policy of the route it reaches', async () => {
    const url = await start(appFor(platform));
    const list = await send(url, 'GET', `${url}/public?page=2`, { Origin: EVIL });
    expect(list.body).toBe('public.list');
    expect(grant(list)).toBe('*');
    const put = await send(url, 'PUT', `${url}/mixed/thing`, { Origin: PARTNER });
    expect(put.body).toBe('mixed.put');
    expect(grant(put)).toBe(PARTNER);
    const post = await send(url, 'OPTIONS', `${url}/public`, preflight(ADMIN, 'POST', 'content-type'));
    expect(post.status).toBe(204);
    expect(grant(post)).toBe(`${ADMIN} +credentials`);
  });

  it('requests no route serves keep the module policy (404s carry its headers)', async () => {
    const url = await start(appFor(platform));
    const missing = await send(url, 'GET', '/no/such/route', { Origin: APP });
    expect(missing.status).toBe(404);
    expect(grant(missing)).toBe(APP);
    const pre = await send(url, 'OPTIONS', '/no/such/route', preflight(APP, 'DELETE'));
    expect(pre.status).toBe(204);
    expect(grant(pre)).toBe(APP);
    // A method with no route at a path that has others: the module's policy too.
    const patch = await send(url, 'OPTIONS', '/public', preflight(APP, 'PATCH'));
    expect(grant(patch)).toBe(APP);
    expect(grant(await send(url, 'OPTIONS', '/public', preflight(EVIL, 'PATCH')))).toBeUndefined();
  });

  describe('global prefix and versioning', () => {
    function versionedApp(): DynamicModule {
      @Controller({ path: 'items', version: '1' })
      @Cors({ origin: PARTNER })
      class ItemsV1 {
        @Get()
        list(): string {
          return 'v1.list';
        }

        @Put(':id')
        @Cors(ADMINS)
        put(): string {
          return 'v1.put';
        }
      }

      @Controller({ path: 'items', version: '2' })
      class ItemsV2 {
        @Get()
        list(): string {
          return 'v2.list';
        }
      }

      @Controller({ path: 'health', version: VERSION_NEUTRAL })
      @Cors(PUBLIC)
      class Health {
        @Get()
        check(): string {
          return 'health';
        }
      }

      @Module({ imports: [CorsModule.forRoot(MODULE)], controllers: [ItemsV1, ItemsV2, Health] })
      class VersionedModule {}
      return { module: VersionedModule };
    }

    it('uses the full paths Nest registers: /api/v1/…, /api/v2/…, and a route excluded from the prefix', async () => {
      const url = await start(versionedApp(), (app) => {
        app.setGlobalPrefix('api', { exclude: [{ path: 'health', method: RequestMethod.GET }] });
        app.enableVersioning({ type: VersioningType.URI });
      });
      for (const [method, path, headers, status, body, expected] of [
        ['GET', '/api/v1/items', { Origin: PARTNER }, 200, 'v1.list', PARTNER],
        ['GET', '/api/v2/items', { Origin: PARTNER }, 200, 'v2.list', undefined],
        ['GET', '/api/v2/items', { Origin: APP }, 200, 'v2.list', APP],
        ['GET', '/health', { Origin: EVIL }, 200, 'health', '*'],
        ['OPTIONS', '/api/v1/items/3', preflight(ADMIN, 'PUT'), 204, '', `${ADMIN} +credentials`],
        ['OPTIONS', '/api/v1/items', preflight(PARTNER, 'GET', 'x-custom'), 204, '', PARTNER],
        ['OPTIONS', '/api/v2/items', preflight(PARTNER, 'GET', 'x-custom'), 204, '', undefined],
        ['OPTIONS', '/health', preflight(EVIL, 'GET', 'x-custom'), 204, '', '*'],
        // Outside the registered paths: the module's policy.
        ['GET', '/v1/items', { Origin: APP }, 404, undefined, APP],
        ['GET', '/api/health', { Origin: EVIL }, 404, undefined, undefined],
      ] as const) {
        const res = await send(url, method, path, headers);
        const what = `${method} ${path} from ${headers.Origin}`;
        expect(res.status, what).toBe(status);
        if (body !== undefined) expect(res.body, what).toBe(body);
        expect(grant(res), what).toBe(expected);
      }
    });
  });

  describe('invalid policies fail app.init() with a CorsConfigError naming where they are', () => {
    async function initError(controller: new () => unknown): Promise<unknown> {
      @Module({ imports: [CorsModule.forRoot(MODULE)], controllers: [controller] })
      class BadModule {}
      return listen(platform, { module: BadModule }).then(
        (running) => running.close().then(() => undefined),
        (error: unknown) => error,
      );
    }

    it('on a handler', async () => {
      @Controller('bad')
      class BadHandlerController {
        @Get()
        @Cors({ origin: '*', credentials: true })
        read(): string {
          return 'x';
        }
      }
      const error = await initError(BadHandlerController);
      expect(error).toBeInstanceOf(CorsConfigError);
      expect(error).toMatchObject({ code: 'ORIGIN_WILDCARD_WITH_CREDENTIALS' });
      expect((error as Error).message).toContain('(in @Cors() of BadHandlerController.read)');
    });

    it('on a controller', async () => {
      @Controller('bad')
      @Cors({ origin: 'https://app.example.com/' })
      class BadController {
        @Get()
        read(): string {
          return 'x';
        }
      }
      const error = await initError(BadController);
      expect(error).toBeInstanceOf(CorsConfigError);
      expect(error).toMatchObject({ option: 'origin' });
      expect((error as Error).message).toContain('(in @Cors() of BadController)');
    });

    it('a value that is neither false nor options', async () => {
      @Controller('bad')
      class WrongTypeController {
        @Get()
        @Cors(true as unknown as false)
        read(): string {
          return 'x';
        }
      }
      const error = await initError(WrongTypeController);
      expect(error).toMatchObject({ name: 'CorsConfigError', code: 'OPTION_TYPE', option: '@Cors()' });
      expect((error as Error).message).toContain('WrongTypeController.read');
    });

    it('two policies for one path and method that only a version header tells apart', async () => {
      @Controller({ path: 'same', version: '1' })
      @Cors(PUBLIC)
      class SameV1 {
        @Get()
        read(): string {
          return '1';
        }
      }
      @Controller({ path: 'same', version: '2' })
      class SameV2 {
        @Get()
        read(): string {
          return '2';
        }
      }
      @Module({ imports: [CorsModule.forRoot(MODULE)], controllers: [SameV1, SameV2] })
      class HeaderVersioned {}
      const error: unknown = await listen(platform, { module: HeaderVersioned }, {
        setup: (app) => app.enableVersioning({ type: VersioningType.HEADER, header: 'X-Version' }),
      }).then(
        (running) => running.close().then(() => undefined),
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(CorsConfigError);
      expect((error as Error).message).toMatch(/SameV2\.read serves GET \/same like the route GET \/same/);
    });
  });
});
