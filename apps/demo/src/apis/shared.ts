import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CorsOptions } from '@preflight/cors-core';
import { testFont, testPng } from '../assets.js';
import { hasSessionCookie, recordRequests, RequestLog, withRefusalLogging } from '../log.js';

/** The adapters the demo and the browser tests run, one API server each. */
export type AdapterId = 'node' | 'express' | 'fastify' | 'koa' | 'nest-express' | 'nest-fastify' | 'hono' | 'fetch' | 'hapi' | 'h3';

/** How to start one API. Every adapter serves the same routes (see `ROUTES`). */
export interface StartApiOptions {
  /** The CORS policy, passed to the adapter unchanged (plus a logging `onRefusal`). */
  readonly cors: CorsOptions;
  /** Port to listen on; default 0 (any free port). */
  readonly port?: number;
  /** Address to listen on; default `127.0.0.1`. */
  readonly host?: string;
  /** Host name used in `url` (e.g. `api.example.test` or `localhost`); default `host`. */
  readonly publicHost?: string;
}

/** A running API server. */
export interface ApiServer {
  readonly adapter: AdapterId;
  /** Human name, e.g. `NestJS (Fastify)`. */
  readonly label: string;
  /** Base URL, no trailing slash. */
  readonly url: string;
  readonly port: number;
  /** Every request this server received, with the response head and refusal reason. */
  readonly log: RequestLog;
  /** Stop listening and close every connection. */
  close(): Promise<void>;
}

/** Starts one API server for an adapter. */
export type StartApi = (options: StartApiOptions) => Promise<ApiServer>;

/**
 * The routes every API serves. Any query string is accepted (`?case=<id>` keeps preflight
 * cache entries apart).
 *
 * | route | behaviour |
 * | --- | --- |
 * | `GET HEAD POST PUT PATCH DELETE /api/echo` | 200 JSON `EchoBody`, headers `X-Request-Id: 42` (exposed by the demo policy), `X-Secret: s` (not exposed), `Cache-Control: no-store` |
 * | `GET /api/error` | the handler throws: the framework's own 500 |
 * | `GET /api/http-error` | the framework's idiomatic 400 |
 * | `GET /api/status-500` | the handler answers 500, body `failed` |
 * | `GET /assets/test.png` | the test image (`image/png`, see `testPng`), for `<img>`, canvas, WebGL and `shape-outside` |
 * | `GET /assets/test.ttf` | the test font (`font/ttf`, see `testFont`), for `@font-face` |
 * | anything else | the framework's own 404 |
 */
export const ROUTES = {
  echo: '/api/echo',
  error: '/api/error',
  httpError: '/api/http-error',
  status500: '/api/status-500',
  image: '/assets/test.png',
  font: '/assets/test.ttf',
} as const;

/** A static asset every API serves: its bytes and headers. */
export interface Asset {
  readonly body: Buffer;
  readonly headers: { readonly 'Content-Type': string; readonly 'Cache-Control': string };
}

/**
 * The assets, by route. `no-store`: every load reaches the API (the tests and the page read
 * its request log), and the browser's caches never answer for it; the page also gives every
 * load a URL of its own (`?case=`), since images and fonts are cached by URL in memory too.
 */
export const ASSETS: Readonly<Record<typeof ROUTES.image | typeof ROUTES.font, Asset>> = {
  [ROUTES.image]: { body: testPng(), headers: { 'Content-Type': 'image/png', 'Cache-Control': 'no-store' } },
  [ROUTES.font]: { body: testFont(), headers: { 'Content-Type': 'font/ttf', 'Cache-Control': 'no-store' } },
};

/** The asset served at `path`, if any. */
export function assetAt(path: string): Asset | undefined {
  return path === ROUTES.image || path === ROUTES.font ? ASSETS[path] : undefined;
}

/**
 * Headers `/api/echo` sets. `no-store` keeps the browser's HTTP cache (and Express's ETag
 * revalidation, a 304) out of repeated requests: only the preflight cache is at play.
 */
export const ECHO_HEADERS = { 'X-Request-Id': '42', 'X-Secret': 's', 'Cache-Control': 'no-store' } as const;

/** What `/api/echo` answers: what the server received. */
export interface EchoBody {
  readonly adapter: AdapterId;
  readonly method: string;
  /** The session cookie arrived. */
  readonly cookie: boolean;
  /** An `Authorization` header arrived. */
  readonly authorization: boolean;
  /** The `X-Custom` request header, if any. */
  readonly custom: string | null;
}

/** The body of `/api/echo`. */
export function echoBody(adapter: AdapterId, method: string, headers: IncomingHttpHeaders): EchoBody {
  const custom = headers['x-custom'];
  return {
    adapter,
    method,
    cookie: hasSessionCookie(headers.cookie),
    authorization: headers.authorization !== undefined,
    custom: custom === undefined ? null : String(custom),
  };
}

/** A Fetch API `Headers` as Node's header object, for `echoBody` (names are lower case in both). */
export function nodeHeaders(headers: Headers): IncomingHttpHeaders {
  return Object.fromEntries(headers);
}

/** Listen, record requests, and build the `ApiServer` handle. */
export async function serve(
  adapter: AdapterId,
  label: string,
  server: Server,
  log: RequestLog,
  options: StartApiOptions,
  stop: () => Promise<void>,
): Promise<ApiServer> {
  const host = options.host ?? '127.0.0.1';
  recordRequests(server, log);
  if (!server.listening) {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  }
  const port = (server.address() as AddressInfo).port;
  return {
    adapter,
    label,
    url: `http://${options.publicHost ?? host}:${port}`,
    port,
    log,
    async close() {
      server.closeAllConnections();
      await stop();
    },
  };
}

/** The adapter's options: the caller's, with refusals written into the request log. */
export function corsOptionsFor(options: StartApiOptions): CorsOptions {
  return withRefusalLogging(options.cors);
}

/** Close a node:http server. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
}

export { RequestLog };
