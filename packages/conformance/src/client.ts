import net from 'node:net';
import tls from 'node:tls';

/** A response as read off the wire: status and every header line, in order, names lower-cased. */
export interface RawResponse {
  readonly status: number;
  /** Every header line, names lower-cased, values as sent (repeated headers stay separate). */
  readonly headerLines: ReadonlyArray<readonly [string, string]>;
  readonly body: string;
}

/**
 * A request sent byte for byte: header lines are written exactly as given (duplicates, odd
 * values); a header whose name is `''` is written as a raw line (`value` alone, no colon).
 */
export interface RawRequest {
  readonly method: string;
  readonly path: string;
  readonly headers?: ReadonlyArray<readonly [string, string]>;
}

/** A response larger than this is cut (a probe needs the head, not a large body). */
const MAX_RESPONSE_BYTES = 1 << 20;

/**
 * Send one HTTP/1.1 request over a fresh TCP connection (TLS for an `https:` base URL) and
 * read the whole response (at most 1 MiB of it). Unlike an HTTP client, nothing is
 * normalized: duplicate and malformed header lines are sent as written. `Connection: close`
 * ends the exchange.
 */
export function rawRequest(baseUrl: string, req: RawRequest, timeoutMs = 5000): Promise<RawResponse> {
  const url = new URL(baseUrl);
  const lines = [`${req.method} ${req.path} HTTP/1.1`, `Host: ${url.host}`, 'Connection: close'];
  for (const [name, value] of req.headers ?? []) lines.push(name === '' ? value : `${name}: ${value}`);
  const head = `${lines.join('\r\n')}\r\n\r\n`;
  return new Promise<RawResponse>((resolve, reject) => {
    const secure = url.protocol === 'https:';
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const port = Number(url.port) || (secure ? 443 : 80);
    const socket = secure
      ? tls.connect({ host, port, ALPNProtocols: ['http/1.1'], ...(net.isIP(host) === 0 ? { servername: host } : {}) })
      : net.connect({ host, port });
    const chunks: Buffer[] = [];
    let received = 0;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete response to ${req.method} ${req.path} within ${timeoutMs} ms`));
    }, timeoutMs);
    // write, not end: a half-closed socket makes Node's server (httpAllowHalfOpen false) drop
    // responses written after an await. `Connection: close` ends the exchange — or the
    // response's own framing does, for servers that keep the connection open anyway (workerd).
    const done = (): void => {
      clearTimeout(timer);
      try {
        resolve(parseResponse(Buffer.concat(chunks).toString('latin1'), req.method === 'HEAD'));
      } catch (err) {
        reject(err);
      }
    };
    socket.on(secure ? 'secureConnect' : 'connect', () => socket.write(Buffer.from(head, 'latin1')));
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
      if (received > MAX_RESPONSE_BYTES) {
        socket.destroy(); // 'close' parses what arrived
      } else if (isComplete(Buffer.concat(chunks).toString('latin1'), req.method === 'HEAD')) {
        socket.removeAllListeners('close');
        socket.destroy();
        done();
      }
    });
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.on('close', done);
  });
}

/**
 * Whether the bytes read so far hold the whole response by its framing (RFC 9112 §6.3): no
 * body (HEAD, 204, 304), `Content-Length` bytes, or the last chunk of a chunked body.
 * A response framed by the connection's end is complete only at `close`.
 */
function isComplete(text: string, head: boolean): boolean {
  const end = text.indexOf('\r\n\r\n');
  if (end === -1) return false;
  const headText = text.slice(0, end).toLowerCase();
  const status = Number(/^http\/1\.[01] (\d{3})/.exec(headText)?.[1]);
  if (status < 200) return false; // an interim response: the final one follows
  if (head || status === 204 || status === 304) return true;
  const body = text.slice(end + 4);
  if (/\r\ntransfer-encoding:[^\r]*chunked/.test(headText)) return chunkedComplete(body);
  const lengths = [...headText.matchAll(/\r\ncontent-length:\s*(\d+)\s*(?=\r\n|$)/g)].map((m) => Number(m[1]));
  if (lengths.length === 1) return body.length >= lengths[0]!;
  return false;
}

/** Whether a chunked body has arrived up to its last chunk and the end of its trailers. */
function chunkedComplete(body: string): boolean {
  let i = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', i);
    if (lineEnd === -1) return false;
    const size = parseInt(body.slice(i, lineEnd), 16);
    if (!Number.isFinite(size)) return false;
    if (size === 0) return body.includes('\r\n\r\n', lineEnd); // the last chunk, then trailers up to an empty line
    i = lineEnd + 2 + size + 2;
  }
}

function parseResponse(text: string, head: boolean): RawResponse {
  if (text === '') throw new Error('the connection closed before any response');
  const end = text.indexOf('\r\n\r\n');
  if (end === -1) throw new Error(`incomplete response: ${JSON.stringify(text.slice(0, 200))}`);
  const [statusLine, ...headerText] = text.slice(0, end).split('\r\n');
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '');
  if (!match) throw new Error(`bad status line: ${JSON.stringify(statusLine)}`);
  const headerLines = headerText.map((line): [string, string] => {
    const colon = line.indexOf(':');
    return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
  });
  let body = head ? '' : text.slice(end + 4);
  const chunked = headerLines.some(([n, v]) => n === 'transfer-encoding' && v.toLowerCase().includes('chunked'));
  if (chunked) body = dechunk(body);
  return { status: Number(match[1]), headerLines, body };
}

function dechunk(body: string): string {
  let out = '';
  let i = 0;
  while (i < body.length) {
    const lineEnd = body.indexOf('\r\n', i);
    if (lineEnd === -1) break;
    const size = parseInt(body.slice(i, lineEnd), 16);
    if (!Number.isFinite(size) || size === 0) break;
    out += body.slice(lineEnd + 2, lineEnd + 2 + size);
    i = lineEnd + 2 + size + 2;
  }
  return out;
}

/** All values of one header (name case-insensitive). */
export function headerValues(res: RawResponse, name: string): string[] {
  const key = name.toLowerCase();
  return res.headerLines.filter(([n]) => n === key).map(([, v]) => v);
}

/** Vary tokens of a response, lower-cased, across every Vary line. */
export function varyTokens(res: RawResponse): string[] {
  return headerValues(res, 'vary')
    .flatMap((v) => v.split(','))
    .map((t) => t.trim().toLowerCase())
    .filter((t) => t !== '');
}
