import { runConformance } from '@preflight/cors-conformance';
import express4 from 'express4';
import { harness } from './harness.js';
import { connectHarness } from './harness-connect.js';
import { expressHarness, harness as express5 } from './harness-express.js';

runConformance(harness);
runConformance(connectHarness);
// Express runs on node:http only: it does not run on node:http2's compatibility objects.
runConformance(express5);
runConformance(expressHarness(express4, 'express 4'));
