// Deno's global, reduced to the handler form of `Deno.serve` (the Deno types are not a dependency here).
declare const Deno: {
  serve(handler: (request: Request, info: unknown) => Response | Promise<Response>): unknown;
};
