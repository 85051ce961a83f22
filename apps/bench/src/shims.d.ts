// The bench does not depend on @types/express or @types/koa (not installed here): the
// little of each API it uses is declared below.

declare module 'express' {
  import type { IncomingMessage, ServerResponse } from 'node:http';
  interface Application {
    (req: IncomingMessage, res: ServerResponse): void;
    use(handler: (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void): Application;
    get(path: string, handler: (req: IncomingMessage, res: ServerResponse & { json(body: unknown): void }) => void): Application;
  }
  function express(): Application;
  export default express;
}

declare module 'koa' {
  import type { IncomingMessage, ServerResponse } from 'node:http';
  namespace Koa {
    interface Context {
      req: IncomingMessage;
      res: ServerResponse;
      method: string;
      path: string;
      status: number;
      body: unknown;
      get(name: string): string;
    }
    type Next = () => Promise<unknown>;
    type Middleware = (ctx: Context, next: Next) => unknown;
  }
  class Koa {
    use(middleware: Koa.Middleware): this;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    createContext(req: IncomingMessage, res: ServerResponse): Koa.Context;
  }
  export default Koa;
}

declare module 'autocannon' {
  interface Options {
    url: string;
    method?: string;
    headers?: Readonly<Record<string, string>>;
    connections?: number;
    pipelining?: number;
    duration?: number;
  }
  interface Result {
    requests: { total: number };
    latency: { p50: number; p99: number };
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
  }
  function autocannon(options: Options): Promise<Result>;
  export default autocannon;
}
