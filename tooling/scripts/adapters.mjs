// The workspace's packages, discovered from packages/*/package.json rather than listed: the
// apps that run every adapter (smoke, hardening, bench, demo, browser tests) read them here,
// and each checks in a test that it covers every adapter package, so a new adapter folder
// cannot be left out silently.
//
// An adapter package says so in its package.json: "preflight": { "adapter": true }.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const WORKSPACE = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

function readPackages() {
  const root = join(WORKSPACE, 'packages');
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(root, entry.name, 'package.json')))
    .map((entry) => {
      const manifest = JSON.parse(readFileSync(join(root, entry.name, 'package.json'), 'utf8'));
      return { name: manifest.name, dir: `packages/${entry.name}`, manifest };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Every published (non-private) package under packages/, by name, with its folder. */
export function publishedPackages() {
  return readPackages()
    .filter((p) => p.manifest.private !== true)
    .map(({ name, dir }) => ({ name, dir }));
}

/** Every adapter package (`"preflight": { "adapter": true }` in its package.json). */
export function adapterPackages() {
  return readPackages()
    .filter((p) => p.manifest.private !== true && p.manifest.preflight?.adapter === true)
    .map(({ name, dir }) => ({ name, dir }));
}

/** The adapter packages missing from `covered` (package names), sorted. */
export function missingAdapters(covered) {
  const seen = new Set(covered);
  return adapterPackages()
    .map((p) => p.name)
    .filter((name) => !seen.has(name));
}
