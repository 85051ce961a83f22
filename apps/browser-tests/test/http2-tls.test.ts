import { readFile } from 'node:fs/promises';
import http2, { type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { listen, selfSignedCertificate, type RunningServer } from '@preflight/cors-conformance';
import type { CorsOptions } from '@preflight/cors-core';
import { cors as fastifyCors } from '@preflight/cors-fastify';
import { withCors } from '@preflight/cors-node';
import { launchChromium, playwrightContext } from '@preflight/demo';
import Fastify from 'fastify';
import { HOSTS, RESOLVER_RULES, RunnerPage, type RunSpec } from './support.js';

// CORS over TLS + HTTP/2 in Chromium: HTTPS pages and HTTPS HTTP/2 APIs (node:http2's
// compatibility API through withCors, and Fastify with `http2: true` and `https`), with a
// certificate made at test time and trusted by its public key hash. Every request must have
// gone over h2: the page's own Resource Timing says so (`nextHopProtocol`), and so does the
// server (`httpVersion` 2.0).

const CERT = selfSignedCertificate([HOSTS.app, HOSTS.other, HOSTS.api, 'localhost', '127.0.0.1']);
const TLS = { key: CERT.key, cert: CERT.cert };
const RUNNER = new URL('../../demo/public/', import.meta.url);
const SESSION = 'h2session';

/** What an API saw: every request, preflights included (recorded before the CORS layer). */
interface Seen {
  readonly method: string;
  readonly path: string;
  readonly httpVersion: string;
  readonly privateNetwork: string | undefined;
  readonly cookie: string | undefined;
}

/** The API route: JSON about the request, an exposed and an unexposed header, Timing-Allow-Origin. */
function echo(req: { method?: string | undefined; headers: Record<string, unknown> }): { headers: Record<string, string>; body: string } {
  return {
    headers: {
      'content-type': 'application/json',
      'x-request-id': '42',
      'x-secret': 's',
      // Resource Timing hides nextHopProtocol of a cross-origin response without it.
      'timing-allow-origin': '*',
    },
    body: JSON.stringify({ method: req.method, cookie: req.headers.cookie ?? null }),
  };
}

function record(seen: Seen[], req: { method?: string | undefined; url?: string | undefined; httpVersion: string; headers: Record<string, unknown> }): void {
  seen.push({
    method: req.method ?? '',
    path: (req.url ?? '').split('?')[0] ?? '',
    httpVersion: req.httpVersion,
    privateNetwork: req.headers['access-control-request-private-network'] as string | undefined,
    cookie: req.headers.cookie as string | undefined,
  });
}

/** An HTTPS HTTP/2 API with one adapter: what the browser talks to. */
interface H2Api {
  readonly name: string;
  start(options: CorsOptions, seen: Seen[]): Promise<RunningServer>;
}

const APIS: readonly H2Api[] = [
  {
    name: 'node:http2 createSecureServer (withCors)',
    start(options, seen) {
      const api = withCors(options, (req: Http2ServerRequest, res: Http2ServerResponse) => {
        const { headers, body } = echo(req);
        for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
        res.end(body);
      });
      return listen(
        http2.createSecureServer(TLS, (req, res) => {
          record(seen, req);
          api(req, res);
        }),
      );
    },
  },
  {
    name: 'fastify (http2: true, https)',
    async start(options, seen) {
      const app = Fastify({ http2: true, https: TLS });
      app.addHook('onRequest', (request, _reply, done) => {
        record(seen, request.raw);
        done();
      });
      await app.register(fastifyCors, options);
      app.route({
        method: ['GET', 'PUT', 'DELETE'],
        url: '/echo',
        handler: async (request, reply) => {
          const { headers, body } = echo(request);
          return reply.headers(headers).send(body);
        },
      });
      await app.listen({ port: 0, host: '127.0.0.1' });
      return { url: `https://127.0.0.1:${(app.server.address() as AddressInfo).port}`, close: () => app.close() };
    },
  },
];

/**
 * HTTPS HTTP/2 pages with the runner (apps/demo/public). `publicAddress`: the page declares
 * itself public (`Content-Security-Policy: treat-as-public-address`), so that its requests to
 * 127.0.0.1 are requests to a more private address space: Private Network Access.
 */
async function startPages(publicAddress: boolean): Promise<RunningServer> {
  const files = {
    '/runner.html': ['text/html; charset=utf-8', await readFile(new URL('runner.html', RUNNER))],
    '/runner.js': ['text/javascript; charset=utf-8', await readFile(new URL('runner.js', RUNNER))],
  } as const;
  return listen(
    http2.createSecureServer(TLS, (req, res) => {
      const file = files[(req.url ?? '').split('?')[0] as keyof typeof files] as (typeof files)[keyof typeof files] | undefined;
      if (file === undefined) {
        res.statusCode = 404;
        res.end();
        return;
      }
      res.setHeader('content-type', file[0]);
      if (publicAddress) res.setHeader('content-security-policy', 'treat-as-public-address');
      res.end(file[1]);
    }),
  );
}

const port = (server: RunningServer): number => Number(new URL(server.url).port);

const fetchSpec = (url: string, method = 'GET', extra: Partial<RunSpec> = {}): RunSpec => ({
  kind: 'fetch',
  url,
  method,
  headers: [],
  credentials: 'same-origin',
  body: null,
  probe: ['x-request-id', 'x-secret'],
  ...extra,
});

/** How the page's last request to `url` went over the wire, by Resource Timing. */
async function nextHop(page: RunnerPage, url: string): Promise<string[]> {
  return page.page.evaluate((u) => performance.getEntriesByType('resource').filter((e) => e.name === u).map((e) => (e as PerformanceResourceTiming).nextHopProtocol), url);
}

describe('CORS over TLS + HTTP/2 in Chromium', () => {
  let browser: Browser | undefined;
  let pages: RunningServer | undefined;
  let publicPages: RunningServer | undefined;

  beforeAll(async () => {
    [pages, publicPages] = await Promise.all([startPages(false), startPages(true)]);
    browser = await launchChromium([
      RESOLVER_RULES,
      // Trust the certificate made above, by its public key, and nothing else.
      `--ignore-certificate-errors-spki-list=${CERT.spkiSha256}`,
    ]);
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all([pages?.close(), publicPages?.close()]);
  });

  describe.each(APIS)('$name', (adapter) => {
    const seen: Seen[] = [];
    const seenPna: Seen[] = [];
    let api: RunningServer | undefined;
    let pnaApi: RunningServer | undefined;
    let context: BrowserContext | undefined;
    let app: RunnerPage | undefined;
    let other: RunnerPage | undefined;
    let publicApp: RunnerPage | undefined;
    const apiUrl = (server: RunningServer | undefined): string => `https://${HOSTS.api}:${port(server!)}/echo`;
    const seenFor = (list: Seen[], method: string) => list.filter((s) => s.method === method && s.path === '/echo');

    beforeAll(async () => {
      const appOrigin = `https://${HOSTS.app}:${port(pages!)}`;
      const publicOrigin = `https://${HOSTS.app}:${port(publicPages!)}`;
      const options: CorsOptions = { origin: [appOrigin, publicOrigin], credentials: true, exposedHeaders: ['X-Request-Id'] };
      [api, pnaApi] = await Promise.all([adapter.start(options, seen), adapter.start({ ...options, privateNetworkAccess: true }, seenPna)]);
      context = await browser!.newContext();
      await context.addCookies([{ name: SESSION, value: 'c00kie', domain: HOSTS.api, path: '/', httpOnly: true, secure: true, sameSite: 'Lax' }]);
      app = await RunnerPage.open(playwrightContext(context), appOrigin);
      other = await RunnerPage.open(playwrightContext(context), `https://${HOSTS.other}:${port(pages!)}`);
      publicApp = await RunnerPage.open(playwrightContext(context), publicOrigin);
    });

    afterAll(async () => {
      await context?.close();
      await Promise.all([api?.close(), pnaApi?.close()]);
    });

    it('the pages themselves came over h2 and are secure contexts', async () => {
      for (const page of [app!, other!, publicApp!]) {
        const [protocol, secure] = await page.page.evaluate(() => [
          (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).nextHopProtocol,
          window.isSecureContext,
        ]);
        expect(protocol).toBe('h2');
        expect(secure).toBe(true);
      }
    });

    it('a simple GET from the allowed origin is readable, with its exposed header only, over h2', async () => {
      const url = `${apiUrl(api)}?simple`;
      const result = await app!.run(fetchSpec(url));
      expect(result.outcome, result.error).toBe('resolved');
      expect(result.status).toBe(200);
      expect(result.probed).toEqual({ 'x-request-id': '42', 'x-secret': null });
      expect(await nextHop(app!, url)).toEqual(['h2']);
      expect(seen.filter((s) => s.method === 'GET').map((s) => s.httpVersion)).toEqual(['2.0']);
    });

    it('a preflighted PUT with a custom header: the preflight over h2, then the PUT', async () => {
      const url = `${apiUrl(api)}?preflighted`;
      const result = await app!.run(fetchSpec(url, 'PUT', { headers: [['X-Custom', '1'], ['Content-Type', 'application/json']], body: '{}' }));
      expect(result.outcome, result.error).toBe('resolved');
      expect(JSON.parse(result.body)).toMatchObject({ method: 'PUT' });
      expect(seenFor(seen, 'OPTIONS').map((s) => s.httpVersion)).toEqual(['2.0']);
      expect(seenFor(seen, 'PUT').map((s) => s.httpVersion)).toEqual(['2.0']);
      expect(await nextHop(app!, url)).toEqual(['h2']);
    });

    it('a credentialed fetch sends the cookie and reads the answer (exact origin, credentials true)', async () => {
      const url = `${apiUrl(api)}?credentialed`;
      const result = await app!.run(fetchSpec(url, 'GET', { credentials: 'include' }));
      expect(result.outcome, result.error).toBe('resolved');
      expect(JSON.parse(result.body)).toMatchObject({ cookie: `${SESSION}=c00kie` });
      // (Chromium let the page read a credentialed answer: it carried ACAO = this origin and ACAC: true.)
      expect(await nextHop(app!, url)).toEqual(['h2']);
    });

    it('a refused origin cannot read the answer, and Chromium says why', async () => {
      const url = `${apiUrl(api)}?refused`;
      const before = seenFor(seen, 'GET').length;
      const result = await other!.run(fetchSpec(url));
      expect(result.outcome).toBe('rejected');
      expect(await other!.corsErrors(url, true)).toEqual(['MissingAllowOriginHeader']);
      // The request did reach the server, over h2: the browser refused the answer.
      expect(seenFor(seen, 'GET').slice(before).map((s) => s.httpVersion)).toEqual(['2.0']);
    });

    // Private Network Access preflights (`Access-Control-Request-Private-Network`) are gone from
    // Chromium: since 142, Local Network Access replaced them with a permission, asked of the
    // user, for a secure page on a public address reaching a local one. Chromium 156 sends no
    // PNA preflight even with --enable-features=PrivateNetworkAccessSendPreflights,
    // PrivateNetworkAccessRespectPreflightResults and --disable-features=LocalNetworkAccessChecks.
    // What a CORS layer can still be checked on: the permission comes first, CORS still decides.
    it('Local Network Access: a public secure page gets no answer from the loopback API without the permission', async () => {
      const url = `${apiUrl(pnaApi)}?lna-denied`;
      const result = await publicApp!.run(fetchSpec(url));
      expect(result.outcome).toBe('rejected');
      expect(await publicApp!.corsErrors(url, true)).toEqual(['LocalNetworkAccessPermissionDenied']);
      expect(seenPna).toEqual([]);
    });

    it('Local Network Access granted: CORS decides, over h2, and no PNA preflight is sent', async () => {
      const granted = await browser!.newContext();
      try {
        const publicPort = port(publicPages!);
        const allowed = `https://${HOSTS.app}:${publicPort}`;
        const refused = `https://${HOSTS.other}:${publicPort}`;
        await granted.grantPermissions(['local-network-access'], { origin: allowed });
        await granted.grantPermissions(['local-network-access'], { origin: refused });
        const [allowedPage, refusedPage] = [await RunnerPage.open(playwrightContext(granted), allowed), await RunnerPage.open(playwrightContext(granted), refused)];
        const url = `${apiUrl(pnaApi)}?lna-granted`;
        const ok = await allowedPage.run(fetchSpec(url));
        expect(ok.outcome, ok.error).toBe('resolved');
        expect(ok.probed).toEqual({ 'x-request-id': '42', 'x-secret': null });
        expect(await nextHop(allowedPage, url)).toEqual(['h2']);
        const refusedUrl = `${apiUrl(pnaApi)}?lna-granted-refused`;
        const no = await refusedPage.run(fetchSpec(refusedUrl));
        expect(no.outcome).toBe('rejected');
        expect(await refusedPage.corsErrors(refusedUrl, true)).toEqual(['MissingAllowOriginHeader']);
        // Both GETs reached the API over h2, without any preflight.
        expect(seenPna.map((s) => [s.method, s.httpVersion, s.privateNetwork])).toEqual([
          ['GET', '2.0', undefined],
          ['GET', '2.0', undefined],
        ]);
      } finally {
        await granted.close();
      }
    });
  });

  // Negative control: the assertions above must be able to fail over TLS + HTTP/2. Two wrong
  // layers on the same kind of server: one reflects every origin, one appends a second ACAO.
  describe('negative control: wrong CORS layers over TLS + HTTP/2', () => {
    let naive: RunningServer | undefined;
    let context: BrowserContext | undefined;
    let app: RunnerPage | undefined;
    let other: RunnerPage | undefined;

    beforeAll(async () => {
      naive = await listen(
        http2.createSecureServer(TLS, (req, res) => {
          const origin = req.headers.origin;
          if (origin !== undefined) res.setHeader('access-control-allow-origin', origin);
          if (req.url?.includes('twice') === true) res.appendHeader('access-control-allow-origin', '*');
          const { headers, body } = echo(req);
          for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
          res.end(body);
        }),
      );
      context = await browser!.newContext();
      app = await RunnerPage.open(playwrightContext(context), `https://${HOSTS.app}:${port(pages!)}`);
      other = await RunnerPage.open(playwrightContext(context), `https://${HOSTS.other}:${port(pages!)}`);
    });

    afterAll(async () => {
      await context?.close();
      await naive?.close();
    });

    it('a layer reflecting every origin lets the refused origin read the answer (the refused-origin test would fail)', async () => {
      const url = `https://${HOSTS.api}:${port(naive!)}/echo?reflect`;
      const result = await other!.run(fetchSpec(url));
      expect(result.outcome).toBe('resolved');
      expect(await nextHop(other!, url)).toEqual(['h2']);
    });

    it('a layer appending a second Access-Control-Allow-Origin is refused by Chromium even for the allowed origin', async () => {
      const url = `https://${HOSTS.api}:${port(naive!)}/echo?twice`;
      const result = await app!.run(fetchSpec(url));
      expect(result.outcome).toBe('rejected');
      expect(await app!.corsErrors(url, true)).toEqual(['MultipleAllowOriginValues']);
    });
  });
});
