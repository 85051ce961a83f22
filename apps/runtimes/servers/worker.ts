// The Cloudflare Worker (module syntax): run by workerd through Miniflare (servers/miniflare.ts),
// configured through its bindings.
import { appFor, type Handler } from '../src/app.js';

interface Env {
  readonly RUNTIME_APP: string;
  readonly CONFORMANCE_CONFIG: string;
}

let handler: Handler | undefined;

export default {
  fetch(request: Request, env: Env): Promise<Response> {
    handler ??= appFor(env.RUNTIME_APP, env.CONFORMANCE_CONFIG);
    return handler(request);
  },
};
