import type { CaseRequest } from './cases.js';
import { h2Request } from './client-h2.js';
import { rawRequest, type RawResponse } from './client.js';
import type { Protocol } from './protocol.js';

/**
 * Sends one case's request to a server and reads the whole response. The engine sends
 * every request through one transport, so a protocol is added in one place.
 */
export type Transport = (protocol: Protocol, baseUrl: string, request: CaseRequest, timeoutMs: number) => Promise<RawResponse>;

/**
 * The default transport: HTTP/1.1 byte for byte over a fresh connection (`rawRequest`), or
 * HTTP/2 with prior knowledge (`h2Request`) for `'h2c'` (and an `https:` base URL).
 */
export const sendOver: Transport = (protocol, baseUrl, request, timeoutMs) =>
  protocol === 'h2c' ? h2Request(baseUrl, request, { timeoutMs }) : rawRequest(baseUrl, request, timeoutMs);
