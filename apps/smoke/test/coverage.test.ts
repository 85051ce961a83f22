// The smoke projects cover every package: the packed set is discovered (scratch.ts), and the
// fixtures, which run each adapter on its framework, are checked here to use every adapter
// package of the workspace, so a new adapter folder cannot be left out of the release guard.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { adapterPackages, publishedPackages } from '../../../tooling/scripts/adapters.mjs';
import { FIXTURES, WORKSPACE } from './scratch.js';

const adapters = adapterPackages().map((p) => p.name);

describe('the smoke projects cover every adapter package', () => {
  it.each([
    ['esm/main.js', (name: string) => `from '${name}'`],
    ['cjs/main.js', (name: string) => `require('${name}')`],
    ['ts/src/index.ts', (name: string) => `from '${name}'`],
  ])('fixtures/%s uses every adapter package', (file, use) => {
    const source = readFileSync(join(FIXTURES, file), 'utf8');
    expect(adapters.filter((name) => !source.includes(use(name)))).toEqual([]);
  });

  it("every published package is a devDependency (turbo builds it before the smoke tests pack it)", () => {
    const manifest = JSON.parse(readFileSync(join(WORKSPACE, 'apps/smoke/package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    expect(publishedPackages().map((p) => p.name).filter((name) => manifest.devDependencies[name] !== 'workspace:*')).toEqual([]);
  });
});
