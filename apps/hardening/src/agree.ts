/**
 * Compare what a server sent with what the core decided for the same request.
 */
import { isToken, parseOrigin, type CorsDecision } from '@preflight/cors-core';
import { values, varyTokens, type RawReply } from './raw.js';

/** What one response says about CORS, normalized so that adapters can be compared. */
export interface Observation {
  /** `access-control-*` lines as `name: value`, names lower-cased, sorted. */
  readonly cors: readonly string[];
  /** Vary tokens, lower-cased, sorted (duplicates kept, so they show). */
  readonly vary: readonly string[];
  /** The status, for answered preflights only (elsewhere the application decides it). */
  readonly status: number | undefined;
  /**
   * Whether the application's handler ran (`X-App-Handler` present); undefined where the
   * standard routes leave it to the framework (unknown routes, HEAD on the nested route…).
   */
  readonly appRan: boolean | undefined;
}

/** Normalize a response (the status only when `ended`, whether the app ran only for `routed` requests). */
export function observe(reply: RawReply, ended: boolean, routed: boolean): Observation {
  return {
    cors: reply.headerLines
      .filter(([n]) => n.startsWith('access-control-'))
      .map(([n, v]) => `${n}: ${v}`)
      .sort(),
    vary: varyTokens(reply).sort(),
    status: ended ? reply.status : undefined,
    appRan: ended || routed ? values(reply, 'x-app-handler').length > 0 : undefined,
  };
}

/** How the route a request went to uses Vary: the standard `/echo`, `/options`… routes set none. */
export interface RouteFacts {
  /** True when the application itself would run for this method and path (not a framework 404). */
  readonly handled: boolean;
}

/**
 * Everything in which `reply` disagrees with `decision`. Empty when they agree:
 * - every decision header is sent exactly once with exactly the decided value, and no other
 *   `access-control-*` header is sent;
 * - the Vary tokens are exactly the decision's tokens (the standard routes add none), each once;
 * - an answered preflight has the decided status, an empty body, and the application did not run;
 * - anything else never ends in a 5xx, and the application ran when it has a route for it.
 */
export function disagreements(reply: RawReply, decision: CorsDecision, route: RouteFacts): string[] {
  const out: string[] = [];
  const decided = new Map<string, string>();
  for (const [name, value] of decision.headers) decided.set(name.toLowerCase(), value);
  for (const [name, value] of decided) {
    if (!name.startsWith('access-control-') && !decision.end) continue;
    const got = values(reply, name);
    if (name === 'content-length') {
      // An answered preflight's explicit Content-Length: 0 (framing may also be chunked-free empty).
      if (got.length > 1 || (got.length === 1 && got[0] !== value)) out.push(`${name}: ${JSON.stringify(got)}, core decided ${JSON.stringify(value)}`);
      continue;
    }
    if (got.length !== 1 || got[0] !== value) out.push(`${name}: ${got.length === 0 ? 'absent' : JSON.stringify(got)}, core decided ${JSON.stringify(value)}`);
  }
  for (const [name, value] of reply.headerLines) {
    if (name.startsWith('access-control-') && !decided.has(name)) out.push(`${name}: ${JSON.stringify(value)} sent, core decided no such header`);
  }
  const vary = varyTokens(reply);
  const wanted = decision.vary
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter((t) => t !== '');
  const dupes = vary.filter((t, i) => vary.indexOf(t) !== i);
  if (dupes.length > 0) out.push(`duplicate Vary tokens ${JSON.stringify(dupes)}`);
  const missing = wanted.filter((t) => !vary.includes(t));
  const extra = vary.filter((t) => !wanted.includes(t));
  if (missing.length > 0 || extra.length > 0) out.push(`Vary ${JSON.stringify(values(reply, 'vary'))}, core decided ${JSON.stringify(decision.vary)}`);
  const ran = values(reply, 'x-app-handler').length > 0;
  if (decision.end) {
    if (reply.status !== decision.status) out.push(`status ${reply.status}, core decided an answered preflight with ${decision.status}`);
    if (ran) out.push('the application ran for a preflight the core answered');
    if (reply.body.length > 0) out.push(`answered preflight has a body of ${reply.body.length} bytes`);
  } else {
    if (reply.status >= 500) out.push(`status ${reply.status}`);
    if (route.handled && !ran) out.push(`the application did not run (status ${reply.status})`);
  }
  return out;
}

/**
 * What any CORS response must hold whatever the core decided (so that a wrong decision of
 * the core shows too): one Access-Control-Allow-Origin, `*` or exactly the request's own
 * serialized origin; credentials only as `true` and never with `*`; allowed methods and
 * headers only as tokens; every header byte printable ASCII.
 */
export function invariantProblems(reply: RawReply, requestOrigin: string | undefined): string[] {
  const out: string[] = [];
  const acao = values(reply, 'access-control-allow-origin');
  if (acao.length > 1) out.push(`${acao.length} Access-Control-Allow-Origin lines`);
  for (const v of acao) {
    if (v !== '*' && (v !== requestOrigin || parseOrigin(v) === undefined)) out.push(`Access-Control-Allow-Origin ${JSON.stringify(v)} is neither * nor the request's valid origin`);
  }
  const acac = values(reply, 'access-control-allow-credentials');
  if (acac.some((v) => v !== 'true')) out.push(`Access-Control-Allow-Credentials ${JSON.stringify(acac)}`);
  if (acac.length > 0 && acao.includes('*')) out.push('Access-Control-Allow-Origin * with credentials');
  for (const name of ['access-control-allow-methods', 'access-control-allow-headers', 'access-control-expose-headers']) {
    for (const v of values(reply, name)) {
      const bad = v.split(',').map((t) => t.trim()).filter((t) => t !== '*' && !isToken(t));
      if (bad.length > 0) out.push(`${name} holds non-tokens ${JSON.stringify(bad)}`);
    }
  }
  for (const byte of reply.head) {
    if (byte !== 0x0d && byte !== 0x0a && (byte < 0x20 || byte > 0x7e)) {
      out.push(`response head holds byte 0x${byte.toString(16)}`);
      break;
    }
  }
  return out;
}
