import { request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';

/** A server listening on 127.0.0.1 on a free port. */
export interface Listening {
  readonly url: string;
  close(): Promise<void>;
}

/** Anything `@hono/node-server` can serve: a fetch handler, or a Hono app's `fetch`. */
export type FetchCallback = Parameters<typeof createAdaptorServer>[0]['fetch'];

/**
 * Serve a fetch handler over real HTTP on 127.0.0.1:0 with `@hono/node-server` (Node's
 * `http` server, each request turned into a `Request`, the returned `Response` written out).
 *
 * `nativeFetchObjects: true` keeps Node's own `Request`/`Response` globals, as Deno, Bun and
 * Workers have; by default `@hono/node-server` installs its lighter `Response` (what Hono
 * users on Node get).
 */
export function serveFetch(fetch: FetchCallback, nativeFetchObjects = false): Promise<Listening> {
  const server = createAdaptorServer({ fetch, overrideGlobalObjects: !nativeFetchObjects }) as Server;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done, fail) => {
            server.closeAllConnections();
            server.close((err) => (err ? fail(err) : done()));
          }),
      });
    });
  });
}

/** What a client sees. */
export interface Reply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** Header lines as received: [lower-cased name, value], in order (to count duplicates). */
  readonly lines: ReadonlyArray<readonly [string, string]>;
  readonly body: string;
}

/** One HTTP/1.1 request on its own connection. An array value sends one line per element. */
export function send(url: string, init: { method?: string; headers?: Record<string, string | string[]> } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: init.method ?? 'GET', headers: init.headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('error', reject);
      res.on('end', () => {
        const lines: Array<readonly [string, string]> = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) lines.push([res.rawHeaders[i]!.toLowerCase(), res.rawHeaders[i + 1]!]);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, lines, body });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** A preflight as a browser sends it. */
export function preflight(origin: string, method = 'PUT', requestHeaders?: string): Record<string, string> {
  const out: Record<string, string> = { Origin: origin, 'Access-Control-Request-Method': method };
  if (requestHeaders !== undefined) out['Access-Control-Request-Headers'] = requestHeaders;
  return out;
}

/** Every value of one header, one per line received. */
export function values(reply: Reply, name: string): string[] {
  const key = name.toLowerCase();
  return reply.lines.filter(([n]) => n === key).map(([, v]) => v);
}

export const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
