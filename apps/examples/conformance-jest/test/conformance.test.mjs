import { runConformance } from '@preflight/cors-conformance/jest';
import { harness } from './harness.mjs';

runConformance(harness);
