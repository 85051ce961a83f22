import type { BrowserContext as PlaywrightContext, Browser as PlaywrightBrowser, CDPSession, Page as PlaywrightPage } from 'playwright-core';
import { chromiumEngine, evaluate, playwrightContext, SESSION_COOKIE, type ApiServer, type Engine, type EngineContext, type EngineId, type EnginePage, type RequestRecord } from '@preflight/demo';

/**
 * Host names under `localhost`, which every engine resolves to loopback without flags
 * (Chromium also gets `RESOLVER_RULES`, so it never tries `::1` first). They share the site
 * `example.localhost` (`localhost` is not a public suffix: the last label is the registry), so
 * the page and the API are cross-origin but same-site: a default (SameSite=Lax) cookie of
 * the API host is sent with `credentials: 'include'`. A cross-site API would need
 * `SameSite=None; Secure`, which needs HTTPS, and third-party cookies not blocked.
 */
export const HOSTS = {
  /** The page origin the policies allow. */
  app: 'app.example.localhost',
  /** A sibling origin no policy allows (but `'*'`). */
  other: 'other.example.localhost',
  api: 'api.example.localhost',
} as const;

/** Chromium: every `*.localhost` name on 127.0.0.1 (the servers listen there only). */
export const RESOLVER_RULES = `--host-resolver-rules=MAP *.localhost 127.0.0.1`;

/** The kinds of request the runner script makes (see apps/demo/public/runner.js). */
export type RequestKind = 'fetch' | 'xhr' | 'font' | 'canvas' | 'webgl' | 'shape';

/** What the runner script (apps/demo/public/runner.js) reports: what the page observed. */
export interface RunResult {
  readonly kind: RequestKind;
  /** `resolved`: the page got to use the response (read it, font loaded, pixels readable, texture accepted, shape applied). */
  readonly outcome: 'resolved' | 'rejected';
  readonly status: number;
  readonly statusText: string;
  readonly error: string;
  readonly readable: ReadonlyArray<[string, string]>;
  readonly probed: Readonly<Record<string, string | null>>;
  readonly body: string;
  /** Kind-specific measurements: pixel values, font status and width, where lines start beside a shape. */
  readonly observed: Readonly<Record<string, string | number | boolean | null>>;
  readonly preview: string | null;
  readonly ms: number;
  readonly origin: string;
}

/** One request as the runner script takes it. */
export interface RunSpec {
  /** Default `fetch`. */
  readonly kind?: RequestKind;
  readonly url: string;
  readonly method: string;
  readonly headers: Array<[string, string]>;
  readonly credentials: RequestCredentials;
  readonly body: string | null;
  readonly probe: string[];
  /** `canvas` and `webgl`: the <img> crossorigin attribute (`none`: no attribute, a no-cors request). */
  readonly crossOrigin?: 'anonymous' | 'use-credentials' | 'none';
}

let sandboxes = 0;

/**
 * A page on one origin with the runner loaded. In Chromium, also the CORS errors it reports
 * over CDP (`Network.loadingFailed` → `corsErrorStatus`); Firefox and WebKit report theirs
 * only to their consoles, which no driver reads, so there the page and the server are what
 * a case asserts.
 */
export class RunnerPage {
  /** Chromium's `corsErrorStatus.corsError` for each failed request, by URL. */
  readonly #corsErrors = new Map<string, string[]>();
  readonly #urls = new Map<string, string>();

  private constructor(
    /** The page, in any engine. */
    readonly tab: EnginePage,
    readonly origin: string,
  ) {}

  /** Chromium only: the Playwright page (what test files written for Chromium alone use). */
  get page(): PlaywrightPage {
    if (this.tab.playwright === undefined) throw new Error(`RunnerPage.page is Chromium's Playwright page; in ${this.tab.engine}, use .tab (evaluate(tab, fn, arg))`);
    return this.tab.playwright;
  }

  /** Whether this engine reports why it refused a request (Chromium over CDP). */
  get reportsCorsErrors(): boolean {
    return this.tab.playwright !== undefined;
  }

  /**
   * Open `origin`/runner.html in `context` (with the Network domain enabled over CDP in
   * Chromium). `context` may be a Playwright context (Chromium, as before the engine drivers).
   */
  static async open(engineContext: EngineContext | PlaywrightContext, origin: string): Promise<RunnerPage> {
    const context = 'addCookie' in engineContext ? engineContext : playwrightContext(engineContext);
    const page = await context.newPage();
    const runner = new RunnerPage(page, origin);
    if (page.playwright !== undefined && context.playwright !== undefined) await runner.#watch(await context.playwright.newCDPSession(page.playwright));
    await page.goto(`${origin}/runner.html`);
    for (let waited = 0; !(await evaluate(page, () => 'preflightRun' in window, null)); waited += 20) {
      if (waited > 10_000) throw new Error(`${origin}/runner.html: the runner did not load`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return runner;
  }

  /** Collect the CORS errors Chromium reports through one CDP session (a page or an OOPIF). */
  async #watch(cdp: CDPSession): Promise<void> {
    cdp.on('Network.requestWillBeSent', (event) => this.#urls.set(event.requestId, event.request.url));
    cdp.on('Network.loadingFailed', (event) => {
      const reason = event.corsErrorStatus?.corsError;
      const url = this.#urls.get(event.requestId);
      if (reason === undefined || url === undefined) return;
      this.#corsErrors.set(url, [...(this.#corsErrors.get(url) ?? []), reason]);
    });
    await cdp.send('Network.enable');
  }

  /** One request (fetch() by default) from this page's origin. */
  run(spec: RunSpec): Promise<RunResult> {
    return evaluate(this.tab, (s) => (window as unknown as { preflightRun(s: RunSpec): Promise<RunResult> }).preflightRun(s), spec);
  }

  /**
   * fetch() from a sandboxed iframe inside this page (`sandbox="allow-scripts"`, srcdoc):
   * an opaque origin, so the request carries `Origin: null`. Chromium runs sandboxed frames
   * out of process: the frame gets its own CDP session so its CORS errors are seen too.
   */
  async runSandboxed(spec: RunSpec): Promise<RunResult> {
    const name = `sandbox-${++sandboxes}`;
    await evaluate(
      this.tab,
      (frameName) =>
        new Promise<void>((resolve, reject) => {
          const frame = document.createElement('iframe');
          frame.name = frameName;
          frame.setAttribute('sandbox', 'allow-scripts');
          const script = document.createElement('script');
          script.src = `${location.origin}/runner.js`;
          script.dataset.parent = location.origin;
          frame.srcdoc = script.outerHTML;
          const timer = setTimeout(() => reject(new Error('the sandboxed frame did not load')), 15_000);
          const onReady = (event: MessageEvent): void => {
            if (event.source !== frame.contentWindow || (event.data as { type?: string }).type !== 'preflight:ready') return;
            clearTimeout(timer);
            window.removeEventListener('message', onReady);
            resolve();
          };
          window.addEventListener('message', onReady);
          document.body.append(frame);
        }),
      name,
    );
    const cdp = await this.#frameSession(name);
    try {
      if (cdp !== undefined) await this.#watch(cdp);
      const result = await evaluate(
        this.tab,
        ({ frameName, s }) =>
          new Promise<RunResult>((resolve, reject) => {
            const frame = document.querySelector<HTMLIFrameElement>(`iframe[name="${frameName}"]`)!;
            const timer = setTimeout(() => reject(new Error('the sandboxed frame did not answer')), 15_000);
            const onResult = (event: MessageEvent): void => {
              const data = event.data as { type?: string; result?: RunResult };
              if (event.source !== frame.contentWindow || data.type !== 'preflight:result') return;
              clearTimeout(timer);
              window.removeEventListener('message', onResult);
              resolve(data.result!);
            };
            window.addEventListener('message', onResult);
            frame.contentWindow!.postMessage({ type: 'preflight:run', id: frameName, spec: s }, '*');
          }),
        { frameName: name, s: spec },
      );
      // Chromium's loadingFailed must arrive before the frame (and its session) goes away.
      if (cdp !== undefined && result.outcome === 'rejected') await this.corsErrors(spec.url, true);
      return result;
    } finally {
      await cdp?.detach().catch(() => {});
      await evaluate(this.tab, (frameName) => document.querySelector(`iframe[name="${frameName}"]`)?.remove(), name);
    }
  }

  /** Chromium: a CDP session on the sandboxed frame `name` (out of process). */
  async #frameSession(name: string): Promise<CDPSession | undefined> {
    const page = this.tab.playwright;
    if (page === undefined) return undefined;
    let frame = page.frames().find((f) => f.name() === name);
    for (let waited = 0; frame === undefined && waited < 5000; waited += 10) {
      await new Promise((r) => setTimeout(r, 10));
      frame = page.frames().find((f) => f.name() === name);
    }
    if (frame === undefined) throw new Error(`frame ${name} not found`);
    return page.context().newCDPSession(frame);
  }

  /**
   * The CORS errors Chromium reported for `url` (none in other engines). `Network.loadingFailed`
   * may arrive after the page has seen its fetch() reject: when `expectSome`, wait for it (up to
   * 3 s; a rejection that is not a CORS error, or a sandboxed frame's request, reports none).
   */
  async corsErrors(url: string, expectSome: boolean): Promise<string[]> {
    if (!this.reportsCorsErrors) return [];
    for (let waited = 0; expectSome && !this.#corsErrors.has(url) && waited < 3000; waited += 10) {
      await new Promise((r) => setTimeout(r, 10));
    }
    return this.#corsErrors.get(url) ?? [];
  }
}

/** A browser context with the API's session cookie, and runner pages on both page origins. */
export interface BrowserSide {
  readonly engine: EngineId;
  readonly context: EngineContext;
  readonly app: RunnerPage;
  readonly other: RunnerPage;
  close(): Promise<void>;
}

/**
 * A fresh context (its own preflight cache and cookie jar) for one adapter, in any engine
 * (`launchEngine(id, { chromiumArgs: [RESOLVER_RULES] })`), or in a Playwright Chromium
 * (`launchChromium([RESOLVER_RULES])`, as before the engine drivers).
 */
export async function openBrowserSide(browser: Engine | PlaywrightBrowser, ports: { app: number; other: number }): Promise<BrowserSide> {
  const engine = 'id' in browser ? browser : chromiumEngine(browser);
  const context = await engine.newContext();
  // The API host's own cookie, as if it had set it earlier (no document.cookie involved).
  await context.addCookie({ name: SESSION_COOKIE, value: 'c00kie', domain: HOSTS.api, httpOnly: true, sameSite: 'Lax' }, `http://${HOSTS.api}:${ports.app}/runner.html`);
  const app = await RunnerPage.open(context, `http://${HOSTS.app}:${ports.app}`);
  const other = await RunnerPage.open(context, `http://${HOSTS.other}:${ports.other}`);
  return { engine: engine.id, context, app, other, close: () => context.close() };
}

/**
 * The requests an API received for one case, once their responses finished. A response
 * the browser refused has been fully written before the page learns of the refusal, but
 * give the server's `finish` event a moment anyway.
 */
export async function serverSide(api: ApiServer, caseId: string): Promise<RequestRecord[]> {
  for (let i = 0; i < 50; i++) {
    const records = api.log.byCase(caseId);
    if (records.every((r) => r.status !== 0)) return records;
    await new Promise((r) => setTimeout(r, 20));
  }
  return api.log.byCase(caseId);
}
