import { runConformance } from '@preflight/cors-conformance';
import { harness } from './harness.js';

runConformance(harness);
