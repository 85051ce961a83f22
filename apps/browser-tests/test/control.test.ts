import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assetAt, closeServer, ECHO_HEADERS, echoBody, ENGINE_LABELS, launchEngine, RequestLog, ROUTES, selectedEngines, serve, startPageServer, type ApiServer, type Engine } from '@preflight/demo';
import { CASES, expectationFor, type PolicyName } from './cases.js';
import { KIND_CASES } from './kind-cases.js';
import { ResultLog } from './results.js';
import { assertCase, assertKindCase, runCase, runKindCase } from './run-case.js';
import { HOSTS, openBrowserSide, RESOLVER_RULES, type BrowserSide } from './support.js';

// A negative control: the same cases against a naive hand-written CORS layer (reflects any
// Origin with credentials, echoes the requested method and headers, exposes nothing,
// loses its headers on errors). The suite must catch each of its mistakes in every engine;
// if these cases passed, the browser assertions would prove nothing there.

function naiveCors(req: IncomingMessage, res: ServerResponse): void {
  const origin = req.headers.origin;
  if (origin !== undefined) {
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Allow-Credentials', 'true');
  }
  if (req.method === 'OPTIONS') {
    res.setHeader('Access-Control-Allow-Methods', req.headers['access-control-request-method'] ?? '');
    res.setHeader('Access-Control-Allow-Headers', req.headers['access-control-request-headers'] ?? '');
    res.statusCode = 204;
    res.end();
    return;
  }
  const path = (req.url ?? '/').split('?')[0];
  if (path === ROUTES.echo) {
    res.setHeader('Content-Type', 'application/json');
    for (const [name, value] of Object.entries(ECHO_HEADERS)) res.setHeader(name, value);
    res.end(JSON.stringify(echoBody('node', req.method ?? '', req.headers)));
    return;
  }
  const asset = assetAt(path ?? '');
  if (asset !== undefined) {
    for (const [name, value] of Object.entries(asset.headers)) res.setHeader(name, value);
    res.end(asset.body);
    return;
  }
  // An error handler that resets the response, as Koa's does.
  for (const name of res.getHeaderNames()) res.removeHeader(name);
  res.statusCode = path === ROUTES.error ? 500 : 404;
  res.end();
}

async function startNaive(): Promise<ApiServer> {
  const server = createServer(naiveCors);
  return serve('node', 'naive', server, new RequestLog(), { cors: { origin: '*' }, publicHost: HOSTS.api }, () => closeServer(server));
}

const MUST_FAIL = ['get-other-origin', 'get-null-origin', 'header-not-allowed', 'exposed-headers', 'thrown-error', 'credentials-other-origin'];
const MUST_PASS = ['get-allowed', 'put', 'credentials-include'];
// Other kinds of request: from a refused origin, the naive layer lets the page use the response.
const KIND_MUST_FAIL = ['xhr-refused', 'font-refused', 'canvas-refused', 'webgl-refused', 'shape-refused'];
const KIND_MUST_PASS = ['font-allowed', 'canvas-allowed', 'webgl-allowed', 'shape-allowed', 'canvas-no-cors'];

const byId = (id: string) => CASES.find((c) => c.id === id)!;
const kindById = (id: string) => KIND_CASES.find((c) => c.id === id)!;

let pages: Array<{ port: number; close(): Promise<void> }> = [];
let naive: ApiServer | undefined;
const apis = (): Record<PolicyName, ApiServer> => ({ strict: naive!, open: naive!, starCredentials: naive! });

beforeAll(async () => {
  pages = [await startPageServer(), await startPageServer()];
  naive = await startNaive();
});

afterAll(async () => {
  await naive?.close();
  await Promise.all(pages.map((p) => p.close()));
});

describe.each(selectedEngines())('%s', (engineId) => {
  let engine: Engine | undefined;
  let side: BrowserSide | undefined;
  const log = new ResultLog('control', engineId);
  const control = (id: string, title: string) => ({ id, title, kind: 'control', expect: {} });

  beforeAll(async () => {
    log.begin();
    engine = await launchEngine(engineId, { chromiumArgs: [RESOLVER_RULES] });
    side = await openBrowserSide(engine, { app: pages[0]!.port, other: pages[1]!.port });
  });

  afterAll(async () => {
    log.write(engine);
    await side?.close();
    await engine?.close();
  });

  describe(`negative control in ${ENGINE_LABELS[engineId]}: a naive CORS layer`, () => {
    it.each(MUST_FAIL)('the suite catches it: %s', async (id) => {
      const c = byId(id);
      await log.check('naive', control(`catches:${id}`, `the suite catches the naive layer: ${c.title}`), async () => {
        const observed = await runCase(c, apis(), side!, 'node');
        expect(() => assertCase(c, observed, side!, 'node')).toThrow();
      });
    });

    it.each(MUST_PASS)('and does not fail what it gets right: %s', async (id) => {
      const c = byId(id);
      await log.check('naive', control(`passes:${id}`, `the naive layer passes: ${c.title}`), async () => assertCase(c, await runCase(c, apis(), side!, 'node'), side!, 'node'));
    });

    // A case the engine does not make a CORS request for (WebKit's fonts) cannot catch a CORS
    // layer there: it must pass with the naive layer too, as its engine expectation says.
    const caught = KIND_MUST_FAIL.filter((id) => expectationFor(kindById(id), engineId).expect.outcome === 'rejected');
    const notCors = KIND_MUST_FAIL.filter((id) => !caught.includes(id));

    // (`it.each` of an empty list registers nothing.)
    if (caught.length > 0) it.each(caught)('the suite catches it: %s (the refused origin gets to use the response)', async (id) => {
      const c = kindById(id);
      await log.check('naive', control(`catches:${id}`, `the suite catches the naive layer: ${c.title}`), async () => {
        const observed = await runKindCase(c, apis(), side!, 'node');
        expect(observed.result.outcome, JSON.stringify(observed.result.observed)).toBe('resolved');
        expect(() => assertKindCase(c, observed, side!, 'node')).toThrow();
      });
    });

    if (notCors.length > 0) it.each(notCors)('not a CORS request in this engine, so the naive layer passes it too: %s', async (id) => {
      const c = kindById(id);
      const { difference } = expectationFor(c, engineId);
      await log.check('naive', { ...control(`not-cors:${id}`, `not a CORS request in this engine, the naive layer passes too: ${c.title}`), engines: { [engineId]: { reason: difference!.reason } } }, async () =>
        assertKindCase(c, await runKindCase(c, apis(), side!, 'node'), side!, 'node'),
      );
    });

    it.each(KIND_MUST_PASS)('and does not fail what it gets right: %s', async (id) => {
      const c = kindById(id);
      await log.check('naive', control(`passes:${id}`, `the naive layer passes: ${c.title}`), async () => assertKindCase(c, await runKindCase(c, apis(), side!, 'node'), side!, 'node'));
    });
  });
});
