// Flask + flask-cors from PyPI, in a git-ignored virtual environment (apps/audit-proof/.venv),
// created and filled on first use with the pinned versions of python/requirements.txt.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunningServer } from '@preflight/cors-conformance';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const venv = path.join(root, '.venv');
const python = path.join(venv, 'bin', 'python');

function run(cmd: string, args: string[]): void {
  execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 600_000 });
}

/** Create the venv and install the pinned requirements, unless already there. */
export function ensureFlask(): void {
  if (!existsSync(python)) {
    try {
      run('python3', ['-m', 'venv', venv]);
    } catch (err) {
      // Debian ships venv separately (python3-venv); install it when we may.
      if (process.getuid?.() !== 0) throw new Error('python3 -m venv failed: install python3-venv (apt-get install python3-venv)', { cause: err });
      run('apt-get', ['install', '-y', '-o', 'DPkg::Lock::Timeout=900', 'python3-venv']);
      run('python3', ['-m', 'venv', '--clear', venv]);
    }
  }
  try {
    run(python, ['-c', 'import flask, flask_cors']);
  } catch {
    run(python, ['-m', 'pip', 'install', '--disable-pip-version-check', '-q', '-r', path.join(root, 'python', 'requirements.txt')]);
  }
}

/** Start python/app.py in the given mode; resolves once it listens. */
export function startFlask(mode: 'correct' | 'wildcard-credentials'): Promise<RunningServer> {
  const child = spawn(python, [path.join(root, 'python', 'app.py'), mode], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    let errText = '';
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`flask did not start in 30 s: ${errText}`));
    }, 30_000);
    child.stderr.on('data', (chunk: Buffer) => (errText += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`flask exited with ${code}: ${errText}`)));
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /PORT (\d+)/.exec(out);
      if (m === null) return;
      clearTimeout(timer);
      resolve({
        url: `http://127.0.0.1:${m[1]}`,
        close: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill();
          }),
      });
    });
  });
}
