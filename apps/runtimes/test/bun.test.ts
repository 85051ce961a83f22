import { runConformance } from '@preflight/cors-conformance';
import { describe } from 'vitest';
import { brokenAdapterFails } from './broken.js';
import { runtimeHarness } from './runtimes.js';

runConformance(runtimeHarness('bun', 'with-cors'));
runConformance(runtimeHarness('bun', 'hono'));
describe('a deliberately broken fetch adapter', () => brokenAdapterFails('bun'));
