import type { ConformanceHarness } from '@preflight/cors-conformance';
import connect from 'connect';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { cors, type CorsOptions, type NodeRequest, type NodeResponse } from '@preflight/cors-node';
import { routes } from './harness.js';
import { listen } from './helpers.js';

/**
 * The standard app as a Connect stack with the `cors()` middleware, as a request listener for
 * node:http and node:http2 alike: Connect only calls `(req, res, next)` and `res.end`, so it
 * runs on `Http2ServerRequest`/`Http2ServerResponse` as they are.
 */
export function connectApp(options: CorsOptions): (req: NodeRequest, res: NodeResponse) => void {
  const app = connect();
  // Registered before the CORS layer: a Vary of its own for /vary-before.
  app.use((req: IncomingMessage, res: ServerResponse, next: () => void) => {
    if (req.url === '/vary-before') res.setHeader('Vary', 'Accept-Language');
    next();
  });
  app.use(cors(options));
  app.use((req: IncomingMessage, res: ServerResponse) => routes(req, res));
  // The error handler answers the thrown /error and the predicate failure with 500.
  app.use((_err: unknown, _req: IncomingMessage, res: ServerResponse, _next: (err?: unknown) => void) => {
    res.statusCode = 500;
    res.end('Internal Server Error');
  });
  return app as unknown as (req: NodeRequest, res: NodeResponse) => void;
}

/** Conformance harness for `cors()` in a Connect stack, over node:http and node:http2 without TLS. */
export const connectHarness: ConformanceHarness = {
  name: 'connect (cors())',
  protocols: ['http/1.1', 'h2c'],
  start: (options, { protocol = 'http/1.1' } = {}) => listen(connectApp(options), protocol),
};
