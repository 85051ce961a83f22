import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/**
 * Flags for a quiet, reproducible headless Chromium: no GPU, no QUIC (plain HTTP/1.1 on
 * loopback), no first-run, sync, component or background traffic. WebGL runs on SwiftShader,
 * Chromium's CPU implementation (ANGLE on SwiftShader's Vulkan), asked for explicitly: recent
 * Chromium versions no longer fall back to it for WebGL without `--enable-unsafe-swiftshader`.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Debian's `chromium` package, or `CHROMIUM_PATH`. Never a downloaded browser. */
export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH || '/usr/bin/chromium';
}

/**
 * Launch headless Chromium with `CHROMIUM_ARGS` and `extraArgs` (e.g.
 * `--host-resolver-rules=MAP *.test 127.0.0.1`). Playwright gives every launch a fresh
 * temporary profile (its own `--user-data-dir`) and deletes it on `close()`.
 *
 * @example
 * ```ts
 * const browser = await launchChromium();
 * const page = await browser.newPage();
 * await browser.close();
 * ```
 */
export async function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!existsSync(executablePath)) {
    throw new Error(
      `Chromium not found at ${executablePath}. Install Debian's package (apt-get install chromium) or set CHROMIUM_PATH.`,
    );
  }
  return chromium.launch({ executablePath, headless: true, args: [...CHROMIUM_ARGS, ...extraArgs] });
}
