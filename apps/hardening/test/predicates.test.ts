/**
 * Origin predicates that throw, reject or hang, over real HTTP on every adapter: a clear
 * `CorsOriginError` reaches the framework's own error handling (which answers 500, varying on
 * Origin, without CORS grants), `originTimeout` bounds a hanging predicate, no timer is left
 * behind, and the server keeps answering.
 */
import { CorsOriginError, type CorsOptions } from '@preflight/cors-core';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '@preflight/cors-conformance';
import { portOf, requestBytes, sendRaw, values, varyTokens, type RawReply } from '../src/raw.js';
import { targets } from '../src/targets.js';

const ALLOWED = 'https://app.example.com';
const FAILING = 'https://fails.example.com';
const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function get(server: RunningServer, origin: string, preflight = false): Promise<{ reply: RawReply; ms: number }> {
  const headers: Array<[string, string]> = [['Origin', origin]];
  if (preflight) headers.push(['Access-Control-Request-Method', 'PUT']);
  const started = performance.now();
  const outcome = await sendRaw(portOf(server.url), requestBytes(preflight ? 'OPTIONS' : 'GET', '/echo', headers), 10_000);
  if (outcome.kind !== 'response') throw new Error(`connection closed without a response (${outcome.error})`);
  return { reply: outcome.reply, ms: performance.now() - started };
}

/** What the framework's error handling received, as text (an Error's name, message and cause; or a logged line). */
function describeError(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? error.cause.message : String(error.cause);
    return `${error.name}: ${error.message} (cause: ${cause})`;
  }
  return String(error);
}

/** The failing request got the framework's 500, no CORS grant, and `Vary: Origin`. */
function expectCleanFailure(reply: RawReply): void {
  expect(reply.status).toBe(500);
  expect(values(reply, 'access-control-allow-origin')).toEqual([]);
  expect(values(reply, 'access-control-allow-credentials')).toEqual([]);
  expect(varyTokens(reply)).toContain('origin');
  expect(values(reply, 'x-app-handler'), 'the application must not run').toEqual([]);
}

/** Timers alive in this process. */
const activeTimeouts = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

const running: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

for (const target of targets) {
  describe(`${target.id}: failing origin predicates`, () => {
    async function start(options: CorsOptions, errors: unknown[]): Promise<RunningServer> {
      const server = await target.startCapturing(options, errors);
      running.push(server);
      return server;
    }

    /**
     * Each failing request handed the framework one `CorsOriginError` naming the predicate,
     * the origin and the original error (`cause`).
     */
    function expectReported(errors: unknown[], failures: number, cause: RegExp): void {
      const seen = errors.map(describeError);
      expect(errors.length, `errors seen by the framework: ${JSON.stringify(seen)}`).toBe(failures);
      for (const error of errors) {
        expect(error).toBeInstanceOf(CorsOriginError);
        expect((error as CorsOriginError).origin).toBe(FAILING);
        expect(describeError(error)).toMatch(/origin predicate/);
        expect(describeError(error)).toMatch(cause);
      }
    }

    it('a predicate that throws: 500 through the framework, clear error, server still fine', async () => {
      const errors: unknown[] = [];
      const server = await start(
        {
          origin: (origin) => {
            if (origin === FAILING) throw new Error('origin store down');
            return origin === ALLOWED;
          },
        },
        errors,
      );
      expectCleanFailure((await get(server, FAILING)).reply);
      expectCleanFailure((await get(server, FAILING, true)).reply);
      expectReported(errors, 2, /origin store down/);
      const ok = (await get(server, ALLOWED)).reply;
      expect(ok.status).toBe(200);
      expect(values(ok, 'access-control-allow-origin')).toEqual([ALLOWED]);
    });

    it('a predicate that throws a string (not an Error)', async () => {
      const errors: unknown[] = [];
      const server = await start(
        {
          origin: (origin) => {
            if (origin === FAILING) throw 'plain string'; // not an Error: the point of the test
            return true;
          },
        },
        errors,
      );
      expectCleanFailure((await get(server, FAILING)).reply);
      expectReported(errors, 1, /plain string/);
    });

    it('an async predicate that rejects: 500 through the framework, clear error', async () => {
      const errors: unknown[] = [];
      const server = await start(
        {
          origin: async (origin) => {
            await delay(1);
            if (origin === FAILING) throw new Error('lookup rejected');
            return origin === ALLOWED;
          },
        },
        errors,
      );
      expectCleanFailure((await get(server, FAILING)).reply);
      expectCleanFailure((await get(server, FAILING, true)).reply);
      expectReported(errors, 2, /lookup rejected/);
      const ok = (await get(server, ALLOWED, true)).reply;
      expect(ok.status).toBe(204);
      expect(values(ok, 'access-control-allow-origin')).toEqual([ALLOWED]);
    });

    it('a hanging async predicate is cut by originTimeout: 500 after the timeout, not a hang', async () => {
      const errors: unknown[] = [];
      const server = await start(
        {
          origin: (origin) => (origin === FAILING ? new Promise<boolean>(() => {}) : Promise.resolve(origin === ALLOWED)),
          originTimeout: 150,
        },
        errors,
      );
      const { reply, ms } = await get(server, FAILING);
      expectCleanFailure(reply);
      expect(ms).toBeGreaterThanOrEqual(140);
      expect(ms).toBeLessThan(3000);
      expectCleanFailure((await get(server, FAILING, true)).reply);
      expectReported(errors, 2, /did not settle within originTimeout \(150 ms\)/);
      const ok = (await get(server, ALLOWED)).reply;
      expect(ok.status).toBe(200);
      expect(values(ok, 'access-control-allow-origin')).toEqual([ALLOWED]);
    });

    it('a slow predicate under originTimeout still allows, and no timer outlives its request', async () => {
      const errors: unknown[] = [];
      const server = await start(
        {
          origin: async (origin) => {
            await delay(5);
            return origin === ALLOWED;
          },
          originTimeout: 60_000,
        },
        errors,
      );
      await get(server, ALLOWED); // warm-up: lazily created framework timers
      const before = activeTimeouts();
      const n = 25;
      for (let i = 0; i < n; i++) {
        const { reply } = await get(server, i % 2 === 0 ? ALLOWED : 'https://other.example.org', i % 3 === 0);
        expect(reply.status).toBeLessThan(300);
      }
      // A 60 s originTimeout timer left behind per request would show here.
      expect(activeTimeouts() - before).toBeLessThan(5);
      expect(errors).toEqual([]);
    });
  });
}
