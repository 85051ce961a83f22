import { createServer } from 'node:http';
import express, { type Request, type Response } from 'express';
import { cors } from '@preflight/cors-node';
import { ASSETS, closeServer, corsOptionsFor, ECHO_HEADERS, echoBody, RequestLog, ROUTES, serve, type StartApi } from './shared.js';

function echo(req: Request, res: Response): void {
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
  app.get(ROUTES.httpError, (_req, res) => res.status(400).send('bad request'));
  app.get(ROUTES.status500, (_req, res) => res.status(500).send('failed'));
  for (const [path, asset] of Object.entries(ASSETS)) app.get(path, (_req, res) => res.set(asset.headers).send(asset.body));
  const server = createServer(app);
  return serve('express', 'Express', server, log, options, () => closeServer(server));
};
