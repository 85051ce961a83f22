import http2 from 'node:http2';
import { describe, expect, it } from 'vitest';
import { cases, h2Inexpressible, h2Request, listen, protocolFailures, sendRaw, type RawResponse } from '../src/index.js';

describe('the HTTP/2 client (h2c, prior knowledge)', () => {
  it('sends repeated and trimmed fields, and returns every field as received, repeated ones apart', async () => {
    let seen: string[] = [];
    const server = await listen(
      http2.createServer((req, res) => {
        seen = req.rawHeaders;
        res.setHeader('vary', ['Origin', 'Accept']);
        res.setHeader('x-app-handler', 'echo');
        res.end('ok');
      }),
    );
    try {
      const res = await sendRaw('h2c', server.url, { method: 'GET', path: '/p?q=1', headers: [['Origin', ' https://a.test '], ['X-Two', 'a'], ['X-Two', 'b'], ['Connection', 'close']] });
      expect(res.status).toBe(200);
      expect(res.body).toBe('ok');
      expect(res.headerLines.filter(([n]) => n === 'vary')).toEqual([['vary', 'Origin'], ['vary', 'Accept']]);
      expect(res.headerLines.some(([n]) => n.startsWith(':'))).toBe(false);
      const pairs = seen.flatMap((v, i) => (i % 2 === 0 ? [[v, seen[i + 1]]] : []));
      expect(pairs).toContainEqual([':path', '/p?q=1']);
      expect(pairs).toContainEqual(['origin', 'https://a.test']);
      expect(pairs.filter(([n]) => n === 'x-two')).toEqual([['x-two', 'a'], ['x-two', 'b']]);
      expect(pairs.some(([n]) => n === 'connection')).toBe(false);
    } finally {
      await server.close();
    }
  });

  it('refuses a request HTTP/2 cannot carry instead of altering it', async () => {
    await expect(h2Request('http://127.0.0.1:1', { method: 'GET', path: '/', headers: [['Origin', 'a\r\n b']] })).rejects.toThrow(/cannot be sent over HTTP\/2.*CR, LF or NUL/);
  });

  it('reports a stream the server resets, and a server that never answers', async () => {
    const server = await listen(
      http2.createServer((req, res) => {
        if (req.url === '/reset') res.stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
      }),
    );
    try {
      await expect(h2Request(server.url, { method: 'GET', path: '/reset' })).rejects.toThrow(/closed without a response|INTERNAL_ERROR/);
      await expect(h2Request(server.url, { method: 'GET', path: '/silent' }, { timeoutMs: 300 })).rejects.toThrow(/within 300 ms/);
    } finally {
      await server.close();
    }
  });
});

describe('the case data says which cases HTTP/2 cannot express', () => {
  it('every case HTTP/2 cannot carry is marked, with a reason, and every marked case is one', () => {
    for (const c of cases) {
      const marked = c.notExpressibleIn?.h2c;
      expect(h2Inexpressible(c.request) !== undefined, c.id).toBe(marked !== undefined);
      if (marked !== undefined) expect(marked.length, c.id).toBeGreaterThan(20);
    }
    expect(cases.filter((c) => c.notExpressibleIn?.h2c !== undefined).map((c) => c.id)).toEqual(['origin-obs-fold', 'header-line-without-colon', 'header-space-before-colon']);
  });
});

describe('HTTP/2 invariants (protocolFailures)', () => {
  const preflight = cases.find((c) => c.id === 'preflight-allowed')!;
  const simple = cases.find((c) => c.id === 'simple-allowed')!;
  const res = (lines: [string, string][], status = 200, body = ''): RawResponse => ({ status, headerLines: lines, body });

  it('flags upper-case names, connection-specific fields and Vary split over fields', () => {
    expect(protocolFailures('h2c', simple, res([['X-App-Handler', 'echo']]))).toEqual(['HTTP/2 field names must be lower-case: ["X-App-Handler"]']);
    const f = protocolFailures('h2c', simple, res([['connection', 'close'], ['transfer-encoding', 'chunked'], ['keep-alive', '5'], ['upgrade', 'h2c'], ['proxy-connection', 'x']]));
    expect(f).toEqual(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade'].map((n) => `connection-specific field ${n} in an HTTP/2 response`));
    expect(protocolFailures('h2c', simple, res([['vary', 'Origin'], ['vary', 'Accept']]))).toEqual(['Vary sent as 2 fields, not one list: ["Origin","Accept"]']);
    expect(protocolFailures('h2c', simple, res([['vary', 'Origin, Accept']]))).toEqual([]);
  });

  it('flags an answered preflight with a body or another status', () => {
    expect(protocolFailures('h2c', preflight, res([], 204, 'x'))).toEqual(['an answered preflight has a body: "x"']);
    expect(protocolFailures('h2c', preflight, res([], 404))).toEqual(['an answered preflight has status 404, expected 204 or 200']);
    expect(protocolFailures('h2c', preflight, res([['vary', 'Origin, Access-Control-Request-Method']], 204))).toEqual([]);
  });

  it('holds HTTP/1.1 to none of them', () => {
    expect(protocolFailures('http/1.1', preflight, res([['Connection', 'close'], ['vary', 'a'], ['vary', 'b']], 404, 'x'))).toEqual([]);
  });
});
