import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import express from 'express';
import { cors } from '@preflight/cors-node';
import { closeServer, corsOptionsFor, ECHO_HEADERS, echoBody, RequestLog, ROUTES, serve, type StartApi } from './shared.js';

/** The members of Express's request and response this file uses. */
type Req = IncomingMessage & { readonly method: string };
interface Res extends ServerResponse {
  set(fields: Record<string, string>): Res;
  status(code: number): Res;
  json(body: unknown): Res;
  send(body: string): Res;
}

function echo(req: Req, res: Res): void {
  res.set(ECHO_HEADERS).json(echoBody('express', req.method, req.headers));
}

/**
 * Express 5 with `app.use(cors(options))`. Thrown errors and unknown routes reach Express's
 * own final handler.
 */
export const startExpressApi: StartApi = async (options) => {
  const log = new RequestLog();
  const app = express();
  // Express's final handler logs errors unless env is 'test'; the demo's `boom` is deliberate.
  app.set('env', 'test');
  app.use(cors(corsOptionsFor(options)));
  app.use(express.json()); // after cors(): a malformed body's 400 keeps the CORS headers
  app.route(ROUTES.echo).get(echo).post(echo).put(echo).patch(echo).delete(echo);
  app.get(ROUTES.error, () => {
    throw new Error('boom');
  });
  app.get(ROUTES.httpError, (_req: Req, res: Res) => res.status(400).send('bad request'));
  app.get(ROUTES.status500, (_req: Req, res: Res) => res.status(500).send('failed'));
  const server = createServer(app);
  return serve('express', 'Express', server, log, options, () => closeServer(server));
};
