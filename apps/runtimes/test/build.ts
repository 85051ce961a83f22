// Builds what the runtime servers run, once per test run (vitest globalSetup): esbuild bundles
// of the servers (the conformance application, @preflight/cors-fetch from its sources, Hono
// and the suite's configs in one file each). test/next.test.ts runs `next build` (buildNext).
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions } from 'esbuild';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const OUT = join(ROOT, '.build');
export const NEXT_DIR = join(ROOT, 'next');
const require = createRequire(import.meta.url);

/** The Next.js CLI, run with this Node. */
export const NEXT_BIN = require.resolve('next/dist/bin/next');

function run(command: string, args: readonly string[], cwd: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolvePromise() : reject(new Error(`${command} ${args.join(' ')} failed (${code}):\n${output}`))));
  });
}

export async function buildAll(): Promise<void> {
  const common: BuildOptions = {
    bundle: true,
    format: 'esm',
    conditions: ['@preflight/source'],
    logLevel: 'warning',
    legalComments: 'none',
  };
  // Deno, Bun, workerd and Next.js get runtime-neutral bundles. `@preflight/cors-conformance`
  // is imported for its `configs` only: its Node- and Vitest-bound modules are left out by
  // tree shaking (the package has no side effects), and a bundle that still imports one fails here.
  const neutral = { ...common, platform: 'neutral', mainFields: ['module', 'main'], external: ['node:*', 'vitest'], metafile: true } satisfies BuildOptions;
  const bundles = [
    await build({
      ...neutral,
      entryPoints: { deno: join(ROOT, 'servers/deno.ts'), bun: join(ROOT, 'servers/bun.ts'), worker: join(ROOT, 'servers/worker.ts') },
      outdir: OUT,
      outExtension: { '.js': '.mjs' },
    }),
    await build({ ...neutral, entryPoints: [join(ROOT, 'src/app.ts')], outfile: join(NEXT_DIR, 'lib/app.mjs') }),
  ];
  for (const { metafile } of bundles) {
    for (const [file, output] of Object.entries(metafile?.outputs ?? {})) {
      const external = output.imports.filter((i) => i.external).map((i) => i.path);
      if (external.length > 0) throw new Error(`${file} imports ${external.join(', ')}: runtime bundles must be self-contained`);
    }
  }
  await build({ ...common, platform: 'node', packages: 'external', entryPoints: [join(ROOT, 'servers/miniflare.ts')], outfile: join(OUT, 'miniflare.mjs') });
}

/** `next build` of the Next.js app (its route imports next/lib/app.mjs, written by buildAll). Called by test/next.test.ts. */
export async function buildNext(): Promise<void> {
  await rm(join(NEXT_DIR, '.next'), { recursive: true, force: true });
  await run(process.execPath, [NEXT_BIN, 'build'], NEXT_DIR);
}

export default async function setup(): Promise<void> {
  await buildAll();
}
