/**
 * NestJS + @preflight/cors-nestjs, end to end, on Express (default) or Fastify.
 *
 *   pnpm --filter @preflight/example-nestjs start           # Express
 *   pnpm --filter @preflight/example-nestjs start:fastify   # Fastify
 *
 * Starts an API on http://localhost:3000 and a page on http://localhost:5173 (another origin)
 * whose buttons call the API with fetch(). Try it in a browser, or with curl:
 *
 *   curl -i -H 'Origin: http://localhost:5173' http://localhost:3000/api/items
 *   curl -i -X OPTIONS -H 'Origin: http://localhost:5173' \
 *        -H 'Access-Control-Request-Method: DELETE' -H 'Access-Control-Request-Headers: authorization' \
 *        http://localhost:3000/api/items/1
 *   curl -i -H 'Origin: https://evil.example' http://localhost:3000/api/items   # no ACAO
 */
import 'reflect-metadata';
import { createServer } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { Settings } from './settings.js';

const platform = process.env.PLATFORM === 'fastify' ? 'fastify' : 'express';
const app = await NestFactory.create(AppModule, platform === 'fastify' ? new FastifyAdapter() : new ExpressAdapter());
// No app.enableCors(): CorsModule is the CORS layer. Calling it as well would make the
// application refuse to start (two CORS layers send conflicting headers).
const settings = app.get(Settings);
await app.listen(settings.apiPort);
console.log(`API   http://localhost:${settings.apiPort} (NestJS on ${platform})`);

// The page, served from another origin. It needs no CORS itself.
const pageOrigin = `http://localhost:${settings.pagePort}`;
const page = `<!doctype html>
<meta charset="utf-8">
<title>Preflight + NestJS</title>
<h1>Calling http://localhost:${settings.apiPort} from ${pageOrigin}</h1>
<button id="list">GET /api/items</button>
<button id="create">POST /api/items (JSON: preflighted)</button>
<button id="invalid">POST /api/items with bad JSON (400)</button>
<button id="remove">DELETE /api/items/1 with Authorization (preflighted, guarded)</button>
<button id="forbidden">DELETE /api/items/1 without Authorization (403)</button>
<button id="broken">GET /api/items/broken (500)</button>
<pre id="out"></pre>
<script type="module">
  const api = 'http://localhost:${settings.apiPort}';
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
  const json = { 'Content-Type': 'application/json' };
  document.getElementById('list').onclick = () => call('/api/items');
  document.getElementById('create').onclick = () => call('/api/items', { method: 'POST', headers: json, body: JSON.stringify({ name: 'new' }) });
  document.getElementById('invalid').onclick = () => call('/api/items', { method: 'POST', headers: json, body: '{"name":' });
  document.getElementById('remove').onclick = () => call('/api/items/1', { method: 'DELETE', headers: { Authorization: 'Bearer demo' } });
  document.getElementById('forbidden').onclick = () => call('/api/items/1', { method: 'DELETE' });
  document.getElementById('broken').onclick = () => call('/api/items/broken');
</script>`;

createServer((_req, res) => {
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.end(page);
}).listen(settings.pagePort, () => console.log(`Page  ${pageOrigin}`));
