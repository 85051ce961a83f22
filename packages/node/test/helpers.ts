import { request as httpRequest, type IncomingHttpHeaders, type RequestListener, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A server listening on 127.0.0.1 on a free port. */
export interface Listening {
  readonly url: string;
  close(): Promise<void>;
}

/** Start `handler` (a node:http listener, an Express or a Connect app) on 127.0.0.1:0. */
export function listen(handler: RequestListener | Server): Promise<Listening> {
  const server = typeof handler === 'function' ? createServer(handler) : handler;
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
  /** Header names as received, in order (to count duplicates). */
  readonly rawHeaderNames: readonly string[];
  readonly body: string;
}

/** One HTTP/1.1 request on its own connection (no keep-alive, no CORS logic of a client). */
export function send(url: string, init: { method?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: init.method ?? 'GET', headers: init.headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('error', reject);
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          rawHeaderNames: res.rawHeaders.filter((_, i) => i % 2 === 0).map((n) => n.toLowerCase()),
          body,
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** A preflight as a browser sends it. */
export function preflightHeaders(origin: string, method = 'PUT', headers?: string): Record<string, string> {
  const out: Record<string, string> = { Origin: origin, 'Access-Control-Request-Method': method };
  if (headers !== undefined) out['Access-Control-Request-Headers'] = headers;
  return out;
}

/** Count how many times a header name appears in a reply. */
export function count(reply: Reply, name: string): number {
  return reply.rawHeaderNames.filter((n) => n === name.toLowerCase()).length;
}
