// Bun's global, reduced to the part of `Bun.serve` the samples use (bun-types is not a dependency here).
declare const Bun: {
  serve(options: { port?: number; fetch(request: Request, server: unknown): Response | Promise<Response> }): unknown;
};
