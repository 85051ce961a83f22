import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Engine, EngineContext, EnginePage } from './types.js';

/** Debian's `webkit2gtk-driver` package: the WebDriver server for WebKitGTK. */
export function webkitDriverPath(): string {
  return process.env.WEBKIT_DRIVER_PATH || '/usr/bin/WebKitWebDriver';
}

/** WebKitGTK's MiniBrowser (package `libwebkit2gtk-4.1-0`), or `WEBKIT_MINIBROWSER_PATH`. */
export function miniBrowserPath(): string | undefined {
  if (process.env.WEBKIT_MINIBROWSER_PATH) return process.env.WEBKIT_MINIBROWSER_PATH;
  for (const dir of ['/usr/lib', '/usr/libexec']) {
    if (!existsSync(dir)) continue;
    for (const multiarch of ['', ...readdirSync(dir)]) {
      for (const api of ['webkit2gtk-4.1', 'webkit2gtk-4.0', 'webkitgtk-6.0']) {
        const path = `${dir}/${multiarch ? `${multiarch}/` : ''}${api}/MiniBrowser`;
        if (existsSync(path)) return path;
      }
    }
  }
  return undefined;
}

/** How long a WebDriver session may take to start: without a display, it hangs instead of failing. */
const SESSION_START_MS = 60_000;
/** How long any other WebDriver command (a navigation, a script) may take. */
const COMMAND_MS = 120_000;

class WebDriverError extends Error {}

/** A WebDriver classic client: JSON over HTTP (https://www.w3.org/TR/webdriver2/), every command with a timeout. */
class WebDriver {
  constructor(readonly base: string) {}

  async command(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown, timeout = COMMAND_MS): Promise<unknown> {
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' },
      body: body === undefined ? null : JSON.stringify(body),
      signal: AbortSignal.timeout(timeout),
    });
    const json = (await response.json()) as { value: unknown };
    if (!response.ok) {
      const error = json.value as { error?: string; message?: string };
      throw new WebDriverError(`WebDriver ${method} ${path}: ${error.error ?? response.status}: ${error.message ?? ''}`);
    }
    return json.value;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Start Xvfb on a free display number (`-displayfd`): MiniBrowser needs an X display. */
async function startXvfb(): Promise<{ display: string; process: ChildProcess }> {
  const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp', '-nolisten', 'unix'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
  let stderr = '';
  xvfb.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const display = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`Xvfb did not start within 15 s: ${stderr}`)), 15_000);
    xvfb.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`Xvfb could not start (${error.message}). Install Debian's package: apt-get install xvfb`));
    });
    xvfb.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Xvfb exited (${code}): ${stderr}`));
    });
    (xvfb.stdio[3] as NodeJS.ReadableStream).on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) {
        clearTimeout(timer);
        resolve(`:${out.trim()}`);
      }
    });
  });
  xvfb.removeAllListeners('exit');
  return { display, process: xvfb };
}

/** Wait until the driver accepts connections. */
async function driverReady(driver: WebDriver, child: ChildProcess): Promise<void> {
  for (let waited = 0; waited < 15_000; waited += 50) {
    if (child.exitCode !== null) throw new Error(`WebKitWebDriver exited (${child.exitCode})`);
    try {
      const status = (await driver.command('GET', '/status', undefined, 2000)) as { ready?: boolean };
      if (status.ready !== false) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('WebKitWebDriver did not answer within 15 s');
}

function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Options of {@link launchWebKit}. */
export interface WebKitOptions {
  /** An X display to use instead of starting Xvfb (e.g. `:0`). */
  readonly display?: string;
  /** How long a session start may take, in ms. Default 60 000. */
  readonly sessionStartTimeout?: number;
}

/**
 * WebKitGTK's MiniBrowser (`--automation`), driven by Debian's `WebKitWebDriver` over
 * WebDriver classic, on its own Xvfb display. Each context is a WebDriver session (its own
 * MiniBrowser, an ephemeral profile); a session start that does not answer within 60 s fails.
 */
export async function launchWebKit(options: WebKitOptions = {}): Promise<Engine> {
  const sessionStart = options.sessionStartTimeout ?? SESSION_START_MS;
  const driverPath = webkitDriverPath();
  const browserPath = miniBrowserPath();
  if (!existsSync(driverPath) || browserPath === undefined) {
    throw new Error(`WebKit not found (${driverPath}, MiniBrowser). Install Debian's packages: apt-get install webkit2gtk-driver xvfb`);
  }
  const xvfb = options.display === undefined ? await startXvfb() : { display: options.display, process: undefined };
  const port = await freePort();
  const child = spawn(driverPath, [`--port=${port}`, '--host=local'], { env: { ...process.env, DISPLAY: xvfb.display }, stdio: ['ignore', 'ignore', 'ignore'] });
  const cleanup = (): void => {
    child.kill('SIGKILL');
    xvfb.process?.kill('SIGKILL');
  };
  process.once('exit', cleanup);
  const driver = new WebDriver(`http://127.0.0.1:${port}`);
  const close = async (): Promise<void> => {
    process.off('exit', cleanup);
    await kill(child);
    if (xvfb.process !== undefined) await kill(xvfb.process);
  };
  try {
    await driverReady(driver, child);
    // One session to learn the version, kept as the first context's.
    const first = await startSession(driver, browserPath, sessionStart);
    let spare: WebKitContext | undefined = first.context;
    return {
      id: 'webkit',
      name: `WebKitGTK ${first.version} (MiniBrowser)`,
      version: first.version,
      async newContext(): Promise<EngineContext> {
        if (spare !== undefined) {
          const context = spare;
          spare = undefined;
          return context;
        }
        return (await startSession(driver, browserPath, sessionStart)).context;
      },
      close: async () => {
        await spare?.close();
        await close();
      },
    };
  } catch (error) {
    await close();
    throw error;
  }
}

async function startSession(driver: WebDriver, browserPath: string, timeout: number): Promise<{ context: WebKitContext; version: string }> {
  let session: { sessionId: string; capabilities: { browserVersion?: string } };
  try {
    session = (await driver.command(
      'POST',
      '/session',
      { capabilities: { alwaysMatch: { 'webkitgtk:browserOptions': { binary: browserPath, args: ['--automation'] }, pageLoadStrategy: 'normal' } } },
      timeout,
    )) as typeof session;
  } catch (error) {
    const timedOut = (error as Error).name === 'TimeoutError';
    throw new Error(
      timedOut
        ? `WebKit: no WebDriver session within ${timeout / 1000} s (MiniBrowser hangs without a usable X display)`
        : `WebKit: no WebDriver session: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const path = `/session/${session.sessionId}`;
  await driver.command('POST', `${path}/timeouts`, { script: COMMAND_MS - 5000, pageLoad: 60_000 });
  const initial = (await driver.command('GET', `${path}/window`)) as string;
  return { context: new WebKitContext(driver, path, initial), version: session.capabilities.browserVersion ?? 'unknown' };
}

/** One WebDriver session: its windows are the pages; commands go to the current window. */
class WebKitContext implements EngineContext {
  #current: string;
  #unused: string | undefined;

  constructor(
    readonly driver: WebDriver,
    readonly path: string,
    initial: string,
  ) {
    this.#current = initial;
    this.#unused = initial;
  }

  async #window(): Promise<string> {
    if (this.#unused !== undefined) {
      const handle = this.#unused;
      this.#unused = undefined;
      return handle;
    }
    const created = (await this.driver.command('POST', `${this.path}/window/new`, { type: 'tab' })) as { handle: string };
    return created.handle;
  }

  /** Make `handle` the current window, then run `command` (commands of one context never interleave). */
  async on<T>(handle: string, command: () => Promise<T>): Promise<T> {
    if (this.#current !== handle) {
      await this.driver.command('POST', `${this.path}/window`, { handle });
      this.#current = handle;
    }
    return command();
  }

  async newPage(): Promise<EnginePage> {
    const handle = await this.#window();
    const run = (script: string): Promise<unknown> => this.on(handle, () => this.driver.command('POST', `${this.path}/execute/async`, { script, args: [] }));
    return {
      engine: 'webkit',
      goto: async (url) => {
        await this.on(handle, () => this.driver.command('POST', `${this.path}/url`, { url }));
      },
      evaluateExpression: async (expression) => {
        const out = (await run(
          `const done = arguments[arguments.length - 1];
           Promise.resolve().then(() => (${expression})).then(
             (value) => done({ ok: value === undefined ? null : value }),
             (error) => done({ error: String(error && error.stack || error) }));`,
        )) as { ok?: unknown; error?: string };
        if (out.error !== undefined) throw new Error(`in WebKit: ${out.error}`);
        return out.ok;
      },
      close: async () => {
        await this.on(handle, () => this.driver.command('DELETE', `${this.path}/window`));
      },
    };
  }

  async addCookie(cookie: Parameters<EngineContext['addCookie']>[0], hostUrl: string): Promise<void> {
    // WebDriver adds cookies to the current document's host only: open it in a window the
    // next page reuses (closing a session's last window would end the session).
    const handle = await this.#window();
    await this.on(handle, async () => {
      await this.driver.command('POST', `${this.path}/url`, { url: hostUrl });
      await this.driver.command('POST', `${this.path}/cookie`, {
        cookie: { name: cookie.name, value: cookie.value, path: '/', httpOnly: cookie.httpOnly ?? false, secure: false, sameSite: cookie.sameSite ?? 'Lax' },
      });
    });
    this.#unused = handle;
  }

  async close(): Promise<void> {
    await this.driver.command('DELETE', this.path).catch(() => {});
  }
}
