import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { audit, type AuditReport, type RunningServer } from '@preflight/cors-conformance';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFlask, startFlask } from '../src/flask.js';
import { adapterPackages, missingAdapters } from '../../../tooling/scripts/adapters.mjs';
import { ALLOWED, PATHS, incumbentServers, preflightPackages, preflightServers, type Start } from '../src/servers.js';

const run = (url: string): Promise<AuditReport> => audit({ url, allow: ALLOWED, credentials: true, paths: PATHS, timeoutMs: 10_000 });

/** `path severity check` of every finding. */
const summary = (report: AuditReport): string[] => report.findings.map((f) => `${f.path} ${f.severity} ${f.check}`).sort();
/** The same findings on both paths, plus some on /items only (its route sets its own Vary). */
const onBoth = (both: string[], itemsOnly: string[] = []): string[] => [...PATHS.flatMap((p) => both.map((f) => `${p} ${f}`)), ...itemsOnly.map((f) => `/items ${f}`)].sort();

const VARY_LOST = 'medium missing-vary-origin'; // the route's Vary replaced the layer's Vary: Origin

/** Each incumbent setup and exactly what the audit must find (docs/migration.md lists these flaws). */
const expected: Record<string, string[]> = {
  'cors: origin list (correct)': onBoth(['low credentials-on-refused', 'low options-answered-as-preflight'], [VARY_LOST]),
  'cors: origin: true + credentials': onBoth(['critical reflects-refused-origin', 'low credentials-on-refused', 'low preflight-reflects-invalid-header', 'low options-answered-as-preflight'], [VARY_LOST]),
  'cors: unanchored RegExp': onBoth(['critical reflects-refused-origin', 'low credentials-on-refused', 'low options-answered-as-preflight'], [VARY_LOST]),
  'cors: origin callback': onBoth(['medium missing-vary-origin', 'low options-answered-as-preflight']),
  '@fastify/cors: origin list (correct)': onBoth(['low credentials-on-refused'], [VARY_LOST]),
  "@fastify/cors: origin '*' + credentials": onBoth(['high wildcard-with-credentials', 'medium allowed-origin-not-granted', 'medium wildcard-for-listed-origins', 'low credentials-on-refused']),
  '@koa/cors: origin function (correct)': onBoth([], [VARY_LOST]),
  '@koa/cors: credentials, origin unset': onBoth(['critical reflects-refused-origin', 'low preflight-reflects-invalid-header'], [VARY_LOST]),
  '@koa/cors: defaults': onBoth(['medium allowed-origin-not-granted', 'medium wildcard-for-listed-origins', 'low preflight-reflects-invalid-header']),
  'hono/cors: origin list (correct)': onBoth(['low credentials-on-refused', 'low options-answered-as-preflight']),
  "hono/cors: origin '*' + credentials": onBoth(['high wildcard-with-credentials', 'medium allowed-origin-not-granted', 'medium wildcard-for-listed-origins', 'low credentials-on-refused', 'low preflight-reflects-invalid-header', 'low options-answered-as-preflight']),
};

async function with_<T>(start: Start, use: (server: RunningServer) => Promise<T>): Promise<T> {
  const server = await start();
  try {
    return await use(server);
  } finally {
    await server.close();
  }
}

describe('every Preflight adapter: zero findings', () => {
  it('audits a server of every adapter package of the workspace (packages/* with "preflight": { "adapter": true })', () => {
    expect(adapterPackages().length).toBeGreaterThanOrEqual(7);
    expect(missingAdapters(preflightPackages())).toEqual([]);
  });

  for (const [name, start] of Object.entries(preflightServers)) {
    it(name, async () => {
      const report = await with_(start, (s) => run(s.url));
      expect(report.errors).toEqual([]);
      expect(report.requests).toBeGreaterThan(30);
      expect(summary(report)).toEqual([]);
    });
  }
});

describe('the incumbents: the known flaws are found, nothing else', () => {
  for (const [name, start] of Object.entries(incumbentServers)) {
    it(name, async () => {
      const report = await with_(start, (s) => run(s.url));
      expect(report.errors).toEqual([]);
      expect(summary(report)).toEqual(expected[name]);
    });
  }

  it('names the look-alike origins an unanchored RegExp lets through', async () => {
    const report = await with_(incumbentServers['cors: unanchored RegExp']!, (s) => run(s.url));
    const reflected = report.findings.find((f) => f.check === 'reflects-refused-origin')!;
    expect([...reflected.origins].sort()).toEqual(['http://app.example.com', 'https://evil.app.example.com', 'https://evilapp.example.com']);
    expect(reflected.curl).toMatch(/^curl -sS -o \/dev\/null -D - -H 'Origin: http:\/\/app\.example\.com' 'http:\/\/127\.0\.0\.1:\d+\/'$/);
  });
});

describe('Flask + flask-cors (PyPI, in a venv)', () => {
  beforeAll(() => ensureFlask());

  it('correctly configured: only the missing Vary: Origin on refused responses', async () => {
    const report = await with_(() => startFlask('correct'), (s) => run(s.url));
    expect(report.errors).toEqual([]);
    expect(summary(report)).toEqual(onBoth(['medium missing-vary-origin']));
    const vary = report.findings.find((f) => f.check === 'missing-vary-origin')!;
    expect(vary.origins).toContain('https://evil.example');
    expect(vary.origins).not.toContain(ALLOWED[0]);
  });

  it('supports_credentials with the default origins reflects every origin with credentials', async () => {
    const report = await with_(() => startFlask('wildcard-credentials'), (s) => run(s.url));
    expect(summary(report)).toEqual(onBoth(['critical reflects-refused-origin', 'medium missing-vary-origin', 'low preflight-reflects-invalid-header']));
  });
});

describe('the cors-conformance command', () => {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const require = createRequire(import.meta.url);
  const tsx = path.join(path.dirname(require.resolve('tsx/package.json')), 'dist/cli.mjs');
  const bin = path.join(here, '../../../packages/conformance/src/bin.ts');
  const cli = (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
    new Promise((resolve) => {
      execFile(process.execPath, [tsx, '--conditions=@preflight/source', bin, ...args], { timeout: 300_000 }, (err, stdout, stderr) => {
        resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, stdout, stderr });
      });
    });
  let flawed: RunningServer;
  let good: RunningServer;
  beforeAll(async () => {
    flawed = await incumbentServers['cors: origin: true + credentials']!();
    good = await preflightServers['express (@preflight/cors-node)']!();
  });
  afterAll(async () => {
    await flawed.close();
    await good.close();
  });
  const allow = ALLOWED.flatMap((o) => ['--allow', o]);

  it('--help says what it sends and that it is safe', async () => {
    const { code, stdout } = await cli(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/only GET and OPTIONS requests, without bodies/);
    expect(stdout).toMatch(/at most 500 in all\), 4 at a time, each with a timeout/);
  });

  it('prints findings grouped by severity with why, fix and a curl line, and exits 1', async () => {
    const { code, stdout } = await cli(['audit', flawed.url, ...allow, '--credentials']);
    expect(code).toBe(1);
    expect(stdout.indexOf('CRITICAL (1)')).toBeGreaterThan(-1);
    expect(stdout.indexOf('CRITICAL (1)')).toBeLessThan(stdout.indexOf('LOW ('));
    expect(stdout).toMatch(/✗ an origin that must be refused gets itself back in Access-Control-Allow-Origin {2}\[reflects-refused-origin, \/\]/);
    expect(stdout).toMatch(/ {4}why: any page on that origin can read the response/);
    expect(stdout).toMatch(/ {4}reproduce: curl -sS -o \/dev\/null -D - -H 'Origin: https:\/\/evil\.example' 'http:\/\/127\.0\.0\.1:\d+\/'/);
  });

  it('--fail-on critical still exits 1 on a critical finding; --fail-on with only low findings exits 0', async () => {
    expect((await cli(['audit', flawed.url, ...allow, '--credentials', '--fail-on', 'critical'])).code).toBe(1);
    const lowOnly = await incumbentServers['hono/cors: origin list (correct)']!();
    try {
      expect((await cli(['audit', lowOnly.url, ...allow, '--credentials', '--fail-on', 'medium'])).code).toBe(0);
      expect((await cli(['audit', lowOnly.url, ...allow, '--credentials'])).code).toBe(1);
    } finally {
      await lowOnly.close();
    }
  });

  it('--json prints the report; a Preflight server exits 0', async () => {
    const { code, stdout } = await cli(['audit', `${good.url}/items`, ...allow, '--credentials', '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as AuditReport;
    expect(report.paths).toEqual(['/items']);
    expect(report.findings).toEqual([]);
  });

  it('refuses to run without --allow, and reports an unreachable server with exit code 2', async () => {
    const none = await cli(['audit', good.url]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--allow <origin>/);
    const down = await cli(['audit', 'http://127.0.0.1:9', '--allow', ALLOWED[0]!, '--timeout', '2000']);
    expect(down.code).toBe(2);
    expect(down.stdout).toMatch(/NO ANSWER/);
  });
});
