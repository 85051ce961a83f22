/**
 * hapi 21 + @preflight/cors-hapi, end to end.
 *
 *   pnpm --filter @preflight/example-hapi start
 *
 * Starts an API on http://localhost:3000 and a page on http://localhost:5173 (another origin)
 * whose buttons call the API with fetch(). Try it in a browser, or with curl:
 *
 *   curl -i -H 'Origin: http://localhost:5173' http://localhost:3000/api/items
 *   curl -i -X OPTIONS -H 'Origin: http://localhost:5173' \
 *        -H 'Access-Control-Request-Method: DELETE' http://localhost:3000/api/items/1
 *   curl -i -H 'Origin: https://evil.example' http://localhost:3000/api/items   # no ACAO
 *   curl -i -H 'Origin: http://localhost:5173' http://localhost:3000/api/broken # 500, with ACAO
 */
import { createServer } from 'node:http';
import Boom from '@hapi/boom';
import Hapi from '@hapi/hapi';
import { cors, CorsOriginError } from '@preflight/cors-hapi';

const API_PORT = Number(process.env.API_PORT ?? 3000);
const PAGE_PORT = Number(process.env.PAGE_PORT ?? 5173);
const PAGE_ORIGIN = `http://localhost:${PAGE_PORT}`;

// hapi's own `cors` route option stays off (the default): the plugin answers for every route.
const server = Hapi.server({ port: API_PORT, host: 'localhost' });

// hapi reports the error of every 500 it answers here. A failing async origin predicate
// arrives as CorsOriginError.
server.events.on({ name: 'request', channels: 'error' }, (_request, event) => {
  if (event.error instanceof CorsOriginError) console.error('origin check failed', event.error.cause);
  else console.error(event.error);
});

// 1. The plugin: its onRequest extension answers preflights before routing and authentication
//    (preflights carry no cookies). A bad configuration makes register() reject with a
//    CorsConfigError, at startup.
await server.register({
  plugin: cors,
  options: {
    origin: [PAGE_ORIGIN, 'https://*.example.com'],
    credentials: true,
    methods: ['GET', 'POST', 'DELETE'],
    allowedHeaders: ['Content-Type', 'X-Request-Id'],
    exposedHeaders: ['X-Total-Count'],
    maxAge: 600,
    onRefusal: (refusal, request) => console.warn(`CORS refused ${String(request.origin)}: ${refusal.message}`),
  },
});

// 2. Routes. No OPTIONS routes needed: the plugin answers every preflight.
const items = new Map<number, { id: number; name: string }>([[1, { id: 1, name: 'first' }]]);
let nextId = 2;

server.route({ method: 'GET', path: '/api/items', handler: (_request, h) => h.response([...items.values()]).header('X-Total-Count', String(items.size)) });
server.route({
  method: 'POST',
  path: '/api/items',
  handler: (request, h) => {
    const body = request.payload as { name?: unknown } | null;
    const created = { id: nextId++, name: typeof body?.name === 'string' ? body.name : 'unnamed' };
    items.set(created.id, created);
    return h.response(created).code(201);
  },
});
server.route({ method: 'DELETE', path: '/api/items/{id}', handler: (request, h) => h.response().code(items.delete(Number(request.params.id)) ? 204 : 404) });
server.route({
  method: 'GET',
  path: '/api/broken',
  handler: () => {
    throw new Error('this 500 still carries the CORS headers, so the page can read it');
  },
});
server.route({
  method: 'GET',
  path: '/api/conflict',
  handler: () => {
    throw Boom.conflict('a Boom error keeps the CORS headers too');
  },
});
// anything else: hapi's 404, with CORS headers

await server.start();
console.log(`API   http://localhost:${API_PORT}`);

// The page, served from another origin. It needs no CORS itself.
const page = `<!doctype html>
<meta charset="utf-8">
<title>Preflight + hapi</title>
<h1>Calling http://localhost:${API_PORT} from ${PAGE_ORIGIN}</h1>
<button id="list">GET /api/items</button>
<button id="create">POST /api/items (JSON: preflighted)</button>
<button id="remove">DELETE /api/items/1 (preflighted)</button>
<button id="broken">GET /api/broken (500)</button>
<button id="conflict">GET /api/conflict (409)</button>
<pre id="out"></pre>
<script type="module">
  const api = 'http://localhost:${API_PORT}';
  const out = document.getElementById('out');
  async function call(path, init) {
    try {
      const res = await fetch(api + path, { credentials: 'include', ...init });
      const count = res.headers.get('X-Total-Count');
      out.textContent = res.status + (count ? ' (X-Total-Count: ' + count + ')' : '') + '\\n' + (await res.text());
    } catch (err) {
      out.textContent = 'network error (CORS refused?): ' + err;
    }
  }
  document.getElementById('list').onclick = () => call('/api/items');
  document.getElementById('create').onclick = () =>
    call('/api/items', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'new' }) });
  document.getElementById('remove').onclick = () => call('/api/items/1', { method: 'DELETE' });
  document.getElementById('broken').onclick = () => call('/api/broken');
  document.getElementById('conflict').onclick = () => call('/api/conflict');
</script>`;

createServer((_req, res) => {
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.end(page);
}).listen(PAGE_PORT, () => console.log(`Page  ${PAGE_ORIGIN}`));
