/**
 * Child process of the soak run: starts one adapter's conformance harness with the soak
 * configuration on 127.0.0.1 and answers memory samples over IPC, so that the resident
 * memory measured is this server's alone (not the load generator's).
 *
 * Messages from the parent: `{ type: 'sample', gc: boolean }` → `{ type: 'sample', rss, heapUsed }`;
 * `{ type: 'stop' }` → closes the server and exits. Exits too when the parent goes away.
 */
import { SOAK_OPTIONS } from './soak-config.js';
import { selectTargets } from './targets.js';

const id = process.argv[2];
const [target] = selectTargets(id);
if (target === undefined || process.send === undefined) throw new Error('usage: run by soak.ts with an adapter id and an IPC channel');
const send = process.send.bind(process);

const server = await target.harness.start(SOAK_OPTIONS);
const gc = (globalThis as { gc?: () => void }).gc;

process.on('message', (message: { type: string; gc?: boolean }) => {
  if (message.type === 'sample') {
    if (message.gc === true && gc !== undefined) gc();
    const m = process.memoryUsage();
    send({ type: 'sample', rss: m.rss, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers, heapTotal: m.heapTotal });
  } else if (message.type === 'stop') {
    void server.close().finally(() => process.exit(0));
  }
});
process.on('disconnect', () => {
  void server.close().finally(() => process.exit(0));
});
send({ type: 'ready', url: server.url });
