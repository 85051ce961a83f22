import { existsSync } from 'node:fs';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import type { Engine, EngineContext, EnginePage } from './types.js';

/** Debian's `firefox-esr` package, or `FIREFOX_PATH`. Never a downloaded browser. */
export function firefoxPath(): string {
  return process.env.FIREFOX_PATH || '/usr/bin/firefox-esr';
}

/**
 * Preferences for a quiet, reproducible headless Firefox. WebGL is off in headless Firefox
 * unless forced: `webgl.force-enabled` here and `MOZ_WEBGL_FORCE_EGL=1` in the environment
 * (Mesa's llvmpipe, a CPU renderer, over EGL).
 */
export const FIREFOX_PREFS: Readonly<Record<string, boolean | string | number>> = {
  'webgl.force-enabled': true,
  'network.http.http3.enable': false,
  'browser.shell.checkDefaultBrowser': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'toolkit.telemetry.enabled': false,
  'app.update.enabled': false,
};

function puppeteerPage(page: Page): EnginePage {
  return {
    engine: 'firefox',
    goto: async (url) => {
      await page.goto(url, { waitUntil: 'load' });
    },
    evaluateExpression: (expression) => page.evaluate(expression),
    close: () => page.close(),
  };
}

/** Debian's Firefox ESR, headless, through puppeteer-core over WebDriver BiDi. */
export async function launchFirefox(): Promise<Engine> {
  const executablePath = firefoxPath();
  if (!existsSync(executablePath)) {
    throw new Error(`Firefox not found at ${executablePath}. Install Debian's package (apt-get install firefox-esr) or set FIREFOX_PATH.`);
  }
  const browser: Browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath,
    headless: true,
    extraPrefsFirefox: { ...FIREFOX_PREFS },
    env: { ...process.env, MOZ_WEBGL_FORCE_EGL: '1' },
    protocolTimeout: 120_000,
  });
  const version = (await browser.version()).replace(/^firefox\//i, '');
  return {
    id: 'firefox',
    name: `Firefox ${version}`,
    version,
    async newContext(): Promise<EngineContext> {
      const context = await browser.createBrowserContext();
      return {
        newPage: async () => puppeteerPage(await context.newPage()),
        addCookie: (cookie) =>
          context.setCookie({ name: cookie.name, value: cookie.value, domain: cookie.domain, path: '/', httpOnly: cookie.httpOnly ?? false, secure: false, sameSite: cookie.sameSite ?? 'Lax' }),
        close: () => context.close(),
      };
    },
    close: () => browser.close(),
  };
}
