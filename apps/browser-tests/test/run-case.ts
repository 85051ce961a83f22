import { expect } from 'vitest';
import type { ApiServer, RequestRecord } from '@preflight/demo';
import { expectationFor, type BrowserCase, type PolicyName } from './cases.js';
import { kindPath, type KindCase } from './kind-cases.js';
import { serverSide, type BrowserSide, type RunResult, type RunSpec } from './support.js';

const RUN = Date.now().toString(36);

/** What one case observed: in the page, in Chromium's network log (Chromium only), and on the server. */
export interface Observed {
  /** The origin the fetch() came from, as the page saw it (`null` for the sandboxed iframe). */
  readonly origin: string;
  /** The page's observations, one per repetition. */
  readonly results: readonly RunResult[];
  readonly corsErrors: readonly string[];
  readonly records: readonly RequestRecord[];
}

/** Run one case: `repeat` fetch() calls from the case's page to a URL of its own. */
export async function runCase(c: BrowserCase, apis: Readonly<Record<PolicyName, ApiServer>>, side: BrowserSide, adapter: string): Promise<Observed> {
  const api = apis[c.policy];
  const caseId = `${RUN}-${side.engine}-${adapter}-${c.id}`;
  const url = `${api.url}${c.path ?? '/api/echo'}?case=${caseId}`;
  const spec: RunSpec = {
    url,
    method: c.method ?? 'GET',
    headers: Object.entries(c.headers ?? {}),
    credentials: c.credentials ?? 'omit',
    body: c.body ?? null,
    probe: Object.keys(c.expect.headers ?? {}),
  };
  const page = c.from === 'other' ? side.other : side.app;
  const results: RunResult[] = [];
  for (let i = 0; i < (c.repeat ?? 1); i++) results.push(c.from === 'null' ? await page.runSandboxed(spec) : await page.run(spec));
  const records = await serverSide(api, caseId);
  const corsErrors = await page.corsErrors(url, results.some((r) => r.outcome === 'rejected'));
  return { origin: results[0]!.origin, results, records, corsErrors };
}

/** Assert everything the case expects; throws (vitest's AssertionError) on the first miss. */
export function assertCase(c: BrowserCase, observed: Observed, side: BrowserSide, adapter: string): void {
  const want = expectationFor(c, side.engine).expect;
  const { results, records, corsErrors } = observed;

  // The setup itself: the request left from the intended origin.
  const expectedOrigin = c.from === 'null' ? 'null' : c.from === 'other' ? side.other.origin : side.app.origin;
  expect(observed.origin, 'origin of the page that called fetch()').toBe(expectedOrigin);

  // What the page's JavaScript observed.
  for (const [i, result] of results.entries()) {
    const what = `fetch #${i + 1}`;
    expect(result.outcome, `${what}: ${result.error || `status ${result.status}`}`).toBe(want.fetch);
    if (want.fetch === 'rejected') {
      expect(result.error, what).toMatch(/^TypeError: /);
      expect(result.status, what).toBe(0);
      continue;
    }
    const sent = records.filter((r) => r.kind !== 'preflight')[i]?.status;
    if (want.status !== undefined) expect(result.status, `${what}: status`).toBe(want.status === 'as-sent' ? sent : want.status);
    for (const [name, value] of Object.entries(want.headers ?? {})) {
      if (value instanceof RegExp) expect(result.probed[name], `${what}: headers.get('${name}')`).toMatch(value);
      else expect(result.probed[name], `${what}: headers.get('${name}')`).toBe(value);
    }
    if (want.body !== undefined) expect(result.body, `${what}: body`).toBe(want.body);
    if (want.echo !== undefined) expect(JSON.parse(result.body), `${what}: echoed request`).toMatchObject({ adapter, ...want.echo });
  }

  // What Chromium reported as the CORS failure (other engines report none to a driver).
  if (side.app.reportsCorsErrors) {
    if (want.corsError !== undefined) expect(corsErrors, 'Chromium corsErrorStatus').toContain(want.corsError);
    if (want.fetch === 'resolved') expect(corsErrors, 'Chromium corsErrorStatus').toEqual([]);
  }

  // What the API received and answered.
  const received = records.map((r) => `${r.method} ${r.status}`);
  expect(received, 'requests the API received').toEqual(want.server.map((line, i) => (line.endsWith(' *') && received[i]?.startsWith(line.slice(0, -1)) ? received[i] : line)));
  const refusals = records.map((r) => r.refusal?.code).filter((code) => code !== undefined);
  if (want.refusal !== undefined) expect(refusals, 'refusal reported by onRefusal').toContain(want.refusal);
  else expect(refusals, 'refusal reported by onRefusal').toEqual([]);
  for (const preflight of records.filter((r) => r.kind === 'preflight')) {
    expect(preflight.cookie, 'a preflight never carries the cookie').toBe(false);
    expect(preflight.authorization, 'a preflight never carries Authorization').toBe(false);
  }
  if (want.cookieSent !== undefined) {
    const actual = records.filter((r) => r.kind !== 'preflight');
    expect(actual.map((r) => r.cookie), 'session cookie on the request').toEqual(actual.map(() => want.cookieSent));
  }
}

/** What one request of another kind observed: in the page, in Chromium's network log (Chromium only), and on the server. */
export interface KindObserved {
  readonly result: RunResult;
  readonly corsErrors: readonly string[];
  readonly records: readonly RequestRecord[];
}

/** Run one request of another kind (XHR, font, canvas, WebGL, shape) from the case's page. */
export async function runKindCase(c: KindCase, apis: Readonly<Record<PolicyName, ApiServer>>, side: BrowserSide, adapter: string): Promise<KindObserved> {
  const api = apis[c.policy];
  const caseId = `${RUN}-${side.engine}-${adapter}-${c.id}`;
  // A URL of its own: images and fonts are cached by URL in memory as well as over HTTP.
  const url = `${api.url}${kindPath(c.kind)}?case=${caseId}`;
  const spec: RunSpec = {
    kind: c.kind,
    url,
    method: c.method ?? 'GET',
    headers: Object.entries(c.headers ?? {}),
    credentials: c.credentials ?? 'omit',
    body: c.body ?? null,
    probe: Object.keys(c.expect.headers ?? {}),
    ...(c.crossOrigin === undefined ? {} : { crossOrigin: c.crossOrigin }),
  };
  const page = c.from === 'other' ? side.other : side.app;
  const result = await page.run(spec);
  const records = await serverSide(api, caseId);
  const corsErrors = await page.corsErrors(url, result.outcome === 'rejected' && expectationFor(c, side.engine).expect.corsError !== undefined);
  return { result, records, corsErrors };
}

/** Assert everything a kind case expects. */
export function assertKindCase(c: KindCase, observed: KindObserved, side: BrowserSide, adapter: string): void {
  const want = expectationFor(c, side.engine).expect;
  const { result, records, corsErrors } = observed;
  const pageOrigin = c.from === 'other' ? side.other.origin : side.app.origin;
  expect(result.origin, 'origin of the page').toBe(pageOrigin);
  expect(result.kind).toBe(c.kind);

  // What the page observed.
  expect(result.outcome, `${c.kind}: ${result.error || 'used'} ${JSON.stringify(result.observed)}`).toBe(want.outcome);
  if (want.outcome === 'resolved') expect(result.error, 'nothing went wrong in the page').toBe('');
  if (want.error !== undefined) expect(result.error, 'what the page saw').toMatch(want.error);
  if (want.observed !== undefined) expect(result.observed, 'what the page measured').toMatchObject(want.observed);
  if (c.kind === 'font' && want.outcome === 'rejected') expect(result.observed.width, 'the fallback font is used').toBe(result.observed.fallbackWidth);
  if (c.kind === 'xhr') expect(result.status, 'XHR status').toBe(want.status ?? 0);
  for (const [name, value] of Object.entries(want.headers ?? {})) expect(result.probed[name], `getResponseHeader('${name}')`).toBe(value);
  if (want.echo !== undefined) expect(JSON.parse(result.body), 'echoed request').toMatchObject({ adapter, ...want.echo });
  if (want.outcome === 'resolved' && (c.kind === 'canvas' || c.kind === 'webgl' || c.kind === 'font')) {
    expect(result.preview, 'the page could export what it drew').toMatch(/^data:image\/png;base64,/);
  }

  // What Chromium reported (other engines report none to a driver).
  if (side.app.reportsCorsErrors) {
    if (want.corsError !== undefined) expect(corsErrors, 'Chromium corsErrorStatus').toContain(want.corsError);
    else expect(corsErrors, 'Chromium corsErrorStatus').toEqual([]);
  }

  // What the API received and answered.
  expect(records.map((r) => `${r.method} ${r.status}`), 'requests the API received').toEqual(want.server);
  const refusals = records.map((r) => r.refusal?.code).filter((code) => code !== undefined);
  if (want.refusal !== undefined) expect(refusals, 'refusal reported by onRefusal').toContain(want.refusal);
  else expect(refusals, 'refusal reported by onRefusal').toEqual([]);
  for (const preflight of records.filter((r) => r.kind === 'preflight')) {
    expect(preflight.cookie, 'a preflight never carries the cookie').toBe(false);
  }
  const actual = records.filter((r) => r.kind !== 'preflight');
  expect(actual.map((r) => r.origin), 'Origin on the request').toEqual(actual.map(() => (want.origin === 'sent' ? pageOrigin : null)));
  expect(actual.map((r) => r.cookie), 'session cookie on the request').toEqual(actual.map(() => want.cookieSent));
  if (c.kind !== 'xhr') {
    const type = c.kind === 'font' ? 'font/ttf' : 'image/png';
    expect(actual.map((r) => r.headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1]), 'Content-Type sent').toEqual(actual.map(() => type));
  }
  if (want.outcome === 'resolved' && want.origin === 'sent') {
    // The answer the browser accepted carried Preflight's grant for exactly this origin.
    const acao = actual.map((r) => r.headers.find(([name]) => name.toLowerCase() === 'access-control-allow-origin')?.[1]);
    expect(acao, 'Access-Control-Allow-Origin sent').toEqual(actual.map(() => (c.policy === 'open' ? '*' : pageOrigin)));
  }
}
