/**
 * A multi-tenant API on two instances sharing one Redis, and a tenant page on another origin.
 *
 *   pnpm --filter @preflight/example-multi-tenant start
 *
 * Uses REDIS_URL when set; otherwise starts Debian's redis-server on a free port (installing it
 * with apt-get when missing and root). Then:
 *
 *   instance A  http://localhost:3001     instance B  http://localhost:3002
 *   tenant page http://localhost:5173     (an origin Redis does not allow yet)
 *
 * Allow the page's origin through either instance's admin API, and both allow it:
 *
 *   curl -X POST -H 'Authorization: Bearer dev-admin-token' -H 'Content-Type: application/json' \
 *        -d '{"origin":"http://localhost:5173"}' http://localhost:3001/admin/origins
 *   curl -i -H 'Origin: http://localhost:5173' http://localhost:3002/api/greeting   # ACAO set
 *   curl -X DELETE -H 'Authorization: Bearer dev-admin-token' -H 'Content-Type: application/json' \
 *        -d '{"origin":"http://localhost:5173"}' http://localhost:3002/admin/origins
 */
import { createServer } from 'node:http';
import { startRedisServer } from '@preflight/redis-server';
import { buildApp } from './app.js';

const PORT_A = Number(process.env.PORT_A ?? 3001);
const PORT_B = Number(process.env.PORT_B ?? 3002);
const PAGE_PORT = Number(process.env.PAGE_PORT ?? 5173);
const ADMIN_TOKEN = process.env.ADMIN_TOKEN ?? 'dev-admin-token';

const ownRedis = process.env.REDIS_URL ? undefined : await startRedisServer();
const redisUrl = process.env.REDIS_URL ?? ownRedis!.url;
console.log(`Redis: ${redisUrl}${ownRedis ? ' (started for this example; stopped on Ctrl-C)' : ''}`);

const a = await buildApp({ redisUrl, adminToken: ADMIN_TOKEN, name: 'A' });
const b = await buildApp({ redisUrl, adminToken: ADMIN_TOKEN, name: 'B' });
await a.app.listen({ port: PORT_A, host: 'localhost' });
await b.app.listen({ port: PORT_B, host: 'localhost' });

const page = `<!doctype html>
<meta charset="utf-8">
<title>A tenant's page</title>
<h1>Tenant page on http://localhost:${PAGE_PORT}</h1>
<p>Allow this origin with the admin API (see the README), then call both instances.</p>
<button id="a">GET instance A</button> <button id="b">GET instance B</button>
<pre id="out"></pre>
<script type="module">
  const out = document.getElementById('out');
  async function call(port) {
    try {
      const res = await fetch('http://localhost:' + port + '/api/greeting', { credentials: 'include' });
      out.textContent = res.status + ' ' + (await res.text());
    } catch (err) {
      out.textContent = 'refused by CORS (origin not in Redis?): ' + err;
    }
  }
  document.getElementById('a').onclick = () => call(${PORT_A});
  document.getElementById('b').onclick = () => call(${PORT_B});
</script>`;
const pageServer = createServer((_req, res) => {
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.end(page);
}).listen(PAGE_PORT, 'localhost');
console.log(`instance A http://localhost:${PORT_A}, instance B http://localhost:${PORT_B}, tenant page http://localhost:${PAGE_PORT}`);

const stop = async (): Promise<void> => {
  pageServer.close();
  await Promise.allSettled([a.app.close(), b.app.close()]);
  await ownRedis?.stop();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
