import { runConformance } from '@preflight/cors-conformance';
import { describe } from 'vitest';
import { brokenAdapterFails } from './broken.js';
import { runtimeHarness } from './runtimes.js';

runConformance(runtimeHarness('deno', 'with-cors'));
runConformance(runtimeHarness('deno', 'hono'));
describe('a deliberately broken fetch adapter', () => brokenAdapterFails('deno'));
