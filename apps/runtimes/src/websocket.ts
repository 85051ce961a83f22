// WebSocket handshakes through the CORS layer (test/websocket.test.ts). A handshake is outside
// CORS, and the layer must let it through as the runtime made it, in the two shapes users write:
// - a Worker proxying the upgrade to an origin server with `fetch(upstream, request)`: workerd's
//   `101 Switching Protocols` from fetch() has immutable headers;
// - Bun's idiom `if (server.upgrade(request)) return;`: the handler returns undefined.
// Every other path answers `ok` through the same layer, with the CORS headers. Nothing here needs Node.
import { configs } from '@preflight/cors-conformance';
import { cors, withCors } from '@preflight/cors-fetch';
import { Hono } from 'hono';
import type { Handler } from './app.js';

/** The path whose requests are WebSocket handshakes. */
export const WEBSOCKET_PATH = '/ws';

/** The suite's `exact` configuration: test/websocket.test.ts sends an allowed and a refused Origin. */
const options = configs.exact;

const ok = (): Response => new Response('ok');

/** A Worker that proxies `/ws` to `upstream` (a WebSocket server): withCors around a plain handler, or a Hono app with cors(). */
export const PROXY_APPS = {
  'ws-proxy': (upstream: string): Handler => {
    const handler = withCors(options, (request: Request) => (new URL(request.url).pathname === WEBSOCKET_PATH ? fetch(upstream, request) : ok()));
    return async (request) => handler(request);
  },
  'ws-proxy-hono': (upstream: string): Handler => {
    const app = new Hono();
    app.use(cors(options));
    app.get(WEBSOCKET_PATH, (c) => fetch(upstream, c.req.raw));
    app.get('*', ok);
    return async (request) => app.fetch(request);
  },
} as const;

export function isProxyApp(app: string): app is keyof typeof PROXY_APPS {
  return Object.hasOwn(PROXY_APPS, app);
}

/** The part of Bun's `Server` (the handler's second argument) used here. */
export interface BunServerLike {
  upgrade(request: Request): boolean;
}

/** Bun: `/ws` upgraded with `server.upgrade(request)`, which leaves nothing to return. */
export const bunUpgradeApp = withCors(options, (request: Request, server: BunServerLike): Response | undefined => {
  if (new URL(request.url).pathname === WEBSOCKET_PATH && server.upgrade(request)) return undefined;
  return ok();
});
