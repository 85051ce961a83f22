import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases, checkResponse, configs, rawRequest } from '../src/index.js';

/**
 * The suite must be able to fail: a naive CORS server that reflects every origin with
 * credentials and answers every OPTIONS (the classic mistakes) must fail many cases.
 */
describe('the suite catches broken servers', () => {
  let server: http.Server;
  let url = '';
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const origin = req.headers.origin;
      if (origin !== undefined) {
        res.setHeader('Access-Control-Allow-Origin', origin); // reflects anything, even lists and null
        res.setHeader('Access-Control-Allow-Credentials', 'true');
      }
      if (req.method === 'OPTIONS') {
        res.setHeader('Access-Control-Allow-Headers', String(req.headers['access-control-request-headers'] ?? ''));
        res.statusCode = 204;
        res.end();
        return;
      }
      res.setHeader('X-App-Handler', 'echo');
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('reports refused origins that were reflected', async () => {
    const c = cases.find((x) => x.id === 'simple-refused')!;
    const failures = checkResponse(await rawRequest(url, c.request), c.expect);
    expect(failures.join('\n')).toMatch(/access-control-allow-origin must be absent/);
    expect(failures.join('\n')).toMatch(/Vary lacks origin/);
  });

  it('reports an OPTIONS without ACRM answered as a preflight', async () => {
    const c = cases.find((x) => x.id === 'options-without-acrm')!;
    expect(checkResponse(await rawRequest(url, c.request), c.expect).length).toBeGreaterThan(0);
  });

  it('fails most cases overall', async () => {
    let failed = 0;
    for (const c of cases.filter((x) => x.config !== 'predicateAsync')) {
      if (checkResponse(await rawRequest(url, c.request), c.expect).length > 0) failed++;
    }
    expect(failed).toBeGreaterThan(cases.length / 2);
  });
});

describe('checkResponse invariants', () => {
  const res = (lines: [string, string][], status = 200) => ({ status, headerLines: lines, body: '' });
  it('flags two ACAO lines', () => {
    expect(checkResponse(res([['access-control-allow-origin', 'a'], ['access-control-allow-origin', 'b']]), {})).toContain('two Access-Control-Allow-Origin lines: ["a","b"]');
  });
  it('flags duplicate Vary tokens across lines and case', () => {
    expect(checkResponse(res([['vary', 'Origin'], ['vary', 'origin']]), {}).join()).toMatch(/duplicate Vary/);
  });
  it('reads a Vary list split over field lines as one list (Next.js 16 sends its Vary and ours on two lines)', () => {
    const lines: [string, string][] = [['vary', 'rsc, next-router-state-tree'], ['vary', 'Origin, Access-Control-Request-Method']];
    expect(checkResponse(res(lines), { vary: ['origin', 'rsc'] })).toEqual([]);
    expect(checkResponse(res([...lines, ['vary', 'RSC']]), {}).join()).toMatch(/duplicate Vary tokens: \["rsc"\]/);
  });
  it('flags * with credentials and unexpected 5xx', () => {
    const f = checkResponse(res([['access-control-allow-origin', '*'], ['access-control-allow-credentials', 'true']], 500), {});
    expect(f.join('\n')).toMatch(/"\*" together with credentials/);
    expect(f.join('\n')).toMatch(/never cause a server error/);
  });
  it('accepts a conforming response', () => {
    expect(checkResponse(res([['access-control-allow-origin', 'https://a.com'], ['vary', 'Accept-Encoding, Origin']]), { headers: { 'access-control-allow-origin': 'https://a.com' }, vary: ['origin'] })).toEqual([]);
  });
});

describe('the case data', () => {
  it('has unique ids and known configs', () => {
    const ids = cases.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of cases) expect(Object.keys(configs)).toContain(c.config);
  });
});
