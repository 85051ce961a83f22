/**
 * Hostile input over raw sockets, against every adapter's real server: whatever the bytes,
 * the answer is the core's CORS answer or a clean 4xx from the HTTP parser, nothing that was
 * not validated is reflected, nothing ends in a 5xx or a crash, and the server keeps
 * answering normal requests afterwards.
 */
import type { RunningServer } from '@preflight/cors-conformance';
import { compileCors, type CorsRequest } from '@preflight/cors-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disagreements, invariantProblems as corsInvariants } from '../src/agree.js';
import { ALLOWED, HOSTILE_OPTIONS, hostileCases } from '../src/hostile.js';
import { portOf, requestBytes, sendRaw, type RawReply } from '../src/raw.js';
import { targets } from '../src/targets.js';

const policy = compileCors(HOSTILE_OPTIONS);

const one = (value: string | readonly string[] | undefined): string | undefined => (typeof value === 'object' ? value.join(', ') : value);

/**
 * Problems with any response, whatever the request: a 5xx, a CORS invariant broken (a byte
 * outside printable ASCII in the head — a reflected NUL, CR, LF or byte >= 0x80 —, an
 * Access-Control-Allow-Origin that is not the validated origin…), or a marker reflected.
 */
function invariantProblems(reply: RawReply, origin: string | undefined, markers: readonly string[]): string[] {
  const out: string[] = corsInvariants(reply, origin);
  if (reply.status >= 500) out.push(`status ${reply.status}`);
  for (const [name, value] of reply.headerLines) {
    for (const marker of markers) {
      if (name.includes(marker.toLowerCase()) || value.includes(marker)) out.push(`response header ${name}: ${JSON.stringify(value.slice(0, 120))} reflects ${JSON.stringify(marker)}`);
    }
  }
  return out;
}

/** A normal preflight and a normal request still get the core's answer. */
async function expectHealthy(port: number): Promise<void> {
  const checks: Array<[string, Buffer, CorsRequest, boolean]> = [
    [
      'preflight',
      requestBytes('OPTIONS', '/echo', [
        ['Origin', ALLOWED],
        ['Access-Control-Request-Method', 'PUT'],
        ['Access-Control-Request-Headers', 'content-type'],
      ]),
      { method: 'OPTIONS', origin: ALLOWED, accessControlRequestMethod: 'PUT', accessControlRequestHeaders: 'content-type' },
      false,
    ],
    ['GET', requestBytes('GET', '/echo', [['Origin', ALLOWED]]), { method: 'GET', origin: ALLOWED }, true],
  ];
  for (const [label, bytes, view, handled] of checks) {
    const outcome = await sendRaw(port, bytes);
    expect(outcome.kind, `normal ${label} afterwards`).toBe('response');
    if (outcome.kind !== 'response') return;
    expect(disagreements(outcome.reply, await policy.decide(view), { handled }), `normal ${label} afterwards`).toEqual([]);
  }
}

const counts = new Map<string, number>();

for (const target of targets) {
  describe(`${target.id}: hostile input over raw sockets`, () => {
    let server: RunningServer;
    let port: number;
    beforeAll(async () => {
      server = await target.harness.start(HOSTILE_OPTIONS);
      port = portOf(server.url);
    });
    afterAll(() => server.close());

    for (const c of hostileCases) {
      it(c.name, async () => {
        const outcome = await sendRaw(port, c.bytes, 10_000);
        if (outcome.kind !== 'response') {
          throw new Error(`the server closed the connection without a response (${outcome.error ?? 'no error'}, ${outcome.received.length} bytes received)`);
        }
        const reply = outcome.reply;
        const problems = invariantProblems(reply, c.expect === 'parser' ? undefined : one(c.expect.origin), c.markers);
        if (c.expect === 'parser') {
          // Refused by Node's HTTP parser: a clean 4xx, before any middleware ran.
          if (reply.status < 400 || reply.status > 499) problems.push(`status ${reply.status}, expected the HTTP parser's 4xx`);
          const cors = reply.headerLines.filter(([n]) => n.startsWith('access-control-'));
          if (cors.length > 0) problems.push(`CORS headers on a request the parser refused: ${JSON.stringify(cors)}`);
        } else {
          const decision = await policy.decide(c.expect);
          problems.push(...disagreements(reply, decision, { handled: c.method === 'GET' }));
        }
        expect(problems, `${reply.head.toString('latin1').slice(0, 600)}`).toEqual([]);
        counts.set(target.id, (counts.get(target.id) ?? 0) + 1);
        await expectHealthy(port);
      });
    }
  });
}

afterAll(() => {
  console.log(`hostile cases passed: ${[...counts].map(([id, n]) => `${id} ${n}`).join(', ')}`);
});
