/**
 * h3 2 + @preflight/cors-h3, end to end.
 *
 *   pnpm --filter @preflight/example-h3 start
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
import { H3, HTTPError, readBody, serve } from 'h3';
import { cors, CorsOriginError } from '@preflight/cors-h3';

const API_PORT = Number(process.env.API_PORT ?? 3000);
const PAGE_PORT = Number(process.env.PAGE_PORT ?? 5173);
const PAGE_ORIGIN = `http://localhost:${PAGE_PORT}`;

const app = new H3({
  // h3 hands every error to onError (what was thrown is its `cause`); returning nothing keeps
  // h3's own error response, which carries the CORS headers. A failing async origin predicate
  // arrives as CorsOriginError.
  onError: (error) => {
    if (error.cause instanceof CorsOriginError) console.error('origin check failed', error.cause.cause);
    else if (error.unhandled) console.error(error);
  },
});

// 1. CORS first: before routes and anything that authenticates (preflights carry no cookies).
//    A bad configuration throws a CorsConfigError right here, at startup.
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

// 2. Routes. No OPTIONS routes needed: the middleware answers every preflight.
const items = new Map<number, { id: number; name: string }>([[1, { id: 1, name: 'first' }]]);
let nextId = 2;

app.get('/api/items', (event) => {
  event.res.headers.set('X-Total-Count', String(items.size));
  return [...items.values()];
});
app.post('/api/items', async (event) => {
  const body = (await readBody(event)) as { name?: unknown } | undefined;
  const created = { id: nextId++, name: typeof body?.name === 'string' ? body.name : 'unnamed' };
  items.set(created.id, created);
  event.res.status = 201;
  return created;
});
app.delete('/api/items/:id', (event) => {
  event.res.status = items.delete(Number(event.context.params?.id)) ? 204 : 404;
  return null;
});
app.get('/api/broken', () => {
  throw new Error('this 500 still carries the CORS headers, so the page can read it');
});
app.get('/api/conflict', () => {
  throw new HTTPError({ status: 409, message: 'an HTTPError keeps the CORS headers too' });
});
// anything else: h3's 404, with CORS headers

serve(app, { port: API_PORT, hostname: 'localhost' });

// The page, served from another origin. It needs no CORS itself.
const page = `<!doctype html>
<meta charset="utf-8">
<title>Preflight + h3</title>
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
