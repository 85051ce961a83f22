// Starts Debian's redis-server for tests, benchmarks and examples: a free port on 127.0.0.1,
// nothing persisted, stopped by the caller. Never downloads anything: when redis-server is
// missing and we are root on a Debian-like system it is installed with apt-get (as
// scripts/ensure-chromium.mjs does for Chromium); otherwise it explains what to install.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { delimiter, join } from 'node:path';

function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const file = join(dir, name);
    if (dir !== '' && existsSync(file)) return file;
  }
  return undefined;
}

let found;

export function ensureRedisServer() {
  if (found !== undefined) return found;
  if (process.env.REDIS_SERVER) return (found = process.env.REDIS_SERVER);
  const present = onPath('redis-server') ?? (existsSync('/usr/bin/redis-server') ? '/usr/bin/redis-server' : undefined);
  if (present !== undefined) return (found = present);
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && existsSync('/usr/bin/apt-get')) {
    console.log("[preflight] redis-server not found: installing Debian's redis-server package for the Redis tests…");
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const lock = ['-o', 'DPkg::Lock::Timeout=900'];
    execFileSync('apt-get', [...lock, 'update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', [...lock, 'install', '-y', '-qq', '--no-install-recommends', 'redis-server'], { stdio: 'inherit', env });
    if (existsSync('/usr/bin/redis-server')) return (found = '/usr/bin/redis-server');
  }
  throw new Error(
    '[preflight] The Redis tests need redis-server (Redis 6.2 or later).\n' +
      '  Debian/Ubuntu: sudo apt-get install redis-server   (or set REDIS_SERVER to a redis-server binary)',
  );
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function answersPing(port) {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let data = '';
    socket.setTimeout(500, () => socket.destroy());
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      data += chunk;
      if (data.includes('\r\n')) {
        socket.destroy();
        resolve(data.startsWith('+PONG'));
      }
    });
    socket.on('error', () => resolve(false));
    socket.on('close', () => resolve(data.startsWith('+PONG')));
  });
}

function spawnServer(binary, port) {
  const child = spawn(binary, [
    '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
    '--daemonize', 'no', '--loglevel', 'warning', '--dir', process.env.TMPDIR ?? '/tmp',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return { child, exited, stderr: () => stderr };
}

async function startOn(binary, port) {
  const proc = spawnServer(binary, port);
  let dead = false;
  void proc.exited.then(() => (dead = true));
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (dead) return { proc, ok: false };
    if (await answersPing(port)) return { proc, ok: true };
    await new Promise((r) => setTimeout(r, 25));
  }
  proc.child.kill('SIGKILL');
  return { proc, ok: false };
}

export async function startRedisServer() {
  const binary = ensureRedisServer();
  let port;
  let proc;
  // A free port can be taken between the probe and redis-server's bind: try a few.
  for (let attempt = 0; attempt < 5 && proc === undefined; attempt++) {
    port = await freePort();
    const started = await startOn(binary, port);
    if (started.ok) proc = started.proc;
    else if (attempt === 4) throw new Error(`redis-server did not start: ${started.proc.stderr()}`);
  }
  const stop = async () => {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
    proc.child.kill('SIGCONT'); // a paused server cannot handle SIGTERM
    const timer = setTimeout(() => proc.child.kill('SIGKILL'), 5_000);
    proc.child.kill('SIGTERM');
    await proc.exited;
    clearTimeout(timer);
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    get running() {
      return proc.child.exitCode === null && proc.child.signalCode === null;
    },
    stop,
    pause: () => proc.child.kill('SIGSTOP'),
    resume: () => proc.child.kill('SIGCONT'),
    async restart() {
      await stop();
      const started = await startOn(binary, port);
      if (!started.ok) throw new Error(`redis-server did not restart on port ${port}: ${started.proc.stderr()}`);
      proc = started.proc;
    },
  };
}
