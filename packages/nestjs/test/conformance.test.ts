import { runConformance } from '@preflight/cors-conformance';
import { harnesses } from './harness.js';

for (const harness of harnesses) runConformance(harness);
