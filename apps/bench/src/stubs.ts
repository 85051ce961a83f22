// Minimal request/response objects shared by the in-process drivers, so that an adapter and its incumbent do exactly
// the same work around the CORS layer. `StubResponse` stores headers the way Node's `ServerResponse` does and ends
// through `this.writeHead`, like Node's `end()`, so a layer that wraps `writeHead` pays for it here too; it neither
// validates nor serializes (the same cost whoever sets the headers, measured for real by the server parts).
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { RequestSpec } from './config.js';

export class StubRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  httpVersionMajor = 1;
  httpVersionMinor = 1;
  socket = null;
  constructor(spec: RequestSpec, url: string) {
    this.method = spec.method;
    this.url = url;
    // A fresh object per request, as Node builds one per request.
    this.headers = { ...spec.headers };
  }
  /** Typed views for code that expects Node's objects. */
  asNode(): IncomingMessage {
    return this as unknown as IncomingMessage;
  }
}

type OutValue = string | number | readonly string[];

export class StubResponse {
  statusCode = 200;
  statusMessage = '';
  headersSent = false;
  writableEnded = false;
  finished = false;
  /** The body passed to end(), for the checks. */
  body: unknown = undefined;
  /** Called when the response ends (an asynchronous side's request is then complete). */
  onEnd: (() => void) | undefined = undefined;
  private out: Record<string, [string, OutValue]> = Object.create(null) as Record<string, [string, OutValue]>;

  setHeader(name: string, value: OutValue): this {
    this.out[name.toLowerCase()] = [name, value];
    return this;
  }
  getHeader(name: string): OutValue | undefined {
    return this.out[name.toLowerCase()]?.[1];
  }
  hasHeader(name: string): boolean {
    return this.out[name.toLowerCase()] !== undefined;
  }
  removeHeader(name: string): void {
    delete this.out[name.toLowerCase()];
  }
  getHeaderNames(): string[] {
    return Object.keys(this.out);
  }
  getHeaders(): Record<string, OutValue> {
    const headers: Record<string, OutValue> = Object.create(null) as Record<string, OutValue>;
    for (const key of Object.keys(this.out)) headers[key] = this.out[key]![1];
    return headers;
  }
  writeHead(statusCode: number, reason?: unknown, fields?: unknown): this {
    this.statusCode = statusCode;
    const object = typeof reason === 'string' ? fields : reason;
    if (object !== null && typeof object === 'object') {
      for (const name of Object.keys(object)) this.setHeader(name, (object as Record<string, OutValue>)[name]!);
    }
    this.headersSent = true;
    return this;
  }
  end(body?: unknown): this {
    if (!this.headersSent) this.writeHead(this.statusCode);
    this.body = body;
    this.writableEnded = true;
    this.finished = true;
    this.onEnd?.();
    return this;
  }
  // The event API of some frameworks (on-finished); nothing is ever emitted.
  on(): this { return this; }
  once(): this { return this; }
  removeListener(): this { return this; }
  asNode(): ServerResponse {
    return this as unknown as ServerResponse;
  }
}
