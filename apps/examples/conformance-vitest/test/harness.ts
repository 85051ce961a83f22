import { HANDLER_HEADERS, STANDARD_ROUTES, listen, type ConformanceHarness } from '@preflight/cors-conformance';
import { cors } from '@preflight/cors-node';
import express, { type Request, type Response } from 'express';

const echo = (_req: Request, res: Response): void => {
  res.set({ 'X-App-Handler': 'echo', ...HANDLER_HEADERS }).send('ok');
};

/** Express 5 with the CORS layer and the standard routes of the conformance kit. */
export const harness: ConformanceHarness = {
  name: 'express 5 (example)',
  start(options) {
    const app = express();
    app.set('env', 'test'); // Express's error handler does not log the suite's deliberate /error
    app.use((req, res, next) => {
      if (req.path === STANDARD_ROUTES.varyBefore) res.setHeader('Vary', 'Accept-Language'); // before the CORS layer
      next();
    });
    app.use(cors(options));
    app.route(STANDARD_ROUTES.echo).get(echo).post(echo).put(echo).patch(echo).delete(echo); // GET also answers HEAD
    app.get(STANDARD_ROUTES.nestedEcho, echo);
    app.options(STANDARD_ROUTES.options, (_req, res) => void res.set('X-App-Handler', 'options').send('app-options'));
    app.get(STANDARD_ROUTES.varyAfter, (_req, res) => void res.set({ 'X-App-Handler': 'vary-after', Vary: 'Accept-Encoding' }).send('ok'));
    app.get(STANDARD_ROUTES.varyBefore, (_req, res) => void res.set('X-App-Handler', 'vary-before').send('ok'));
    app.get(STANDARD_ROUTES.error, (_req, res) => {
      res.set('X-App-Handler', 'error');
      throw new Error('boom');
    });
    app.get(STANDARD_ROUTES.httpError, (_req, res, next) => {
      res.set('X-App-Handler', 'http-error');
      next(Object.assign(new Error('bad'), { status: 400 }));
    });
    app.get(STANDARD_ROUTES.status500, (_req, res) => void res.set('X-App-Handler', 'status-500').status(500).send('failed'));
    return listen(app);
  },
};
