import { runConformance } from '@preflight/cors-conformance';
import { harness, harnessKoa2 } from './harness.js';

runConformance(harness);
runConformance(harnessKoa2);
