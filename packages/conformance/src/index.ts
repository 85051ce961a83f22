/**
 * @preflight/cors-conformance — one suite of CORS cases, as data, that every Preflight
 * adapter (and yours) runs over real HTTP against the real framework; `runCases` returns
 * the results without a test runner, the `/vitest`, `/node-test` and `/jest` entries
 * register them with a runner, and `audit` probes a live URL.
 *
 * @packageDocumentation
 */
export { runConformance } from './run.js';
export type { RunConformanceOptions } from './run.js';
export { runCases, startConfig, attachConfig, groupCases, formatResult } from './engine.js';
export type { CaseResult, ConformanceReport, RunCasesOptions, CaseGroup, ConfigSession } from './engine.js';
export { sendOver } from './transport.js';
export type { Transport } from './transport.js';
export { cases } from './cases.js';
export type { CaseExpectation, CaseRequest, ConformanceCase } from './cases.js';
export { configs } from './configs.js';
export type { ConfigName } from './configs.js';
export { checkResponse, responseInvariants } from './check.js';
export type { InvariantId } from './check.js';
export { rawRequest, headerValues, varyTokens } from './client.js';
export type { RawRequest, RawResponse } from './client.js';
export { STANDARD_ROUTES, HANDLER_HEADERS } from './harness.js';
export type { ConformanceHarness, RunningServer, StartContext } from './harness.js';
export { processHarness, configNameOf, CONFIG_ENV } from './process-harness.js';
export type { ProcessHarnessOptions } from './process-harness.js';
export { listen, send, preflightHeaders, values, count, header, vary } from './http.js';
export type { DualListener, Reply } from './http.js';
export { PROTOCOLS, protocolFailures, sendRaw } from './protocol.js';
export type { Protocol } from './protocol.js';
export { h2Inexpressible, h2Request } from './client-h2.js';
export type { H2RequestOptions } from './client-h2.js';
export { selfSignedCertificate } from './certificate.js';
export type { TestCertificate } from './certificate.js';
export { audit, refusedOrigins, curlFor, AUDIT_CHECKS, SEVERITIES, AuditUsageError } from './audit.js';
export type { AuditOptions, AuditReport, AuditCheck, AuditCheckId, Finding, Severity } from './audit.js';
