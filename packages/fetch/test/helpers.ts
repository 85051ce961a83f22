import type { Server } from 'node:http';
import { createServer as createH2cServer, type Http2Server } from 'node:http2';
import { listen, type Protocol, type RunningServer } from '@preflight/cors-conformance';
import { createAdaptorServer } from '@hono/node-server';

/** A server listening on 127.0.0.1 on a free port. */
export type Listening = RunningServer;

/** Anything `@hono/node-server` can serve: a fetch handler, or a Hono app's `fetch`. */
export type FetchCallback = Parameters<typeof createAdaptorServer>[0]['fetch'];

/**
 * Serve a fetch handler over real HTTP on 127.0.0.1:0 with `@hono/node-server` (Node's
 * `http` server, each request turned into a `Request`, the returned `Response` written out);
 * for `'h2c'`, on node:http2 without TLS (`createServer: http2.createServer`).
 *
 * `nativeFetchObjects: true` keeps Node's own `Request`/`Response` globals, as Deno, Bun and
 * Workers have; by default `@hono/node-server` installs its lighter `Response` (what Hono
 * users on Node get).
 */
export function serveFetch(fetch: FetchCallback, nativeFetchObjects = false, protocol: Protocol = 'http/1.1'): Promise<Listening> {
  const overrideGlobalObjects = !nativeFetchObjects;
  if (protocol === 'h2c') return listen(createAdaptorServer({ fetch, overrideGlobalObjects, createServer: createH2cServer }) as Http2Server);
  return listen(createAdaptorServer({ fetch, overrideGlobalObjects }) as Server);
}

export { send, values, preflightHeaders as preflight } from '@preflight/cors-conformance';
export type { Reply } from '@preflight/cors-conformance';

export const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
