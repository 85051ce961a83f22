#!/usr/bin/env node
// The browser tests need three real engines. They never download a browser: they use
// Debian's packages (or the binaries named by the environment variables below):
//   Chromium  chromium            /usr/bin/chromium         CHROMIUM_PATH
//   Firefox   firefox-esr         /usr/bin/firefox-esr      FIREFOX_PATH
//   WebKit    webkit2gtk-driver   /usr/bin/WebKitWebDriver  WEBKIT_DRIVER_PATH  (+ MiniBrowser)
//             xvfb                /usr/bin/Xvfb             (MiniBrowser needs an X display)
// When some are missing and we are root on a Debian-like system, install them with
// apt-get; otherwise explain what to install and fail, rather than silently skipping
// browser tests. PREFLIGHT_ENGINES (e.g. `chromium`) limits the check to some engines.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const ALL = {
  chromium: [{ path: process.env.CHROMIUM_PATH || '/usr/bin/chromium', pkg: 'chromium', custom: Boolean(process.env.CHROMIUM_PATH) }],
  firefox: [{ path: process.env.FIREFOX_PATH || '/usr/bin/firefox-esr', pkg: 'firefox-esr', custom: Boolean(process.env.FIREFOX_PATH) }],
  webkit: [
    { path: process.env.WEBKIT_DRIVER_PATH || '/usr/bin/WebKitWebDriver', pkg: 'webkit2gtk-driver', custom: Boolean(process.env.WEBKIT_DRIVER_PATH) },
    { path: '/usr/bin/Xvfb', pkg: 'xvfb', custom: false },
  ],
};
const wanted = (process.env.PREFLIGHT_ENGINES || 'chromium,firefox,webkit').split(',').map((s) => s.trim()).filter(Boolean);
for (const name of wanted) {
  if (!(name in ALL)) {
    console.error(`[preflight] PREFLIGHT_ENGINES: unknown engine "${name}" (expected some of ${Object.keys(ALL).join(', ')})`);
    process.exit(1);
  }
}
const needed = wanted.flatMap((name) => ALL[name]);
const missing = () => needed.filter((n) => !existsSync(n.path));
if (missing().length === 0) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = existsSync('/usr/bin/apt-get');
const installable = missing().filter((n) => !n.custom);
if (isRoot && hasApt && installable.length > 0) {
  const packages = [...new Set(installable.map((n) => n.pkg))];
  console.log(`[preflight] Installing Debian's ${packages.join(', ')} for the browser tests…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', '-o', 'DPkg::Lock::Timeout=900', ...packages], { stdio: 'inherit', env });
  if (missing().length === 0) process.exit(0);
}
console.error(
  `[preflight] The browser tests need: ${missing().map((n) => `${n.path} (${n.custom ? 'named by the environment' : `Debian package ${n.pkg}`})`).join(', ')}.\n` +
    `  Debian/Ubuntu: sudo apt-get install ${[...new Set(missing().map((n) => n.pkg))].join(' ')}\n` +
    '  Or limit the engines: PREFLIGHT_ENGINES=chromium (the browser tests then run in Chromium only).\n',
);
process.exit(1);
