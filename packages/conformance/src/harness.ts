import type { CorsOptions } from '@preflight/cors-core';
import type { Protocol } from './protocol.js';

/** What the suite tells `start` besides the options. */
export interface StartContext {
  /** The protocol the server must speak: one of the harness's `protocols` (default `'http/1.1'`). */
  readonly protocol?: Protocol;
}

/**
 * A running server started by a harness.
 */
export interface RunningServer {
  /** Base URL: `http://127.0.0.1:<port>` (`https://` for a TLS server), no trailing slash. */
  readonly url: string;
  /** Stop the server and release its port. */
  close(): Promise<void>;
}

/**
 * What an adapter author implements, in one small file, to run the conformance suite.
 *
 * `start` builds a real server of the framework on 127.0.0.1 (port 0), with the adapter
 * registered with exactly `options`, and these standard routes (see `STANDARD_ROUTES`):
 *
 * | route | behaviour |
 * | --- | --- |
 * | `GET, HEAD, POST, PUT, PATCH, DELETE /echo` | 200, body `ok`, headers `X-App-Handler: echo`, `X-Request-Id: 42`, `X-Secret: s` |
 * | `GET /prefix/nested/echo` | same as `/echo` (a route under a prefix / plugin / router) |
 * | `OPTIONS /options` | the application's own OPTIONS route: 200, body `app-options`, `X-App-Handler: options` |
 * | `GET /vary-after` | the handler *sets* (not appends) `Vary: Accept-Encoding` with the framework's usual header setter, after the CORS layer ran; 200 |
 * | `GET /vary-before` | a hook or middleware registered **before** the CORS layer sets `Vary: Accept-Language` for this path; the handler answers 200 |
 * | `GET /error` | the handler throws `new Error('boom')` → the framework's own 500 |
 * | `GET /http-error` | the handler fails with the framework's idiomatic HTTP error for 400 (`ctx.throw(400)`, `reply.code(400)`, `BadRequestException`…) |
 * | `GET /status-500` | the handler itself sends status 500, body `failed` |
 * | anything else | the framework's own 404 |
 *
 * Every handler sets `X-App-Handler` (the route's name) before it answers, so the suite can
 * tell whether the application ran. The package README ("The harness contract") says each
 * rule for middleware stacks and for hook-based frameworks (Fastify, hapi, h3…). A `start()`
 * that throws fails every case of its configuration with the error.
 */
export interface ConformanceHarness {
  /** Shown in test names, e.g. `fastify`, `nestjs (express)`. */
  readonly name: string;
  /**
   * Start a server with the adapter configured by `options`, speaking `context.protocol`:
   * one of the harness's `protocols`; HTTP/1.1 when `context` is omitted.
   */
  start(options: CorsOptions, context?: StartContext): Promise<RunningServer>;
  /**
   * The protocols the server can speak (default `['http/1.1']`). The suite starts a server
   * and runs every case once per protocol: `'h2c'` is HTTP/2 without TLS, prior knowledge
   * (`http2.createServer()`, Fastify's `http2: true`); `listen(handler, 'h2c')` serves a
   * request listener that way.
   */
  readonly protocols?: readonly Protocol[];
  /**
   * Cases this adapter cannot meet, by case id, with the reason. A declared skip is
   * reported as skipped with its reason; the adapter's README must say it too.
   */
  readonly skip?: Readonly<Record<string, string>>;
}

/** Route table of the standard routes, for harness authors. */
export const STANDARD_ROUTES = {
  echo: '/echo',
  nestedEcho: '/prefix/nested/echo',
  options: '/options',
  varyAfter: '/vary-after',
  varyBefore: '/vary-before',
  error: '/error',
  httpError: '/http-error',
  status500: '/status-500',
} as const;

/** Headers every standard handler sets. */
export const HANDLER_HEADERS = { 'X-Request-Id': '42', 'X-Secret': 's' } as const;
