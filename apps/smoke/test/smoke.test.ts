// Packed-tarball smoke tests: what a user gets from `npm install @preflight/cors-*`.
//
// Every published package is packed with `pnpm pack` (as `pnpm publish` would) and installed
// with npm into scratch projects outside the workspace, one per kind of consumer, with the
// frameworks from the registry: an ES module app, a CommonJS app using require(), a
// TypeScript project type-checked under moduleResolution node16, nodenext and bundler, a
// NestJS 11 app compiled with the CommonJS tsconfig `nest new` generates, and the NestJS
// conformance suite run on NestJS 12 (ESM-only). The apps answer real HTTP requests on
// 127.0.0.1. The installs run in parallel; nothing but npm's cache is kept between runs.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adapterPackages } from '../../../tooling/scripts/adapters.mjs';
import { createProject, packAll, ranges, run, runReport, type PackageName, type ProjectSpec, type Tarballs } from './scratch.js';

const ALLOWED = 'https://app.example.com';
/** The core and every adapter package of the workspace (discovered: see test/coverage.test.ts). */
const ADAPTERS: readonly PackageName[] = ['@preflight/cors-core', ...adapterPackages().map((p) => p.name)];
const FOR_NEST = ['@preflight/cors-core', '@preflight/cors-node', '@preflight/cors-fastify', '@preflight/cors-nestjs'] as const satisfies readonly PackageName[];

const NEST11 = ranges('@nestjs/common', '@nestjs/core', '@nestjs/platform-express', '@nestjs/platform-fastify', 'reflect-metadata', 'rxjs');
const NEST12 = {
  '@nestjs/common': '^12.0.0',
  '@nestjs/core': '^12.0.0',
  '@nestjs/platform-express': '^12.0.0',
  '@nestjs/platform-fastify': '^12.0.0',
  ...ranges('reflect-metadata', 'rxjs'),
};

/** The frameworks the ESM, CommonJS and TypeScript projects run the adapters on (ranges from the catalog). */
const FRAMEWORKS = ['express', 'fastify', 'koa', 'hono', '@hono/node-server', '@hapi/hapi', 'h3'];

const PROJECTS = {
  esm: { fixture: 'esm', type: 'module', packages: ADAPTERS, dependencies: { ...ranges(...FRAMEWORKS), ...NEST11 } },
  cjs: { fixture: 'cjs', type: 'commonjs', packages: ADAPTERS, dependencies: { ...ranges(...FRAMEWORKS), ...NEST11 } },
  ts: {
    fixture: 'ts',
    type: 'module',
    packages: [...ADAPTERS, '@preflight/cors-conformance'],
    dependencies: {
      ...ranges(...FRAMEWORKS, 'vitest', 'typescript', '@types/node', '@types/express', '@types/koa'),
      ...NEST12,
    },
  },
  'nest-cjs': { fixture: 'nest-cjs', type: 'commonjs', packages: FOR_NEST, dependencies: { ...NEST11, ...ranges('typescript', '@types/node') } },
  nest12: {
    fixture: 'nest12',
    type: 'module',
    packages: [...FOR_NEST, '@preflight/cors-conformance'],
    dependencies: { ...NEST12, ...ranges('vitest') },
    // The NestJS package's own conformance harness, and its @Cors() tests (route tables built
    // from Nest's route metadata), run against the packed package on NestJS 12.
    borrow: {
      'harness.ts': { from: 'packages/nestjs/test/harness.ts', replace: [["from '../src/index.js';", "from '@preflight/cors-nestjs';"]] },
      'http.ts': { from: 'packages/nestjs/test/http.ts', replace: [] },
      'cors-decorator.test.ts': { from: 'packages/nestjs/test/cors-decorator.test.ts', replace: [["from '../src/index.js';", "from '@preflight/cors-nestjs';"]] },
    },
  },
} as const satisfies Record<string, ProjectSpec>;

type ProjectName = keyof typeof PROJECTS;

let work = '';
const ready = new Map<ProjectName, Promise<string>>();
const timings: Record<string, number> = {};

/** The project's folder, once created and installed (installs run in parallel, started in beforeAll). */
function project(name: ProjectName): Promise<string> {
  const promise = ready.get(name);
  if (promise === undefined) throw new Error(`project ${name} was not started`);
  return promise;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'preflight-smoke-'));
  const started = Date.now();
  const tarballs: Promise<Tarballs> = packAll(join(work, 'tarballs'));
  for (const name of Object.keys(PROJECTS) as ProjectName[]) {
    const dir = join(work, name);
    const promise = tarballs.then(async (packed) => {
      timings[`install ${name}`] = await createProject(dir, PROJECTS[name], packed);
      return dir;
    });
    promise.catch(() => undefined); // reported by the tests that use it
    ready.set(name, promise);
  }
  await tarballs;
  timings.pack = Date.now() - started;
}, 120_000);

afterAll(async () => {
  console.log(`smoke timings (ms): ${JSON.stringify(timings)}`);
  if (work !== '' && process.env.PREFLIGHT_SMOKE_KEEP === undefined) await rm(work, { recursive: true, force: true });
  else if (work !== '') console.log(`scratch projects kept in ${work}`);
});

type Line = readonly [string, string];
interface Reply {
  readonly status: number;
  readonly lines: readonly Line[];
  readonly body: string;
}
interface Probe {
  readonly adapter: string;
  readonly preflight: Reply;
  readonly actual: Reply;
  readonly refused: Reply;
  readonly policyInjected?: boolean;
}
interface ConfigErrorSeen {
  readonly name: string;
  readonly code: string;
  readonly instanceOf: readonly boolean[];
}
interface Report {
  readonly results: readonly Probe[];
  readonly configErrors: Readonly<Record<string, ConfigErrorSeen | null>>;
  readonly exportsSeen?: Readonly<Record<string, boolean>>;
}

const values = (reply: Reply, name: string): string[] => reply.lines.filter(([n]) => n === name).map(([, v]) => v);
const list = (reply: Reply, name: string): string[] =>
  values(reply, name)
    .flatMap((v) => v.split(','))
    .map((t) => t.trim().toLowerCase());

/** What a browser needs from each adapter: the preflight answered, the response readable, a refusal without grants. */
function expectCors(report: Report, adapters: readonly string[]): void {
  expect(report.results.map((r) => r.adapter)).toEqual(adapters);
  for (const { adapter, preflight, actual, refused } of report.results) {
    const where = (what: string) => `${adapter}: ${what}`;
    expect(preflight.status, where('preflight status')).toBe(204);
    expect(preflight.body, where('preflight body')).toBe('');
    expect(values(preflight, 'access-control-allow-origin'), where('preflight ACAO')).toEqual([ALLOWED]);
    expect(values(preflight, 'access-control-allow-credentials'), where('preflight ACAC')).toEqual(['true']);
    expect(list(preflight, 'access-control-allow-methods'), where('preflight ACAM')).toContain('put');
    expect(list(preflight, 'access-control-allow-headers'), where('preflight ACAH')).toContain('content-type');
    expect(values(preflight, 'access-control-max-age'), where('preflight max-age')).toEqual(['600']);
    expect(list(preflight, 'vary'), where('preflight Vary')).toContain('origin');

    expect(actual.status, where('actual status')).toBe(200);
    expect(actual.body, where('actual body')).toBe('hello');
    expect(values(actual, 'access-control-allow-origin'), where('actual ACAO')).toEqual([ALLOWED]);
    expect(values(actual, 'access-control-allow-credentials'), where('actual ACAC')).toEqual(['true']);
    expect(list(actual, 'vary'), where('actual Vary')).toContain('origin');

    expect(refused.status, where('refused status (the app still runs)')).toBe(200);
    expect(values(refused, 'access-control-allow-origin'), where('refused ACAO')).toEqual([]);
    expect(values(refused, 'access-control-allow-credentials'), where('refused ACAC')).toEqual([]);
    expect(list(refused, 'vary'), where('refused Vary')).toContain('origin');
  }
}

/** `'*'` with credentials throws the one CorsConfigError class, whichever package it is imported from. */
function expectConfigErrors(report: Report, names: readonly string[]): void {
  expect(Object.keys(report.configErrors).sort()).toEqual([...names].sort());
  for (const [name, seen] of Object.entries(report.configErrors)) {
    expect(seen, `${name}: no CorsConfigError`).not.toBeNull();
    expect(seen!.name, name).toBe('CorsConfigError');
    expect(seen!.code, name).toBe('ORIGIN_WILDCARD_WITH_CREDENTIALS');
    expect(seen!.instanceOf.every(Boolean), `${name}: instanceof CorsConfigError from every package`).toBe(true);
  }
}

const JS_ADAPTERS = ['node:http', 'express', 'fastify', 'koa', 'nestjs', 'hono', 'fetch', 'hapi', 'h3'];

describe('ES module project (import)', () => {
  it('answers through node:http, Express, Fastify, Koa, NestJS 11, Hono, a Fetch handler, hapi and h3', async () => {
    const report = await runReport<Report>(await project('esm'), ['main.js']);
    expectCors(report, JS_ADAPTERS);
    expect(report.results.find((r) => r.adapter === 'nestjs')?.policyInjected).toBe(true);
    expectConfigErrors(report, ['core', 'node', 'koa', 'fetch', 'hapi', 'h3']);
    expect(report.exportsSeen).toEqual({ fastifyDefaultIsNamed: true });
  });
});

describe('CommonJS project (require)', () => {
  it('answers through node:http, Express, Fastify, Koa, NestJS 11, Hono, a Fetch handler, hapi and h3', async () => {
    const report = await runReport<Report>(await project('cjs'), ['main.js']);
    expectCors(report, JS_ADAPTERS);
    expect(report.results.find((r) => r.adapter === 'nestjs')?.policyInjected).toBe(true);
    expectConfigErrors(report, ['core', 'node', 'koa', 'fetch', 'hapi', 'h3']);
    expect(report.exportsSeen).toEqual({ fastifyDefaultIsNamed: true, esModuleFlag: true });
  });
});

describe('TypeScript project (tsc --noEmit)', () => {
  it('uses TypeScript 5.9', async () => {
    const { stdout } = await run(process.execPath, ['node_modules/typescript/bin/tsc', '--version'], await project('ts'));
    expect(stdout).toMatch(/^Version 5\.9\./);
  });

  // skipLibCheck is off, so the packages' declarations are checked as code; errors inside
  // other libraries' declarations (e.g. @types/koa against a newer content-disposition) are
  // not ours and are only listed.
  for (const resolution of ['node16', 'nodenext', 'bundler']) {
    it(`type-checks with moduleResolution ${resolution}`, async () => {
      // A hang guard, not a time limit: with hapi's and h3's declarations too, three of these
      // in parallel took over 120 s on a loaded 2-core machine (11 s of CPU each).
      const outcome = await run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', `tsconfig.${resolution}.json`, '--pretty', 'false'], await project('ts'), 300_000).catch(
        (error: unknown) => error as Error,
      );
      if (!(outcome instanceof Error)) return;
      const errors = outcome.message.split('\n').filter((line) => /^\S.*\(\d+,\d+\): error TS\d+/.test(line));
      const theirs = errors.filter((line) => line.startsWith('node_modules/') && !line.startsWith('node_modules/@preflight/'));
      if (theirs.length > 0) console.log(`moduleResolution ${resolution}: errors in other libraries' declarations, not ours:\n${theirs.join('\n')}`);
      expect(errors.length, outcome.message).toBeGreaterThan(0);
      expect(errors.filter((line) => !theirs.includes(line))).toEqual([]);
    });
  }
});

describe('NestJS 11 app compiled with the tsconfig of `nest new` (CommonJS)', () => {
  it('builds with tsc and answers on the Express and Fastify platforms', async () => {
    const dir = await project('nest-cjs');
    await run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], dir, 120_000);
    const report = await runReport<Report>(dir, ['dist/main.js']);
    expectCors(report, ['nestjs (express)', 'nestjs (fastify)']);
    expectConfigErrors(report, ['nest']);
  });
});

interface VitestJson {
  readonly numTotalTests: number;
  readonly numPassedTests: number;
  readonly numFailedTests: number;
  readonly numPendingTests: number;
  readonly testResults: ReadonlyArray<{ readonly assertionResults: ReadonlyArray<{ readonly fullName: string; readonly status: string; readonly failureMessages: readonly string[] }> }>;
}

describe('NestJS 12 (ESM-only): the conformance suite with the packed packages', () => {
  it('passes every case on the Express and Fastify platforms', async () => {
    const dir = await project('nest12');
    const { stdout: core } = await run(process.execPath, ['-p', "require('@nestjs/core/package.json').version + ' ' + require('@nestjs/core/package.json').type"], dir);
    expect(core.trim()).toMatch(/^12\.\d+\.\d+ module$/);
    const outcome = await run(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--reporter=json', '--outputFile=results.json'], dir, 300_000).catch((error: unknown) => error);
    let results: VitestJson;
    try {
      results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as VitestJson;
    } catch {
      throw outcome instanceof Error ? outcome : new Error('vitest wrote no results.json');
    }
    const failed = results.testResults.flatMap((file) => file.assertionResults.filter((a) => a.status === 'failed'));
    console.log(
      `NestJS ${core.trim().split(' ')[0]} conformance: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${results.numPendingTests} skipped (of ${results.numTotalTests})`,
    );
    expect(failed.map((a) => `${a.fullName}\n${a.failureMessages.join('\n').slice(0, 500)}`)).toEqual([]);
    expect(results.numPassedTests).toBeGreaterThan(100);
    expect(outcome).not.toBeInstanceOf(Error);
  });
});
