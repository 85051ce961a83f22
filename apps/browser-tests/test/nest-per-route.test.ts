import 'reflect-metadata';
import type { IncomingHttpHeaders, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Controller, Get, type INestApplication, Module, Put, Req } from '@nestjs/common';
import { NestFactory, type AbstractHttpAdapter } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Cors, CorsModule, type CorsOptions } from '@preflight/cors-nestjs';
import { launchChromium, SESSION_COOKIE, startPageServer } from '@preflight/demo';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOSTS, openBrowserSide, RESOLVER_RULES, type BrowserSide, type RunnerPage } from './support.js';

// NestJS `@Cors()` in a real Chromium, on Express and on Fastify: a public controller
// (`origin: '*'`) and a credentialed controller (the app origin, with cookies) in one
// application whose module policy allows neither page. Pages on the allowed and on a refused
// origin call fetch(), simply and with a preflight; the page sees what the route's policy
// grants, and a refused preflight keeps the real request from reaching the server.

const PLATFORMS: ReadonlyArray<{ name: string; adapter: () => AbstractHttpAdapter }> = [
  { name: 'express', adapter: () => new ExpressAdapter() },
  { name: 'fastify', adapter: () => new FastifyAdapter() },
];

/** One fetch() and what must come of it. */
interface Case {
  readonly id: string;
  readonly from: 'app' | 'other';
  readonly method: 'GET' | 'PUT';
  readonly path: '/public/items' | '/account/me';
  /** `X-Custom` makes the request preflighted. */
  readonly preflighted: boolean;
  readonly credentials: RequestCredentials;
  /** What the page observes. */
  readonly outcome: 'resolved' | 'rejected';
  /** Chromium's CORS error, when rejected. */
  readonly corsError?: string;
  /** The requests the server received, in order. */
  readonly server: readonly string[];
}

const CASES: readonly Case[] = [
  // The public controller: `@Cors({ origin: '*' })`.
  { id: 'public-simple-app', from: 'app', method: 'GET', path: '/public/items', preflighted: false, credentials: 'omit', outcome: 'resolved', server: ['GET'] },
  { id: 'public-simple-other', from: 'other', method: 'GET', path: '/public/items', preflighted: false, credentials: 'omit', outcome: 'resolved', server: ['GET'] },
  { id: 'public-preflight-app', from: 'app', method: 'PUT', path: '/public/items', preflighted: true, credentials: 'omit', outcome: 'resolved', server: ['OPTIONS', 'PUT'] },
  { id: 'public-preflight-other', from: 'other', method: 'PUT', path: '/public/items', preflighted: true, credentials: 'omit', outcome: 'resolved', server: ['OPTIONS', 'PUT'] },
  // '*' never grants a credentialed request: the route's own policy, not the account one.
  { id: 'public-credentials', from: 'app', method: 'GET', path: '/public/items', preflighted: false, credentials: 'include', outcome: 'rejected', corsError: 'WildcardOriginNotAllowed', server: ['GET'] },
  // The account controller: `@Cors({ origin: <app>, credentials: true })`.
  { id: 'account-simple-app', from: 'app', method: 'GET', path: '/account/me', preflighted: false, credentials: 'include', outcome: 'resolved', server: ['GET'] },
  { id: 'account-simple-other', from: 'other', method: 'GET', path: '/account/me', preflighted: false, credentials: 'include', outcome: 'rejected', corsError: 'MissingAllowOriginHeader', server: ['GET'] },
  { id: 'account-preflight-app', from: 'app', method: 'PUT', path: '/account/me', preflighted: true, credentials: 'include', outcome: 'resolved', server: ['OPTIONS', 'PUT'] },
  { id: 'account-preflight-other', from: 'other', method: 'PUT', path: '/account/me', preflighted: true, credentials: 'include', outcome: 'rejected', corsError: 'PreflightMissingAllowOriginHeader', server: ['OPTIONS'] },
];

/** What the account handlers read from the request, on Express and on Fastify alike. */
interface AnyRequest {
  readonly headers: IncomingHttpHeaders;
}

/** The Nest application: module policy for a third origin only; the controllers' own `@Cors()` when `decorated`. */
function apiModule(appOrigin: string, decorated: boolean): new () => unknown {
  const PUBLIC: CorsOptions = { origin: '*' };
  const ACCOUNT: CorsOptions = { origin: appOrigin, credentials: true };
  const cors = (options: CorsOptions): ClassDecorator => (decorated ? Cors(options) : () => undefined);

  @Controller('public')
  @cors(PUBLIC)
  class PublicController {
    @Get('items')
    list() {
      return { items: ['a', 'b'] };
    }

    @Put('items')
    replace() {
      return { replaced: true };
    }
  }

  @Controller('account')
  @cors(ACCOUNT)
  class AccountController {
    @Get('me')
    me(@Req() req: AnyRequest) {
      return { cookie: req.headers.cookie ?? null };
    }

    @Put('me')
    update(@Req() req: AnyRequest) {
      return { cookie: req.headers.cookie ?? null };
    }
  }

  @Module({ imports: [CorsModule.forRoot({ origin: 'https://elsewhere.example.com' })], controllers: [PublicController, AccountController] })
  class ApiModule {}
  return ApiModule;
}

let browser: Browser | undefined;
let pages: Array<{ port: number; close(): Promise<void> }> = [];
let appOrigin = '';

beforeAll(async () => {
  pages = [await startPageServer(), await startPageServer()];
  appOrigin = `http://${HOSTS.app}:${pages[0]!.port}`;
  browser = await launchChromium([RESOLVER_RULES]);
});

afterAll(async () => {
  await browser?.close();
  await Promise.all(pages.map((p) => p.close()));
});

let run = 0;

/** Serve the API on 127.0.0.1 (reached as api.example.test), open fresh pages, run one case. */
async function observe(app: INestApplication, side: BrowserSide, seen: string[], c: Case) {
  const { port } = app.getHttpServer().address() as AddressInfo;
  const tag = `nest-per-route-${++run}-${c.id}`;
  const url = `http://${HOSTS.api}:${port}${c.path}?case=${tag}`;
  const page: RunnerPage = c.from === 'app' ? side.app : side.other;
  const result = await page.run({
    url,
    method: c.method,
    headers: c.preflighted ? [['X-Custom', 'yes']] : [],
    credentials: c.credentials,
    body: c.method === 'PUT' ? '{}' : null,
    probe: [],
  });
  const corsErrors = result.outcome === 'rejected' ? await page.corsErrors(url, true) : [];
  // The server has written its responses before the page learns of a refusal; give the log a moment.
  await new Promise((r) => setTimeout(r, 50));
  const received = seen.filter((line) => line.includes(tag)).map((line) => line.split(' ')[0]);
  return { result, corsErrors, received };
}

describe.each(PLATFORMS)('NestJS @Cors() on $name in Chromium', (platform) => {
  describe.each([
    { decorated: true, label: 'with @Cors() on the controllers' },
    { decorated: false, label: 'negative control: the same controllers without @Cors() (module policy only)' },
  ])('$label', ({ decorated }) => {
    let app: INestApplication | undefined;
    let side: BrowserSide | undefined;
    const seen: string[] = [];

    beforeAll(async () => {
      app = await NestFactory.create(apiModule(appOrigin, decorated), platform.adapter(), { logger: false, abortOnError: false });
      await app.listen(0, '127.0.0.1');
      // Every request as it arrives on the socket (answered preflights never reach Nest's middleware).
      (app.getHttpServer() as Server).on('request', (req: IncomingMessage) => seen.push(`${req.method} ${req.url}`));
      side = await openBrowserSide(browser!, { app: pages[0]!.port, other: pages[1]!.port });
    });

    afterAll(async () => {
      await side?.close();
      await app?.close();
    });

    it.each(CASES)('$id', async (c) => {
      const { result, corsErrors, received } = await observe(app!, side!, seen, c);
      if (decorated) {
        expect(result.outcome, `${result.error} ${corsErrors.join(',')}`).toBe(c.outcome);
        if (c.outcome === 'resolved') {
          expect(result.status).toBe(200);
          if (c.path === '/account/me') expect(JSON.parse(result.body)).toEqual({ cookie: `${SESSION_COOKIE}=c00kie` });
        } else {
          expect(corsErrors).toContain(c.corsError);
        }
        expect(received).toEqual(c.server);
      } else {
        // Without the decorators no page origin is allowed: every case fails in the browser.
        expect(result.outcome).toBe('rejected');
      }
    });
  });
});
