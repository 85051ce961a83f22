import { cors, CorsConfigError, type CorsOptions } from '@preflight/cors-fastify';
import defaultExport from '@preflight/cors-fastify';
import Fastify from 'fastify';
import fp from 'fastify-plugin';
import { describe, expect, it } from 'vitest';
import { APP, header, send, serve } from './helpers.js';

/** A stand-in with the name @fastify/cors registers under (what `hasPlugin` sees). */
const fastifyCorsStandIn = fp(async () => {}, { name: '@fastify/cors' });

describe('registration', () => {
  it('exports the same plugin as default and as `cors`, named for fastify-plugin', () => {
    expect(defaultExport).toBe(cors);
    expect((cors as unknown as Record<symbol, unknown>)[Symbol.for('fastify.display-name')]).toBe('@preflight/cors-fastify');
    expect((cors as unknown as Record<symbol, unknown>)[Symbol.for('skip-override')]).toBe(true);
  });

  it('an invalid configuration rejects `await register()` with a CorsConfigError', async () => {
    const app = Fastify();
    const err = await app.register(cors, { origin: '*', credentials: true }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CorsConfigError);
    expect(err).toMatchObject({ code: 'ORIGIN_WILDCARD_WITH_CREDENTIALS', option: 'origin' });
    await app.close().catch(() => {});
  });

  it('an invalid configuration rejects `ready()` and `listen()` when register is not awaited', async () => {
    const app = Fastify();
    void app.register(cors, { origin: 'https://app.example.com/' });
    await expect(app.ready()).rejects.toMatchObject({ name: 'CorsConfigError', code: 'ORIGIN_INVALID' });

    const other = Fastify();
    void other.register(cors, {} as CorsOptions);
    await expect(other.listen({ port: 0, host: '127.0.0.1' })).rejects.toBeInstanceOf(CorsConfigError);
    await other.close().catch(() => {});
  });

  it('unknown options are refused, with a hint', async () => {
    const app = Fastify();
    await expect(app.register(cors, { origin: APP, allowedOrigins: [APP] } as CorsOptions)).rejects.toMatchObject({
      code: 'UNKNOWN_OPTION',
      message: expect.stringContaining('did you mean `origin`?') as string,
    });
  });

  it("Fastify's own register options (logLevel) are not taken for CORS options", async () => {
    const { url } = await serve(null, async (app) => {
      await app.register(cors, { origin: APP, logLevel: 'warn' } as CorsOptions);
      app.get('/echo', async () => 'ok');
    });
    const res = await send(`${url}/echo`, { headers: { Origin: APP } });
    expect(header(res, 'access-control-allow-origin')).toBe(APP);
  });

  it('registering twice in the same context chain is refused', async () => {
    const app = Fastify();
    await app.register(cors, { origin: APP });
    void app.register(async (child) => {
      await child.register(cors, { origin: '*' });
    });
    await expect(app.ready()).rejects.toThrow(/already registered in this context or a parent/);
  });

  it('@fastify/cors registered before is refused at registration', async () => {
    const app = Fastify();
    await app.register(fastifyCorsStandIn);
    await expect(app.register(cors, { origin: APP })).rejects.toThrow(/@fastify\/cors is registered on the same Fastify instance/);
  });

  it('@fastify/cors registered after is refused when the app gets ready', async () => {
    const app = Fastify();
    await app.register(cors, { origin: APP });
    await app.register(fastifyCorsStandIn);
    await expect(app.ready()).rejects.toThrow(/@fastify\/cors is registered on the same Fastify instance/);
  });

  it('exposes the decision on request.corsDecision', async () => {
    const { url } = await serve({ origin: APP }, (app) => {
      app.get('/who', async (request) => ({ kind: request.corsDecision?.kind, allowed: request.corsDecision?.allowed, refusal: request.corsDecision?.refusal?.code ?? null }));
      // Where the plugin does not run, it reads null (not undefined), on every request.
      app.get('/off', { config: { cors: false } }, async (request) => ({ decision: request.corsDecision }));
    });
    for (let i = 0; i < 2; i++) {
      expect(JSON.parse((await send(`${url}/off`, { headers: { Origin: APP } })).body)).toEqual({ decision: null });
    }
    expect(JSON.parse((await send(`${url}/who`, { headers: { Origin: APP } })).body)).toEqual({ kind: 'actual', allowed: true, refusal: null });
    expect(JSON.parse((await send(`${url}/who`, { headers: { Origin: 'https://evil.example.org' } })).body)).toEqual({ kind: 'actual', allowed: false, refusal: 'origin_not_allowed' });
    expect(JSON.parse((await send(`${url}/who`)).body)).toEqual({ kind: 'none', allowed: false, refusal: null });
  });
});
