// The Deno server: Deno.serve on 127.0.0.1, a free port; prints its URL for processHarness.
import { appFor } from '../src/app.js';

declare const Deno: {
  env: { get(name: string): string | undefined };
  serve(options: { hostname: string; port: number; onListen(address: { hostname: string; port: number }): void }, handler: (request: Request) => Promise<Response>): unknown;
};

const handler = appFor(Deno.env.get('RUNTIME_APP'), Deno.env.get('CONFORMANCE_CONFIG'));
Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: ({ hostname, port }) => console.log(`listening on http://${hostname}:${port}`) }, handler);
