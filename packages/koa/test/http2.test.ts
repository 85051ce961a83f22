import { h2Request, listen } from '@preflight/cors-conformance';
import { cors } from '@preflight/cors-koa';
import Koa2 from 'koa2';
import { describe, expect, it } from 'vitest';

const APP = 'https://app.example.com';

// Why the Koa 2 harness runs the conformance suite over HTTP/1.1 only (test/harness.ts).
describe('Koa 2 over HTTP/2 (node:http2 compatibility API)', () => {
  it('never answers a HEAD request, CORS or not (koajs/koa#1547, fixed in Koa 3)', async () => {
    const app = new Koa2();
    app.use(cors({ origin: APP }));
    app.use((ctx) => {
      ctx.set('X-App-Handler', 'echo');
      ctx.body = 'ok';
    });
    const server = await listen(app.callback(), 'h2c');
    try {
      // GET works, with the CORS headers…
      const get = await h2Request(server.url, { method: 'GET', path: '/echo', headers: [['Origin', APP]] });
      expect(get.status).toBe(200);
      expect(get.headerLines).toContainEqual(['access-control-allow-origin', APP]);
      // …but Koa 2's respond() returns without ending a HEAD response: the stream closes empty.
      await expect(h2Request(server.url, { method: 'HEAD', path: '/echo', headers: [['Origin', APP]] }, { timeoutMs: 2000 })).rejects.toThrow(
        /closed without a response|no complete HTTP\/2 response/,
      );
    } finally {
      await server.close();
    }
  });
});
