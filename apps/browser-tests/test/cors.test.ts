import { afterAll, beforeAll, describe, it } from 'vitest';
import { ADAPTERS, ENGINE_LABELS, launchEngine, selectedEngines, startPageServer, type ApiServer, type Engine } from '@preflight/demo';
import { CASES, policies, type PolicyName } from './cases.js';
import { KIND_CASES } from './kind-cases.js';
import { ResultLog } from './results.js';
import { assertCase, assertKindCase, runCase, runKindCase } from './run-case.js';
import { HOSTS, openBrowserSide, RESOLVER_RULES, type BrowserSide } from './support.js';

// Every adapter, the same cases, in each real engine (Chromium, Firefox, WebKit; one after
// the other, `PREFLIGHT_ENGINES` picks some): a page on http://app.example.localhost:<port>
// (allowed), http://other.example.localhost:<port> (not allowed) or a sandboxed iframe
// (Origin: null) calls fetch() (or XHR, a font, an image, a shape) on
// http://api.example.localhost:<port>. The page and API servers are shared by the engines.

let pages: Array<{ port: number; close(): Promise<void> }> = [];
let appOrigin = '';
const apis = new Map<string, Record<PolicyName, ApiServer>>();

beforeAll(async () => {
  pages = [await startPageServer(), await startPageServer()];
  appOrigin = `http://${HOSTS.app}:${pages[0]!.port}`;
  const options = policies(appOrigin);
  for (const adapter of ADAPTERS) {
    const servers = {} as Record<PolicyName, ApiServer>;
    for (const name of Object.keys(options) as PolicyName[]) servers[name] = await adapter.start({ cors: options[name], publicHost: HOSTS.api });
    apis.set(adapter.id, servers);
  }
});

afterAll(async () => {
  await Promise.all([...apis.values()].flatMap((servers) => Object.values(servers).map((api) => api.close())));
  await Promise.all(pages.map((p) => p.close()));
});

describe.each(selectedEngines())('%s', (engineId) => {
  let engine: Engine | undefined;
  const log = new ResultLog('cors', engineId);

  beforeAll(async () => {
    log.begin();
    engine = await launchEngine(engineId, { chromiumArgs: [RESOLVER_RULES] });
  });

  afterAll(async () => {
    log.write(engine);
    await engine?.close();
  });

  describe.each(ADAPTERS)(`$label in ${ENGINE_LABELS[engineId]}`, (adapter) => {
    let side: BrowserSide | undefined;

    beforeAll(async () => {
      side = await openBrowserSide(engine!, { app: pages[0]!.port, other: pages[1]!.port });
    });

    afterAll(async () => {
      await side?.close();
    });

    it.each(CASES)('$id: $title', async (c) => {
      const servers = apis.get(adapter.id)!;
      await log.check(adapter.id, c, async () => assertCase(c, await runCase(c, servers, side!, adapter.id), side!, adapter.id));
    });

    // XMLHttpRequest, web fonts, images on a canvas and as WebGL textures, CSS shapes.
    it.each(KIND_CASES)('$kind: $id: $title', async (c) => {
      const servers = apis.get(adapter.id)!;
      await log.check(adapter.id, c, async () => assertKindCase(c, await runKindCase(c, servers, side!, adapter.id), side!, adapter.id));
    });
  });
});
