// The bench does not depend on @types/express or @types/koa (not installed here): the
// little of each API it uses is declared below.

declare module 'express' {
  import type { IncomingMessage, Server, ServerResponse } from 'node:http';
  type Handler = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;
  interface Application {
    (req: IncomingMessage, res: ServerResponse): void;
    use(handler: Handler): Application;
    get(path: string, handler: (req: IncomingMessage, res: ServerResponse & { json(body: unknown): void }) => void): Application;
    set(name: string, value: unknown): Application;
    disable(name: string): Application;
    listen(port: number, host: string, callback: () => void): Server;
  }
  function express(): Application;
  export default express;
}

declare module 'koa' {
  import type { IncomingMessage, Server, ServerResponse } from 'node:http';
  namespace Koa {
    interface Context {
      req: IncomingMessage;
      res: ServerResponse;
      method: string;
      path: string;
      status: number;
      body: unknown;
      get(name: string): string;
      set(name: string, value: string): void;
    }
    type Next = () => Promise<unknown>;
    type Middleware = (ctx: Context, next: Next) => unknown;
  }
  class Koa {
    use(middleware: Koa.Middleware): this;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    createContext(req: IncomingMessage, res: ServerResponse): Koa.Context;
    listen(port: number, host: string, callback: () => void): Server;
  }
  export default Koa;
}

declare module 'autocannon' {
  interface Options {
    url: string;
    method?: string;
    headers?: Record<string, string>;
    connections?: number;
    pipelining?: number;
    duration?: number;
    timeout?: number;
  }
  interface Histogram {
    average: number;
    mean: number;
    p50: number;
    p99: number;
    total: number;
  }
  interface Result {
    requests: Histogram;
    latency: Histogram;
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    '2xx': number;
  }
  function autocannon(options: Options): Promise<Result>;
  export default autocannon;
}
