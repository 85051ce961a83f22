import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../chromium.js';
import type { Engine, EngineContext, EnginePage } from './types.js';

/** An {@link EnginePage} over a Playwright page (Chromium). */
export function playwrightPage(page: Page): EnginePage {
  return {
    engine: 'chromium',
    playwright: page,
    goto: async (url) => {
      await page.goto(url);
    },
    evaluateExpression: (expression) => page.evaluate(expression),
    close: () => page.close(),
  };
}

/** An {@link EngineContext} over a Playwright browser context (Chromium). */
export function playwrightContext(context: BrowserContext): EngineContext {
  return {
    playwright: context,
    newPage: async () => playwrightPage(await context.newPage()),
    addCookie: (cookie) =>
      context.addCookies([{ name: cookie.name, value: cookie.value, domain: cookie.domain, path: '/', httpOnly: cookie.httpOnly ?? false, secure: false, sameSite: cookie.sameSite ?? 'Lax' }]),
    close: () => context.close(),
  };
}

/**
 * Debian's Chromium through Playwright (CDP), with `CHROMIUM_ARGS` and `extraArgs`.
 * `*.localhost` resolves to loopback without flags; `extraArgs` may add
 * `--host-resolver-rules` for other names.
 */
export async function launchChromiumEngine(extraArgs: readonly string[] = []): Promise<Engine> {
  return chromiumEngine(await launchChromium(extraArgs));
}

/** A Playwright Chromium (e.g. from `launchChromium`) as an {@link Engine}. */
export function chromiumEngine(browser: Browser): Engine {
  const version = browser.version();
  return {
    id: 'chromium',
    name: `Chromium ${version}`,
    version,
    newContext: async () => playwrightContext(await browser.newContext()),
    close: () => browser.close(),
  };
}
