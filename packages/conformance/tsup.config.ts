// The shared build configuration (tooling/tsup/library.js: ESM + CommonJS + declarations), with
// one entry per export: the root, the three test-runner bindings and the command-line tool.
// `shims` gives the CommonJS build an `import.meta.url` (the root's lazy Vitest loading uses it).
import library from '../../tooling/tsup/library.js';

export default {
  ...library,
  entry: { index: 'src/index.ts', vitest: 'src/vitest.ts', 'node-test': 'src/node-test.ts', jest: 'src/jest.ts', bin: 'src/bin.ts' },
  shims: true,
  external: ['vitest', '@jest/globals', '@preflight/cors-conformance'],
};
