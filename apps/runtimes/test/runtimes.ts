// The runtimes and how each one starts a server: a processHarness per runtime and application.
// Deno, Bun and workerd run the bundles test/build.ts wrote; the Next.js app is `next start`ed
// after `next build`. The binaries come from the workspace's devDependencies (npm): Deno's and
// Bun's npm packages fetch nothing at run time but need an install script to place their binary,
// which the workspace does not run, so the platform packages' binaries are called directly.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { processHarness, type ConformanceHarness } from '@preflight/cors-conformance';
import type { AppName } from '../src/app.js';
import { NEXT_BIN, NEXT_DIR, OUT } from './build.js';

const require = createRequire(import.meta.url);

/** The folder of `platformPackage`, an optional dependency of `wrapper` (pnpm keeps it out of our own node_modules). */
function platformPackage(wrapper: string, platformPackage: string): string {
  const fromWrapper = createRequire(require.resolve(`${wrapper}/package.json`));
  return dirname(fromWrapper.resolve(`${platformPackage}/package.json`));
}

const PLATFORM = `${process.platform}-${process.arch}`;

function denoBinary(): string {
  const names: Record<string, string> = { 'linux-x64': '@deno/linux-x64-glibc', 'linux-arm64': '@deno/linux-arm64-glibc', 'darwin-x64': '@deno/darwin-x64', 'darwin-arm64': '@deno/darwin-arm64' };
  const name = names[PLATFORM];
  if (name === undefined) throw new Error(`no Deno binary package for ${PLATFORM}`);
  return join(platformPackage('deno', name), 'deno');
}

function bunBinary(): string {
  const names: Record<string, string> = { 'linux-x64': '@oven/bun-linux-x64', 'linux-arm64': '@oven/bun-linux-aarch64', 'darwin-x64': '@oven/bun-darwin-x64', 'darwin-arm64': '@oven/bun-darwin-aarch64' };
  const name = names[PLATFORM];
  if (name === undefined) throw new Error(`no Bun binary package for ${PLATFORM}`);
  return join(platformPackage('bun', name), 'bin', 'bun');
}

/** Versions, read from the packages that provide each runtime (shown in test names). */
export const VERSIONS = {
  deno: (require('deno/package.json') as { version: string }).version,
  bun: (require('bun/package.json') as { version: string }).version,
  miniflare: (require('miniflare/package.json') as { version: string }).version,
  workerd: (createRequire(require.resolve('miniflare/package.json'))('workerd/package.json') as { version: string }).version,
  next: (require('next/package.json') as { version: string }).version,
} as const;

export type RuntimeName = 'deno' | 'bun' | 'workerd' | 'next';

/**
 * Cases a runtime cannot meet whatever the adapter does, with the reason (seen by running them:
 * the reason quotes what came back).
 */
export const RUNTIME_SKIPS: Partial<Record<RuntimeName, Readonly<Record<string, string>>>> = {
  workerd: {
    'header-space-before-colon':
      "workerd's HTTP/1.1 server accepts `Origin : <origin>` (whitespace before the colon) and hands it to the Worker as `Origin` — 200, the application ran — where RFC 9112 §5.1 requires a 400; a Worker sees only the parsed Headers and cannot tell",
  },
};

/** How a runtime's server is started: the command, its arguments, and where it announces its URL. */
export interface RuntimeCommand {
  /** The runtime and its version, e.g. `Bun 1.4.5`. */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd?: string;
  /** Finds the server's URL in a line of its output (default: processHarness's, the first loopback URL). */
  readonly url?: (line: string) => string | undefined;
}

/** The command that serves `RUNTIME_APP` (from its environment) on `runtime`. */
export function runtimeCommand(runtime: RuntimeName): RuntimeCommand {
  switch (runtime) {
    case 'deno':
      return { name: `Deno ${VERSIONS.deno}`, command: denoBinary(), args: ['run', '--allow-net=127.0.0.1', '--allow-env', join(OUT, 'deno.mjs')] };
    case 'bun':
      return { name: `Bun ${VERSIONS.bun}`, command: bunBinary(), args: [join(OUT, 'bun.mjs')] };
    case 'workerd':
      return {
        name: `workerd ${VERSIONS.workerd} via Miniflare ${VERSIONS.miniflare}`,
        command: process.execPath,
        args: [join(OUT, 'miniflare.mjs'), join(OUT, 'worker.mjs')],
      };
    case 'next':
      return {
        name: `Next.js ${VERSIONS.next} route handler`,
        command: process.execPath,
        args: [NEXT_BIN, 'start', '-H', '127.0.0.1', '-p', '0'],
        cwd: NEXT_DIR,
        // "- Local: http://127.0.0.1:<port>"
        url: (line) => /Local:\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(line)?.[1],
      };
  }
}

/** The harness for one runtime serving one application (`RUNTIME_APP`). */
export function runtimeHarness(runtime: RuntimeName, app: AppName): ConformanceHarness {
  const label = app === 'with-cors' ? 'withCors' : app === 'hono' ? 'Hono cors()' : 'broken withCors: Vary dropped';
  const env = { RUNTIME_APP: app, NEXT_TELEMETRY_DISABLED: '1' };
  const skip = RUNTIME_SKIPS[runtime];
  const { name, ...command } = runtimeCommand(runtime);
  return processHarness({ ...command, name: `${name} (${label})`, env, ...(skip === undefined ? {} : { skip }) });
}
