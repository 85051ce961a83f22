import { responseInvariants, type InvariantId } from './check.js';
import { headerValues, rawRequest, varyTokens, type RawRequest, type RawResponse } from './client.js';

/** How bad a finding is. `critical`: another site can read users' data; `low`: hygiene. */
export type Severity = 'critical' | 'high' | 'medium' | 'low';

/** The severities, worst first. */
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low'];

/** What the audit checks, by id. */
export type AuditCheckId =
  | 'reflects-refused-origin'
  | 'wildcard-for-listed-origins'
  | InvariantId
  | 'credentials-on-refused'
  | 'missing-vary-origin'
  | 'allowed-origin-not-granted'
  | 'credentials-not-granted'
  | 'credentials-not-declared'
  | 'preflight-not-ok'
  | 'preflight-method-not-allowed'
  | 'preflight-header-not-allowed'
  | 'preflight-reflects-invalid-header'
  | 'preflight-server-error'
  | 'max-age-invalid'
  | 'options-answered-as-preflight';

/** One check: what it finds, why that matters, and the fix. */
export interface AuditCheck {
  readonly id: AuditCheckId;
  readonly severity: Severity;
  readonly title: string;
  readonly why: string;
  readonly fix: string;
}

const check = (id: AuditCheckId, severity: Severity, title: string, why: string, fix: string): AuditCheck => ({ id, severity, title, why, fix });

/** Every check of `audit`, worst first. The package README lists them with the same words. */
export const AUDIT_CHECKS: readonly AuditCheck[] = [
  check('reflects-refused-origin', 'high', 'an origin that must be refused gets itself back in Access-Control-Allow-Origin',
    'any page on that origin can read the response (critical when credentials are granted too: it reads it as the logged-in user). Suffix, prefix and unescaped-dot look-alikes are what an attacker registers.',
    'match origins exactly (a list, or a pattern anchored on a label boundary); never reflect the Origin header, never use an unanchored RegExp or an unescaped dot.'),
  check('acao-repeated', 'high', 'two Access-Control-Allow-Origin lines',
    'browsers reject the response: two CORS layers (framework, proxy, CDN) each add one.', 'keep one CORS layer; turn off the others.'),
  check('acao-list', 'high', 'Access-Control-Allow-Origin holds a list of origins',
    'browsers accept one origin or *, never a list: every cross-origin request fails.', 'send the one matching origin.'),
  check('wildcard-with-credentials', 'high', 'Access-Control-Allow-Origin: * together with Access-Control-Allow-Credentials: true',
    'browsers refuse it for credentialed requests, and the configuration is one step from reflecting every origin with credentials.', 'list the origins that may send credentials, or drop credentials.'),
  check('wildcard-for-listed-origins', 'medium', 'an origin outside the allowed list is answered *',
    'every site can read these responses, not just the origins you allow.', 'answer only the allowed origins, with their exact origin.'),
  check('missing-vary-origin', 'medium', 'a response whose CORS headers depend on the Origin lacks Vary: Origin',
    'a shared cache or CDN stores one origin\'s answer (or the answer to a request without Origin) and serves it to another: allowed sites break, or a refused one is granted.',
    'add Vary: Origin to every response of the CORS layer — refused, allowed and without Origin — merged into the route\'s own Vary.'),
  check('allowed-origin-not-granted', 'medium', 'an allowed origin does not get exactly its origin back',
    'the browser blocks the page you meant to allow.', 'allow the origin exactly as a browser sends it (scheme, host, port; no path or trailing slash).'),
  check('credentials-not-granted', 'medium', 'credentials were declared but Access-Control-Allow-Credentials: true is missing',
    'the browser hides credentialed responses from the allowed page.', 'enable credentials for the allowed origins.'),
  check('preflight-not-ok', 'medium', 'the preflight of an allowed origin is not answered with a 2xx status',
    'the browser never sends the actual request (a 404/405 means no CORS layer answers OPTIONS for this path).', 'answer preflights in the CORS layer, before routing and authentication.'),
  check('preflight-method-not-allowed', 'medium', 'the preflight does not allow the method asked for',
    'the browser blocks the request with that method.', 'list the method (case-sensitive) in the allowed methods.'),
  check('preflight-header-not-allowed', 'medium', 'the preflight does not allow a requested header',
    'the browser blocks requests that send it.', 'list the header in the allowed headers.'),
  check('preflight-server-error', 'medium', 'a preflight with a malformed header list gets a 5xx',
    'any client can make the CORS layer fail: unvalidated input reaches a header setter.', 'validate Access-Control-Request-Headers before reflecting it.'),
  check('credentials-on-refused', 'low', 'Access-Control-Allow-Credentials on a response that grants no origin',
    'harmless alone, but it shows credentials are granted without looking at the origin: one wrong origin rule away from a credentialed leak.', 'send Access-Control-Allow-Credentials only with an allowed origin.'),
  check('preflight-reflects-invalid-header', 'low', 'the preflight reflects a header name that is not a valid token',
    'the requested headers are echoed unvalidated: every header is allowed, and an invalid element makes browsers fail the whole preflight.', 'list the allowed headers, or reflect only validated names.'),
  check('options-answered-as-preflight', 'low', 'an OPTIONS request without Access-Control-Request-Method is answered as a preflight',
    'a preflight is OPTIONS + Origin + Access-Control-Request-Method; taking every OPTIONS hides your application\'s own OPTIONS routes.', 'treat only real preflights as preflights; pass other OPTIONS requests to the application.'),
  check('max-age-invalid', 'low', 'Access-Control-Max-Age is not a whole number of seconds within browser limits',
    'an invalid value means 5 s; browsers cap it (Chromium 7200 s, Firefox 86400 s) and a negative one disables the cache.', 'send a whole number of seconds from 0 to 7200 (86400 at most).'),
  check('acac-not-true', 'low', 'Access-Control-Allow-Credentials is not exactly "true"',
    'browsers only accept the value "true".', 'send exactly "true", or no header.'),
  check('vary-duplicate', 'low', 'duplicate Vary tokens', 'a sign that two layers write Vary; some caches mishandle it.', 'merge Vary tokens case-insensitively.'),
  check('credentials-not-declared', 'low', 'credentials are granted though --credentials was not given',
    'the allowed origins can read responses with the user\'s cookies: make sure that is meant.', 'pass --credentials if it is meant; otherwise turn credentials off.'),
];

const CHECKS = new Map(AUDIT_CHECKS.map((c) => [c.id, c]));

/** What `audit` is told. */
export interface AuditOptions {
  /** The server's URL (`http:` or `https:`); its path is the default path probed. */
  readonly url: string;
  /** The origins the server is meant to allow: exact origins, `https://*.example.com` patterns, or `*`. */
  readonly allow: readonly string[];
  /** The allowed origins may send credentials (cookies). */
  readonly credentials?: boolean;
  /** Paths to probe, resolved against `url` (default: the path of `url`). */
  readonly paths?: readonly string[];
  /** The method preflights ask for (default `PUT`). */
  readonly method?: string;
  /** The headers preflights ask for (default `content-type`). */
  readonly requestHeaders?: readonly string[];
  /** Per-request timeout in milliseconds (default 10000). */
  readonly timeoutMs?: number;
  /** Requests in flight at once (default 4, at most 8). */
  readonly concurrency?: number;
  /** Refuse to start when the plan needs more requests (default 500). */
  readonly maxRequests?: number;
  /** How requests are sent (default `rawRequest`: HTTP/1.1 byte for byte, TLS for https). */
  readonly send?: (baseUrl: string, request: RawRequest, timeoutMs: number) => Promise<RawResponse>;
}

/** One problem found, with the evidence. */
export interface Finding {
  readonly check: AuditCheckId;
  readonly severity: Severity;
  readonly path: string;
  readonly title: string;
  readonly why: string;
  readonly fix: string;
  /** What was seen, e.g. the header values. */
  readonly detail: string;
  /** The origins that showed it (several probes of one path are one finding). */
  readonly origins: readonly string[];
  /** The first request that showed it. */
  readonly request: RawRequest;
  readonly status: number;
  /** The CORS-relevant response header lines of that request. */
  readonly responseHeaders: ReadonlyArray<readonly [string, string]>;
  /** A curl command line that sends the same request. */
  readonly curl: string;
}

/** The outcome of an audit. */
export interface AuditReport {
  readonly url: string;
  readonly allow: readonly string[];
  readonly credentials: boolean;
  readonly paths: readonly string[];
  readonly requests: number;
  /** Worst first. */
  readonly findings: readonly Finding[];
  /** Requests that got no answer (timeouts, refused connections). */
  readonly errors: ReadonlyArray<{ readonly path: string; readonly request: RawRequest; readonly message: string }>;
}

/** Thrown for options that cannot be audited (bad URL or origin, too many requests). */
export class AuditUsageError extends Error {
  override readonly name = 'AuditUsageError';
}

type Kind = 'allowed' | 'refused' | 'no-origin' | 'preflight' | 'preflight-refused' | 'preflight-garbage' | 'options-plain';
interface Probe {
  readonly kind: Kind;
  readonly path: string;
  readonly origin?: string;
  readonly request: RawRequest;
}

const GARBAGE_HEADER = 'bad header';
const SAFELISTED_METHODS = new Set(['GET', 'HEAD', 'POST']);

function parseOrigin(value: string): { scheme: string; host: string; port: string } {
  const m = /^(https?):\/\/(\*\.)?([^/:?#]+|\[[0-9a-fA-F:.]+\])(?::(\d+))?$/.exec(value);
  if (m === null) throw new AuditUsageError(`--allow ${value}: not an origin (scheme://host[:port], e.g. https://app.example.com, https://*.example.com, or *)`);
  return { scheme: m[1]!, host: (m[2] ?? '') + m[3]!, port: m[4] ?? '' };
}

const isIpOrLocal = (host: string): boolean => host.startsWith('[') || /^\d+\.\d+\.\d+\.\d+$/.test(host) || host === 'localhost';

/** The origins that must be refused, derived from the allowed ones (look-alikes of each). */
export function refusedOrigins(allow: readonly string[]): string[] {
  if (allow.includes('*')) return [];
  const out = new Set<string>(['https://evil.example', 'null']);
  for (const a of allow) {
    const { scheme, host: rawHost, port } = parseOrigin(a);
    const pattern = rawHost.startsWith('*.');
    const host = pattern ? rawHost.slice(2) : rawHost;
    const p = port === '' ? '' : `:${port}`;
    const sample = pattern ? `preflight-audit.${host}` : host;
    if (scheme === 'https') out.add(`http://${sample}${p}`); // downgrade
    out.add(`${scheme}://${sample}:${port === '' ? (scheme === 'https' ? 8443 : 8080) : Number(port) + 1}`); // other port
    if (isIpOrLocal(host)) continue;
    out.add(`${scheme}://${host}.evil.test${p}`); // suffix
    out.add(`${scheme}://evil${host}${p}`); // prefix, no label boundary
    if (!pattern) out.add(`${scheme}://evil.${host}${p}`); // a subdomain where none was allowed
    const dots = [...host.matchAll(/\./g)].map((m) => m.index).slice(0, 3);
    if (dots.length > 0) out.add(`${scheme}://${host.slice(0, dots[0]!)}-${host.slice(dots[0]! + 1)}${p}`); // app-example.com
    for (const i of dots) out.add(`${scheme}://${host.slice(0, i)}x${host.slice(i + 1)}${p}`); // an unescaped dot matches any character
  }
  return [...out].filter((o) => !isAllowed(o, allow));
}

function isAllowed(origin: string, allow: readonly string[]): boolean {
  return allow.some((a) => {
    if (a === origin || a === '*') return true;
    if (!a.includes('://*.')) return false;
    const [scheme, rest] = a.split('://*.') as [string, string];
    return origin.startsWith(`${scheme}://`) && origin.endsWith(`.${rest}`) && !origin.slice(scheme.length + 3, -rest.length - 1).includes(':');
  });
}

/** The allowed origins to probe with (a sample subdomain for a pattern, any origin for `*`). */
function allowedSamples(allow: readonly string[]): string[] {
  return allow.map((a) => (a === '*' ? 'https://any-origin.example' : a.replace('://*.', '://preflight-audit.')));
}

function plan(options: AuditOptions, paths: readonly string[]): Probe[] {
  const method = options.method ?? 'PUT';
  const requestHeaders = (options.requestHeaders ?? ['content-type']).map((h) => h.toLowerCase()).join(',');
  const allowed = allowedSamples(options.allow);
  const first = allowed[0]!;
  const probes: Probe[] = [];
  for (const path of paths) {
    const get = (kind: Kind, origin?: string): Probe => ({ kind, path, ...(origin === undefined ? {} : { origin }), request: { method: 'GET', path, headers: origin === undefined ? [] : [['Origin', origin]] } });
    const options_ = (kind: Kind, origin: string, acrm?: string, acrh?: string): Probe => ({
      kind,
      path,
      origin,
      request: { method: 'OPTIONS', path, headers: [['Origin', origin], ...(acrm === undefined ? [] : [['Access-Control-Request-Method', acrm] as const]), ...(acrh === undefined || acrh === '' ? [] : [['Access-Control-Request-Headers', acrh] as const])] },
    });
    for (const a of allowed) probes.push(get('allowed', a));
    probes.push(get('no-origin'));
    for (const r of refusedOrigins(options.allow)) probes.push(get('refused', r));
    probes.push(options_('preflight', first, method, requestHeaders));
    if (!options.allow.includes('*')) probes.push(options_('preflight-refused', 'https://evil.example', method, requestHeaders));
    probes.push(options_('preflight-garbage', first, method, `x-ok,${GARBAGE_HEADER}`));
    probes.push(options_('options-plain', first));
  }
  return probes;
}

const CORS_PREFIX = 'access-control-';
const corsLines = (res: RawResponse): Array<readonly [string, string]> => res.headerLines.filter(([n]) => n.startsWith(CORS_PREFIX) || n === 'vary');

/** A shell-quoted curl command that sends the same request and prints the response head. */
export function curlFor(baseUrl: string, request: RawRequest): string {
  const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  const url = new URL(request.path, baseUrl).toString();
  const method = request.method === 'GET' ? '' : request.method === 'HEAD' ? ' -I' : ` -X ${request.method}`;
  const headers = (request.headers ?? []).map(([n, v]) => ` -H ${q(`${n}: ${v}`)}`).join('');
  return `curl -sS -o /dev/null -D -${method}${headers} ${q(url)}`;
}

interface Evaluated {
  readonly check: AuditCheckId;
  readonly detail: string;
  readonly severity?: Severity;
}

function evaluate(probe: Probe, res: RawResponse, options: AuditOptions, dependsOnOrigin: boolean): Evaluated[] {
  const out: Evaluated[] = responseInvariants(res).map((i) => ({ check: i.id, detail: i.message }));
  const acao = headerValues(res, 'access-control-allow-origin');
  const acac = headerValues(res, 'access-control-allow-credentials');
  const vary = varyTokens(res);
  const granted = acac.includes('true');
  const public_ = options.allow.includes('*');
  const varies = vary.includes('origin') || vary.includes('*');
  const show = (name: string): string => {
    const v = headerValues(res, name);
    return v.length === 0 ? `no ${name}` : `${name}: ${v.join(' | ')}`;
  };
  const refusedKind = probe.kind === 'refused' || probe.kind === 'preflight-refused';
  if (refusedKind) {
    if (acao.includes(probe.origin!)) out.push({ check: 'reflects-refused-origin', detail: `${show('access-control-allow-origin')}${granted ? ', with access-control-allow-credentials: true' : ''}`, severity: granted ? 'critical' : 'high' });
    else if (acao.includes('*')) out.push({ check: 'wildcard-for-listed-origins', detail: show('access-control-allow-origin') });
  }
  if (granted && ((refusedKind && !acao.includes(probe.origin!)) || acao.length === 0)) {
    out.push({ check: 'credentials-on-refused', detail: `${show('access-control-allow-credentials')} with ${show('access-control-allow-origin')}` });
  }
  if (probe.kind === 'allowed' || probe.kind === 'preflight') {
    const ok = acao.length === 1 && (acao[0] === probe.origin || (acao[0] === '*' && !options.credentials));
    if (!ok && (probe.kind === 'allowed' || (res.status >= 200 && res.status < 300))) out.push({ check: 'allowed-origin-not-granted', detail: show('access-control-allow-origin') });
    if (ok && options.credentials === true && !granted) out.push({ check: 'credentials-not-granted', detail: show('access-control-allow-credentials') });
    if (ok && options.credentials !== true && granted && !public_) out.push({ check: 'credentials-not-declared', detail: show('access-control-allow-credentials') });
  }
  // Vary: Origin wherever the answer depends on the origin; a static `*` for everyone does not.
  const getKind = probe.kind === 'allowed' || probe.kind === 'refused' || probe.kind === 'no-origin';
  if (getKind && dependsOnOrigin && !varies && !(acao.length === 1 && acao[0] === '*' && !granted)) {
    out.push({ check: 'missing-vary-origin', detail: `${show('vary')} on a ${probe.kind === 'no-origin' ? 'request without Origin' : `request from ${probe.origin}`}` });
  }
  if (probe.kind === 'preflight') {
    if (res.status < 200 || res.status > 299) out.push({ check: 'preflight-not-ok', detail: `status ${res.status}` });
    else if (acao.length === 1) {
      const method = options.method ?? 'PUT';
      const acam = headerValues(res, 'access-control-allow-methods').flatMap((v) => v.split(',')).map((m) => m.trim());
      if (!SAFELISTED_METHODS.has(method) && !acam.includes(method) && !(acam.includes('*') && !granted)) out.push({ check: 'preflight-method-not-allowed', detail: `${method} not in ${show('access-control-allow-methods')}` });
      const acah = headerValues(res, 'access-control-allow-headers').flatMap((v) => v.split(',')).map((h) => h.trim().toLowerCase());
      for (const h of options.requestHeaders ?? ['content-type']) {
        const name = h.toLowerCase();
        if (!acah.includes(name) && !(acah.includes('*') && !granted && name !== 'authorization')) out.push({ check: 'preflight-header-not-allowed', detail: `${h} not in ${show('access-control-allow-headers')}` });
      }
      const maxAge = headerValues(res, 'access-control-max-age');
      if (maxAge.length > 0 && (maxAge.length > 1 || !/^\d+$/.test(maxAge[0]!) || Number(maxAge[0]) > 86400)) out.push({ check: 'max-age-invalid', detail: show('access-control-max-age') });
    }
  }
  if (probe.kind === 'preflight-garbage') {
    if (res.status >= 500) out.push({ check: 'preflight-server-error', detail: `status ${res.status}` });
    const acah = headerValues(res, 'access-control-allow-headers').join(',').toLowerCase();
    if (acah.includes(GARBAGE_HEADER)) out.push({ check: 'preflight-reflects-invalid-header', detail: show('access-control-allow-headers') });
  }
  if (probe.kind === 'options-plain') {
    const preflightOnly = ['access-control-allow-methods', 'access-control-max-age'].filter((n) => headerValues(res, n).length > 0);
    if (preflightOnly.length > 0) out.push({ check: 'options-answered-as-preflight', detail: `status ${res.status}, ${preflightOnly.map(show).join(', ')}` });
  }
  return out;
}

async function pool<T, R>(items: readonly T[], concurrency: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

/**
 * Probe a running server's CORS answers, given what it is meant to allow, and return the
 * findings. Safe by construction: only GET and OPTIONS requests without bodies, a bounded
 * number of them (`maxRequests`), a few at a time, each with a timeout.
 *
 * @example
 * ```ts
 * import { audit } from '@preflight/cors-conformance';
 *
 * const report = await audit({ url: 'https://api.example.com', allow: ['https://app.example.com'], credentials: true });
 * for (const f of report.findings) console.log(f.severity, f.path, f.title, f.curl);
 * ```
 */
export async function audit(options: AuditOptions): Promise<AuditReport> {
  let base: URL;
  try {
    base = new URL(options.url);
  } catch {
    throw new AuditUsageError(`${options.url}: not a URL (e.g. https://api.example.com/items)`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new AuditUsageError(`${options.url}: only http: and https: URLs can be audited`);
  if (options.allow.length === 0) throw new AuditUsageError('say which origins the server is meant to allow: --allow <origin> (repeatable), or --allow "*" for a public API');
  for (const a of options.allow) if (a !== '*') parseOrigin(a);
  const method = options.method ?? 'PUT';
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(method)) throw new AuditUsageError(`--method ${method}: not an HTTP method token`);
  const paths = (options.paths ?? [`${base.pathname}${base.search}`]).map((p) => {
    const u = new URL(p, base);
    if (u.origin !== base.origin) throw new AuditUsageError(`--path ${p}: leaves ${base.origin}`);
    return `${u.pathname}${u.search}`;
  });
  const probes = plan(options, paths);
  const maxRequests = options.maxRequests ?? 500;
  if (probes.length > maxRequests) throw new AuditUsageError(`the audit needs ${probes.length} requests, more than the limit of ${maxRequests}: probe fewer paths or origins`);
  const send = options.send ?? rawRequest;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const concurrency = Math.max(1, Math.min(options.concurrency ?? 4, 8));
  const answers = await pool(probes, concurrency, async (probe) => {
    try {
      return { probe, res: await send(base.origin, probe.request, timeoutMs) };
    } catch (err) {
      return { probe, error: err instanceof Error ? err.message : String(err) };
    }
  });
  const findings = new Map<string, Finding>();
  const errors: Array<{ path: string; request: RawRequest; message: string }> = [];
  for (const path of paths) {
    const mine = answers.filter((a) => a.probe.path === path);
    // The answer depends on the origin when the GETs did not all get the same Access-Control-Allow-Origin
    // (a static `*`, or one fixed origin sent to everyone, needs no Vary: Origin).
    const acaos = mine.filter((a) => a.res !== undefined && a.probe.request.method === 'GET').map((a) => headerValues(a.res!, 'access-control-allow-origin').join('|'));
    const dependsOnOrigin = new Set(acaos).size > 1;
    for (const a of mine) {
      if (a.res === undefined) {
        errors.push({ path, request: a.probe.request, message: a.error ?? 'no answer' });
        continue;
      }
      for (const e of evaluate(a.probe, a.res, options, dependsOnOrigin)) {
        const c = CHECKS.get(e.check)!;
        const severity = e.severity ?? c.severity;
        const key = `${e.check}\u0000${severity}\u0000${path}`;
        const seen = findings.get(key);
        const origin = a.probe.origin ?? '(no Origin)';
        if (seen !== undefined) {
          if (!seen.origins.includes(origin)) findings.set(key, { ...seen, origins: [...seen.origins, origin] });
          continue;
        }
        findings.set(key, { check: e.check, severity, path, title: c.title, why: c.why, fix: c.fix, detail: e.detail, origins: [origin], request: a.probe.request, status: a.res.status, responseHeaders: corsLines(a.res), curl: curlFor(base.origin, a.probe.request) });
      }
    }
  }
  const rank = (s: Severity): number => SEVERITIES.indexOf(s);
  return {
    url: base.toString(),
    allow: options.allow,
    credentials: options.credentials === true,
    paths,
    requests: probes.length,
    findings: [...findings.values()].sort((x, y) => rank(x.severity) - rank(y.severity)),
    errors,
  };
}
