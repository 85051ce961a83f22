/** Child processes: every part measures in fresh Node processes (isolated JIT state and heap), some pinned to core 1. */
import { execFileSync, spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** Whether children can be pinned to core 1 (and this process to core 0): `taskset` and at least 2 cores. */
export function canPin(): boolean {
  try {
    execFileSync('taskset', ['-V'], { stdio: 'ignore' });
    return availableParallelism() >= 2;
  } catch {
    return false;
  }
}

interface NodeOptions {
  readonly pin?: boolean;
  readonly v8?: readonly string[];
  readonly execPath?: string;
  readonly env?: NodeJS.ProcessEnv;
}

/** Start `node <v8> <execArgv> <script> <args>` (tsx and the source condition carry over), on core 1 when `pin`. */
export function spawnNode(script: string | URL, args: readonly string[], stdio: StdioOptions, options: NodeOptions = {}): ChildProcess {
  const { pin = false, v8 = [], execPath = process.execPath, env } = options;
  const nodeArgs = [...v8, ...process.execArgv, fileURLToPath(script), ...args];
  return pin ? spawn('taskset', ['-c', '1', execPath, ...nodeArgs], { stdio, env }) : spawn(execPath, nodeArgs, { stdio, env });
}

/** The `node` binary of a Node major pinned in scripts/node-versions.mjs (installed into .cache/node when missing). */
export async function nodeBinary(major: number): Promise<string> {
  const script = new URL('../../../scripts/node-versions.mjs', import.meta.url).href;
  const { NODE_VERSIONS, ensureNode } = (await import(script)) as { NODE_VERSIONS: Record<string, string>; ensureNode: (version: string) => string };
  const version = NODE_VERSIONS[String(major)];
  if (version === undefined) throw new Error(`no Node ${major} in scripts/node-versions.mjs (${Object.keys(NODE_VERSIONS).join(', ')})`);
  return `${ensureNode(version)}/node`;
}

/** Run `script` to completion and resolve with the JSON on its last line of stdout (how every measuring child reports). */
export function runNodeForJson<T>(
  label: string,
  script: string | URL,
  args: readonly string[],
  options: NodeOptions & { onStderrLine?: (line: string) => void } = {},
): Promise<T> {
  const { onStderrLine } = options;
  const child = spawnNode(script, args, ['ignore', 'pipe', onStderrLine === undefined ? 'inherit' : 'pipe'], options);
  if (onStderrLine !== undefined) createInterface({ input: child.stderr! }).on('line', onStderrLine);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`${label} exited with ${code}`));
      else resolve(JSON.parse(out.trim().split('\n').at(-1)!) as T);
    });
  });
}
