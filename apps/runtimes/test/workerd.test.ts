import { runConformance } from '@preflight/cors-conformance';
import { describe } from 'vitest';
import { brokenAdapterFails } from './broken.js';
import { runtimeHarness } from './runtimes.js';

runConformance(runtimeHarness('workerd', 'with-cors'));
runConformance(runtimeHarness('workerd', 'hono'));
describe('a deliberately broken fetch adapter', () => brokenAdapterFails('workerd'));
