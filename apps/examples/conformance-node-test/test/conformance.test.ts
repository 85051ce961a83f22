import { runConformance } from '@preflight/cors-conformance/node-test';
import { harness } from './harness.js';

runConformance(harness);
