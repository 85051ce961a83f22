// nest-express and nest-fastify: the server part's NestJS applications, initialized but not listening, driven through
// their `request` listener over an in-memory socket (like the direct part). The route answers OPTIONS too, so that a
// bare app runs it for a preflight (as in the Fastify and Hono drivers) instead of a 404.
import type { Server } from 'node:http';
import { BODY, PATH, type Case } from '../../config.js';
import { exchange, NullSocket, parseResponse, requestListener } from '../../in-memory.js';
import { createNestApp, type Variant } from '../../server/apps.js';
import { defineDriver, type Driver, type SideBuilders } from './shared.js';

async function nestDriver(platform: 'express' | 'fastify', variant: Variant, c: Case): Promise<Driver> {
  const app = await createNestApp(platform, variant, c, 'get-and-options');
  await app.init();
  // Nest's Fastify adapter makes Fastify ready on listen(); without listening, do it here.
  if (platform === 'fastify') await (app.getHttpAdapter().getInstance() as { ready(): Promise<unknown> }).ready();
  const listener = requestListener(app.getHttpServer() as Server, `nest-${platform}`);
  return defineDriver({
    prepare(spec) {
      // A socket per request (a batch's responses are all assigned before any is handled), keeping what is written.
      const socket = new NullSocket(true);
      return { socket, ...exchange(socket, { method: spec.method, url: PATH, headers: spec.headers }) };
    },
    handle(u) {
      listener(u.req, u.res);
      return u.finished;
    },
    outcome(u) {
      // Fastify writes its headers with writeHead(), not setHeader(): read what was sent.
      const wire = parseResponse(u.socket);
      return { status: wire.status, appRan: wire.body === BODY, headers: wire.headers };
    },
  });
}

export function nestSides(platform: 'express' | 'fastify'): SideBuilders {
  return {
    incumbent: (c) => nestDriver(platform, 'incumbent', c),
    ours: (c) => nestDriver(platform, 'ours', c),
    floor: (_answer, minimum, c) => nestDriver(platform, minimum ? 'minimum' : 'floor', c),
    baseline: (c) => nestDriver(platform, 'bare', c),
  };
}
