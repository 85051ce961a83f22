#!/usr/bin/env node
// The browser tests need a real Chromium. They never download one: they use Debian's
// `chromium` package (/usr/bin/chromium) or the binary named by CHROMIUM_PATH.
// When it is missing and we are root on a Debian-like system, install it with apt-get;
// otherwise explain what to install and fail, rather than silently skipping browser tests.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const wanted = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (existsSync(wanted)) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = existsSync('/usr/bin/apt-get');
if (isRoot && hasApt && !process.env.CHROMIUM_PATH) {
  console.log('[preflight] Chromium not found: installing Debian\'s chromium package for the browser tests…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], { stdio: 'inherit', env });
  if (existsSync(wanted)) process.exit(0);
}
console.error(
  `[preflight] The browser tests need Chromium at ${wanted}.\n` +
    '  Debian/Ubuntu: sudo apt-get install chromium   (or set CHROMIUM_PATH to a Chromium/Chrome binary)\n',
);
process.exit(1);
