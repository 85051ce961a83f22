import { describe, expect, it } from 'vitest';
import { adapterPackages, missingAdapters } from '../../../tooling/scripts/adapters.mjs';
import { targets } from '../src/targets.js';

describe('targets', () => {
  it('cover every adapter package of the workspace (packages/* with "preflight": { "adapter": true })', () => {
    expect(adapterPackages().length).toBeGreaterThanOrEqual(7);
    expect(missingAdapters(targets.map((t) => t.package))).toEqual([]);
  });

  it('name only adapter packages that exist', () => {
    const known = new Set(adapterPackages().map((p) => p.name));
    expect(targets.map((t) => t.package).filter((name) => !known.has(name))).toEqual([]);
  });
});
