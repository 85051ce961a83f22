/**
 * Parsing of serialized origins (`scheme://host[:port]`), the only shape a browser puts in
 * the Origin header besides `null`. One pass over the characters, no regex, bounded length.
 */

/** Longest Origin value we look at: a 253-byte host plus scheme and port fits with room. */
export const MAX_ORIGIN_LENGTH = 512;

/** A parsed origin. `port` is '' when absent (the scheme's default). */
export interface ParsedOrigin {
  readonly scheme: string;
  readonly host: string;
  readonly port: string;
}

const enum C {
  a = 97, z = 122, A = 65, Z = 90, d0 = 48, d9 = 57,
  plus = 43, minus = 45, dot = 46, colon = 58, slash = 47, lbr = 91, rbr = 93, under = 95,
}

const DEFAULT_PORTS: Readonly<Record<string, string>> = { http: '80', https: '443', ws: '80', wss: '443', ftp: '21' };

/**
 * Parse an Origin header value as a browser serializes it: lower-case scheme and host, no
 * default port, no path, query, fragment, userinfo or trailing slash, ASCII only.
 * Returns undefined for anything else (including `null`).
 */
export function parseOrigin(value: string): ParsedOrigin | undefined {
  const ends = scanOrigin(value);
  if (ends === -1) return undefined;
  const schemeEnd = ends >>> 10;
  const hostEnd = ends & 1023;
  return {
    scheme: value.slice(0, schemeEnd),
    host: value.slice(schemeEnd + 3, hostEnd),
    port: hostEnd === value.length ? '' : value.slice(hostEnd + 1),
  };
}

/**
 * Whether a value is a serialized origin, as `parseOrigin` decides, without building
 * anything: for validating large origin lists and for refusals on the request path.
 */
export function isSerializedOrigin(value: string): boolean {
  return scanOrigin(value) !== -1;
}

/**
 * The one scan behind `parseOrigin` and `isSerializedOrigin`: -1 when `value` is not a
 * serialized origin, otherwise where the scheme ends (`:` of `://`) and where the host ends,
 * packed as `schemeEnd << 10 | hostEnd` (both below MAX_ORIGIN_LENGTH = 512).
 */
function scanOrigin(value: string): number {
  const n = value.length;
  if (n === 0 || n > MAX_ORIGIN_LENGTH) return -1;
  // scheme
  let i = 1;
  let c = value.charCodeAt(0);
  if (c < C.a || c > C.z) return -1;
  for (; i < n; i++) {
    c = value.charCodeAt(i);
    if ((c >= C.a && c <= C.z) || (c >= C.d0 && c <= C.d9) || c === C.plus || c === C.minus || c === C.dot) continue;
    break;
  }
  if (c !== C.colon || value.charCodeAt(i + 1) !== C.slash || value.charCodeAt(i + 2) !== C.slash) return -1;
  const schemeEnd = i;
  i += 3;
  const hostStart = i;
  if (i >= n) return -1;
  if (value.charCodeAt(i) === C.lbr) {
    // IPv6 literal: hex digits, colons and dots between brackets.
    for (i++; i < n; i++) {
      c = value.charCodeAt(i);
      if ((c >= C.d0 && c <= C.d9) || (c >= C.a && c <= 102) || c === C.colon || c === C.dot) continue;
      break;
    }
    if (c !== C.rbr || i === hostStart + 1) return -1;
    i++;
  } else {
    let labelLength = 0;
    for (; i < n; i++) {
      c = value.charCodeAt(i);
      if ((c >= C.a && c <= C.z) || (c >= C.d0 && c <= C.d9) || c === C.minus || c === C.under) {
        labelLength++;
        continue;
      }
      if (c === C.dot) {
        if (labelLength === 0) return -1; // empty label: "a..b", ".a"
        labelLength = 0;
        continue;
      }
      break;
    }
    if (i === hostStart || labelLength === 0) return -1; // empty host, or trailing dot
  }
  const hostEnd = i;
  if (i < n) {
    if (value.charCodeAt(i) !== C.colon) return -1; // path, query, userinfo, upper case…
    const portStart = ++i;
    let port = 0;
    for (; i < n; i++) {
      c = value.charCodeAt(i);
      if (c < C.d0 || c > C.d9) return -1;
      port = port * 10 + (c - C.d0);
    }
    const len = i - portStart;
    if (len === 0 || len > 5 || (len > 1 && value.charCodeAt(portStart) === C.d0) || port > 65535) return -1;
    if (DEFAULT_PORTS[value.slice(0, schemeEnd)] === String(port)) return -1;
  }
  return (schemeEnd << 10) | hostEnd;
}

/** Explain why a configured origin string is not a serialized origin, for error messages. */
export function explainBadOrigin(value: string): { problem: string; fix: string; canonical?: string } {
  if (value === '') return { problem: 'it is an empty string', fix: 'write the full origin, such as "https://app.example.com"' };
  const trimmed = value.trim();
  if (trimmed !== value) return { problem: 'it has leading or trailing white space', fix: `write ${JSON.stringify(trimmed)}` };
  const sep = value.indexOf('://');
  if (sep <= 0) {
    return { problem: 'it has no scheme', fix: `write the full origin, such as "https://${value.replace(/^\/*/, '')}"` };
  }
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  let canonical = url && url.origin !== 'null' ? url.origin : undefined;
  if (canonical !== undefined && url !== undefined && url.hostname.endsWith('.')) canonical = canonical.replace(`//${url.hostname}`, `//${url.hostname.slice(0, -1)}`);
  const suggestion = canonical !== undefined && canonical !== value ? `write ${JSON.stringify(canonical)}` : 'write scheme://host[:port] exactly as a browser sends it';
  const explain = (problem: string): { problem: string; fix: string; canonical?: string } =>
    canonical === undefined ? { problem, fix: suggestion } : { problem, fix: suggestion, canonical };
  if (url) {
    if (url.username || url.password) return explain('it contains userinfo (user:password@), which an Origin never carries');
    if (value.endsWith('/')) return explain('it ends with a slash; an Origin never has one, so it would never match');
    if (url.search || value.includes('?')) return explain('it has a query; an Origin never has one');
    if (url.hash || value.includes('#')) return explain('it has a fragment; an Origin never has one');
    if (url.pathname !== '/' && url.pathname !== '') return explain('it has a path; an Origin is scheme://host[:port] only');
    if (value !== value.toLowerCase()) return explain('it has upper-case letters; browsers send the origin lower-cased, so it would never match');
    const port = /:(\d+)$/.exec(value)?.[1];
    if (port !== undefined && url.port === '') return explain(`:${port} is the scheme's default port, which browsers leave out of the Origin`);
    if (url.hostname.endsWith('.')) return explain('its host ends with a dot, which an Origin never has');
    if (canonical !== undefined && canonical !== value) return explain(`browsers serialize this origin as ${JSON.stringify(canonical)}`);
  }
  return explain('it is not a serialized origin (scheme://host[:port], ASCII, lower case)');
}
