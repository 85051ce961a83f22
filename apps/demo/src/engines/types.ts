import type { BrowserContext, Page } from 'playwright-core';

/** The three browser engines: Blink (Chromium), Gecko (Firefox ESR), WebKit (WebKitGTK's MiniBrowser). */
export type EngineId = 'chromium' | 'firefox' | 'webkit';

/** Every engine, in the order they run (one after the other). */
export const ENGINE_IDS: readonly EngineId[] = ['chromium', 'firefox', 'webkit'];

/** A cookie, as a server on `domain` would have set it earlier (host-only, no `document.cookie`). */
export interface EngineCookie {
  readonly name: string;
  readonly value: string;
  /** The cookie's host (host-only cookie). */
  readonly domain: string;
  readonly httpOnly?: boolean;
  readonly sameSite?: 'Lax' | 'Strict' | 'None';
}

/** One tab. */
export interface EnginePage {
  readonly engine: EngineId;
  /** Navigate and wait for the `load` event. */
  goto(url: string): Promise<void>;
  /**
   * Evaluate a JavaScript expression in the page and return its JSON value; a promise is
   * awaited. Prefer {@link evaluate}, which builds the expression from a function.
   */
  evaluateExpression(expression: string): Promise<unknown>;
  close(): Promise<void>;
  /** Chromium only: the Playwright page (for CDP). */
  readonly playwright?: Page;
}

/** An isolated browser profile: its own cookie jar and caches (a WebDriver session in WebKit). */
export interface EngineContext {
  newPage(): Promise<EnginePage>;
  /**
   * Add a cookie. `hostUrl` is a URL on the cookie's host that answers with a page:
   * WebDriver classic (WebKit) can only add a cookie for the document it has open.
   */
  addCookie(cookie: EngineCookie, hostUrl: string): Promise<void>;
  close(): Promise<void>;
  /** Chromium only: the Playwright context (for CDP sessions). */
  readonly playwright?: BrowserContext;
}

/** A running browser. */
export interface Engine {
  readonly id: EngineId;
  /** `Chromium 156.0.8078.114`, `Firefox 153.8.0esr`, `WebKitGTK 2.50.6 (MiniBrowser)`. */
  readonly name: string;
  readonly version: string;
  newContext(): Promise<EngineContext>;
  close(): Promise<void>;
}

/**
 * Run `fn(arg)` in the page and return its (awaited, JSON) result. `fn` is sent as source
 * text: it must not use anything from its closure, only `arg` (JSON).
 *
 * @example
 * ```ts
 * const title = await evaluate(page, (selector) => document.querySelector(selector)?.textContent, 'h1');
 * ```
 */
export async function evaluate<A, R>(page: EnginePage, fn: (arg: A) => R, arg: A): Promise<Awaited<R>> {
  // `__name`: esbuild (tsx, vitest) wraps named inner functions in it when keeping names.
  const source = `(() => { const __name = (f) => f; return (${fn.toString()})(${JSON.stringify(arg) ?? 'undefined'}); })()`;
  return (await page.evaluateExpression(source)) as Awaited<R>;
}

/** Poll `fn(arg)` in the page until it returns a truthy value (every 50 ms, up to `timeout` ms). */
export async function waitFor<A, R>(page: EnginePage, fn: (arg: A) => R, arg: A, timeout = 30_000): Promise<NonNullable<Awaited<R>>> {
  const started = Date.now();
  for (;;) {
    const value = await evaluate(page, fn, arg);
    if (value) return value;
    if (Date.now() - started > timeout) throw new Error(`waited ${timeout} ms in ${page.engine} for ${fn.toString().slice(0, 120)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
