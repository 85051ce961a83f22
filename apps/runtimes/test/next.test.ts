import { runConformance } from '@preflight/cors-conformance';
import { describe } from 'vitest';
import { brokenAdapterFails } from './broken.js';
import { runtimeHarness } from './runtimes.js';

runConformance(runtimeHarness('next', 'with-cors'));
runConformance(runtimeHarness('next', 'hono'));
describe('a deliberately broken fetch adapter', () => brokenAdapterFails('next'));
