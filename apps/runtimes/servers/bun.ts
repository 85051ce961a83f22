// The Bun server: Bun.serve on 127.0.0.1, a free port; prints its URL for processHarness.
// With RUNTIME_APP `ws-upgrade`, the WebSocket application of src/websocket.ts, echoing messages.
import { appFor } from '../src/app.js';
import { bunUpgradeApp, type BunServerLike } from '../src/websocket.js';

interface BunWebSocket {
  send(message: string | Uint8Array): void;
}

declare const Bun: {
  env: Record<string, string | undefined>;
  serve(options: {
    hostname: string;
    port: number;
    fetch: (request: Request, server: BunServerLike) => Response | undefined | Promise<Response | undefined>;
    websocket?: { message(ws: BunWebSocket, message: string | Uint8Array): void };
  }): { url: URL };
};

const app = Bun.env.RUNTIME_APP;
const server = Bun.serve({
  hostname: '127.0.0.1',
  port: 0,
  ...(app === 'ws-upgrade'
    ? { fetch: bunUpgradeApp, websocket: { message: (ws: BunWebSocket, message: string | Uint8Array) => ws.send(message) } }
    : { fetch: appFor(app, Bun.env.CONFORMANCE_CONFIG) }),
});
console.log(`listening on ${server.url.origin}`);
