// workerd, through Miniflare 4: serves the Worker bundle (argv[2]) on 127.0.0.1, a free port,
// and prints workerd's own URL for processHarness. Requests go straight to workerd's socket.
import { Miniflare } from 'miniflare';

const scriptPath = process.argv[2];
if (scriptPath === undefined) throw new Error('usage: miniflare.mjs <worker.mjs>');

const mf = new Miniflare({
  modules: true,
  scriptPath,
  compatibilityDate: '2026-04-01',
  bindings: {
    RUNTIME_APP: process.env.RUNTIME_APP ?? '',
    CONFORMANCE_CONFIG: process.env.CONFORMANCE_CONFIG ?? '',
    WS_UPSTREAM: process.env.WS_UPSTREAM ?? '',
  },
  host: '127.0.0.1',
  port: 0,
});
const url = await mf.ready;
console.log(`listening on ${url.origin}`);

// processHarness signals the whole process group, workerd included: nothing to wait for.
process.once('SIGTERM', () => process.exit(0));
process.once('SIGINT', () => process.exit(0));
