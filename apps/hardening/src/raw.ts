import net from 'node:net';

/** One header line to send: the value as a string (sent as latin1, byte for byte) or raw bytes. */
export type RawHeader = readonly [name: string, value: string | Buffer];

/** A response read off the wire. */
export interface RawReply {
  readonly status: number;
  /** Every header line, names lower-cased, values as received (latin1: one char per byte). */
  readonly headerLines: ReadonlyArray<readonly [string, string]>;
  /** The response head exactly as received (status line and header lines). */
  readonly head: Buffer;
  /** The body as received (chunked framing removed). */
  readonly body: Buffer;
}

/**
 * What happened to one raw request:
 * - `response`: a complete response head was read (the server may have closed afterwards);
 * - `closed`: the server closed or reset the connection without sending a response head.
 */
export type RawOutcome =
  | { readonly kind: 'response'; readonly reply: RawReply }
  | { readonly kind: 'closed'; readonly error: string | undefined; readonly received: Buffer };

/**
 * Build the bytes of an HTTP/1.1 request: request line, `Host`, `Connection: close`, then the
 * given header lines exactly as written (duplicates, CR/LF, NUL and non-ASCII bytes included).
 */
export function requestBytes(method: string, path: string, headers: readonly RawHeader[], host = '127.0.0.1'): Buffer {
  const parts: Buffer[] = [Buffer.from(`${method} ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n`, 'latin1')];
  for (const [name, value] of headers) {
    parts.push(Buffer.from(`${name}: `, 'latin1'), typeof value === 'string' ? Buffer.from(value, 'latin1') : value, Buffer.from('\r\n', 'latin1'));
  }
  parts.push(Buffer.from('\r\n', 'latin1'));
  return Buffer.concat(parts);
}

const WRITE_CHUNK = 64 * 1024;

/**
 * Send `bytes` over a fresh TCP connection to 127.0.0.1:`port` and read until the server
 * closes. Nothing is normalized. Large requests are written in chunks and writing stops as
 * soon as the server answers or closes (a server that refuses a 1 MiB head after 16 KiB
 * answers early and closes). Never rejects: a connection reset is an outcome too, and a
 * server that neither answers nor closes within `timeoutMs` is reported as an Error thrown.
 */
export function sendRaw(port: number, bytes: Buffer, timeoutMs = 5000): Promise<RawOutcome> {
  return new Promise<RawOutcome>((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    let error: string | undefined;
    let answered = false;
    let offset = 0;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer and no close within ${timeoutMs} ms (${Buffer.concat(chunks).length} bytes received)`));
    }, timeoutMs);
    const writeMore = (): void => {
      while (!answered && offset < bytes.length) {
        const end = Math.min(offset + WRITE_CHUNK, bytes.length);
        const more = socket.write(bytes.subarray(offset, end));
        offset = end;
        if (!more) {
          socket.once('drain', writeMore);
          return;
        }
      }
    };
    // write, never end(): a half-closed socket lets Node's server drop late answers.
    socket.on('connect', writeMore);
    socket.on('data', (chunk: Buffer) => {
      answered = true;
      chunks.push(chunk);
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      error = err.code ?? err.message;
    });
    socket.on('close', () => {
      clearTimeout(timer);
      const received = Buffer.concat(chunks);
      const reply = parseReply(received);
      resolve(reply === undefined ? { kind: 'closed', error, received } : { kind: 'response', reply });
    });
  });
}

/** Parse a response; undefined when no complete head was received. */
export function parseReply(received: Buffer): RawReply | undefined {
  const end = received.indexOf('\r\n\r\n', 0, 'latin1');
  if (end === -1) return undefined;
  const head = received.subarray(0, end);
  const [statusLine, ...lines] = head.toString('latin1').split('\r\n');
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '');
  if (!match) return undefined;
  const headerLines = lines.map((line): readonly [string, string] => {
    const colon = line.indexOf(':');
    return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
  });
  let body = received.subarray(end + 4);
  if (headerLines.some(([n, v]) => n === 'transfer-encoding' && v.toLowerCase().includes('chunked'))) body = dechunk(body);
  return { status: Number(match[1]), headerLines, head, body };
}

function dechunk(body: Buffer): Buffer {
  const out: Buffer[] = [];
  let i = 0;
  while (i < body.length) {
    const lineEnd = body.indexOf('\r\n', i, 'latin1');
    if (lineEnd === -1) break;
    const size = parseInt(body.subarray(i, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) break;
    out.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    i = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(out);
}

/** Every value of one header (name case-insensitive), one entry per line. */
export function values(reply: RawReply, name: string): string[] {
  const key = name.toLowerCase();
  return reply.headerLines.filter(([n]) => n === key).map(([, v]) => v);
}

/** The Vary tokens of a response, lower-cased, across every Vary line. */
export function varyTokens(reply: RawReply): string[] {
  return values(reply, 'vary')
    .flatMap((v) => v.split(','))
    .map((t) => t.trim().toLowerCase())
    .filter((t) => t !== '');
}

/** The port of a `http://127.0.0.1:<port>` URL. */
export function portOf(url: string): number {
  return Number(new URL(url).port);
}
