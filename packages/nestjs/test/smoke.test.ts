import { describe, expect, it } from 'vitest';
import { rawRequest } from '../../conformance/src/client.js';
import { CorsModule } from '../src/index.js';
import { listen, platforms, standardApp } from './harness.js';

describe.each(platforms)('smoke $name', (platform) => {
  it('works', async () => {
    const server = await listen(platform, standardApp(CorsModule.forRoot({ origin: 'https://a.example' })));
    try {
      for (const [method, path, extra] of [
        ['GET', '/echo', []],
        ['OPTIONS', '/echo', [['Access-Control-Request-Method', 'PUT']]],
        ['OPTIONS', '/nope', [['Access-Control-Request-Method', 'PUT']]],
        ['OPTIONS', '/options', []],
        ['GET', '/vary-after', []],
        ['GET', '/vary-before', []],
        ['GET', '/error', []],
        ['GET', '/http-error', []],
        ['GET', '/status-500', []],
        ['GET', '/missing', []],
        ['GET', '/prefix/nested/echo', []],
      ] as const) {
        const res = await rawRequest(server.url, { method, path, headers: [['Origin', 'https://a.example'], ...extra] });
        console.log(method, path, res.status, JSON.stringify(res.headerLines), res.body.slice(0, 80));
      }
    } finally {
      await server.close();
    }
    expect(1).toBe(1);
  });
});
