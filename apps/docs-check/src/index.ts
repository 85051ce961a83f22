/**
 * @preflight/docs-check — every code sample of the documentation, type-checked against the
 * real packages so that none rots. See README.md.
 */
export { extractSamples } from './extract.js';
export type { Extracted, Sample } from './extract.js';
export { createChecker, writeSamples } from './check.js';
export type { Layout, SampleChecker, WrittenSample } from './check.js';
export { documentationFiles } from './files.js';
export { checkLink, codeSpan, headingAnchors, headingSlug, relativeLinks } from './links.js';
export type { DocLink } from './links.js';
