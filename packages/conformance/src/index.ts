/**
 * @preflight/cors-conformance — one suite of CORS cases, as data, that every Preflight
 * adapter (and yours) runs over real HTTP against the real framework.
 *
 * @packageDocumentation
 */
export { runConformance } from './run.js';
export type { RunConformanceOptions } from './run.js';
export { cases } from './cases.js';
export type { CaseExpectation, CaseRequest, ConformanceCase } from './cases.js';
export { configs } from './configs.js';
export type { ConfigName } from './configs.js';
export { checkResponse } from './check.js';
export { rawRequest, headerValues, varyTokens } from './client.js';
export type { RawRequest, RawResponse } from './client.js';
export { STANDARD_ROUTES, HANDLER_HEADERS } from './harness.js';
export type { ConformanceHarness, RunningServer } from './harness.js';
export { processHarness, configNameOf, CONFIG_ENV } from './process-harness.js';
export type { ProcessHarnessOptions } from './process-harness.js';
export { listen, send, preflightHeaders, values, count, header, vary } from './http.js';
export type { Reply } from './http.js';
