import type { CaseRequest } from './cases.js';
import { rawRequest, type RawResponse } from './client.js';

/**
 * The wire protocol a case is sent over. HTTP/1.1 over a raw socket is the one every
 * harness speaks; other protocols (h2c) join this union with their transport.
 */
export type Protocol = 'http/1.1';

/**
 * Sends one case's request to a server and reads the whole response. The engine sends
 * every request through one transport, so a protocol is added in one place.
 */
export type Transport = (protocol: Protocol, baseUrl: string, request: CaseRequest, timeoutMs: number) => Promise<RawResponse>;

/** The default transport: HTTP/1.1 byte for byte over a fresh connection (`rawRequest`). */
export const sendOver: Transport = (protocol, baseUrl, request, timeoutMs) => {
  if (protocol !== 'http/1.1') return Promise.reject(new Error(`no transport for protocol ${String(protocol)}`));
  return rawRequest(baseUrl, request, timeoutMs);
};
