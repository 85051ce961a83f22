// Bun's global, reduced to the part of `Bun.serve` the samples use (bun-types is not a dependency here).
declare namespace Bun {
  interface Server<WebSocketData> {
    upgrade(request: Request, options?: { data?: WebSocketData }): boolean;
  }
}
declare const Bun: {
  serve(options: {
    port?: number;
    fetch(request: Request, server: Bun.Server<undefined>): Response | undefined | Promise<Response | undefined>;
    websocket?: { message(ws: { send(data: string | Uint8Array): number }, message: string | Uint8Array): void };
  }): unknown;
};
