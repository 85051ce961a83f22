import type { ConformanceCase } from './cases.js';
import { headerValues, type RawRequest, type RawResponse } from './client.js';
import { sendOver } from './transport.js';

/**
 * A protocol the suite can speak to a harness's server: HTTP/1.1 over a raw socket, or
 * HTTP/2 without TLS with prior knowledge (`h2c`, what `http2.createServer()` and Fastify's
 * `http2: true` serve).
 */
export type Protocol = 'http/1.1' | 'h2c';

/** Every protocol the suite speaks. */
export const PROTOCOLS: readonly Protocol[] = ['http/1.1', 'h2c'];

/**
 * Send one case request over `protocol` and read the whole response (the same
 * `RawResponse` shape for every protocol).
 *
 * @example
 * ```ts
 * const res = await sendRaw('h2c', server.url, { method: 'GET', path: '/echo', headers: [['Origin', 'https://app.example.com']] });
 * ```
 */
export function sendRaw(protocol: Protocol, baseUrl: string, request: RawRequest): Promise<RawResponse> {
  return sendOver(protocol, baseUrl, request, 5000);
}

/** Fields HTTP/2 forbids in a message (RFC 9113 §8.2.2). */
const CONNECTION_SPECIFIC = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade'];

/** Whether the case's request is a CORS preflight (OPTIONS + Origin + Access-Control-Request-Method). */
function isPreflight(c: ConformanceCase): boolean {
  const names = (c.request.headers ?? []).map(([n]) => n.toLowerCase());
  return c.request.method === 'OPTIONS' && names.includes('origin') && names.includes('access-control-request-method');
}

/**
 * The invariants a response must hold on top of `checkResponse`'s, for the protocol it came
 * over. Over HTTP/2: every field name lower-case, no connection-specific field, `Vary` one
 * field (one token list; duplicate tokens are `checkResponse`'s), and a preflight the CORS
 * layer answered has no body and status 204 or 200. Returns the failures.
 */
export function protocolFailures(protocol: Protocol, c: ConformanceCase, res: RawResponse): string[] {
  if (protocol !== 'h2c') return [];
  const failures: string[] = [];
  const upper = res.headerLines.map(([n]) => n).filter((n) => n !== n.toLowerCase());
  if (upper.length > 0) failures.push(`HTTP/2 field names must be lower-case: ${JSON.stringify(upper)}`);
  for (const name of CONNECTION_SPECIFIC) {
    if (headerValues(res, name).length > 0) failures.push(`connection-specific field ${name} in an HTTP/2 response`);
  }
  const vary = headerValues(res, 'vary');
  if (vary.length > 1) failures.push(`Vary sent as ${vary.length} fields, not one list: ${JSON.stringify(vary)}`);
  if (isPreflight(c) && c.expect.handler === null) {
    if (res.status !== 204 && res.status !== 200) failures.push(`an answered preflight has status ${res.status}, expected 204 or 200`);
    if (res.body !== '') failures.push(`an answered preflight has a body: ${JSON.stringify(res.body.slice(0, 80))}`);
  }
  return failures;
}
