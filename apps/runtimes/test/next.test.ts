import { runConformance } from '@preflight/cors-conformance';
import { beforeAll, describe } from 'vitest';
import { brokenAdapterFails } from './broken.js';
import { buildNext } from './build.js';
import { runtimeHarness } from './runtimes.js';

// Runs before every hook of the suites below: `next build`, rebuilt on every run (≈30 s on a busy 2-core machine).
beforeAll(buildNext, 300_000);

runConformance(runtimeHarness('next', 'with-cors'));
runConformance(runtimeHarness('next', 'hono'));
describe('a deliberately broken fetch adapter', () => brokenAdapterFails('next'));
