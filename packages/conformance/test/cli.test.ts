import type { IncomingMessage, RequestListener } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import { listen } from '../src/index.js';

const ALLOWED = 'https://app.example.com';

/** `cors-conformance …` in-process: the exit code, and what it printed. */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, (t) => out.push(t), (t) => err.push(t));
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

const lastLine = (text: string): string => text.trimEnd().split('\n').at(-1)!;

/** A port on 127.0.0.1 with nothing listening: listen on 0, then close. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Close the connection without a response. Unlike a request left unanswered until `--timeout`,
 * this cannot make an answered request of the same audit miss the deadline on a loaded machine
 * (a stalled event loop runs expired timers before reading the answers that arrived meanwhile).
 */
const hangUp = (req: IncomingMessage): void => void req.socket.destroy();
/** What the audit reports for a connection closed without a response (FIN, or RST). */
const HUNG_UP = '(?:the connection closed before any response|read ECONNRESET)';

/** Correct CORS for ALLOWED: its exact origin, Vary: Origin everywhere, preflights allowing PUT and content-type. */
const corsHandler: RequestListener = (req, res) => {
  res.setHeader('Vary', 'Origin');
  const allowed = req.headers.origin === ALLOWED;
  if (allowed) res.setHeader('Access-Control-Allow-Origin', ALLOWED);
  if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
    if (allowed) {
      res.setHeader('Access-Control-Allow-Methods', 'PUT');
      res.setHeader('Access-Control-Allow-Headers', 'content-type');
    }
    res.statusCode = 204;
    res.end();
    return;
  }
  res.end('ok');
};

describe('cors-conformance audit: the summary says what was seen', () => {
  it('a correct server: every check passed, exit code 0', async () => {
    const server = await listen(corsHandler);
    try {
      const { code, stdout } = await cli(['audit', server.url, '--allow', ALLOWED]);
      expect(lastLine(stdout)).toBe('No findings: every check passed (1 path).');
      expect(code).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('a closed port: no answer to any request, nothing checked, exit code 2', async () => {
    const port = await closedPort();
    const { code, stdout } = await cli(['audit', `http://127.0.0.1:${port}/`, '--allow', ALLOWED]);
    expect(code).toBe(2);
    expect(stdout).not.toMatch(/every check passed/);
    expect(lastLine(stdout)).toMatch(new RegExp(`^No answer to (\\d+) of \\1 requests \\(connect ECONNREFUSED 127\\.0\\.0\\.1:${port}\\): nothing could be checked on /\\.$`));
  });

  it('a server that accepts and never answers (--timeout): no answer to any request, nothing checked, exit code 2', async () => {
    const server = await listen(() => {}); // reads the request, never answers
    try {
      const { code, stdout } = await cli(['audit', server.url, '--allow', ALLOWED, '--path', '/', '--path', '/x', '--timeout', '300']);
      expect(code).toBe(2);
      expect(stdout).not.toMatch(/every check passed/);
      expect(lastLine(stdout)).toMatch(/^No answer to (\d+) of \1 requests \(no complete response to GET \/ within 300 ms; \d+ other errors\): nothing could be checked on \/, \/x\.$/);
    } finally {
      await server.close();
    }
  });

  it('GETs answered, preflights never: both the answered result and the unanswered requests, exit code 2', async () => {
    const server = await listen((req, res) => {
      if (req.method === 'OPTIONS') hangUp(req);
      else corsHandler(req, res);
    });
    try {
      const { code, stdout } = await cli(['audit', server.url, '--allow', ALLOWED]);
      expect(code).toBe(2);
      expect(stdout).not.toMatch(/every check passed/);
      const report = JSON.parse((await cli(['audit', server.url, '--allow', ALLOWED, '--json'])).stdout) as { requests: number; errors: unknown[] };
      expect(report.errors.length).toBe(4); // the preflights of the allowed and a refused origin, the invalid header, the plain OPTIONS
      expect(lastLine(stdout)).toMatch(
        new RegExp(`^No findings in the ${report.requests - 4} answered requests; no answer to 4 of ${report.requests} requests \\(${HUNG_UP}\\): what those would have shown could not be checked\\.$`),
      );
    } finally {
      await server.close();
    }
  });

  it('findings in the answered requests are counted, and the unanswered ones named', async () => {
    const server = await listen((req, res) => {
      if (req.method === 'OPTIONS') return hangUp(req);
      if (req.headers.origin !== undefined) res.setHeader('Access-Control-Allow-Origin', req.headers.origin); // reflects every origin
      res.setHeader('Vary', 'Origin');
      res.end('ok');
    });
    try {
      const { code, stdout } = await cli(['audit', server.url, '--allow', ALLOWED]);
      expect(code).toBe(2);
      expect(lastLine(stdout)).toMatch(
        new RegExp(`^1 finding: 1 high \\(failing at low and above\\) in the \\d+ answered requests; no answer to 4 of \\d+ requests \\(${HUNG_UP}\\): what those would have shown could not be checked\\.$`),
      );
    } finally {
      await server.close();
    }
  });
});
