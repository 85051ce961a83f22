import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { createServer as createH2cServer, type Http2SecureServer, type Http2Server, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';
import type { RunningServer } from './harness.js';
import type { Protocol } from './protocol.js';

/**
 * A request listener that serves both node:http and node:http2's compatibility API
 * (`koaApp.callback()`, `withCors(…)` of `@preflight/cors-node`).
 */
export type DualListener = (req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse) => unknown;

/**
 * Start a server on 127.0.0.1, port 0: a request listener (an Express or Connect app,
 * `koaApp.callback()`…) or a server you created (node:http, or node:http2 with or without
 * TLS). With `protocol` `'h2c'`, a listener is served by `http2.createServer()` (HTTP/2
 * without TLS). `close()` also ends kept-alive connections and HTTP/2 sessions. For
 * harnesses and adapter tests.
 *
 * @example
 * ```ts
 * const server = await listen(express().use(cors(options)));
 * const reply = await send(`${server.url}/echo`, { headers: { Origin: 'https://app.example.com' } });
 * await server.close();
 * ```
 */
export function listen(handler: RequestListener | Server | Http2Server | Http2SecureServer): Promise<RunningServer>;
export function listen(handler: DualListener, protocol: Protocol): Promise<RunningServer>;
export function listen(handler: RequestListener | DualListener | Server | Http2Server | Http2SecureServer, protocol: Protocol = 'http/1.1'): Promise<RunningServer> {
  const server =
    typeof handler !== 'function' ? handler : protocol === 'h2c' ? createH2cServer(handler as DualListener) : createServer(handler as RequestListener);
  const scheme = 'setSecureContext' in server ? 'https' : 'http';
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `${scheme}://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done, fail) => {
            for (const socket of sockets) socket.destroy();
            server.close((err) => (err ? fail(err) : done()));
          }),
      });
    });
  });
}

/** What a client sees of a response. */
export interface Reply {
  readonly status: number;
  /** Node's parsed headers (repeated lines joined). */
  readonly headers: IncomingHttpHeaders;
  /** Header lines as received: [lower-cased name, value], in order (to count duplicates). */
  readonly lines: ReadonlyArray<readonly [string, string]>;
  /** Lower-cased header names as received, in order. */
  readonly rawHeaderNames: readonly string[];
  readonly body: string;
}

/**
 * One HTTP/1.1 request on its own connection, with node:http (no keep-alive, no CORS logic
 * of a client). An array header value sends one line per element. For byte-exact or
 * malformed requests use `rawRequest`.
 */
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
        resolve({ status: res.statusCode ?? 0, headers: res.headers, lines, rawHeaderNames: lines.map(([n]) => n), body });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** The headers of a preflight as a browser sends it. */
export function preflightHeaders(origin: string, method = 'PUT', requestHeaders?: string): Record<string, string> {
  const out: Record<string, string> = { Origin: origin, 'Access-Control-Request-Method': method };
  if (requestHeaders !== undefined) out['Access-Control-Request-Headers'] = requestHeaders;
  return out;
}

/** Every value of one header, one per line received (name case-insensitive). */
export function values(reply: Reply, name: string): string[] {
  const key = name.toLowerCase();
  return reply.lines.filter(([n]) => n === key).map(([, v]) => v);
}

/** How many lines of one header a reply carried. */
export function count(reply: Reply, name: string): number {
  return values(reply, name).length;
}

/** The single value of a header; throws when it was sent more than once. */
export function header(reply: Reply, name: string): string | undefined {
  const all = values(reply, name);
  if (all.length > 1) throw new Error(`${name} sent ${all.length} times: ${JSON.stringify(all)}`);
  return all[0];
}

/** Vary tokens across every Vary line, as sent (case kept). */
export function vary(reply: Reply): string[] {
  return values(reply, 'vary')
    .flatMap((v) => v.split(','))
    .map((t) => t.trim())
    .filter((t) => t !== '');
}
