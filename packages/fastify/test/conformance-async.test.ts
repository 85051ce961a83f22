/**
 * The conformance cases of async origin predicates, sent by a client that does not
 * half-close its socket.
 *
 * The suite's raw client (`rawRequest`) sends the request with `socket.end()`: Node's HTTP
 * server (`httpAllowHalfOpen: false`) then aborts any response that is not written
 * synchronously, so every framework fails these cases, plain `node:http` included. Until the
 * client writes without ending, this file runs the same cases and the same checks
 * (`checkResponse`) over `http.request`.
 */
import { request as httpRequest } from 'node:http';
import { cases, checkResponse, configs, type CaseRequest, type RawResponse, type RunningServer } from '@preflight/cors-conformance';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harness } from './harness.js';

function send(baseUrl: string, req: CaseRequest): Promise<RawResponse> {
  const headers: Record<string, string> = {};
  for (const [name, value] of req.headers ?? []) {
    if (name.toLowerCase() in headers) throw new Error(`duplicate header ${name}: use rawRequest for this case`);
    headers[name.toLowerCase()] = value;
  }
  return new Promise((resolve, reject) => {
    const r = httpRequest(`${baseUrl}${req.path}`, { method: req.method, headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('latin1');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        const headerLines: Array<[string, string]> = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) headerLines.push([res.rawHeaders[i]!.toLowerCase(), res.rawHeaders[i + 1]!]);
        resolve({ status: res.statusCode ?? 0, headerLines, body });
      });
    });
    r.on('error', reject);
    r.end();
  });
}

const asyncCases = cases.filter((c) => c.config === 'predicateAsync');

describe('conformance cases of async predicates (client without half-close)', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await harness.start(configs.predicateAsync);
  });
  afterAll(() => server.close());

  it('covers every predicateAsync case', () => {
    expect(asyncCases.map((c) => c.id).sort()).toEqual(['predicate-async-allowed', 'predicate-async-preflight', 'predicate-async-refused', 'predicate-async-throws']);
  });

  for (const c of asyncCases) {
    it(`${c.id}: ${c.name}`, async () => {
      const res = await send(server.url, c.request);
      expect(checkResponse(res, c.expect), `${res.status}\n${res.headerLines.map(([n, v]) => `  ${n}: ${v}`).join('\n')}`).toEqual([]);
    });
  }
});
