import { spawn } from 'node:child_process';
import type { CorsOptions } from '@preflight/cors-core';
import { rawRequest } from './client.js';
import { configs, type ConfigName } from './configs.js';
import { STANDARD_ROUTES, type ConformanceHarness, type RunningServer } from './harness.js';

/** The environment variable that tells a server started by `processHarness` which configuration to use. */
export const CONFIG_ENV = 'CONFORMANCE_CONFIG';

/** Options of `processHarness`. */
export interface ProcessHarnessOptions {
  /** Shown in test names, e.g. `deno (withCors)`. */
  readonly name: string;
  /** The program to start: `deno`, `bun`, `node`, an absolute path… */
  readonly command: string;
  /**
   * Its arguments: a list, or a function of the configuration's name (to pass it on the
   * command line instead of, or as well as, the environment).
   */
  readonly args?: readonly string[] | ((config: ConfigName) => readonly string[]);
  /**
   * Extra environment variables, added to this process's environment. `CONFORMANCE_CONFIG`
   * (the configuration's name) is always set.
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Working directory of the command (default: this process's). */
  readonly cwd?: string;
  /**
   * Finds the server's URL in one line of its standard output (default: the first
   * `http://127.0.0.1:<port>`, `http://localhost:<port>` or `http://[::1]:<port>` on the line).
   * Return `undefined` for lines that do not announce it.
   */
  readonly url?: (line: string) => string | undefined;
  /**
   * How long the server may take to print its URL and then answer its first request, in ms
   * (default 60 000).
   */
  readonly startTimeoutMs?: number;
  /** Cases the server cannot meet, by case id, with the reason (see `ConformanceHarness.skip`). */
  readonly skip?: Readonly<Record<string, string>>;
}

const URL_IN_LINE = /\bhttp:\/\/(?:127\.0\.0\.1|localhost|\[::1\]):\d+/;

/** The first loopback `http://host:port` in a line of output. */
function defaultUrl(line: string): string | undefined {
  return URL_IN_LINE.exec(line)?.[0];
}

/**
 * The name of a configuration of the suite, found by identity: a server in another process
 * cannot receive the options themselves (`configs` holds functions), only their name.
 */
export function configNameOf(options: CorsOptions): ConfigName {
  for (const [name, value] of Object.entries(configs)) {
    if (value === options) return name as ConfigName;
  }
  throw new Error('processHarness serves only the suite’s own configurations (the objects in `configs`): the server in the other process looks its options up by name');
}

/** Process groups still running, ended if this process exits first (a test run that stops early). */
const running = new Set<number>();
let exitHook = false;
function track(pid: number): void {
  running.add(pid);
  if (exitHook) return;
  exitHook = true;
  process.once('exit', () => {
    for (const group of running) {
      try {
        process.kill(-group, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
}

/** The last part of a child's output, for error messages. */
function tail(text: string, max = 4000): string {
  return text.length > max ? `…${text.slice(-max)}` : text;
}

/**
 * Whether the server at `base` answers `GET /echo` (any status) before `deadline`, retrying
 * refused connections; false at once when `given up` (the start failed meanwhile: the server exited).
 */
async function answers(base: string, deadline: number, givenUp: () => boolean): Promise<boolean> {
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0 || givenUp()) return false;
    try {
      await rawRequest(base, { method: 'GET', path: STANDARD_ROUTES.echo }, left);
      return true;
    } catch {
      await new Promise((r) => setTimeout(r, Math.min(100, Math.max(0, deadline - Date.now()))));
    }
  }
}

/**
 * A harness whose server runs in another process or runtime — Deno, Bun, workerd, a
 * framework's own CLI, a server written in another language — while the suite's raw-socket
 * client stays in this process.
 *
 * For each configuration, `start` runs `command` with `CONFORMANCE_CONFIG=<name>` in its
 * environment, where `<name>` is a key of `configs`. The server imports `configs` from
 * `@preflight/cors-conformance` itself, registers the adapter with `configs[name]` and the
 * standard routes (see `ConformanceHarness`), listens on 127.0.0.1 on a free port, and
 * prints its URL on a line of standard output. `start` then sends `GET /echo` until the server
 * answers it, so a server that loads its handlers on the first request (`next start`, a
 * runtime compiling lazily) is warm before the first case's five-second budget starts.
 * `close()` ends the process and everything it started (its process group: SIGTERM, then
 * SIGKILL after two seconds). If the process exits, stays silent or does not answer within
 * `startTimeoutMs`, `start` rejects with its exit status and output.
 *
 * @example
 * ```ts
 * // test/conformance.test.ts: the suite against a Deno server
 * import { processHarness, runConformance } from '@preflight/cors-conformance';
 *
 * runConformance(processHarness({
 *   name: 'deno',
 *   command: 'deno',
 *   args: ['run', '--allow-net=127.0.0.1', '--allow-env', 'server.ts'],
 * }));
 *
 * // server.ts (Deno)
 * import { configs } from '@preflight/cors-conformance';
 * import { withCors } from '@preflight/cors-fetch';
 * const options = configs[Deno.env.get('CONFORMANCE_CONFIG') as keyof typeof configs];
 * Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: ({ port }) => console.log(`http://127.0.0.1:${port}`) },
 *   withCors(options, routes));
 * ```
 */
export function processHarness(options: ProcessHarnessOptions): ConformanceHarness {
  const findUrl = options.url ?? defaultUrl;
  const startTimeoutMs = options.startTimeoutMs ?? 60_000;
  return {
    name: options.name,
    ...(options.skip === undefined ? {} : { skip: options.skip }),
    start(corsOptions: CorsOptions): Promise<RunningServer> {
      const config = configNameOf(corsOptions);
      const args = typeof options.args === 'function' ? options.args(config) : (options.args ?? []);
      // detached: the child leads a process group, so close() also ends what it starts
      // (a wrapper script's runtime, Miniflare's workerd).
      const child = spawn(options.command, args, {
        cwd: options.cwd,
        env: { ...process.env, ...options.env, [CONFIG_ENV]: config },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: process.platform !== 'win32',
      });
      if (child.pid !== undefined && process.platform !== 'win32') track(child.pid);
      let output = '';
      const keep = (chunk: string): void => {
        output = (output + chunk).slice(-16_000);
      };
      let exited = false;
      const exit = new Promise<void>((resolve) => {
        child.once('exit', () => {
          exited = true;
          resolve();
        });
        child.once('error', () => {
          exited = true;
          resolve();
        });
      });
      const signal = (name: NodeJS.Signals, group = false): void => {
        if ((exited && !group) || child.pid === undefined) return;
        try {
          if (process.platform === 'win32') child.kill(name);
          else process.kill(-child.pid, name);
        } catch {
          // already gone
        }
      };
      const close = async (): Promise<void> => {
        signal('SIGTERM');
        const timer = setTimeout(() => signal('SIGKILL'), 2000);
        await exit;
        clearTimeout(timer);
        // whatever is left of its process group (a grandchild that ignored SIGTERM)
        if (process.platform !== 'win32') signal('SIGKILL', true);
        if (child.pid !== undefined) running.delete(child.pid);
      };
      const describeExit = (what: string): string =>
        `${options.name}: ${what} (${options.command} ${args.join(' ')}, ${CONFIG_ENV}=${config})\n${tail(output)}`;

      return new Promise<RunningServer>((resolve, reject) => {
        let pending = '';
        let settled = false;
        const fail = (message: string): void => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          void close().then(() => reject(new Error(message)));
        };
        const deadline = Date.now() + startTimeoutMs;
        let announced = false;
        const late = (): void => fail(describeExit(announced ? `printed its URL but did not answer GET ${STANDARD_ROUTES.echo} within ${startTimeoutMs} ms` : `printed no URL within ${startTimeoutMs} ms`));
        const timer = setTimeout(late, startTimeoutMs);
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          keep(chunk);
          if (settled || announced) return;
          pending += chunk;
          const lines = pending.split('\n');
          pending = lines.pop() ?? '';
          for (const line of lines) {
            const url = findUrl(line);
            if (url === undefined) continue;
            announced = true;
            const base = url.replace(/\/+$/, '');
            void answers(base, deadline, () => settled).then((answered) => {
              if (!answered) return late();
              if (settled) return;
              settled = true;
              clearTimeout(timer);
              resolve({ url: base, close });
            });
            pending = '';
            return;
          }
        });
        child.stderr.setEncoding('utf8').on('data', keep);
        child.once('error', (err) => fail(describeExit(`could not start: ${err.message}`)));
        child.once('exit', (code, sig) => fail(describeExit(`exited before ${announced ? 'answering' : 'printing its URL'} (${sig ?? `status ${code}`})`)));
      });
    },
  };
}
