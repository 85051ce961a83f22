/**
 * Hono + @preflight/cors-fetch, end to end — and the same API as a plain fetch handler.
 *
 *   pnpm --filter @preflight/example-hono start
 *
 * Starts, on Node through @hono/node-server (the same code runs on Workers, Deno and Bun):
 * - a Hono API on http://localhost:3000 with app.use(cors(…));
 * - the same API as a plain fetch handler on http://localhost:3001 with withCors(…);
 * - a page on http://localhost:5173 (another origin) whose buttons call either API with fetch().
 *
 * Try it in a browser, or with curl:
 *
 *   curl -i -H 'Origin: http://localhost:5173' http://localhost:3000/api/items
 *   curl -i -X OPTIONS -H 'Origin: http://localhost:5173' \
 *        -H 'Access-Control-Request-Method: DELETE' http://localhost:3000/api/items/1
 *   curl -i -H 'Origin: https://evil.example' http://localhost:3000/api/items   # no ACAO
 *   curl -i -H 'Origin: http://localhost:5173' http://localhost:3000/api/broken # 500, with ACAO
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { cors, CorsOriginError, withCors, type CorsOptions } from '@preflight/cors-fetch';

const API_PORT = Number(process.env.API_PORT ?? 3000);
const FETCH_PORT = Number(process.env.FETCH_PORT ?? 3001);
const PAGE_PORT = Number(process.env.PAGE_PORT ?? 5173);
const PAGE_ORIGIN = `http://localhost:${PAGE_PORT}`;

// One set of options for both APIs. A bad configuration throws a CorsConfigError at startup.
const corsOptions: CorsOptions = {
  origin: [PAGE_ORIGIN, 'https://*.example.com'],
  credentials: true,
  methods: ['GET', 'POST', 'DELETE'],
  allowedHeaders: ['Content-Type', 'X-Request-Id'],
  exposedHeaders: ['X-Total-Count'],
  maxAge: 600,
  onRefusal: (refusal, request) => console.warn(`CORS refused ${String(request.origin)}: ${refusal.message}`),
};

const items = new Map<number, { id: number; name: string }>([[1, { id: 1, name: 'first' }]]);
let nextId = 2;

// ── 1. Hono ───────────────────────────────────────────────────────────────────
const app = new Hono();

// CORS first: before routes and anything that authenticates (preflights carry no cookies).
// No OPTIONS routes needed: the middleware answers every preflight.
app.use(cors(corsOptions));

app.get('/api/items', (c) => {
  c.header('X-Total-Count', String(items.size));
  return c.json([...items.values()]);
});
app.post('/api/items', async (c) => {
  const body = await c.req.json<{ name?: unknown }>().catch(() => {
    throw new HTTPException(400, { message: 'invalid JSON' });
  });
  const created = { id: nextId++, name: typeof body.name === 'string' ? body.name : 'unnamed' };
  items.set(created.id, created);
  return c.json(created, 201);
});
app.delete('/api/items/:id', (c) => c.body(null, items.delete(Number(c.req.param('id'))) ? 204 : 404));
app.get('/api/broken', () => {
  throw new Error('this 500 still carries the CORS headers: Hono turns it into a response inside the chain');
});
app.get('/api/conflict', () => {
  throw new HTTPException(409, { message: 'HTTPException keeps the CORS headers too' });
});
// Hono's error handler; a failing async origin predicate would arrive here as a CorsOriginError.
app.onError((err, c) => {
  if (err instanceof HTTPException) return err.getResponse();
  if (err instanceof CorsOriginError) console.error('origin check failed', err.cause);
  else console.error(err);
  return c.text('Internal Server Error', 500);
});
// anything else: Hono's 404, with CORS headers

serve({ fetch: app.fetch, port: API_PORT }, () => console.log(`Hono API          http://localhost:${API_PORT}`));

// ── 2. The same API as a plain fetch handler (Workers / Deno / Bun / Next.js style) ──
async function route(request: Request): Promise<Response> {
  const { pathname } = new URL(request.url);
  const item = /^\/api\/items\/(\d+)$/.exec(pathname);
  if (pathname === '/api/items' && request.method === 'GET') {
    return Response.json([...items.values()], { headers: { 'X-Total-Count': String(items.size) } });
  }
  if (pathname === '/api/items' && request.method === 'POST') {
    const body = (await request.json().catch(() => undefined)) as { name?: unknown } | undefined;
    if (body === undefined) return new Response('invalid JSON', { status: 400 });
    const created = { id: nextId++, name: typeof body.name === 'string' ? body.name : 'unnamed' };
    items.set(created.id, created);
    return Response.json(created, { status: 201 });
  }
  if (item && request.method === 'DELETE') return new Response(null, { status: items.delete(Number(item[1])) ? 204 : 404 });
  if (pathname === '/api/broken') throw new Error('thrown: the platform answers 500 itself, without CORS headers');
  if (pathname === '/api/conflict') return new Response('an error Response keeps the CORS headers', { status: 409 });
  return new Response('Not Found', { status: 404 });
}

// withCors lets thrown errors reach the platform. To keep the page able to read a 500, turn
// errors into a Response inside the wrapped handler — here for every route but /api/broken,
// which shows what the page sees otherwise.
const handler = withCors(corsOptions, async (request: Request) => {
  if (new URL(request.url).pathname === '/api/broken') return route(request);
  try {
    return await route(request);
  } catch (error) {
    console.error(error);
    return new Response('Internal Server Error', { status: 500 });
  }
});

serve({ fetch: handler, port: FETCH_PORT }, () => console.log(`fetch handler API http://localhost:${FETCH_PORT}`));

// ── The page, served from another origin. It needs no CORS itself. ──────────────
const page = `<!doctype html>
<meta charset="utf-8">
<title>Preflight + Hono</title>
<h1>Calling an API on another origin from ${PAGE_ORIGIN}</h1>
<p><label><input type="radio" name="api" value="${API_PORT}" checked> Hono (:${API_PORT})</label>
   <label><input type="radio" name="api" value="${FETCH_PORT}"> plain fetch handler (:${FETCH_PORT})</label></p>
<button id="list">GET /api/items</button>
<button id="create">POST /api/items (JSON: preflighted)</button>
<button id="remove">DELETE /api/items/1 (preflighted)</button>
<button id="broken">GET /api/broken (thrown error)</button>
<button id="conflict">GET /api/conflict (409)</button>
<pre id="out"></pre>
<script type="module">
  const out = document.getElementById('out');
  const api = () => 'http://localhost:' + document.querySelector('input[name=api]:checked').value;
  async function call(path, init) {
    try {
      const res = await fetch(api() + path, { credentials: 'include', ...init });
      const count = res.headers.get('X-Total-Count');
      out.textContent = res.status + (count ? ' (X-Total-Count: ' + count + ')' : '') + '\\n' + (await res.text());
    } catch (err) {
      out.textContent = 'network error (CORS refused, or a response without CORS headers): ' + err;
    }
  }
  document.getElementById('list').onclick = () => call('/api/items');
  document.getElementById('create').onclick = () =>
    call('/api/items', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'new' }) });
  document.getElementById('remove').onclick = () => call('/api/items/1', { method: 'DELETE' });
  document.getElementById('broken').onclick = () => call('/api/broken');
  document.getElementById('conflict').onclick = () => call('/api/conflict');
</script>`;

serve({ fetch: () => new Response(page, { headers: { 'Content-Type': 'text/html; charset=utf-8' } }), port: PAGE_PORT }, () =>
  console.log(`Page              ${PAGE_ORIGIN}`),
);
