import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { configNameOf, configs, processHarness, rawRequest, type RunningServer } from '../src/index.js';

// A tiny server in another process: node:http, 127.0.0.1, a free port; it answers with the
// configuration name it was given, and starts a grandchild to check that close() ends it too.
const SERVER = `
const http = require('node:http');
const { spawn } = require('node:child_process');
const grandchild = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
const server = http.createServer((req, res) => res.end(process.env.CONFORMANCE_CONFIG + ' ' + grandchild.pid));
server.listen(0, '127.0.0.1', () => console.log('ready at http://127.0.0.1:' + server.address().port + '/'));
`;

/** Whether a process runs (a zombie — ended, not yet reaped by whoever adopted it — does not). */
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  if (process.platform !== 'linux') return true;
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

describe('processHarness', () => {
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('starts the command with the configuration name, reads its URL and closes its whole process group', async () => {
    const harness = processHarness({ name: 'node child', command: process.execPath, args: ['-e', SERVER] });
    server = await harness.start(configs.credentialed);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await rawRequest(server.url, { method: 'GET', path: '/' });
    const [config, grandchild] = res.body.split(' ');
    expect(config).toBe('credentialed');
    expect(alive(Number(grandchild))).toBe(true);
    await server.close();
    server = undefined;
    await expect.poll(() => alive(Number(grandchild))).toBe(false);
  });

  it('passes the name on the command line too, when args is a function', async () => {
    const harness = processHarness({ name: 'node child', command: process.execPath, args: (name) => ['-e', `${SERVER}; if (process.argv[1] !== 'wildcard') process.exit(3)`, name] });
    server = await harness.start(configs.wildcard);
    expect((await rawRequest(server.url, { method: 'GET', path: '/' })).body).toMatch(/^wildcard /);
  });

  it('rejects with the exit status and output of a server that dies before printing its URL', async () => {
    const harness = processHarness({ name: 'dies', command: process.execPath, args: ['-e', 'console.error("cannot bind"); process.exit(7)'] });
    await expect(harness.start(configs.exact)).rejects.toThrow(/dies: exited before printing its URL \(status 7\)[\s\S]*CONFORMANCE_CONFIG=exact[\s\S]*cannot bind/);
  });

  // The start timeout counts from the spawn: on a loaded CI machine, Node's own start-up can take most
  // of a second, so the timeouts below leave seconds for the child to print what the test expects.
  it('rejects, and ends the process, when no URL comes within the start timeout', async () => {
    const harness = processHarness({ name: 'silent', command: process.execPath, args: ['-e', 'console.log("starting…"); setInterval(() => {}, 1000)'], startTimeoutMs: 3000 });
    await expect(harness.start(configs.exact)).rejects.toThrow(/silent: printed no URL within 3000 ms[\s\S]*starting…/);
  });

  it('waits until the server answers GET /echo: a URL printed before the port listens is not a failed first case', async () => {
    // prints its URL, listens 1.5 s later, and counts the requests it got
    const late = `
const http = require('node:http');
const net = require('node:net');
const probe = net.createServer().listen(0, '127.0.0.1', () => {
  const port = probe.address().port;
  probe.close(() => {
    console.log('http://127.0.0.1:' + port);
    let seen = [];
    setTimeout(() => http.createServer((req, res) => { seen.push(req.url); res.end(seen.join(',')); }).listen(port, '127.0.0.1'), 1500);
  });
});`;
    const harness = processHarness({ name: 'late', command: process.execPath, args: ['-e', late] });
    server = await harness.start(configs.exact);
    const res = await rawRequest(server.url, { method: 'GET', path: '/second' }, 5000);
    expect(res.body).toBe('/echo,/second');
  });

  it('rejects, and ends the process, when the server prints its URL but never answers', async () => {
    const mute = `const s = require('node:net').createServer(() => {}).listen(0, '127.0.0.1', () => console.log('http://127.0.0.1:' + s.address().port));`;
    const harness = processHarness({ name: 'mute', command: process.execPath, args: ['-e', mute], startTimeoutMs: 3000 });
    await expect(harness.start(configs.exact)).rejects.toThrow(/mute: printed its URL but did not answer GET \/echo within 3000 ms/);
  });

  it('rejects a server that exits after printing its URL, and stops asking it', async () => {
    // The URL is a port of this process that closes every connection: the probe would retry it until the deadline.
    let connections = 0;
    const refusing = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(refusing.address() as AddressInfo).port}`;
      const harness = processHarness({ name: 'gone', command: process.execPath, args: ['-e', `console.log('${url}'); setTimeout(() => process.exit(3), 1000)`] });
      await expect(harness.start(configs.exact)).rejects.toThrow(/gone: exited before answering \(status 3\)/);
      expect(connections).toBeGreaterThan(0);
      const after = connections;
      await new Promise((resolve) => setTimeout(resolve, 600));
      // At most the attempt already under way when it exited; asking on would be one every 100 ms.
      expect(connections).toBeLessThanOrEqual(after + 1);
    } finally {
      refusing.close();
    }
  });

  it('rejects a command that cannot be started', async () => {
    const harness = processHarness({ name: 'missing', command: '/nonexistent/preflight-server' });
    await expect(harness.start(configs.exact)).rejects.toThrow(/missing: could not start: spawn \/nonexistent\/preflight-server ENOENT/);
  });

  it('accepts only the suite’s own configurations, found by identity', () => {
    expect(configNameOf(configs.patterns)).toBe('patterns');
    expect(() => configNameOf({ ...configs.patterns })).toThrow(/only the suite’s own configurations/);
  });
});
