// Every in-process framework's sides answer what a user checks before any of them is timed,
// and the check catches a layer that answers wrongly.
import { describe, expect, it } from 'vitest';
import { CASES, type Case } from '../src/config.js';
import { checkOutcome, createDriver, FRAMEWORKS, IN_PROCESS, type Driver } from '../src/inprocess/drivers.js';
import type { Outcome } from '../src/inprocess/drivers/shared.js';

const byId = (id: string): Case => CASES.find((c) => c.id === id)!;
const simple = byId('simple-10');
const preflight = byId('preflight-10');

/** Handle the case's request once, as the benchmark's check does; the response. */
async function answer(driver: Driver, c: Case): Promise<Outcome> {
  const unit = driver.prepare(c.requests[0]!);
  await driver.handle(unit);
  return driver.outcome(unit);
}

describe('in-process drivers', () => {
  it('every framework has a floor and a baseline', () => {
    for (const framework of FRAMEWORKS) {
      expect(IN_PROCESS[framework].sides, framework).toContain('floor');
      expect(IN_PROCESS[framework].sides, framework).toContain('baseline');
    }
  });

  for (const framework of FRAMEWORKS) {
    for (const side of IN_PROCESS[framework].sides) {
      for (const c of [simple, preflight]) {
        it(`${framework} ${side}, ${c.id}: ${side === 'baseline' ? 'runs the application, no CORS headers' : 'passes the check'}`, async () => {
          const driver = await createDriver(framework, side, c);
          expect(driver).toBeDefined();
          const outcome = await answer(driver!, c);
          const origin = c.requests[0]!.headers.origin;
          if (side === 'baseline') {
            expect(outcome.headers['access-control-allow-origin']).toBeUndefined();
            if (c === simple) expect(outcome.appRan).toBe(true);
            return;
          }
          expect(checkOutcome(c.expect, c.requests[0]!.headers.origin, outcome)).toBeUndefined();
          // What the check means, spelled out.
          expect(outcome.headers['access-control-allow-origin']).toBe(origin);
          if (c === simple) {
            expect(outcome.status).toBe(200);
            expect(outcome.appRan).toBe(true);
          } else {
            expect(outcome.status).toBeGreaterThanOrEqual(200);
            expect(outcome.status).toBeLessThan(300);
            expect(outcome.headers['access-control-allow-methods']).toBeDefined();
            expect(outcome.appRan).toBe(false);
          }
        });
      }
    }
  }

  it('the check fails a layer that omits Access-Control-Allow-Origin, or lets a preflight through', async () => {
    // A "floor" written wrongly: the route's response with every header of the answer but ACAO.
    const floor = (await createDriver('node', 'floor', simple))!;
    const unit = floor.prepare(simple.requests[0]!);
    await floor.handle(unit);
    const right = floor.outcome(unit);
    const { 'access-control-allow-origin': _omitted, ...withoutAcao } = right.headers;
    expect(checkOutcome(simple.expect, simple.requests[0]!.headers.origin, right)).toBeUndefined();
    expect(checkOutcome(simple.expect, simple.requests[0]!.headers.origin, { ...right, headers: withoutAcao })).toMatch(/Access-Control-Allow-Origin/);
    // The bare app on a preflight: it runs the application (or 404s) and sends no CORS headers.
    for (const framework of FRAMEWORKS) {
      const bare = (await createDriver(framework, 'baseline', preflight))!;
      expect(checkOutcome(preflight.expect, preflight.requests[0]!.headers.origin, await answer(bare, preflight)), framework).toBeDefined();
    }
  });
});
