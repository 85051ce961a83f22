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
export type { ConformanceHarness, RunningServer, StartContext } from './harness.js';
export { listen, send, preflightHeaders, values, count, header, vary } from './http.js';
export type { DualListener, Reply } from './http.js';
export { PROTOCOLS, protocolFailures, sendRaw } from './protocol.js';
export type { Protocol } from './protocol.js';
export { h2Inexpressible, h2Request } from './client-h2.js';
export type { H2RequestOptions } from './client-h2.js';
export { selfSignedCertificate } from './certificate.js';
export type { TestCertificate } from './certificate.js';
