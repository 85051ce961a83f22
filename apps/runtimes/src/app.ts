// What every runtime server serves: one of the fetch adapter's conformance applications
// (packages/fetch/test/apps.ts), configured with one of the suite's configurations, chosen
// by name. Runs unchanged in Deno, Bun, workerd and a Next.js route handler (bundled by
// test/build.ts); nothing here needs Node.
import { configs, type ConfigName } from '@preflight/cors-conformance';
import { fetchApp, honoApp } from '../../../packages/fetch/test/apps.js';

export type Handler = (request: Request) => Promise<Response>;

/**
 * The applications a runtime server can serve. `broken` is a deliberately wrong fetch
 * adapter — `withCors` with every `Vary` dropped from its responses — that the suite must fail on
 * every runtime (test/broken.ts), proving the runtime runs are real.
 */
export const APPS = {
  'with-cors': (name: ConfigName): Handler => fetchApp(configs[name]),
  hono: (name: ConfigName): Handler => {
    const app = honoApp(configs[name]);
    return async (request) => app.fetch(request);
  },
  broken: (name: ConfigName): Handler => {
    const inner = fetchApp(configs[name]);
    return async (request) => {
      const res = await inner(request);
      const copy = new Response(res.body, res);
      copy.headers.delete('Vary');
      return copy;
    };
  },
} as const;

export type AppName = keyof typeof APPS;

/** The handler for `app` under `config` (the values of RUNTIME_APP and CONFORMANCE_CONFIG), or a clear error. */
export function appFor(app: string | undefined, config: string | undefined): Handler {
  if (app === undefined || !Object.hasOwn(APPS, app)) throw new Error(`RUNTIME_APP must be one of ${Object.keys(APPS).join(', ')}; got ${String(app)}`);
  if (config === undefined || !Object.hasOwn(configs, config)) throw new Error(`CONFORMANCE_CONFIG must name one of the suite's configs; got ${String(config)}`);
  return APPS[app as AppName](config as ConfigName);
}
