import { request as httpRequest } from 'node:http';
import type { RunningServer } from '@preflight/cors-conformance';
import { cors, type CorsOptions } from '@preflight/cors-fastify';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach } from 'vitest';
import { listen } from './harness.js';

export const APP = 'https://app.example.com';
export const EVIL = 'https://evil.example.org';

/** What a client sees. */
export interface Reply {
  readonly status: number;
  /** Header lines as received: [lower-cased name, value], in order (to count duplicates). */
  readonly lines: ReadonlyArray<readonly [string, string]>;
  readonly body: string;
}

/** One HTTP/1.1 request on its own connection (no keep-alive, no half-close). */
export function send(url: string, init: { method?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: init.method ?? 'GET', headers: init.headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('error', reject);
      res.on('end', () => {
        const lines: Array<readonly [string, string]> = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) lines.push([res.rawHeaders[i]!.toLowerCase(), res.rawHeaders[i + 1]!]);
        resolve({ status: res.statusCode ?? 0, lines, body });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Headers of a preflight as a browser sends it. */
export function preflight(origin: string, method = 'PUT', requestHeaders?: string): Record<string, string> {
  const out: Record<string, string> = { Origin: origin, 'Access-Control-Request-Method': method };
  if (requestHeaders !== undefined) out['Access-Control-Request-Headers'] = requestHeaders;
  return out;
}

/** Every value of one header, one per line received. */
export function values(reply: Reply, name: string): string[] {
  const key = name.toLowerCase();
  return reply.lines.filter(([n]) => n === key).map(([, v]) => v);
}

/** The single value of a header; fails the test when it is sent more than once. */
export function header(reply: Reply, name: string): string | undefined {
  const all = values(reply, name);
  if (all.length > 1) throw new Error(`${name} sent ${all.length} times: ${JSON.stringify(all)}`);
  return all[0];
}

/** Vary tokens across every Vary line, as sent (case kept). */
export function vary(reply: Reply): string[] {
  return values(reply, 'vary').flatMap((v) => v.split(',')).map((t) => t.trim()).filter((t) => t !== '');
}

export const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const running: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

/**
 * Start Fastify with the plugin registered at the root (unless `options` is null), then
 * `setup` (routes, hooks). Closed after each test.
 */
export async function serve(options: CorsOptions | null, setup: (app: FastifyInstance) => unknown = () => {}): Promise<{ url: string; app: FastifyInstance }> {
  const app = Fastify();
  if (options !== null) await app.register(cors, options);
  await setup(app);
  const server = await listen(app);
  running.push(server);
  return { url: server.url, app };
}
