/**
 * Koa 3 + @preflight/cors-koa, end to end.
 *
 *   pnpm --filter @preflight/example-koa start
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
import Koa, { type Context } from 'koa';
import { createServer } from 'node:http';
import { cors, CorsOriginError } from '@preflight/cors-koa';

const API_PORT = Number(process.env.API_PORT ?? 3000);
const PAGE_PORT = Number(process.env.PAGE_PORT ?? 5173);
const PAGE_ORIGIN = `http://localhost:${PAGE_PORT}`;

const app = new Koa();

// Koa emits every error here; the response itself is written by Koa's error handler, and
// still carries the CORS headers. A failing async origin predicate arrives as CorsOriginError.
app.on('error', (err: Error & { expose?: boolean }) => {
  if (err instanceof CorsOriginError) console.error('origin check failed', err.cause);
  else if (!err.expose) console.error(err); // client errors (ctx.throw(4xx)) are not logged
});

// 1. CORS first: before routes, body parsing, and anything that authenticates (preflights
//    carry no cookies). A bad configuration throws a CorsConfigError right here, at startup.
app.use(
  cors({
    origin: [PAGE_ORIGIN, 'https://*.example.com'],
    credentials: true,
    methods: ['GET', 'POST', 'DELETE'],
    allowedHeaders: ['Content-Type', 'X-Request-Id'],
    exposedHeaders: ['X-Total-Count'],
    maxAge: 600,
    onRefusal: (refusal, request) => console.warn(`CORS refused ${String(request.origin)}: ${refusal.message}`),
  }),
);

// 2. Routes, by path (a router such as @koa/router works the same way). No OPTIONS routes
//    needed: the middleware answers every preflight.
const items = new Map<number, { id: number; name: string }>([[1, { id: 1, name: 'first' }]]);
let nextId = 2;

async function readJson(ctx: Context): Promise<unknown> {
  if (!ctx.is('application/json')) return undefined;
  let text = '';
  for await (const chunk of ctx.req) {
    text += String(chunk);
    if (text.length > 10_000) ctx.throw(413);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return ctx.throw(400, 'invalid JSON');
  }
}

app.use(async (ctx) => {
  const item = /^\/api\/items\/(\d+)$/.exec(ctx.path);
  if (ctx.path === '/api/items' && ctx.method === 'GET') {
    ctx.set('X-Total-Count', String(items.size));
    ctx.body = [...items.values()];
  } else if (ctx.path === '/api/items' && ctx.method === 'POST') {
    const body = (await readJson(ctx)) as { name?: unknown } | undefined;
    const created = { id: nextId++, name: typeof body?.name === 'string' ? body.name : 'unnamed' };
    items.set(created.id, created);
    ctx.status = 201;
    ctx.body = created;
  } else if (item && ctx.method === 'DELETE') {
    ctx.status = items.delete(Number(item[1])) ? 204 : 404;
  } else if (ctx.path === '/api/broken') {
    throw new Error('this 500 still carries the CORS headers, so the page can read it');
  } else if (ctx.path === '/api/conflict') {
    ctx.throw(409, 'ctx.throw keeps the CORS headers too');
  }
  // anything else: Koa's 404, with CORS headers
});

app.listen(API_PORT, () => console.log(`API   http://localhost:${API_PORT}`));

// The page, served from another origin. It needs no CORS itself.
const page = `<!doctype html>
<meta charset="utf-8">
<title>Preflight + Koa</title>
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
