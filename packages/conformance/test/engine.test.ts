import { describe, expect, it } from 'vitest';
import { cases, configs, listen, runCases } from '../src/index.js';
import { naive, startThrows } from './fixtures/harnesses.js';

describe('runCases (no test runner)', () => {
  it('fails every case of a harness whose start() throws, with the error', async () => {
    const report = await runCases(startThrows);
    expect(report.results).toHaveLength(cases.length);
    expect(report.failed).toBe(cases.length);
    expect(report.passed).toBe(0);
    expect(report.skipped).toBe(0);
    expect(report.ok).toBe(false);
    for (const r of report.results) {
      expect(r.outcome).toBe('failed');
      expect(r.failures.join('\n')).toMatch(/start-throws harness failed to start \(config \w+\): Error: Method name not allowed: HEAD/);
    }
  });

  it('returns what was sent, what came back and why it failed', async () => {
    const report = await runCases(naive, { cases: cases.filter((c) => c.id === 'simple-refused' || c.id === 'options-without-acrm') });
    expect(report.results.map((r) => [r.id, r.outcome, r.protocol])).toEqual([
      ['simple-refused', 'failed', 'http/1.1'],
      ['options-without-acrm', 'failed', 'http/1.1'],
    ]);
    const refused = report.results[0]!;
    expect(refused.request.headers).toContainEqual(['Origin', 'https://evil.example.org']);
    expect(refused.response?.headerLines).toContainEqual(['access-control-allow-origin', 'https://evil.example.org']);
    expect(refused.failures.join('\n')).toMatch(/access-control-allow-origin must be absent/);
    expect(refused.failures.join('\n')).toMatch(/Vary lacks origin/);
  });

  it('reports skips and unknown skip ids', async () => {
    const report = await runCases({ ...naive, skip: { 'simple-refused': 'reason', 'no-such-case': 'typo' } }, { cases: cases.filter((c) => c.id === 'simple-refused') });
    expect(report.results[0]).toMatchObject({ id: 'simple-refused', outcome: 'skipped', skipReason: 'reason' });
    expect(report.unknownSkips).toEqual(['no-such-case']);
    expect(report.ok).toBe(false);
  });

  it('runs the cases of one configuration against a base URL, and reports results as they come', async () => {
    const server = await naive.start(configs.exact);
    try {
      const seen: string[] = [];
      const report = await runCases(`${server.url}/`, { config: 'wildcard', onResult: (r) => seen.push(r.id) });
      const wildcard = cases.filter((c) => c.config === 'wildcard').map((c) => c.id);
      expect(seen).toEqual(wildcard);
      expect(report.results.map((r) => r.id)).toEqual(wildcard);
      expect(report.target).toBe(`${server.url}/`);
    } finally {
      await server.close();
    }
  });

  it('turns a server that does not answer into a failure, not a hang', async () => {
    const server = await listen(() => {}); // never answers
    try {
      const report = await runCases(server.url, { cases: cases.filter((c) => c.id === 'simple-allowed'), timeoutMs: 200 });
      expect(report.results[0]!.failures.join()).toMatch(/no response: .*within 200 ms/);
    } finally {
      await server.close();
    }
  });
});
