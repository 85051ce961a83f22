import type { ConformanceHarness } from '@preflight/cors-conformance';
import { withCors, type NodeRequest, type NodeResponse } from '@preflight/cors-node';
import { listen } from './helpers.js';

/**
 * The standard routes as a plain request listener (node:http has no router of its own); the
 * same listener serves node:http and node:http2's compatibility API.
 */
export function routes(req: NodeRequest, res: NodeResponse): void {
  const path = (req.url ?? '/').split('?')[0];
  const method = req.method ?? '';
  const answer = (name: string, status: number, body: string): void => {
    res.setHeader('X-App-Handler', name);
    res.statusCode = status;
    res.end(body);
  };
  const echo = (): void => {
    res.setHeader('X-Request-Id', '42');
    res.setHeader('X-Secret', 's');
    answer('echo', 200, 'ok');
  };
  if (path === '/echo' && ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(method)) return echo();
  if (path === '/prefix/nested/echo' && (method === 'GET' || method === 'HEAD')) return echo();
  if (path === '/options' && method === 'OPTIONS') return answer('options', 200, 'app-options');
  if (method === 'GET' || method === 'HEAD') {
    switch (path) {
      case '/vary-after':
        res.setHeader('Vary', 'Accept-Encoding');
        return answer('vary-after', 200, 'ok');
      case '/vary-before':
        return answer('vary-before', 200, 'ok');
      case '/error':
        res.setHeader('X-App-Handler', 'error');
        // withCors turns a thrown error into its 500 (our "framework's own 500").
        throw new Error('boom');
      case '/http-error':
        // node:http's idiomatic HTTP error: set the status and answer.
        return answer('http-error', 400, 'Bad Request');
      case '/status-500':
        return answer('status-500', 500, 'failed');
    }
  }
  // node:http's "own" 404: no handler ran.
  res.statusCode = 404;
  res.end('Not Found');
}

/**
 * Conformance harness for `withCors`: over node:http, and over node:http2's compatibility
 * API without TLS (`http2.createServer(withCors(…))`).
 */
export const harness: ConformanceHarness = {
  name: 'node:http, node:http2 (withCors)',
  protocols: ['http/1.1', 'h2c'],
  async start(options, { protocol = 'http/1.1' } = {}) {
    const listener = withCors(options, routes, { onError: () => {} });
    return listen((req, res) => {
      // A layer in front of the CORS layer that sets Vary for /vary-before.
      if (req.url === '/vary-before') res.setHeader('Vary', 'Accept-Language');
      listener(req, res);
    }, protocol);
  },
};
