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
  const n = value.length;
  if (n === 0 || n > MAX_ORIGIN_LENGTH) return undefined;
  // scheme
  let i = 1;
  let c = value.charCodeAt(0);
  if (c < C.a || c > C.z) return undefined;
  for (; i < n; i++) {
    c = value.charCodeAt(i);
    if ((c >= C.a && c <= C.z) || (c >= C.d0 && c <= C.d9) || c === C.plus || c === C.minus || c === C.dot) continue;
    break;
  }
  if (c !== C.colon || value.charCodeAt(i + 1) !== C.slash || value.charCodeAt(i + 2) !== C.slash) return undefined;
  const scheme = value.slice(0, i);
  i += 3;
  const hostStart = i;
  if (i >= n) return undefined;
  if (value.charCodeAt(i) === C.lbr) {
    // IPv6 literal: hex digits, colons and dots between brackets.
    for (i++; i < n; i++) {
      c = value.charCodeAt(i);
      if ((c >= C.d0 && c <= C.d9) || (c >= C.a && c <= 102) || c === C.colon || c === C.dot) continue;
      break;
    }
    if (c !== C.rbr || i === hostStart + 1) return undefined;
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
        if (labelLength === 0) return undefined; // empty label: "a..b", ".a"
        labelLength = 0;
        continue;
      }
      break;
    }
    if (i === hostStart || labelLength === 0) return undefined; // empty host, or trailing dot
  }
  const host = value.slice(hostStart, i);
  let port = '';
  if (i < n) {
    if (value.charCodeAt(i) !== C.colon) return undefined; // path, query, userinfo, upper case…
    const portStart = ++i;
    for (; i < n; i++) {
      c = value.charCodeAt(i);
      if (c < C.d0 || c > C.d9) return undefined;
    }
    const len = i - portStart;
    if (len === 0 || len > 5 || (len > 1 && value.charCodeAt(portStart) === C.d0)) return undefined;
    port = value.slice(portStart);
    if (Number(port) > 65535 || DEFAULT_PORTS[scheme] === port) return undefined;
  }
  return { scheme, host, port };
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
