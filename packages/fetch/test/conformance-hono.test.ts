// A file of its own: @hono/node-server installs its own Response global for Hono, while the
// plain handler runs on Node's native Fetch objects (test/conformance.test.ts).
import { runConformance } from '@preflight/cors-conformance';
import { honoHarness } from './harness.js';

runConformance(honoHarness);
