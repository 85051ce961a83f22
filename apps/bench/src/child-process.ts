/**
 * Child processes of the benchmark: every part runs its measurements in fresh Node
 * processes (isolated JIT state and heap), some pinned to core 1.
 */
import { execFileSync, spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { availableParallelism } from 'node:os';

function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Whether children can be pinned to core 1 (and this process to core 0): `taskset` and at least 2 cores. */
export function canPin(): boolean {
  return availableParallelism() >= 2 && hasTaskset();
}

/**
 * Start `node <nodeArgs>` (callers pass `process.execArgv` in them, so tsx and the source
 * condition carry over), on core 1 when `pin`.
 */
export function spawnNode(nodeArgs: readonly string[], pin: boolean, stdio: StdioOptions): ChildProcess {
  return pin ? spawn('taskset', ['-c', '1', process.execPath, ...nodeArgs], { stdio }) : spawn(process.execPath, nodeArgs, { stdio });
}

export interface RunOptions {
  readonly pin?: boolean;
  /** Each line the child writes to stderr; stderr is inherited when omitted. */
  readonly onStderrLine?: (line: string) => void;
}

/**
 * Run `node <nodeArgs>` to completion and resolve with the JSON on the last line of its
 * stdout (how every measuring child reports); reject if it exits with another code than 0.
 */
export function runNodeForJson<T>(label: string, nodeArgs: readonly string[], options: RunOptions = {}): Promise<T> {
  const { pin = false, onStderrLine } = options;
  const child = spawnNode(nodeArgs, pin, ['ignore', 'pipe', onStderrLine === undefined ? 'inherit' : 'pipe']);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      const lines = err.split('\n');
      err = lines.pop()!;
      for (const line of lines) onStderrLine!(line);
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (err !== '') onStderrLine?.(err);
      if (code !== 0) reject(new Error(`${label} exited with ${code}`));
      else resolve(JSON.parse(out.trim().split('\n').at(-1)!) as T);
    });
  });
}
