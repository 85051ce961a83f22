// The harness CONTRIBUTING.md's conformance step imports (step 3 writes it).
import type { ConformanceHarness } from '@preflight/cors-conformance';

export declare const harness: ConformanceHarness;
