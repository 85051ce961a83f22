import { CorsConfigError } from './errors.js';
import { explainBadOrigin, isSerializedOrigin, parseOrigin, type ParsedOrigin } from './origin-syntax.js';
import { OriginTable } from './origin-table.js';
import { MULTI_LABEL_PUBLIC_SUFFIXES } from './public-suffixes.js';
import type { CorsRequest, OriginOption, OriginPredicate } from './types.js';

/** How the configured `origin` option decides. */
export type OriginMatcher =
  | { readonly kind: 'any' }
  | { readonly kind: 'static'; readonly match: (origin: string) => boolean; readonly needsParse: boolean }
  | { readonly kind: 'predicate'; readonly predicate: OriginPredicate };

/** Origins that must never be allowed by a broad RegExp when credentials are on. */
const PROBE_ORIGINS = [
  'https://preflight-probe.invalid', 'http://preflight-probe.invalid', 'https://a.b.c.preflight-probe.example',
  // Any name under a public suffix anyone can register under (what "https://*.com" would be as a pattern).
  'https://preflightprobe.com', 'http://preflightprobe.com', 'https://preflightprobe.net', 'https://preflightprobe.org', 'https://preflightprobe.io',
];

/**
 * Validate the `origin` option and compile it into a matcher: exact origins in an OriginTable,
 * wildcard patterns in label-wise suffix Sets, RegExps checked for anchoring, predicates
 * kept as they are. Throws CorsConfigError on anything invalid or insecure.
 */
export function compileOrigin(option: OriginOption | undefined, credentials: boolean): OriginMatcher {
  if (option === undefined || option === null) {
    throw new CorsConfigError(
      'ORIGIN_MISSING', 'origin', option,
      'it is required; Preflight has no default origin, so nothing is allowed by accident',
      'list the origins that may call this server, e.g. origin: ["https://app.example.com"], or origin: "*" for a public API without credentials',
    );
  }
  if (typeof option === 'function') return { kind: 'predicate', predicate: option };
  if ((option as unknown) === true) {
    throw new CorsConfigError(
      'OPTION_TYPE', 'origin', option,
      'in the cors package, origin: true reflects every request\'s Origin back, so every site is allowed — with credentials, any site can act as the signed-in user; Preflight has no such setting',
      'list your origins, e.g. origin: ["https://app.example.com"], use pattern strings such as "https://*.example.com", or origin: "*" for a public API without credentials',
    );
  }
  if (option === '*') {
    if (credentials) {
      throw new CorsConfigError(
        'ORIGIN_WILDCARD_WITH_CREDENTIALS', 'origin', option,
        'browsers refuse "*" with credentials, and reflecting every origin instead would let any site act as the signed-in user',
        'list the trusted origins explicitly, or set credentials: false for a public API',
      );
    }
    return { kind: 'any' };
  }
  const items: ReadonlyArray<unknown> = Array.isArray(option) ? option : [option];
  const many = Array.isArray(option);
  if (items.length === 0) {
    throw new CorsConfigError('ORIGIN_EMPTY', 'origin', option, 'the list is empty, so no origin could ever be allowed', 'list at least one origin');
  }
  const exact = new OriginTable(items.length);
  const patterns: Patterns = { suffixes: new Map(), anyPort: new Set() };
  const regexps: RegExp[] = [];
  for (let index = 0; index < items.length; index++) {
    const item = items[index];
    // The common case first, with no allocation: a plain exact origin (large tenant lists).
    // ws: and wss: (first letter w) are looked at below.
    if (typeof item === 'string' && item.charCodeAt(0) !== 119 /* w */ && isSerializedOrigin(item)) {
      exact.add(item);
      continue;
    }
    // Errors name the entry (`origin[3]`); that name is only built for them.
    const at = many ? index : -1;
    if (item instanceof RegExp) {
      regexps.push(checkRegExp(item, entryPath(at), credentials));
    } else if (typeof item === 'string') {
      if (item === '*') {
        throw new CorsConfigError('ORIGIN_WILDCARD_IN_LIST', entryPath(at), item, '"*" inside a list is ambiguous', 'use origin: "*" on its own to allow every origin, or remove it from the list');
      }
      if (item === 'null') {
        throw new CorsConfigError(
          'ORIGIN_NULL', entryPath(at), item,
          'the "null" origin is sent by sandboxed iframes, data: URLs, file: pages and redirects, and any attacker can produce it',
          'remove "null"; serve the page from a real origin and list that origin',
        );
      }
      if (item.startsWith('ws://') || item.startsWith('wss://')) {
        throw new CorsConfigError(
          'ORIGIN_INVALID', entryPath(at), item,
          'ws: and wss: are WebSocket URL schemes, never an origin: a WebSocket handshake carries the origin of the page that opened it',
          `write that page's origin, such as ${JSON.stringify(item.replace(/^ws/, 'http'))}`,
        );
      }
      if (item.includes('*')) addPattern(item, at, credentials, patterns);
      else if (isSerializedOrigin(item)) exact.add(item);
      else {
        const { problem, fix } = explainBadOrigin(item);
        throw new CorsConfigError('ORIGIN_INVALID', entryPath(at), item, problem, fix);
      }
    } else {
      throw new CorsConfigError(
        'OPTION_TYPE', entryPath(at), item,
        'an origin must be a string, a RegExp, an array of those, or a function',
        'write the origin as a string like "https://app.example.com"',
      );
    }
  }

  // Anything beyond an exact-origin lookup (patterns, RegExps) is worth a bounded verdict cache.
  const { suffixes, anyPort } = patterns;
  const needsParse = suffixes.size > 0 || anyPort.size > 0 || regexps.length > 0;
  const match = buildStaticMatch(exact, suffixes, anyPort, regexps);
  return { kind: 'static', match, needsParse };
}

function buildStaticMatch(
  exact: OriginTable,
  suffixes: ReadonlyMap<string, ReadonlySet<string>>,
  anyPort: ReadonlySet<string>,
  regexps: readonly RegExp[],
): (origin: string) => boolean {
  const hasPatterns = suffixes.size > 0 || anyPort.size > 0;
  if (!hasPatterns && regexps.length === 0) return (origin) => exact.has(origin);
  return (origin) => {
    if (exact.has(origin)) return true;
    // Patterns and RegExps only ever see a well-formed, bounded origin: a RegExp that
    // happens to match "null", an upper-cased host or "https://evil.com/x.example.com"
    // must not allow it, and a user RegExp never runs on an unbounded string.
    const parsed = parseOrigin(origin);
    if (parsed === undefined) return false;
    if (hasPatterns && matchPatterns(parsed, suffixes, anyPort)) return true;
    for (let i = 0; i < regexps.length; i++) if (regexps[i]!.test(origin)) return true;
    return false;
  };
}

function matchPatterns(o: ParsedOrigin, suffixes: ReadonlyMap<string, ReadonlySet<string>>, anyPort: ReadonlySet<string>): boolean {
  if (anyPort.size > 0 && anyPort.has(`${o.scheme}://${o.host}`)) return true;
  if (suffixes.size === 0 || o.host.charCodeAt(0) === 91 /* [ */) return false;
  const exactPort = suffixes.get(`${o.scheme}|${o.port}`);
  const wildPort = suffixes.get(`${o.scheme}|*`);
  if (exactPort === undefined && wildPort === undefined) return false;
  // Label-wise suffix lookup: for a.b.example.com try b.example.com, example.com, com.
  // The cost depends on the number of labels in the request, never on the number of patterns.
  const host = o.host;
  for (let dot = host.indexOf('.'); dot !== -1; dot = host.indexOf('.', dot + 1)) {
    const suffix = host.slice(dot + 1);
    if (exactPort?.has(suffix) === true || wildPort?.has(suffix) === true) return true;
  }
  return false;
}

/** The option path of a list entry (`origin[3]`), or `origin` for a single origin (`at` = -1). */
function entryPath(at: number): string {
  return at < 0 ? 'origin' : `origin[${at}]`;
}

/** Compiled wildcard patterns. */
interface Patterns {
  /** "scheme|port" → host suffixes ("port" may be "*"). */
  readonly suffixes: Map<string, Set<string>>;
  /** "scheme://host" of `host:*` patterns. */
  readonly anyPort: Set<string>;
}

const IP_ADDRESS_LIKE = /^[\d.]+$/;

function patternError(pattern: string, at: number, problem: string): CorsConfigError {
  return new CorsConfigError(
    'ORIGIN_PATTERN_INVALID', entryPath(at), pattern, problem,
    'use "*." as the whole first label of the host (https://*.example.com) and/or ":*" as the whole port (http://localhost:*)',
  );
}

function addPattern(pattern: string, at: number, credentials: boolean, patterns: Patterns): void {
  const sep = pattern.indexOf('://');
  if (sep <= 0) throw patternError(pattern, at, 'it has no scheme');
  const portWildcard = pattern.endsWith(':*');
  const subdomainWildcard = pattern.startsWith('*.', sep + 3);
  // Every "*" must be one of those two.
  let star = pattern.indexOf('*');
  if (subdomainWildcard && star === sep + 3) star = pattern.indexOf('*', star + 1);
  if (portWildcard && star === pattern.length - 1) star = -1;
  if (star !== -1) throw patternError(pattern, at, '"*" may only stand for the whole first label of the host or the whole port');
  if (!subdomainWildcard && !portWildcard) throw patternError(pattern, at, '"*" is in an unsupported place');
  // The pattern without its wildcards must be a serialized origin.
  const hostStart = subdomainWildcard ? sep + 5 : sep + 3;
  const end = portWildcard ? pattern.length - 2 : pattern.length;
  const probe = subdomainWildcard ? pattern.slice(0, sep + 3) + pattern.slice(hostStart, end) : pattern.slice(0, end);
  const parsed = parseOrigin(probe);
  if (parsed === undefined) {
    const { problem, canonical } = explainBadOrigin(probe);
    // Suggest the corrected pattern, wildcards put back, never the bare origin.
    const fixed = canonical === undefined ? undefined
      : canonical.replace('://', subdomainWildcard ? '://*.' : '://') + (portWildcard ? ':*' : '');
    const fix = fixed !== undefined && fixed !== pattern ? `write ${JSON.stringify(fixed)}` : 'write scheme://*.host or scheme://host:* exactly as a browser would send the origin';
    throw new CorsConfigError('ORIGIN_PATTERN_INVALID', entryPath(at), pattern, `without its wildcards, ${problem}`, fix);
  }
  if (portWildcard && parsed.port !== '') throw patternError(pattern, at, 'it has both a port and ":*"');
  const { scheme, host } = parsed;
  if (!subdomainWildcard) {
    patterns.anyPort.add(`${scheme}://${host}`);
    return;
  }
  if (host.charCodeAt(0) === 91 /* [ */ || IP_ADDRESS_LIKE.test(host)) throw patternError(pattern, at, '"*." cannot stand before an IP address');
  if ((!host.includes('.') && host !== 'localhost') || MULTI_LABEL_PUBLIC_SUFFIXES.has(host)) {
    throw new CorsConfigError(
      'ORIGIN_PATTERN_PUBLIC_SUFFIX', entryPath(at), pattern,
      `".${host}" is a public suffix: anyone can register a name under it${credentials ? ', and credentials are on' : ''}`,
      `name your own domain, e.g. "${scheme}://*.your-domain.${host}"`,
    );
  }
  const key = `${scheme}|${portWildcard ? '*' : parsed.port}`;
  let set = patterns.suffixes.get(key);
  if (set === undefined) patterns.suffixes.set(key, (set = new Set()));
  set.add(host);
}

function checkRegExp(re: RegExp, path: string, credentials: boolean): RegExp {
  if (re.global || re.sticky) {
    throw new CorsConfigError(
      'ORIGIN_REGEXP_FLAGS', path, re,
      `the ${re.global ? 'g' : 'y'} flag makes RegExp.test keep lastIndex between calls, so the same origin is allowed and refused on alternate requests`,
      `remove the flag: /${re.source}/${re.flags.replace(/[gy]/g, '')}`,
    );
  }
  if (re.multiline) {
    throw new CorsConfigError('ORIGIN_REGEXP_FLAGS', path, re, 'the m flag lets ^ and $ match at line breaks', `remove the flag: /${re.source}/${re.flags.replace('m', '')}`);
  }
  for (const alternative of topLevelAlternatives(re.source)) {
    if (!alternative.startsWith('^') || !endsWithUnescapedDollar(alternative)) {
      throw new CorsConfigError(
        'ORIGIN_REGEXP_UNANCHORED', path, re,
        `${alternative === re.source ? 'it' : `the alternative /${alternative}/`} is not anchored with ^ at the start and $ at the end, so it also matches origins such as https://evil-example.com or https://example.com.evil.net`,
        're-write it as /^https:\\/\\/(?:[a-z0-9-]+\\.)*example\\.com$/, or use a pattern string like "https://*.example.com"',
      );
    }
  }
  const literals = scanRegExpSource(re.source, re.flags.includes('v'));
  if (!re.ignoreCase && literals.caseSure && literals.upper.length > 0) {
    const letters = [...new Set(literals.upper.map((i) => re.source[i]))].join(', ');
    let lowered = '';
    for (let i = 0, next = 0; i < re.source.length; i++) {
      const upper = literals.upper[next] === i;
      if (upper) next++;
      lowered += upper ? re.source[i]!.toLowerCase() : re.source[i];
    }
    throw new CorsConfigError(
      'ORIGIN_REGEXP_UPPER_CASE', path, re,
      `it has the upper-case letter${literals.upper.length > 1 ? 's' : ''} ${letters} and no i flag; browsers send an origin's scheme and host in lower case, so ${literals.upper.length > 1 ? 'those letters' : 'that letter'} can never match`,
      `write it in lower case: /${lowered}/${re.flags}`,
    );
  }
  if (credentials) {
    const probe = PROBE_ORIGINS.find((o) => re.test(o));
    if (probe !== undefined) {
      throw new CorsConfigError(
        'ORIGIN_REGEXP_TOO_BROAD', path, re,
        `with credentials on it also allows unrelated origins such as ${probe}`,
        'narrow the RegExp to your own domains',
      );
    }
  }
  for (const { host, port } of literals.hosts) {
    const lookAlike = acceptedLookAlike(re, host, port);
    if (lookAlike === undefined) continue;
    const domain = host.replace(/^-+/, '');
    const scheme = lookAlike.slice(0, lookAlike.indexOf(':'));
    const escaped = `${scheme}:\\/\\/(?:[a-z0-9-]+\\.)*${domain.replaceAll('.', '\\.')}${port === '' ? '' : `:${port}`}`;
    throw new CorsConfigError(
      'ORIGIN_REGEXP_NO_LABEL_BOUNDARY', path, re,
      `it also allows ${lookAlike}, a different domain that merely ends with "${host}": nothing requires a dot (a label boundary) before it, so anyone who registers a look-alike such as ${scheme}://evil${host} is allowed${credentials ? ', with your users\' credentials' : ''}`,
      `put (?:[a-z0-9-]+\\.)* before the domain, /^${escaped}$/, or use a pattern string "${scheme}://*.${domain}${port === '' ? '' : `:${port}`}" (and "${scheme}://${domain}${port === '' ? '' : `:${port}`}" for the domain itself)`,
    );
  }
  return re;
}

/** Labels glued onto a literal domain of a RegExp to see whether it checks for a label boundary. */
const GLUED_LABELS = ['preflightprobe', 'p'];

/**
 * The first origin that glues a label onto `host` (`https://preflightprobeexample.com` for
 * `example.com`), on http or https, without or with a port, that the RegExp accepts; only for
 * a host whose glued form is another registrable domain (`example.com`, `example.co.uk`,
 * `-example.com`), never for a subdomain (`app.example.com`: `xapp.example.com` is still
 * under example.com).
 */
function acceptedLookAlike(re: RegExp, host: string, port: string): string | undefined {
  const dot = host.indexOf('.');
  if (dot <= 0) return undefined;
  const rest = host.slice(dot + 1);
  const tld = rest.slice(rest.lastIndexOf('.') + 1);
  if (!/[a-z]/.test(tld) || (rest.includes('.') && !MULTI_LABEL_PUBLIC_SUFFIXES.has(rest))) return undefined;
  const ports = port === '' ? ['', ':8080'] : [`:${port}`];
  for (const scheme of ['https://', 'http://']) {
    for (const label of GLUED_LABELS) {
      for (const p of ports) {
        const origin = `${scheme}${label}${host}${p}`;
        if (re.test(origin)) return origin;
      }
    }
  }
  return undefined;
}

/** What `scanRegExpSource` found in a RegExp's source. */
interface RegExpLiterals {
  /** Indexes (ascending) of upper-case ASCII letters that the RegExp matches literally. */
  readonly upper: number[];
  /**
   * False when a part of the source may change case-sensitivity (a `(?i:…)` modifier group),
   * so upper-case letters are not certainly literal.
   */
  readonly caseSure: boolean;
  /**
   * Literal host names: runs of letters, digits, `-` and `\.` outside classes, groups and
   * escapes (`example\.com` → `example.com`), lower-cased, dots trimmed; `port` is a literal
   * `:digits` that follows the run, or ''.
   */
  readonly hosts: Array<{ readonly host: string; readonly port: string }>;
}

const QUANTIFIER_BRACE = /^\{\d+(?:,\d*)?\}/;
const LITERAL_PORT = /^:(\d+)(?![\d?*+{])/;

/**
 * One pass over a RegExp source, for the configuration checks only (never per request):
 * skips escapes (`\d \W \B`, `\p{…}`, `\k<…>`, `\u…`, `\x..`, `\c.`, back-references),
 * character classes and group syntax (`(?:`, `(?<name>`, look-arounds). A character followed
 * by a quantifier is not part of a literal host.
 */
function scanRegExpSource(source: string, unicodeSets: boolean): RegExpLiterals {
  const upper: number[] = [];
  const hosts: Array<{ host: string; port: string }> = [];
  let caseSure = true;
  let run = '';
  const flush = (port = ''): void => {
    if (run === '') return;
    let start = 0;
    let end = run.length;
    while (start < end && run.charCodeAt(start) === 46 /* . */) start++;
    while (end > start && run.charCodeAt(end - 1) === 46) end--;
    // Only a name with a dot can be a domain another party registers next to it.
    const host = run.slice(start, end);
    run = '';
    if (host.includes('.') && !hosts.some((h) => h.host === host && h.port === port)) hosts.push({ host, port });
  };
  /** Skip from `i` to just past the next `close` (or to the end). */
  const skipPast = (i: number, close: string): number => {
    const end = source.indexOf(close, i);
    return end === -1 ? source.length : end + 1;
  };
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    const code = c.charCodeAt(0);
    const isLower = code >= 97 && code <= 122;
    const isUpper = code >= 65 && code <= 90;
    if (isLower || isUpper || (code >= 48 && code <= 57) || c === '-') {
      if (isUpper) upper.push(i);
      run += isUpper ? c.toLowerCase() : c;
      i++;
      continue;
    }
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      if (next === '.' || next === '-') {
        run += next;
        i += 2;
        continue;
      }
      flush();
      if (next === 'p' || next === 'P' || next === 'u' || next === 'k') {
        const open = source[i + 2];
        if (open === '{') i = skipPast(i + 3, '}');
        else if (open === '<' && next === 'k') i = skipPast(i + 3, '>');
        else if (next === 'u') i += 2 + Math.min(4, /^[0-9a-fA-F]*/.exec(source.slice(i + 2, i + 6))![0].length);
        else i += 2;
      } else if (next === 'x') i += 2 + /^[0-9a-fA-F]{0,2}/.exec(source.slice(i + 2, i + 4))![0].length;
      else if (next === 'c') i += /[a-zA-Z]/.test(source[i + 2] ?? '') ? 3 : 2;
      else if (next >= '0' && next <= '9') i += 1 + /^\d+/.exec(source.slice(i + 1))![0].length;
      else i += 2;
      continue;
    }
    if (c === '[') {
      flush();
      let depth = 1;
      i++;
      while (i < source.length && depth > 0) {
        const d = source[i];
        if (d === '\\') i++;
        else if (d === '[' && unicodeSets) depth++;
        else if (d === ']') depth--;
        i++;
      }
      continue;
    }
    if (c === '(') {
      flush();
      if (source[i + 1] !== '?') i++;
      else if (source[i + 2] === '<' && source[i + 3] !== '=' && source[i + 3] !== '!') i = skipPast(i + 3, '>');
      else if (source[i + 2] === ':' || source[i + 2] === '=' || source[i + 2] === '!') i += 3;
      else if (source[i + 2] === '<') i += 4;
      else {
        // A modifier group such as (?i:…) or (?-i:…): letters inside may match any case.
        caseSure = false;
        i = skipPast(i + 2, ':');
      }
      continue;
    }
    if (c === '?' || c === '*' || c === '+' || (c === '{' && QUANTIFIER_BRACE.test(source.slice(i, i + 24)))) {
      // The quantified character is optional or repeated: it is not part of the literal host.
      run = run.slice(0, -1);
      flush();
      i = c === '{' ? skipPast(i, '}') : i + 1;
      continue;
    }
    if (c === ':' && run !== '') {
      const port = LITERAL_PORT.exec(source.slice(i, i + 8));
      if (port !== null) {
        flush(port[1]);
        i += port[0].length;
        continue;
      }
    }
    flush();
    i++;
  }
  flush();
  return { upper, caseSure, hosts };
}

/** Split a RegExp source on top-level `|` (outside groups, classes and escapes). */
function topLevelAlternatives(source: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let inClass = false;
  let start = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      out.push(source.slice(start, i));
      start = i + 1;
    }
  }
  out.push(source.slice(start));
  return out;
}

function endsWithUnescapedDollar(s: string): boolean {
  if (!s.endsWith('$')) return false;
  let backslashes = 0;
  for (let i = s.length - 2; i >= 0 && s[i] === '\\'; i--) backslashes++;
  return backslashes % 2 === 0;
}

export type { CorsRequest };
