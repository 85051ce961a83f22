// One hapi server per test over real HTTP on 127.0.0.1 (closed after each test), and the Vary
// tokens of a reply, for the tests of this package.
import type { Server } from '@hapi/hapi';
import { vary as varyOf, type Reply, type RunningServer } from '@preflight/cors-conformance';
import { afterEach } from 'vitest';
import { createServer, listen } from './harness.js';

let running: RunningServer | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

/** `build` the server (register the plugin, add routes), start it on 127.0.0.1 and return its URL. */
export async function start(build: (server: Server) => void | Promise<void>, server: Server = createServer()): Promise<string> {
  await build(server);
  running = await listen(server);
  return running.url;
}

/** The Vary tokens of a reply, lower-cased, in order. */
export const vary = (reply: Reply): string[] => varyOf(reply).map((t) => t.toLowerCase());
