// Helpers of the packed-tarball smoke tests: pack the published packages with pnpm (as
// `pnpm publish` would), and install them with npm into scratch projects outside the
// workspace, next to frameworks from the registry. Nothing is cached between runs except
// npm's own cache.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { publishedPackages } from '../../../tooling/scripts/adapters.mjs';

export const WORKSPACE = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
export const FIXTURES = resolve(WORKSPACE, 'apps/smoke/fixtures');

/**
 * The published packages, by name, with their folder in the workspace: every non-private
 * package under packages/, discovered (tooling/scripts/adapters.mjs), not listed.
 */
export const PUBLISHED: Readonly<Record<string, string>> = Object.fromEntries(publishedPackages().map((p) => [p.name, p.dir]));

export type PackageName = string;
export type Tarballs = Readonly<Record<PackageName, string>>;

/**
 * The workspace catalog (pnpm-workspace.yaml): the scratch projects install the framework
 * ranges the workspace itself tests against.
 */
export function catalog(): Readonly<Record<string, string>> {
  const text = readFileSync(join(WORKSPACE, 'pnpm-workspace.yaml'), 'utf8');
  const section = /^catalog:\s*\n((?:[ \t]+.*\n?|\s*\n)*)/m.exec(text)?.[1] ?? '';
  const entries: Record<string, string> = {};
  for (const line of section.split('\n')) {
    const match = /^\s+["']?([^"':\s]+)["']?:\s*["']?([^"'\s#]+)/.exec(line);
    if (match) entries[match[1]!] = match[2]!;
  }
  return entries;
}

/** Ranges from the catalog, failing clearly if one is missing. */
export function ranges(...names: string[]): Record<string, string> {
  const all = catalog();
  return Object.fromEntries(
    names.map((name) => {
      const range = all[name];
      if (range === undefined) throw new Error(`${name} is not in the pnpm-workspace.yaml catalog`);
      return [name, range];
    }),
  );
}

/** The environment for child processes, without what pnpm, turbo and Vitest inject. */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_(command|execpath|node_execpath|lifecycle_.*|package_.*|config_user_agent|config_verify_deps_before_run)|pnpm_.*|PNPM_.*|VITEST.*|TURBO_.*|NODE_OPTIONS|NODE_ENV|INIT_CWD|TEST)$/.test(key)) continue;
    env[key] = value;
  }
  env.NO_COLOR = '1';
  return env;
}

export interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** Run a command; reject with its output when it fails or outlives `timeoutMs`. */
export function run(command: string, args: readonly string[], cwd: string, timeoutMs = 240_000, env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  const started = Date.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd, env: { ...childEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const ms = Date.now() - started;
      if (code === 0) return resolvePromise({ stdout, stderr, ms });
      const why = signal === null ? `exit code ${code}` : `${signal} after ${ms} ms (timeout ${timeoutMs} ms)`;
      reject(new Error(`\`${command} ${args.join(' ')}\` in ${cwd} failed (${why})\n--- stdout\n${stdout.slice(-6000)}\n--- stderr\n${stderr.slice(-6000)}`));
    });
  });
}

/** `pnpm pack` every published package into `dest` (publishConfig applied, workspace: ranges replaced). */
export async function packAll(dest: string): Promise<Tarballs> {
  await mkdir(dest, { recursive: true });
  const entries = await Promise.all(
    Object.entries(PUBLISHED).map(async ([name, dir]) => {
      const root = join(WORKSPACE, dir);
      for (const file of ['dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/index.d.cts']) {
        if (!existsSync(join(root, file))) throw new Error(`${name} is not built (${dir}/${file} is missing): run \`pnpm build\` first (turbo's test task depends on ^build)`);
      }
      const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
      await run('pnpm', ['pack', '--pack-destination', dest], root, 60_000);
      const tarball = join(dest, `${name.replace('@', '').replace('/', '-')}-${version}.tgz`);
      if (!existsSync(tarball)) throw new Error(`pnpm pack did not write ${tarball}`);
      return [name, tarball] as const;
    }),
  );
  return Object.fromEntries(entries) as Tarballs;
}

export interface ProjectSpec {
  /** Folder under fixtures/ copied into the project. */
  readonly fixture: string;
  readonly type: 'module' | 'commonjs';
  /** Packed packages to install. */
  readonly packages: readonly PackageName[];
  /** Registry dependencies: name → range. */
  readonly dependencies: Readonly<Record<string, string>>;
  /**
   * Workspace files copied into the project (destination → source path from the workspace
   * root, with import rewrites), so a fixture reuses a test file instead of keeping a copy.
   */
  readonly borrow?: Readonly<Record<string, { readonly from: string; readonly replace: readonly (readonly [string, string])[] }>>;
}

/** Create a scratch project in `dir` from a fixture, and `npm install` it. Returns the install time. */
export async function createProject(dir: string, spec: ProjectSpec, tarballs: Tarballs): Promise<number> {
  await mkdir(dir, { recursive: true });
  await cp(join(FIXTURES, spec.fixture), dir, { recursive: true });
  await cp(join(FIXTURES, 'probe.cjs'), join(dir, 'probe.cjs'));
  for (const [dest, { from, replace }] of Object.entries(spec.borrow ?? {})) {
    let text = await readFile(join(WORKSPACE, from), 'utf8');
    for (const [a, b] of replace) {
      if (!text.includes(a)) throw new Error(`${from} no longer contains ${JSON.stringify(a)}: update the smoke project's borrow rule`);
      text = text.replaceAll(a, b);
    }
    await writeFile(join(dir, dest), text);
  }
  const dependencies: Record<string, string> = { ...spec.dependencies };
  for (const name of spec.packages) dependencies[name] = `file:${tarballs[name]}`;
  const manifest = { name: `preflight-smoke-${spec.fixture}`, version: '0.0.0', private: true, type: spec.type, dependencies };
  await writeFile(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const { ms } = await run(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', '--no-update-notifier', '--loglevel=error'],
    dir,
    300_000,
  );
  return ms;
}

/** Run a Node script of a scratch project and parse the JSON report it prints. */
export async function runReport<T>(dir: string, args: readonly string[]): Promise<T> {
  const { stdout } = await run(process.execPath, args, dir, 60_000);
  try {
    return JSON.parse(stdout) as T;
  } catch {
    throw new Error(`${args.join(' ')} printed no JSON report:\n${stdout}`);
  }
}
