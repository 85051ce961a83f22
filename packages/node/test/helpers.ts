// The HTTP helpers every adapter's tests share live in @preflight/cors-conformance.
export { listen, send, preflightHeaders, count } from '@preflight/cors-conformance';
export type { Reply, RunningServer as Listening } from '@preflight/cors-conformance';
