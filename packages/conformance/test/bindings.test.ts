import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { cases } from '../src/index.js';

// Each test starts a runner in a child process: slow on a loaded machine (over 100 s seen under
// the full pnpm test on 2 cores), bounded by the child timeout.
vi.setConfig({ testTimeout: 660_000 });

const here = path.dirname(fileURLToPath(import.meta.url));
const pkg = path.join(here, '..');
const require = createRequire(import.meta.url);
const bin = (name: string, file: string): string => path.join(path.dirname(require.resolve(`${name}/package.json`)), file);

/** Run a command in the package folder; resolve with its exit code and output (never rejects on a non-zero exit). */
function run(cmd: string, args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd: pkg, env: { ...process.env, CI: '1', NO_COLOR: '1', FORCE_COLOR: '0' }, maxBuffer: 64 * 1024 * 1024, timeout: 600_000 }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, out: `${stdout}\n${stderr}` });
    });
  });
}

const tsx = (file: string) => run(process.execPath, [bin('tsx', 'dist/cli.mjs'), '--conditions=@preflight/source', '--test', '--test-reporter=tap', file]);

describe('a harness whose start() throws fails every case with the error', () => {
  it('with Vitest (the root runConformance)', async () => {
    const { code, out } = await run(process.execPath, [bin('vitest', 'vitest.mjs'), 'run', '--root', 'test/fixtures']);
    expect(code).not.toBe(0);
    expect(out).toMatch(new RegExp(`Tests +${cases.length} failed \\| 1 passed \\(${cases.length + 1}\\)`));
    expect(out).toMatch(/start-throws harness failed to start \(config exact\): Error: Method name not allowed: HEAD/);
    expect(out).not.toMatch(/skipped/);
  });

  it('with node:test', async () => {
    const { code, out } = await tsx('test/fixtures/start-throws.node-test.ts');
    expect(code).not.toBe(0);
    expect(out).toMatch(new RegExp(`# fail ${cases.length}\\b`));
    expect(out).toMatch(/# skipped 0\b/);
    expect(out).toMatch(/start-throws harness failed to start \(config exact\): Error: Method name not allowed: HEAD/);
  });
});

describe('the node:test binding fails a wrong CORS layer', () => {
  it('reflects every origin and answers every OPTIONS: most cases fail, with the exchange shown', async () => {
    const { code, out } = await tsx('test/fixtures/naive.node-test.ts');
    expect(code).not.toBe(0);
    const failed = Number(/# fail (\d+)/.exec(out)?.[1]);
    expect(failed).toBeGreaterThan(cases.length / 2);
    expect(out).toMatch(/not ok \d+ - simple-refused:/);
    expect(out).toMatch(/access-control-allow-origin must be absent/);
    expect(out).toMatch(/access-control-allow-origin: https:\/\/evil\.example\.org/);
  });
});
