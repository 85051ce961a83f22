import type { ConformanceHarness } from '@preflight/cors-conformance';
import express from 'express';
import type { Express, Request, Response } from 'express';
import { cors, type CorsOptions } from '@preflight/cors-node';
import { listen } from './helpers.js';

/** `express` (v5) or `express4`: the same factory shape. */
export type ExpressFactory = typeof express;

const echo = (_req: Request, res: Response): void => {
  res.set({ 'X-App-Handler': 'echo', 'X-Request-Id': '42', 'X-Secret': 's' });
  res.send('ok');
};

/** Build the standard app on an Express factory (Express 5 or 4). */
export function expressApp(factory: ExpressFactory, options: CorsOptions): Express {
  const app = factory();
  // Registered before the CORS layer.
  app.use((req, res, next) => {
    if (req.path === '/vary-before') res.setHeader('Vary', 'Accept-Language');
    next();
  });
  app.use(cors(options));
  app.get('/echo', echo);
  app.post('/echo', echo);
  app.put('/echo', echo);
  app.patch('/echo', echo);
  app.delete('/echo', echo);
  const prefix = factory.Router();
  prefix.get('/nested/echo', echo);
  app.use('/prefix', prefix);
  app.options('/options', (_req, res) => {
    res.set('X-App-Handler', 'options').send('app-options');
  });
  app.get('/vary-after', (_req, res) => {
    res.set('X-App-Handler', 'vary-after');
    res.set('Vary', 'Accept-Encoding');
    res.send('ok');
  });
  app.get('/vary-before', (_req, res) => {
    res.set('X-App-Handler', 'vary-before').send('ok');
  });
  app.get('/error', (_req, res) => {
    res.set('X-App-Handler', 'error');
    throw new Error('boom'); // Express's default error handler answers 500
  });
  app.get('/http-error', (_req, res, next) => {
    res.set('X-App-Handler', 'http-error');
    next(Object.assign(new Error('bad'), { status: 400 }));
  });
  app.get('/status-500', (_req, res) => {
    res.set('X-App-Handler', 'status-500').status(500).send('failed');
  });
  return app; // unknown routes: Express's own 404
}

/** A conformance harness over an Express factory. */
export function expressHarness(factory: ExpressFactory, name: string): ConformanceHarness {
  return {
    name,
    async start(options) {
      return listen(expressApp(factory, options));
    },
  };
}

/** Conformance harness for Express 5. */
export const harness: ConformanceHarness = expressHarness(express, 'express 5');
