import { launchChromiumEngine } from './chromium.js';
import { launchFirefox } from './firefox.js';
import { ENGINE_IDS, type Engine, type EngineId } from './types.js';
import { launchWebKit } from './webkit.js';

export { ENGINE_IDS, evaluate, waitFor, type Engine, type EngineContext, type EngineCookie, type EngineId, type EnginePage } from './types.js';
export { chromiumEngine, launchChromiumEngine, playwrightContext, playwrightPage } from './chromium.js';
export { FIREFOX_PREFS, firefoxPath, launchFirefox } from './firefox.js';
export { launchWebKit, miniBrowserPath, webkitDriverPath, type WebKitOptions } from './webkit.js';
export { ENGINE_DIFFERENCES } from './differences.js';

/** Display names, for tables and test titles. */
export const ENGINE_LABELS: Readonly<Record<EngineId, string>> = { chromium: 'Chromium', firefox: 'Firefox', webkit: 'WebKit' };

/**
 * The engines to run: `PREFLIGHT_ENGINES` (comma-separated, e.g. `chromium,webkit`), or all three.
 * An unknown name throws, naming the valid ones.
 */
export function selectedEngines(value = process.env.PREFLIGHT_ENGINES): readonly EngineId[] {
  if (value === undefined || value.trim() === '') return ENGINE_IDS;
  const ids = value.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  for (const id of ids) {
    if (!(ENGINE_IDS as readonly string[]).includes(id)) throw new Error(`PREFLIGHT_ENGINES: unknown engine "${id}" (expected some of ${ENGINE_IDS.join(', ')})`);
  }
  return ENGINE_IDS.filter((id) => ids.includes(id));
}

/**
 * Launch one engine from Debian's packages (never a downloaded browser).
 * `chromiumArgs` are extra Chromium flags (e.g. `--host-resolver-rules`).
 *
 * @example
 * ```ts
 * const engine = await launchEngine('webkit');
 * const context = await engine.newContext();
 * const page = await context.newPage();
 * await page.goto('http://app.localhost:5170/');
 * await engine.close();
 * ```
 */
export function launchEngine(id: EngineId, options: { readonly chromiumArgs?: readonly string[] } = {}): Promise<Engine> {
  switch (id) {
    case 'chromium':
      return launchChromiumEngine(options.chromiumArgs);
    case 'firefox':
      return launchFirefox();
    case 'webkit':
      return launchWebKit();
  }
}
