/**
 * Fastify 5 + @preflight/cors-fastify, end to end.
 *
 *   pnpm --filter @preflight/example-fastify start
 *
 * Starts an API on http://localhost:3000 and a page on http://localhost:5173 (another origin)
 * whose buttons call the API with fetch(). Try it in a browser, or with curl:
 *
 *   curl -i -H 'Origin: http://localhost:5173' http://localhost:3000/api/items
 *   curl -i -X OPTIONS -H 'Origin: http://localhost:5173' \
 *        -H 'Access-Control-Request-Method: DELETE' http://localhost:3000/api/items/1
 *   curl -i -H 'Origin: https://evil.example' http://localhost:3000/api/items   # no ACAO
 *   curl -i -H 'Origin: http://localhost:5173' http://localhost:3000/api/broken # 500, with ACAO
 *   curl -i -H 'Origin: https://anyone.example' http://localhost:3000/public/status # ACAO: *
 */
import { createServer } from 'node:http';
import Fastify from 'fastify';
import cors, { CorsOriginError } from '@preflight/cors-fastify';

const API_PORT = Number(process.env.API_PORT ?? 3000);
const PAGE_PORT = Number(process.env.PAGE_PORT ?? 5173);
const PAGE_ORIGIN = `http://localhost:${PAGE_PORT}`;

const app = Fastify({ logger: { level: 'info' } });

// 1. CORS first, at the root, awaited: before routes and before anything that authenticates
//    (preflights carry no cookies). A bad configuration rejects right here with a CorsConfigError.
await app.register(cors, {
  origin: [PAGE_ORIGIN, 'https://*.example.com'],
  credentials: true,
  methods: ['GET', 'POST', 'DELETE'],
  allowedHeaders: ['Content-Type', 'X-Request-Id'],
  exposedHeaders: ['X-Total-Count'],
  maxAge: 600,
  onRefusal: (refusal, request) => app.log.warn(`CORS refused ${String(request.origin)}: ${refusal.message}`),
});

// 2. An authentication hook, added after the plugin: preflights (which never carry the token)
//    are answered before it runs, and its 401s still carry the CORS headers.
app.addHook('onRequest', async (request, reply) => {
  if (request.url.startsWith('/api/items/') && request.headers['x-request-id'] !== 'demo-token') {
    return reply.code(401).send({ error: 'send X-Request-Id: demo-token' });
  }
});

// A failing async origin predicate would arrive here as a CorsOriginError (status 500).
app.setErrorHandler((error, request, reply) => {
  if (error instanceof CorsOriginError) request.log.error({ cause: error.cause }, 'origin check failed');
  return reply.send(error);
});

// 3. Routes, in a prefixed plugin. No OPTIONS routes: the plugin answers every preflight.
const items = new Map<number, { id: number; name: string }>([[1, { id: 1, name: 'first' }]]);
let nextId = 2;

await app.register(
  async (api) => {
    api.get('/items', async (_request, reply) => {
      reply.header('X-Total-Count', String(items.size));
      return [...items.values()];
    });
    api.post<{ Body: { name?: unknown } | undefined }>('/items', async (request, reply) => {
      const name = typeof request.body?.name === 'string' ? request.body.name : 'unnamed';
      const created = { id: nextId++, name };
      items.set(created.id, created);
      return reply.code(201).send(created);
    });
    api.delete<{ Params: { id: string } }>('/items/:id', async (request, reply) =>
      reply.code(items.delete(Number(request.params.id)) ? 204 : 404).send(),
    );
    api.get('/broken', async () => {
      throw new Error('this 500 still carries the CORS headers, so the page can read it');
    });
    api.get('/conflict', async (_request, reply) => reply.code(409).send({ error: 'reply.code(409) keeps the CORS headers too' }));
  },
  { prefix: '/api' },
);

// 4. Route-level policies: a public route for everyone, an internal one without CORS.
app.get('/public/status', { config: { cors: { origin: '*' } } }, async () => ({ status: 'up' }));
app.get('/internal/metrics', { config: { cors: false } }, async () => ({ requests: 42 }));

await app.listen({ port: API_PORT });

// The page, served from another origin. It needs no CORS itself.
const page = `<!doctype html>
<meta charset="utf-8">
<title>Preflight + Fastify</title>
<h1>Calling http://localhost:${API_PORT} from ${PAGE_ORIGIN}</h1>
<button id="list">GET /api/items</button>
<button id="create">POST /api/items (JSON: preflighted)</button>
<button id="remove">DELETE /api/items/1 (preflighted, needs the token)</button>
<button id="broken">GET /api/broken (500)</button>
<button id="conflict">GET /api/conflict (409)</button>
<button id="public">GET /public/status (any origin)</button>
<button id="internal">GET /internal/metrics (CORS off: network error)</button>
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
  document.getElementById('remove').onclick = () => call('/api/items/1', { method: 'DELETE', headers: { 'X-Request-Id': 'demo-token' } });
  document.getElementById('broken').onclick = () => call('/api/broken');
  document.getElementById('conflict').onclick = () => call('/api/conflict');
  document.getElementById('public').onclick = () => call('/public/status', { credentials: 'omit' });
  document.getElementById('internal').onclick = () => call('/internal/metrics');
</script>`;

createServer((_req, res) => {
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.end(page);
}).listen(PAGE_PORT, () => app.log.info(`page  ${PAGE_ORIGIN}`));
