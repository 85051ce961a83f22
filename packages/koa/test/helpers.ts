import { listen as listenOn, type Protocol, type RunningServer } from '@preflight/cors-conformance';
import Koa from 'koa';
import Koa2 from 'koa2';

/** Both supported majors, under the names tests print. Koa 2 is the `koa2` alias of koa@2. */
export const KOA_MAJORS = [
  ['Koa 3', Koa],
  ['Koa 2', Koa2],
] as const;

/** The Koa class (both majors share this API). */
export type KoaClass = typeof Koa;

/** A server listening on 127.0.0.1 on a free port. */
export type Listening = RunningServer;

/**
 * Serve a Koa app through `http.createServer(app.callback())` on 127.0.0.1:0, or through
 * `http2.createServer(app.callback())` (HTTP/2 without TLS) for `'h2c'`.
 */
export function listen(app: Koa, protocol: Protocol = 'http/1.1'): Promise<Listening> {
  return listenOn(app.callback(), protocol);
}

export { send, values, preflightHeaders as preflight } from '@preflight/cors-conformance';
export type { Reply } from '@preflight/cors-conformance';

export const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
