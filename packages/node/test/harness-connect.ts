import type { ConformanceHarness } from '@preflight/cors-conformance';
import connect from 'connect';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { cors, type NodeRequest, type NodeResponse } from '@preflight/cors-node';
import { routes } from './harness.js';
import { listen } from './helpers.js';

/**
 * Conformance harness for the `cors()` middleware in a Connect stack, over node:http and over
 * node:http2's compatibility API without TLS: Connect only calls `(req, res, next)` and
 * `res.end`, so it runs on `Http2ServerRequest`/`Http2ServerResponse` as they are.
 */
export const connectHarness: ConformanceHarness = {
  name: 'connect (cors())',
  protocols: ['http/1.1', 'h2c'],
  async start(options, { protocol = 'http/1.1' } = {}) {
    const app = connect();
    // Registered before the CORS layer: a Vary of its own for /vary-before.
    app.use((req: IncomingMessage, res: ServerResponse, next: () => void) => {
      if (req.url === '/vary-before') res.setHeader('Vary', 'Accept-Language');
      next();
    });
    app.use(cors(options));
    app.use((req: IncomingMessage, res: ServerResponse) => routes(req as NodeRequest, res as NodeResponse));
    // Connect's own error handler answers the thrown /error and the predicate failure with 500.
    app.use((err: unknown, _req: IncomingMessage, res: ServerResponse, _next: (err?: unknown) => void) => {
      res.statusCode = 500;
      res.end(err instanceof Error ? 'Internal Server Error' : 'error');
    });
    return listen(app as unknown as (req: NodeRequest, res: NodeResponse) => void, protocol);
  },
};
