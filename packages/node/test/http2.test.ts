import http2, { type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import {
  cases,
  checkResponse,
  configs,
  h2Request,
  listen,
  protocolFailures,
  selfSignedCertificate,
  type ConfigName,
  type ConformanceCase,
  type H2RequestOptions,
  type RunningServer,
} from '@preflight/cors-conformance';
import { afterEach, describe, expect, it } from 'vitest';
import { cors, keepVary, withCors, type CorsOptions } from '@preflight/cors-node';
import { connectApp } from './harness-connect.js';
import { routes } from './harness.js';

const APP = 'https://app.example.com';

/** A layer between the server and the listener, over node:http2's compatibility API. */
type Layer = (req: Http2ServerRequest, res: Http2ServerResponse, next: () => void) => void;

/**
 * Every case of the suite that HTTP/2 can express, sent with `h2Request` to a server started
 * per configuration, checked like the suite checks it over h2c (`checkResponse` plus the
 * HTTP/2 invariants; a request that errors fails its case). Returns the failures by case id
 * (cases that pass are absent).
 */
async function runH2(start: (options: CorsOptions) => Promise<RunningServer>, request: H2RequestOptions = {}): Promise<Map<string, string[]>> {
  const failures = new Map<string, string[]>();
  const byConfig = new Map<ConfigName, ConformanceCase[]>();
  for (const c of cases) if (c.notExpressibleIn?.h2c === undefined) byConfig.set(c.config, [...(byConfig.get(c.config) ?? []), c]);
  for (const [config, group] of byConfig) {
    const server = await start(configs[config]);
    try {
      for (const c of group) {
        try {
          const res = await h2Request(server.url, c.request, request);
          const found = [...checkResponse(res, c.expect), ...protocolFailures('h2c', c, res)];
          if (found.length > 0) failures.set(c.id, found);
        } catch (error) {
          // The suite fails a case whose request errors (a reset stream, a malformed response).
          failures.set(c.id, [`error: ${(error as Error).message}`]);
        }
      }
    } finally {
      await server.close();
    }
  }
  return failures;
}

/** `withCors` and the standard routes on `http2.createServer`, with `layer` in front of the CORS layer. */
function h2cWithLayer(layer: Layer): (options: CorsOptions) => Promise<RunningServer> {
  return (options) => {
    const listener = withCors(options, routes, { onError: () => {} });
    return listen(
      http2.createServer((req, res) => {
        if (req.url === '/vary-before') res.setHeader('Vary', 'Accept-Language');
        layer(req, res, () => listener(req, res));
      }),
    );
  };
}

/** Run `change` on the head just before it is written (whoever writes it). */
function beforeHead(res: Http2ServerResponse, change: () => void): void {
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => Http2ServerResponse;
  res.writeHead = ((...args: unknown[]) => {
    change();
    return writeHead(...args);
  }) as Http2ServerResponse['writeHead'];
}

const passThrough: Layer = (_req, _res, next) => next();

describe('the HTTP/2 run catches a wrong HTTP/2 layer', () => {
  it('control: withCors itself passes every case over h2c', async () => {
    expect(Object.fromEntries(await runH2(h2cWithLayer(passThrough)))).toEqual({});
  });

  it('a layer appending a second Access-Control-Allow-Origin fails', async () => {
    const failures = await runH2(
      h2cWithLayer((_req, res, next) => {
        beforeHead(res, () => {
          if (res.hasHeader('access-control-allow-origin')) res.appendHeader('access-control-allow-origin', '*');
        });
        next();
      }),
    );
    expect(failures.get('simple-allowed')).toContain(`two Access-Control-Allow-Origin lines: ["${APP}","*"]`);
    expect(failures.get('preflight-allowed')?.join('\n')).toMatch(/two Access-Control-Allow-Origin lines/);
    expect(failures.size).toBeGreaterThan(20);
  });

  it('a layer adding Vary: Origin as a second field (a duplicate token) fails', async () => {
    const failures = await runH2(
      h2cWithLayer((_req, res, next) => {
        beforeHead(res, () => res.appendHeader('vary', 'Origin'));
        next();
      }),
    );
    const simple = failures.get('simple-allowed')?.join('\n') ?? '';
    expect(simple).toMatch(/duplicate Vary tokens: \["origin"\]/);
    expect(simple).toMatch(/Vary sent as 2 fields, not one list/);
    expect(failures.size).toBeGreaterThan(20);
  });

  it('a layer splitting Vary into one field per token fails over HTTP/2 only (one list required)', async () => {
    const split: Layer = (_req, res, next) => {
      beforeHead(res, () => {
        const vary = res.getHeader('vary');
        if (typeof vary === 'string' && vary.includes(',')) res.setHeader('vary', vary.split(',').map((t) => t.trim()));
      });
      next();
    };
    const failures = await runH2(h2cWithLayer(split));
    expect(failures.get('preflight-allowed')).toEqual([
      'Vary sent as 3 fields, not one list: ["Origin","Access-Control-Request-Method","Access-Control-Request-Headers"]',
    ]);
    expect(failures.get('vary-after')?.join('\n')).toMatch(/Vary sent as 2 fields/);
    // checkResponse alone (what HTTP/1.1 is held to) accepts the split fields.
    const c = cases.find((x) => x.id === 'preflight-allowed')!;
    const server = await h2cWithLayer(split)(configs.exact);
    try {
      const res = await h2Request(server.url, c.request);
      expect(checkResponse(res, c.expect)).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('a layer answering preflights with a body fails', async () => {
    const failures = await runH2(
      h2cWithLayer((req, res, next) => {
        if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
          const end = res.end.bind(res) as (...args: unknown[]) => Http2ServerResponse;
          res.end = ((...args: unknown[]) => {
            if (args.length > 0) return end(...args);
            res.removeHeader('content-length'); // (else the client resets a stream longer than announced)
            return end('preflight answered');
          }) as Http2ServerResponse['end'];
        }
        next();
      }),
    );
    // A 200 (optionsSuccessStatus) can carry one: the invariant catches it.
    expect(failures.get('options-success-status')).toEqual(['an answered preflight has a body: "preflight answered"']);
    // node:http2 sends no DATA after a 204 whatever the layer writes: those pass.
    expect(failures.get('preflight-allowed')).toBeUndefined();
    expect([...failures.keys()]).toEqual(['options-success-status']);
  });
});

describe('keepVary over HTTP/2 (node:http2 compatibility API)', () => {
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const vary = async (path: string): Promise<string[]> => {
    const res = await h2Request(server!.url, { method: 'GET', path, headers: [['Origin', APP]] });
    expect(res.status).toBe(200);
    expect(res.headerLines).toContainEqual(['access-control-allow-origin', APP]);
    return res.headerLines.filter(([n]) => n === 'vary').map(([, v]) => v);
  };

  it('keeps Origin when the route sets Vary: setHeader, writeHead with an object, with a flat array, or write() first', async () => {
    server = await listen(
      http2.createServer(
        withCors({ origin: APP }, (req, res) => {
          switch (req.url) {
            case '/set':
              res.setHeader('Vary', 'Accept-Encoding');
              res.end('ok');
              return;
            case '/head-object':
              res.writeHead(200, { Vary: 'Cookie' });
              res.end('ok');
              return;
            case '/head-array':
              (res.writeHead as unknown as (status: number, headers: string[]) => void)(200, ['Vary', 'Cookie', 'X-Other', '1']);
              res.end('ok');
              return;
            default:
              res.setHeader('vary', 'Accept-Language');
              res.write('o');
              res.end('k');
          }
        }),
      ),
    );
    expect(await vary('/set')).toEqual(['Accept-Encoding, Origin']);
    expect(await vary('/head-object')).toEqual(['Cookie, Origin']);
    expect(await vary('/head-array')).toEqual(['Cookie, Origin']);
    expect(await vary('/streamed')).toEqual(['Accept-Language, Origin']);
  });

  it('cors() takes node:http2 objects as they are: a preflight is answered, other requests go on', async () => {
    const middleware = cors({ origin: APP });
    server = await listen(
      http2.createServer((req: Http2ServerRequest, res: Http2ServerResponse) => {
        middleware(req, res, () => {
          res.setHeader('Vary', 'Accept-Encoding');
          res.end('ok');
        });
      }),
    );
    expect(await vary('/')).toEqual(['Accept-Encoding, Origin']);
    const preflight = await h2Request(server.url, { method: 'OPTIONS', path: '/', headers: [['Origin', APP], ['Access-Control-Request-Method', 'PUT']] });
    expect(preflight.status).toBe(204);
    expect(preflight.body).toBe('');
    expect(preflight.headerLines).toContainEqual(['access-control-allow-methods', 'GET,HEAD,PUT,PATCH,POST,DELETE']);
  });

  it('keepVary itself takes an Http2ServerResponse', async () => {
    server = await listen(
      http2.createServer((_req, res) => {
        res.setHeader('Vary', 'Origin');
        res.setHeader('Access-Control-Allow-Origin', APP);
        keepVary(res, 'Origin');
        res.setHeader('Vary', 'Accept-Encoding');
        res.end('ok');
      }),
    );
    expect(await vary('/')).toEqual(['Accept-Encoding, Origin']);
  });
});

describe('HTTP/2 over TLS (http2.createSecureServer)', () => {
  const { key, cert } = selfSignedCertificate();

  it('withCors passes every HTTP/2 case of the suite', async () => {
    const failures = await runH2((options) => {
      const listener = withCors(options, routes, { onError: () => {} });
      return listen(
        http2.createSecureServer({ key, cert }, (req, res) => {
          if (req.url === '/vary-before') res.setHeader('Vary', 'Accept-Language');
          listener(req, res);
        }),
      );
    }, { ca: cert });
    expect(Object.fromEntries(failures)).toEqual({});
  });

  it('cors() in a Connect stack passes every HTTP/2 case of the suite', async () => {
    const failures = await runH2((options) => listen(http2.createSecureServer({ key, cert }, connectApp(options))), { ca: cert });
    expect(Object.fromEntries(failures)).toEqual({});
  });
});
