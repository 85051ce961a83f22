// The Bun server: Bun.serve on 127.0.0.1, a free port; prints its URL for processHarness.
import { appFor } from '../src/app.js';

declare const Bun: {
  env: Record<string, string | undefined>;
  serve(options: { hostname: string; port: number; fetch: (request: Request) => Promise<Response> }): { url: URL };
};

const server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: appFor(Bun.env.RUNTIME_APP, Bun.env.CONFORMANCE_CONFIG) });
console.log(`listening on ${server.url.origin}`);
