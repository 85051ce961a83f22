import { runConformance } from '@preflight/cors-conformance/vitest';
import { harness } from './harness.js';

runConformance(harness);
