// The server benchmark's apps answer what they claim, and cover every adapter package.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { send, values } from '@preflight/cors-conformance';
import { adapterPackages, missingAdapters } from '../../../tooling/scripts/adapters.mjs';
import { SERVER_FRAMEWORKS, SERVERS, startHttpServer, VARIANTS } from '../src/server/apps.js';
import { originList, PATH } from '../src/config.js';

const ALLOWED = originList(10).at(-1)!;
const started: Server[] = [];
afterAll(async () => {
  for (const server of started) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

describe('server benchmark apps', () => {
  it('run every adapter package of the workspace as `ours`', () => {
    expect(adapterPackages().length).toBeGreaterThanOrEqual(7);
    expect(missingAdapters(Object.values(SERVERS).map((s) => s.package))).toEqual([]);
  });

  // The new frameworks' four variants over real HTTP (the others are exercised by `pnpm bench`).
  for (const framework of SERVER_FRAMEWORKS.filter((f) => ['hono', 'hapi', 'h3'].includes(f))) {
    for (const variant of VARIANTS) {
      it(`${framework} ${variant}: 200 {"ok":true}, and CORS headers unless bare`, async () => {
        const server = await startHttpServer(framework, variant);
        started.push(server);
        const reply = await send(`http://127.0.0.1:${(server.address() as AddressInfo).port}${PATH}`, { headers: { Origin: ALLOWED } });
        expect(reply.status).toBe(200);
        expect(JSON.parse(reply.body)).toEqual({ ok: true });
        expect(values(reply, 'access-control-allow-origin')).toEqual(variant === 'bare' ? [] : [ALLOWED]);
      });
    }
  }
});
