import { runConformance } from '@preflight/cors-conformance';
import express4 from 'express4';
import { harness } from './harness.js';
import { expressHarness, harness as express5 } from './harness-express.js';

runConformance(harness);
runConformance(express5);
runConformance(expressHarness(express4, 'express 4'));
