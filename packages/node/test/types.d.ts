// Local declarations for test-only dependencies that ship no types.

declare module 'express4' {
  // Express 4 is installed under the alias `express4`; its API used by the tests is the
  // same as Express 5's, so the Express 5 types stand in for it.
  import express from 'express';
  export default express;
}

declare module 'connect' {
  import type { IncomingMessage, ServerResponse, Server } from 'node:http';

  type Next = (err?: unknown) => void;
  type Handle = (req: IncomingMessage, res: ServerResponse, next: Next) => void;
  type ErrorHandle = (err: unknown, req: IncomingMessage, res: ServerResponse, next: Next) => void;

  interface App {
    (req: IncomingMessage, res: ServerResponse, next?: Next): void;
    use(fn: Handle | ErrorHandle): App;
    use(route: string, fn: Handle | ErrorHandle): App;
    listen(port: number, host: string, callback?: () => void): Server;
  }

  function connect(): App;
  export default connect;
}
