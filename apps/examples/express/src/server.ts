/**
 * Express 5 + @preflight/cors-node, end to end.
 *
 *   pnpm --filter @preflight/example-express start
 *
 * Starts an API on http://localhost:3000 and a page on http://localhost:5173 (another origin)
 * whose buttons call the API with fetch(). Try it in a browser, or with curl:
 *
 *   curl -i -H 'Origin: http://localhost:5173' http://localhost:3000/api/items
 *   curl -i -X OPTIONS -H 'Origin: http://localhost:5173' \
 *        -H 'Access-Control-Request-Method: DELETE' http://localhost:3000/api/items/1
 *   curl -i -H 'Origin: https://evil.example' http://localhost:3000/api/items   # no ACAO
 */
import express, { type ErrorRequestHandler } from 'express';
import { createServer } from 'node:http';
import { cors, CorsOriginError } from '@preflight/cors-node';

const API_PORT = Number(process.env.API_PORT ?? 3000);
const PAGE_PORT = Number(process.env.PAGE_PORT ?? 5173);
const PAGE_ORIGIN = `http://localhost:${PAGE_PORT}`;

const app = express();

// 1. CORS first: before routes, and before anything that authenticates (preflights carry no
//    cookies). A bad configuration throws a CorsConfigError right here, at startup.
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
app.use(express.json());

// 2. Routes. No app.options(...) needed: the middleware answers every preflight.
const items = new Map<number, { id: number; name: string }>([[1, { id: 1, name: 'first' }]]);
let nextId = 2;

app.get('/api/items', (_req, res) => {
  res.set('X-Total-Count', String(items.size)).json([...items.values()]);
});
app.post('/api/items', (req, res) => {
  const name = typeof req.body?.name === 'string' ? req.body.name : 'unnamed';
  const item = { id: nextId++, name };
  items.set(item.id, item);
  res.status(201).json(item);
});
app.delete('/api/items/:id', (req, res) => {
  res.sendStatus(items.delete(Number(req.params.id)) ? 204 : 404);
});
app.get('/api/broken', () => {
  throw new Error('this 500 still carries the CORS headers, so the page can read it');
});

// 3. Errors: CORS headers are already on the response. A failing async origin predicate
//    would arrive here as a CorsOriginError.
const onError: ErrorRequestHandler = (err, _req, res, _next) => {
  if (err instanceof CorsOriginError) console.error('origin check failed', err.cause);
  else console.error(err);
  res.status(500).json({ error: 'internal error' });
};
app.use(onError);

app.listen(API_PORT, () => console.log(`API   http://localhost:${API_PORT}`));

// The page, served from another origin. It needs no CORS itself.
const page = `<!doctype html>
<meta charset="utf-8">
<title>Preflight + Express</title>
<h1>Calling http://localhost:${API_PORT} from ${PAGE_ORIGIN}</h1>
<button id="list">GET /api/items</button>
<button id="create">POST /api/items (JSON: preflighted)</button>
<button id="remove">DELETE /api/items/1 (preflighted)</button>
<button id="broken">GET /api/broken (500)</button>
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
</script>`;

createServer((_req, res) => {
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.end(page);
}).listen(PAGE_PORT, () => console.log(`Page  ${PAGE_ORIGIN}`));
