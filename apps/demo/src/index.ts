/**
 * @preflight/demo: the playground, and the API server factories it shares with the browser
 * tests (one per adapter, the same routes, every request recorded).
 *
 * @packageDocumentation
 */
export * from './apis/index.js';
export { SESSION_COOKIE, RequestLog, hasSessionCookie, recordRequests, withRefusalLogging, type RequestRecord } from './log.js';
export { demoPolicy } from './policy.js';
export { TEST_FONT_ADVANCE_EM, TEST_FONT_FAMILY, TEST_IMAGE_COLOUR, TEST_IMAGE_SIZE, testFont, testPng } from './assets.js';
export { KIND_COMPARISON, SCENARIOS, type ImageCrossOrigin, type KindComparison, type PlaygroundRequest, type RequestFrom, type RequestKind, type Scenario } from './scenarios.js';
export { startPageServer, startPlayground, type Playground, type PlaygroundConfig, type PlaygroundOptions } from './playground.js';
export { CHROMIUM_ARGS, chromiumPath, launchChromium } from './chromium.js';
export { formatKinds, formatMatrix, openPlayground, runAllScenarios, runCheck, runKindComparison, saveScreenshot, type KindRow, type MatrixRow } from './check.js';
export * from './engines/index.js';
