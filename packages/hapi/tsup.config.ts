// The shared build configuration: ESM + CommonJS + declarations (tooling/tsup/library.js).
export { default } from '../../tooling/tsup/library.js';
