// A method outside Node's list (http.METHODS), over HTTP/2 (Node's HTTP/1.1 parser answers 400
// itself, before any framework): Fastify answers 404 from its last-resort fallback
// (lib/four-oh-four.js, fourOhFourFallBack, which logs "likely a fastify bug") without running any
// hook, so no CORS layer can add headers; `addHttpMethod` refuses such methods. This pins the limit
// the README states: when Fastify fixes it, this test fails and the README line goes.
import Fastify from 'fastify';
import { connect } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import cors from '../src/index.js';
import { APP } from './helpers.js';

const apps: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

/** The response head to `method /items` with Origin, over h2c. */
async function h2(method: string): Promise<Record<string, unknown>> {
  const app = Fastify({ http2: true });
  apps.push(app);
  await app.register(cors, { origin: APP });
  app.get('/items', async () => []);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const session = connect(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}`);
  try {
    return await new Promise((resolve, reject) => {
      const stream = session.request({ ':method': method, ':path': '/items', origin: APP });
      stream.on('response', (headers) => {
        stream.resume();
        resolve({ ...headers });
      });
      stream.on('error', reject);
      stream.end();
    });
  } finally {
    session.close();
  }
}

describe('a method outside http.METHODS, over HTTP/2', () => {
  it('is answered 404 by Fastify without running hooks: no CORS headers (the README limit)', async () => {
    const head = await h2('FOO');
    expect(head[':status']).toBe(404);
    expect(head['access-control-allow-origin']).toBeUndefined();
    expect(head.vary).toBeUndefined();
  });

  it('while a known method without a route gets the CORS answer on its 404', async () => {
    const head = await h2('PURGE');
    expect(head[':status']).toBe(404);
    expect(head['access-control-allow-origin']).toBe(APP);
    expect(head.vary).toBe('Origin');
  });
});
