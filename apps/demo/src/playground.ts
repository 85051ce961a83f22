import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ADAPTERS, type AdapterEntry, type AdapterId, type ApiServer } from './apis/index.js';
import { SESSION_COOKIE, type RequestRecord } from './log.js';
import { demoPolicy } from './policy.js';
import { KIND_COMPARISON, SCENARIOS, type KindComparison, type Scenario } from './scenarios.js';

/** Where the playground listens. Ports 0 pick free ports (tests, `--check`). */
export interface PlaygroundOptions {
  /** Host name of the page, the origin the policy allows. Default `localhost`. */
  readonly pageHost?: string;
  /** Default 0. */
  readonly pagePort?: number;
  /** Host name of the second page origin, which the policy does not allow. Default `127.0.0.1`. */
  readonly otherHost?: string;
  /** Default 0. */
  readonly otherPort?: number;
  /**
   * Host name of the APIs. Default: `pageHost`. Cookies ignore ports, so the session cookie
   * the page server sets is the APIs' cookie too, and the page and the APIs are same-site
   * (a default `SameSite=Lax` cookie is sent on credentialed cross-origin fetches).
   */
  readonly apiHost?: string;
  /** First API port; adapter *i* listens on `apiPort + i`. Default 0 (free ports). */
  readonly apiPort?: number;
  /** Which adapters to run. Default: all of them. */
  readonly adapters?: readonly AdapterEntry[];
}

/** What the page loads from `/config.json`. */
export interface PlaygroundConfig {
  readonly origins: { readonly allowed: string; readonly other: string };
  readonly apis: ReadonlyArray<{ readonly id: AdapterId; readonly label: string; readonly url: string }>;
  readonly policy: Record<string, unknown>;
  readonly scenarios: readonly Scenario[];
  /** The rows of the "request kinds" panel. */
  readonly kinds: readonly KindComparison[];
}

/** A running playground. */
export interface Playground {
  /** The page, on the allowed origin. */
  readonly pageUrl: string;
  /** The second page origin (not allowed by the policy). */
  readonly otherUrl: string;
  readonly apis: readonly ApiServer[];
  readonly config: PlaygroundConfig;
  /** Close every server. */
  close(): Promise<void>;
}

const PUBLIC_DIR = new URL('../public/', import.meta.url);
const STATIC: Readonly<Record<string, readonly [file: string, type: string]>> = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/index.html': ['index.html', 'text/html; charset=utf-8'],
  '/runner.html': ['runner.html', 'text/html; charset=utf-8'],
  '/app.js': ['app.js', 'text/javascript; charset=utf-8'],
  '/runner.js': ['runner.js', 'text/javascript; charset=utf-8'],
  '/style.css': ['style.css', 'text/css; charset=utf-8'],
};

/**
 * Start the playground: the page on two origins, and one API per adapter, all running the
 * demo policy (which allows the page's first origin only).
 *
 * @example
 * ```ts
 * const playground = await startPlayground({ pagePort: 5170, otherPort: 5171, apiPort: 5181 });
 * console.log(playground.pageUrl);
 * await playground.close();
 * ```
 */
export async function startPlayground(options: PlaygroundOptions = {}): Promise<Playground> {
  const pageHost = options.pageHost ?? 'localhost';
  const otherHost = options.otherHost ?? '127.0.0.1';
  const apiHost = options.apiHost ?? pageHost;
  const opened: Array<{ close(): Promise<void> }> = [];
  const closeAll = async (): Promise<void> => {
    await Promise.allSettled(opened.splice(0).reverse().map((s) => s.close()));
  };
  try {
    // Filled in as the servers start; the page handler reads it per request.
    const state: { config?: PlaygroundConfig; apis: ApiServer[] } = { apis: [] };
    const handler = pageHandler(state);
    const page = await listen(createServer(handler), options.pagePort ?? 0);
    opened.push(page);
    const other = await listen(createServer(handler), options.otherPort ?? 0);
    opened.push(other);
    const pageUrl = `http://${pageHost}:${page.port}`;
    const otherUrl = `http://${otherHost}:${other.port}`;
    const policy = demoPolicy(pageUrl);
    const adapters = options.adapters ?? ADAPTERS;
    // One after the other: each API's port is known before the next one starts.
    for (const [i, adapter] of adapters.entries()) {
      const port = options.apiPort ? options.apiPort + i : 0;
      const api = await adapter.start({ cors: policy, port, publicHost: apiHost });
      opened.push(api);
      state.apis.push(api);
    }
    const config: PlaygroundConfig = {
      origins: { allowed: pageUrl, other: otherUrl },
      apis: state.apis.map((a) => ({ id: a.adapter, label: a.label, url: a.url })),
      policy: { ...policy },
      scenarios: SCENARIOS,
      kinds: KIND_COMPARISON,
    };
    state.config = config;
    return { pageUrl: `${pageUrl}/`, otherUrl: `${otherUrl}/`, apis: state.apis, config, close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/**
 * Serve the playground's static files (the page, `/runner.html`, `/runner.js`) on
 * 127.0.0.1, without APIs: what the browser tests load on each page origin.
 */
export function startPageServer(port = 0): Promise<{ readonly port: number; close(): Promise<void> }> {
  return listen(createServer(pageHandler({ apis: [] })), port);
}

function pageHandler(state: { readonly config?: PlaygroundConfig; readonly apis: readonly ApiServer[] }) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    void handle(req, res, state.config, state.apis).catch((error: unknown) => {
      console.error('playground: request failed', error);
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    });
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, config: PlaygroundConfig | undefined, apis: readonly ApiServer[]): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://playground');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'method not allowed');
  const file = STATIC[url.pathname];
  if (file !== undefined) {
    if (file[0] === 'index.html') {
      // The session cookie credentialed requests carry. Host-only, so it is the APIs' cookie
      // too when they share the page's host name (cookies ignore ports).
      res.setHeader('Set-Cookie', `${SESSION_COOKIE}=demo; Path=/; HttpOnly; SameSite=Lax`);
    }
    return send(res, 200, file[1], await readFile(new URL(file[0], PUBLIC_DIR)));
  }
  if (url.pathname === '/config.json' && config !== undefined) return send(res, 200, 'application/json', JSON.stringify(config));
  if (url.pathname === '/log') {
    // What each API received and answered for one case: the server side of the story.
    const caseId = url.searchParams.get('case') ?? '';
    const out: Record<string, RequestRecord[]> = {};
    for (const api of apis) out[api.adapter] = api.log.byCase(caseId);
    return send(res, 200, 'application/json', JSON.stringify(out));
  }
  send(res, 404, 'text/plain', 'not found');
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.statusCode = status;
  res.setHeader('Content-Type', type);
  res.end(body);
}

async function listen(server: Server, port: number): Promise<{ port: number; close(): Promise<void> }> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
