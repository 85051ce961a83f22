// Real node:http `IncomingMessage` / `ServerResponse` pairs over an in-memory socket, for driving a server's own
// `request` listener in one process (no kernel, no parsing of the request): the direct part, the NestJS drivers.
import { IncomingMessage, ServerResponse, type Server } from 'node:http';
import { Writable } from 'node:stream';

/** A socket that accepts every write: the response bytes are dropped, or kept with `keep` (for `parseResponse`). */
export class NullSocket extends Writable {
  readonly chunks: (Buffer | string)[] | undefined;
  readonly remoteAddress = '127.0.0.1';
  readonly remotePort = 50000;
  readonly encrypted = false;
  constructor(keep = false) {
    super();
    this.chunks = keep ? [] : undefined;
  }
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: () => void): void {
    this.chunks?.push(chunk);
    callback();
  }
  override _writev(chunks: Array<{ chunk: Buffer | string }>, callback: () => void): void {
    if (this.chunks !== undefined) for (const { chunk } of chunks) this.chunks.push(chunk);
    callback();
  }
  // What a server may call on its sockets: nothing to do here.
  setTimeout(): this { return this; }
  setNoDelay(): this { return this; }
  setKeepAlive(): this { return this; }
  ref(): this { return this; }
  unref(): this { return this; }
  address(): { port: number; family: string; address: string } { return { port: 80, family: 'IPv4', address: '127.0.0.1' }; }
}

export type Listener = (req: IncomingMessage, res: ServerResponse) => void;

export function requestListener(server: Server, label: string): Listener {
  const listener = server.listeners('request')[0] as Listener | undefined;
  if (listener === undefined) throw new Error(`${label}: no request listener`);
  return listener;
}

/**
 * A complete (body-less) request on `socket` and a keep-alive response assigned to it, not yet handled (header names in
 * lower case); `finished` resolves once the response has (the socket is free again).
 */
export function exchange(socket: NullSocket, spec: { method: string; url: string; headers: Readonly<Record<string, string>> }) {
  const req = new IncomingMessage(socket as never);
  req.method = spec.method;
  req.url = spec.url;
  req.httpVersion = '1.1';
  req.httpVersionMajor = 1;
  req.httpVersionMinor = 1;
  req.headers = { ...spec.headers };
  req.rawHeaders = Object.entries(spec.headers).flat();
  req.complete = true;
  req.push(null);
  const res = new ServerResponse(req);
  res.shouldKeepAlive = true;
  res.assignSocket(socket as never);
  const finished = new Promise<void>((resolve) => {
    res.once('finish', () => {
      res.detachSocket(socket as never);
      resolve();
    });
  });
  return { req, res, finished };
}

/** Parse what a `keep` socket received (one response, not chunked): status, headers (lower case, repeats joined with ", "), body. */
export function parseResponse(socket: NullSocket): { status: number; headers: Record<string, string>; body: string } {
  const text = (socket.chunks ?? []).map((chunk) => (typeof chunk === 'string' ? chunk : chunk.toString('latin1'))).join('');
  const end = text.indexOf('\r\n\r\n');
  const [statusLine = '', ...lines] = (end === -1 ? text : text.slice(0, end)).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body: end === -1 ? '' : text.slice(end + 4) };
}
