import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { ADAPTERS, launchChromium, startPageServer, type ApiServer } from '@preflight/demo';
import { CASES, policies, type PolicyName } from './cases.js';
import { KIND_CASES } from './kind-cases.js';
import { assertCase, assertKindCase, runCase, runKindCase } from './run-case.js';
import { HOSTS, openBrowserSide, RESOLVER_RULES, type BrowserSide } from './support.js';

// Every adapter, the same cases, in a real headless Chromium: a page on
// http://app.example.test:<port> (allowed), http://other.example.test:<port> (not allowed)
// or a sandboxed iframe (Origin: null) calls fetch() on http://api.example.test:<port>.

let browser: Browser | undefined;
let pages: Array<{ port: number; close(): Promise<void> }> = [];
let appOrigin = '';

beforeAll(async () => {
  pages = [await startPageServer(), await startPageServer()];
  appOrigin = `http://${HOSTS.app}:${pages[0]!.port}`;
  browser = await launchChromium([RESOLVER_RULES]);
});

afterAll(async () => {
  await browser?.close();
  await Promise.all(pages.map((p) => p.close()));
});

describe.each(ADAPTERS)('$label in Chromium', (adapter) => {
  const apis = {} as Record<PolicyName, ApiServer>;
  let side: BrowserSide | undefined;

  beforeAll(async () => {
    const options = policies(appOrigin);
    for (const name of Object.keys(options) as PolicyName[]) {
      apis[name] = await adapter.start({ cors: options[name], publicHost: HOSTS.api });
    }
    side = await openBrowserSide(browser!, { app: pages[0]!.port, other: pages[1]!.port });
  });

  afterAll(async () => {
    await side?.close();
    await Promise.all(Object.values(apis).map((api) => api.close()));
  });

  it.each(CASES)('$id: $title', async (c) => {
    assertCase(c, await runCase(c, apis, side!, adapter.id), side!, adapter.id);
  });

  // XMLHttpRequest, web fonts, images on a canvas and as WebGL textures, CSS shapes.
  it.each(KIND_CASES)('$kind: $id: $title', async (c) => {
    assertKindCase(c, await runKindCase(c, apis, side!, adapter.id), side!, adapter.id);
  });
});
