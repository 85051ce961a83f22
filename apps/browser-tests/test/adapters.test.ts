import { describe, expect, it } from 'vitest';
import { ADAPTERS } from '@preflight/demo';
import { adapterPackages, missingAdapters } from '../../../tooling/scripts/adapters.mjs';

// The browser tests run every entry of the demo's ADAPTERS: that list must name every adapter
// package of the workspace (packages/* with "preflight": { "adapter": true }).
describe('the adapters run in the browser', () => {
  it('include every adapter package of the workspace', () => {
    expect(adapterPackages().length).toBeGreaterThanOrEqual(7);
    expect(missingAdapters(ADAPTERS.map((a) => a.package))).toEqual([]);
  });

  it('name only adapter packages that exist', () => {
    const known = new Set(adapterPackages().map((p) => p.name));
    expect(ADAPTERS.map((a) => a.package).filter((name) => !known.has(name))).toEqual([]);
  });
});
