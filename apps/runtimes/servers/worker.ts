// The Cloudflare Worker (module syntax): run by workerd through Miniflare (servers/miniflare.ts),
// configured through its bindings. With RUNTIME_APP `ws-proxy` or `ws-proxy-hono`, it proxies
// WebSocket handshakes to WS_UPSTREAM instead (src/websocket.ts).
import { appFor, type Handler } from '../src/app.js';
import { isProxyApp, PROXY_APPS } from '../src/websocket.js';

interface Env {
  readonly RUNTIME_APP: string;
  readonly CONFORMANCE_CONFIG: string;
  readonly WS_UPSTREAM: string;
}

let handler: Handler | undefined;

export default {
  fetch(request: Request, env: Env): Promise<Response> {
    handler ??= isProxyApp(env.RUNTIME_APP) ? PROXY_APPS[env.RUNTIME_APP](env.WS_UPSTREAM) : appFor(env.RUNTIME_APP, env.CONFORMANCE_CONFIG);
    return handler(request);
  },
};
