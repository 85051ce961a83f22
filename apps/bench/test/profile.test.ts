// The profile part's attribution (self time per function and per owner) on a small profile
// built by hand, and its section in the report (the real run: `pnpm bench --only profile`).
import { describe, expect, it } from 'vitest';
import { addProfile, emptySelfTimes, ownerOf, summarize, topDeltas, type CpuProfile } from '../src/profile/attribute.js';
import { profileSection } from '../src/report/profile.js';
import type { Results } from '../src/report/load.js';

const ROOT = { functionName: '(root)', url: '', lineNumber: -1 };
const OURS_URL = 'file:///repo/packages/core/src/apply.ts';
const NODE_URL = 'node:_http_outgoing';
const FASTIFY_URL = 'file:///repo/node_modules/.pnpm/fastify@5.0.0/node_modules/fastify/lib/reply.js';

/** root → applyDecision (ours) → setHeader (Node); root → send (fastify); idle; the inspector's dispatch. */
function profile(ours: number, node: number, framework: number): CpuProfile {
  return {
    nodes: [
      { id: 1, callFrame: ROOT, children: [2, 4, 5, 6] },
      { id: 2, callFrame: { functionName: 'applyDecision', url: OURS_URL, lineNumber: 1 }, children: [3] },
      { id: 3, callFrame: { functionName: 'setHeader', url: NODE_URL, lineNumber: 1 } },
      { id: 4, callFrame: { functionName: 'send', url: FASTIFY_URL, lineNumber: 1 } },
      { id: 5, callFrame: { functionName: '(idle)', url: '', lineNumber: -1 } },
      { id: 6, callFrame: { functionName: 'dispatch', url: '', lineNumber: -1 } },
    ],
    samples: [2, 3, 4, 5, 6],
    timeDeltas: [ours, node, framework, 1000, 1000],
  };
}

describe('CPU profile attribution', () => {
  it('names whose code a function is', () => {
    expect(ownerOf('applyDecision', OURS_URL)).toBe('Preflight');
    expect(ownerOf('x', 'file:///repo/packages/fastify/dist/index.js')).toBe('Preflight');
    expect(ownerOf('send', FASTIFY_URL)).toBe('pkg:fastify');
    expect(ownerOf('x', 'file:///r/node_modules/.pnpm/@nestjs+core@11/node_modules/@nestjs/core/router.js')).toBe('pkg:@nestjs/core');
    expect(ownerOf('setHeader', NODE_URL)).toBe('Node');
    expect(ownerOf('(garbage collector)', '')).toBe('GC');
    expect(ownerOf('RegExp: ^a', '')).toBe('V8');
    expect(ownerOf('prepare', 'file:///repo/apps/bench/src/stubs.ts')).toBe('harness');
  });

  it('sums self time per function and owner, per request, leaving out idle time and the inspector', () => {
    const ours = emptySelfTimes();
    addProfile(ours, profile(30, 20, 50)); // µs
    addProfile(ours, profile(30, 20, 50));
    ours.requests = 100;
    const floor = emptySelfTimes();
    addProfile(floor, profile(0, 10, 50));
    addProfile(floor, profile(0, 10, 50));
    floor.requests = 100;
    const s = summarize(ours);
    // 200 µs over 100 requests: 2 µs each; idle and dispatch (2 × 2,000 µs) are not in it.
    expect(s.total).toBe(2000);
    expect(s.owners).toEqual({ Preflight: 600, Node: 400, 'pkg:fastify': 1000 });
    const top = topDeltas(ours, floor, 2);
    expect(top.map((d) => [d.key, d.owner, d.ours - d.other])).toEqual([
      ['applyDecision (core/apply.ts)', 'Preflight', 600],
      ['setHeader (node:_http_outgoing)', 'Node', 200],
    ]);
  });
});

describe('the profile section of the report', () => {
  it('has one row per target with finite figures, the extra by owner and the largest functions', () => {
    const ours = emptySelfTimes();
    addProfile(ours, profile(30, 20, 50));
    ours.requests = 100;
    const floor = emptySelfTimes();
    addProfile(floor, profile(0, 10, 50));
    floor.requests = 100;
    const meta = { date: '2026-12-04T00:00:00.000Z', quick: false, machine: { cpu: 'Test CPU', cores: 2, memory: 1, os: 'linux', node: 'v20.0.0', load: 0 }, settings: { intervalUs: 100 } };
    const r = {
      profile: { meta, results: [{ target: { mode: 'in-process', framework: 'fastify', caseId: 'simple-10', against: 'floor' }, ours: summarize(ours), other: summarize(floor), top: topDeltas(ours, floor, 8) }] },
    } as unknown as Results;
    const lines = profileSection(r);
    const row = lines.find((l) => l.startsWith('| fastify in-process, simple'));
    expect(row).toBeDefined();
    expect(row).toContain('| 1.00 µs | 600 ns (floor) | +400 ns |');
    expect(row).toContain('Preflight +300 ns, Node +100 ns');
    expect(row).toContain('`applyDecision (core/apply.ts)` +300 ns');
    expect(row).not.toMatch(/NaN|Infinity|undefined/);
  });

  it('splits the extra time at the framework minimum when it was profiled, and not otherwise', () => {
    const side = (oursUs: number, nodeUs: number): ReturnType<typeof emptySelfTimes> => {
      const s = emptySelfTimes();
      addProfile(s, profile(oursUs, nodeUs, 50));
      s.requests = 100;
      return s;
    };
    const [ours, minimum, floor] = [side(30, 20), side(10, 20), side(0, 10)];
    const meta = { date: '2026-12-05T00:00:00.000Z', quick: false, machine: { cpu: 'Test CPU', cores: 2, memory: 1, os: 'linux', node: 'v20.0.0', load: 0 }, settings: { intervalUs: 100 } };
    const target = { mode: 'in-process', framework: 'node', caseId: 'simple-10', against: 'floor' };
    const base = { target, ours: summarize(ours), other: summarize(floor), top: topDeltas(ours, floor, 8) };
    const split = { summary: summarize(minimum), framework: topDeltas(minimum, floor, 8), ours: topDeltas(ours, minimum, 8) };
    const withSplit = profileSection({ profile: { meta, results: [{ ...base, minimum: split }] } } as unknown as Results);
    const header = withSplit.findIndex((l) => l.startsWith('| Target | floor | framework minimum | ours |'));
    expect(header).toBeGreaterThan(0);
    // floor 600 ns, minimum 800 ns (+100 ns ours, +100 ns Node), ours 1.00 µs (+200 ns ours).
    expect(withSplit[header + 2]).toBe(
      '| node in-process, simple | 600 ns | 800 ns | 1.00 µs | +200 ns: `applyDecision (core/apply.ts)` +100 ns, `setHeader (node:_http_outgoing)` +100 ns ' +
        '| +200 ns: `applyDecision (core/apply.ts)` +200 ns |',
    );
    const without = profileSection({ profile: { meta, results: [base] } } as unknown as Results);
    expect(without.some((l) => l.includes('framework minimum |'))).toBe(false);
  });

  it('is left out when the part was not run', () => {
    expect(profileSection({})).toEqual([]);
  });
});
