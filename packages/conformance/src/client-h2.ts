import http2 from 'node:http2';
import type { RawRequest, RawResponse } from './client.js';

/**
 * Why a request cannot be sent over HTTP/2 as written, or `undefined` when it can.
 *
 * HTTP/2 sends each field as a separate name and value (HPACK strings), not as text lines:
 * there is no line folding, no line without a colon, no whitespace between a name and its
 * colon, and a value may not contain CR, LF or NUL (RFC 9113 §8.2.1). A request that relies
 * on such bytes is an HTTP/1.1 case; the case data says so (`notExpressibleIn`).
 */
export function h2Inexpressible(req: RawRequest): string | undefined {
  for (const [name, value] of req.headers ?? []) {
    if (name === '') return 'a header line without a colon has no HTTP/2 form (fields are name/value pairs)';
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) return `the field name ${JSON.stringify(name)} is not a token (HTTP/2 names are separate strings)`;
    if (/[\r\n\0]/.test(value)) return `the value of ${name} contains CR, LF or NUL (no line folding in HTTP/2)`;
  }
  return undefined;
}

/** Options of `h2Request`. */
export interface H2RequestOptions {
  /** Give up after this long (default 5000 ms). */
  readonly timeoutMs?: number;
  /** For an `https:` URL: the certificate authority (PEM) to verify the server with. */
  readonly ca?: string;
}

/** Connection-specific fields: forbidden in HTTP/2 (RFC 9113 §8.2.2). A client does not send `Host` either (`:authority`). */
const NOT_IN_H2 = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'host']);

/**
 * Send one request over HTTP/2 without TLS ("h2c" with prior knowledge) on a fresh session
 * and read the whole response, in the same shape as `rawRequest`.
 *
 * The request is translated the way HTTP/2 encodes it: names lower-cased (HTTP/2 requires
 * it), leading and trailing whitespace of values dropped (it is not part of a field value;
 * an HTTP/1.1 parser drops it too), repeated lines sent as repeated fields, in order,
 * `Host` carried by `:authority`, and connection-specific fields left out (as an HTTP/1.1 to
 * HTTP/2 proxy does). Non-ASCII characters are sent as UTF-8 (Node's encoding of
 * header strings), where `rawRequest` writes Latin-1 bytes. A request that has no HTTP/2 form
 * is refused with an error (see `h2Inexpressible`), never altered.
 *
 * The response's header lines keep their names exactly as received (so that a name that is
 * not lower-case can be reported), pseudo-headers excluded; the body is read as Latin-1.
 *
 * An `https:` URL is HTTP/2 over TLS (ALPN `h2`), verified against `options.ca` (e.g. the
 * `cert` of `selfSignedCertificate()`).
 *
 * @example
 * ```ts
 * const res = await h2Request(server.url, { method: 'OPTIONS', path: '/echo', headers: [['Origin', 'https://app.example.com'], ['Access-Control-Request-Method', 'PUT']] });
 * ```
 */
export function h2Request(baseUrl: string, req: RawRequest, options: H2RequestOptions = {}): Promise<RawResponse> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const inexpressible = h2Inexpressible(req);
  if (inexpressible !== undefined) return Promise.reject(new Error(`${req.method} ${req.path} cannot be sent over HTTP/2: ${inexpressible}`));
  const headers: http2.OutgoingHttpHeaders = { ':method': req.method, ':path': req.path };
  for (const [rawName, rawValue] of req.headers ?? []) {
    const name = rawName.toLowerCase();
    if (NOT_IN_H2.has(name)) continue;
    const value = rawValue.replace(/^[ \t]+|[ \t]+$/g, '');
    const existing = headers[name];
    headers[name] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [String(existing)]), value];
  }
  return new Promise<RawResponse>((resolve, reject) => {
    const session = http2.connect(baseUrl, options.ca === undefined ? {} : { ca: options.ca });
    let settled = false;
    const finish = (error: Error | undefined, res?: RawResponse): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      session.destroy();
      if (error !== undefined) reject(error);
      else resolve(res!);
    };
    const timer = setTimeout(() => finish(new Error(`no complete HTTP/2 response to ${req.method} ${req.path} within ${timeoutMs} ms`)), timeoutMs);
    session.on('error', (err) => finish(err));
    let stream: http2.ClientHttp2Stream;
    try {
      stream = session.request(headers, { endStream: true });
    } catch (err) {
      finish(err as Error);
      return;
    }
    let status = 0;
    const headerLines: Array<readonly [string, string]> = [];
    const chunks: Buffer[] = [];
    // Node passes the raw name/value list as a third argument (its parsed object joins repeated fields).
    (stream as NodeJS.EventEmitter).on('response', (_parsed: unknown, _flags: unknown, rawHeaders: string[]) => {
      for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
        const name = rawHeaders[i]!;
        if (name === ':status') status = Number(rawHeaders[i + 1]);
        else if (!name.startsWith(':')) headerLines.push([name, rawHeaders[i + 1]!]);
      }
    });
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('error', (err) => finish(err));
    stream.on('close', () => {
      if (status === 0) {
        finish(new Error(`the HTTP/2 stream of ${req.method} ${req.path} closed without a response (RST_STREAM code ${stream.rstCode})`));
        return;
      }
      if (stream.rstCode !== http2.constants.NGHTTP2_NO_ERROR) {
        finish(new Error(`the HTTP/2 stream of ${req.method} ${req.path} was reset (code ${stream.rstCode}) after status ${status}`));
        return;
      }
      finish(undefined, { status, headerLines, body: req.method === 'HEAD' ? '' : Buffer.concat(chunks).toString('latin1') });
    });
  });
}
