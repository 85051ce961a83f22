// The one build configuration of every published package (tsup, run in the package's folder):
// ESM and CommonJS with declarations for both, for Node 20. Packages re-export it from their
// tsup.config.ts; a package that needs more merges its own settings over it.

/** @type {import('tsup').Options} */
export default {
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  tsconfig: 'tsconfig.build.json',
};
