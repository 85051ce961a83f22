import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { withCors } from '@preflight/cors-node';
import { assetAt, closeServer, corsOptionsFor, ECHO_HEADERS, echoBody, RequestLog, ROUTES, serve, type StartApi } from './shared.js';

const ECHO_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']);

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.statusCode = status;
  res.setHeader('Content-Type', type);
  res.end(body);
}

/** The routes, as a plain node:http listener. */
function routes(req: IncomingMessage, res: ServerResponse): void {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  const method = req.method ?? '';
  if (path === ROUTES.echo && ECHO_METHODS.has(method)) {
    for (const [name, value] of Object.entries(ECHO_HEADERS)) res.setHeader(name, value);
    send(res, 200, 'application/json', JSON.stringify(echoBody('node', method, req.headers)));
    req.resume();
    return;
  }
  if (method === 'GET' || method === 'HEAD') {
    if (path === ROUTES.error) throw new Error('boom');
    if (path === ROUTES.httpError) return send(res, 400, 'text/plain', 'bad request');
    if (path === ROUTES.status500) return send(res, 500, 'text/plain', 'failed');
    const asset = assetAt(path);
    if (asset !== undefined) {
      res.setHeader('Cache-Control', asset.headers['Cache-Control']);
      return send(res, 200, asset.headers['Content-Type'], asset.body);
    }
  }
  req.resume();
  send(res, 404, 'text/plain', 'not found');
}

/**
 * node:http with `withCors(options, listener)`. A thrown error becomes `withCors`'s own
 * plain-text 500 (the deliberate `boom` is not logged).
 */
export const startNodeApi: StartApi = async (options) => {
  const log = new RequestLog();
  const server = createServer(withCors(corsOptionsFor(options), routes, { onError: () => {} }));
  return serve('node', 'node:http', server, log, options, () => closeServer(server));
};
